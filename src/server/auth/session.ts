import { parse, serialize } from "cookie";
import { sealData, unsealData } from "iron-session";
import { z } from "zod";
import { env } from "@/env";

/** The session lives in a sealed (encrypted + signed by iron-session), HTTP-only cookie: no session table. */
const SESSION_COOKIE = "rsc_session";
const TTL_SECONDS = 7 * 24 * 60 * 60;

const sessionSchema = z.object({ userId: z.string().min(1), name: z.string().min(1), isAdmin: z.boolean() });
export type Session = z.infer<typeof sessionSchema>;

export async function readSession(cookieHeader: string | null): Promise<Session | null> {
  const sealed = cookieHeader ? parse(cookieHeader)[SESSION_COOKIE] : undefined;
  if (!sealed) return null;
  try {
    const data = await unsealData<unknown>(sealed, { password: env.SESSION_SECRET, ttl: TTL_SECONDS });
    const parsed = sessionSchema.safeParse(data);
    return parsed.success ? parsed.data : null;
  } catch {
    return null; // tampered or sealed with another secret: treated as no session
  }
}

const cookieOptions = (maxAge: number) =>
  ({ httpOnly: true, sameSite: "lax", path: "/", secure: env.cookieSecure, maxAge }) as const;

export async function sessionCookie(session: Session): Promise<string> {
  const sealed = await sealData(session, { password: env.SESSION_SECRET, ttl: TTL_SECONDS });
  return serialize(SESSION_COOKIE, sealed, cookieOptions(TTL_SECONDS - 60));
}

export const clearedSessionCookie = (): string => serialize(SESSION_COOKIE, "", cookieOptions(0));
