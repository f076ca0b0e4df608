import { parse, serialize } from "cookie";
import { sealData, unsealData } from "iron-session";
import { LRUCache } from "lru-cache";
import { z } from "zod";
import { env } from "@/env";

/** The session lives in a sealed (encrypted + signed by iron-session), HTTP-only cookie: no session table. */
const SESSION_COOKIE = "rsc_session";
const TTL_SECONDS = 7 * 24 * 60 * 60;

const sessionSchema = z.object({ userId: z.string().min(1), name: z.string().min(1), isAdmin: z.boolean() });
export type Session = z.infer<typeof sessionSchema>;

/** How many opened seals a process keeps (each well under 1 kB). */
const OPENED_SEALS_MAX = 10_000;

/**
 * Seals already opened, by their exact text: unsealing derives keys with PBKDF2 on every request, 4 to 11% of
 * a request's CPU (docs/benchmarks.md). Only a seal that opened is kept, and only until its own expiry: the
 * text is authenticated, so a cookie served from here is one that would open now. Sessions are stateless
 * (no table to revoke from), so keeping an opened seal changes nothing about what is accepted.
 */
const opened = new LRUCache<string, { session: Session; expiresAt: number }>({ max: OPENED_SEALS_MAX });

/** The expiry iron wrote into the seal (ms since the epoch, covered by its MAC), or null if there is none. */
function expiryOf(sealed: string): number | null {
  const expiration = sealed.split("~")[0]?.split("*")[5];
  return expiration && /^\d+$/.test(expiration) ? Number(expiration) : null;
}

export async function readSession(cookieHeader: string | null): Promise<Session | null> {
  const sealed = cookieHeader ? parse(cookieHeader)[SESSION_COOKIE] : undefined;
  if (!sealed) return null;
  const known = opened.get(sealed);
  if (known) {
    if (known.expiresAt > Date.now()) return known.session;
    opened.delete(sealed);
  }
  try {
    const data = await unsealData<unknown>(sealed, { password: env.SESSION_SECRET, ttl: TTL_SECONDS });
    const parsed = sessionSchema.safeParse(data);
    if (!parsed.success) return null;
    const expiresAt = expiryOf(sealed);
    if (expiresAt !== null) opened.set(sealed, { session: parsed.data, expiresAt });
    return parsed.data;
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
