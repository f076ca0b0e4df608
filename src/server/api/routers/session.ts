import { clearedSessionCookie, sessionCookie } from "@/server/auth/session";
import { signIn, signInInput } from "@/server/session/sign-in";
import { protectedProcedure, publicProcedure } from "../procedures";
import { router } from "../trpc";

export const sessionRouter = router({
  signIn: publicProcedure.input(signInInput).mutation(async ({ ctx, input }) => {
    const session = await signIn(ctx.db, ctx.adminPassword, input);
    ctx.resHeaders.append("Set-Cookie", await sessionCookie(session));
    return session;
  }),
  me: publicProcedure.query(({ ctx }) => ctx.session),
  signOut: protectedProcedure.mutation(({ ctx }) => {
    ctx.resHeaders.append("Set-Cookie", clearedSessionCookie());
    return { signedOut: true };
  }),
});
