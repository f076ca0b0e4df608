import { createHash, timingSafeEqual } from "node:crypto";
import { z } from "zod";
import type { Session } from "@/server/auth/session";
import type { Db } from "@/server/db";
import { DomainError } from "@/server/errors";
import { isUniqueViolation } from "@/server/idempotency/transient";

export const signInInput = z.strictObject({
  name: z
    .string()
    .trim()
    .min(1, "name is required")
    .max(40, "name is at most 40 characters")
    .regex(/^[\p{L}\p{N} ._-]+$/u, "name may contain letters, digits, spaces, dot, dash and underscore"),
  adminPassword: z.string().min(1).max(200).optional(),
});

const digest = (s: string): Buffer => createHash("sha256").update(s).digest();

/** Constant time for every length: equal-size digests are compared, so neither content nor length leaks. */
export const samePassword = (given: string, expected: string): boolean =>
  timingSafeEqual(digest(given), digest(expected));

/** Demo sign-in: a shopper picks a name; the right admin password makes the session an admin. */
export async function signIn(db: Db, adminPassword: string, input: z.infer<typeof signInInput>): Promise<Session> {
  const isAdmin = input.adminPassword !== undefined;
  if (isAdmin && !samePassword(input.adminPassword ?? "", adminPassword)) {
    throw new DomainError("FORBIDDEN", "wrong admin password");
  }
  const upsert = () =>
    db.user.upsert({
      where: { name: input.name },
      create: { name: input.name, isAdmin },
      update: isAdmin ? { isAdmin: true } : {},
      select: { id: true, name: true },
    });
  let user: { id: string; name: string };
  try {
    user = await upsert();
  } catch (error) {
    // Race: two first sign-ins with the same new name; User.name is unique, so the loser just reads the winner.
    if (!isUniqueViolation(error)) throw error;
    user = await upsert();
  }
  return { userId: user.id, name: user.name, isAdmin };
}
