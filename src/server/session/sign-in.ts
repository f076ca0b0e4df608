import { createHash, timingSafeEqual } from "node:crypto";
import { z } from "zod";
import type { Session } from "@/server/auth/session";
import type { Db } from "@/server/db";
import { DomainError } from "@/server/errors";
import { nameKey, shopperName } from "./shopper-name";

export const signInInput = z.strictObject({
  name: shopperName,
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
  const key = nameKey(input.name);
  // Race: two first sign-ins as "alice" and "Alice". User.nameKey is unique and, with a non-empty update,
  // Prisma sends one INSERT ... ON CONFLICT ("nameKey") DO UPDATE: both land on the one shopper.
  const user = await db.user.upsert({
    where: { nameKey: key },
    create: { name: input.name, nameKey: key, isAdmin },
    update: isAdmin ? { isAdmin: true } : { nameKey: key },
    select: { id: true, name: true },
  });
  return { userId: user.id, name: user.name, isAdmin };
}
