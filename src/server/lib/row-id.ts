import { randomBytes } from "node:crypto";

let counter = 0;
const fingerprint = (process.pid % 36 ** 4).toString(36).padStart(4, "0");

/**
 * The id of a row the SQL path inserts, in the shape of Prisma's `@default(cuid())` (cuid v1): "c", the time
 * in ms, a per-process counter, a process fingerprint and random characters, all base 36. Rows made by either
 * path sort by when they were made, so `ORDER BY "createdAt", "id"` (an intent's story, its final outcome)
 * breaks a tie within one millisecond by creation, as it did when Prisma made every id. Not a secret: ids
 * are looked up with their owner (a shopper's order by user and id).
 */
export function rowId(): string {
  counter = (counter + 1) % 36 ** 4;
  const random = BigInt(`0x${randomBytes(6).toString("hex")}`)
    .toString(36)
    .padStart(8, "0")
    .slice(-8);
  return `c${Date.now().toString(36)}${counter.toString(36).padStart(4, "0")}${fingerprint}${random}`;
}
