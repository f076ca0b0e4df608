import { DomainError } from "@/server/errors";
import { baseProcedure, middleware } from "./trpc";

export const publicProcedure = baseProcedure;

/** The one sign-in check: 401 without a session; narrows ctx.session for what follows. */
export const signedIn = middleware(({ ctx, next }) => {
  if (!ctx.session) throw new DomainError("UNAUTHENTICATED", "sign in first");
  return next({ ctx: { session: ctx.session } });
});

/** A signed-in user; 401 without a session. */
export const protectedProcedure = baseProcedure.use(signedIn);

/** An admin; 401 without a session, 403 for a shopper. */
/**
 * Reads of request events (stories, the dashboard, the audit): this instance's batched events are written
 * first, so what the reader sees includes the requests this instance has just answered. Another instance's
 * queue is at most EVENT_FLUSH_MS behind.
 */
export const eventsWritten = middleware(async ({ ctx, next }) => {
  await ctx.events.flush();
  return next();
});

export const adminProcedure = protectedProcedure
  .use(({ ctx, next }) => {
    if (!ctx.session.isAdmin) throw new DomainError("FORBIDDEN", "admins only");
    return next();
  })
  .use(eventsWritten);

/** Demo-only tools (fault injection, the unsafe baseline): without DEMO_FAULTS they answer like missing procedures. */
const demoOnly = middleware(({ ctx, next }) => {
  if (!ctx.faultsEnabled) throw new DomainError("NOT_FOUND", "no such procedure");
  return next();
});

export const demoProcedure = protectedProcedure.use(demoOnly);
export const demoAdminProcedure = adminProcedure.use(demoOnly);
