import { DomainError } from "@/server/errors";
import { baseProcedure } from "./trpc";

export const publicProcedure = baseProcedure;

/** A signed-in user; 401 without a session. */
export const protectedProcedure = baseProcedure.use(({ ctx, next }) => {
  if (!ctx.session) throw new DomainError("UNAUTHENTICATED", "sign in first");
  return next({ ctx: { session: ctx.session } });
});

/** An admin; 401 without a session, 403 for a shopper. */
export const adminProcedure = protectedProcedure.use(({ ctx, next }) => {
  if (!ctx.session.isAdmin) throw new DomainError("FORBIDDEN", "admins only");
  return next();
});

/** A demo-only admin tool (fault injection): without DEMO_FAULTS it answers like a missing procedure. */
export const demoAdminProcedure = adminProcedure.use(({ ctx, next }) => {
  if (!ctx.faultsEnabled) throw new DomainError("NOT_FOUND", "no such procedure");
  return next();
});
