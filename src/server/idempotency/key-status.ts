import type { Db } from "@/server/db";
import type { Json } from "./types";

/** What a client that lost track of its request learns about its key. */
export type KeyStatus =
  | { state: "unknown" }
  | { state: "in_progress"; recoveryPoint: string; leaseEndsAt: string | null }
  | { state: "final"; status: number; body: Json };

/**
 * Read-only: one lookup by the unique (userId, key), no write of any kind. Keys are scoped per user, so
 * another user's key is simply not found (the same answer as a made-up one). A key of another operation,
 * or a completed key past its TTL (the engine treats it as new), is unknown too.
 */
export async function keyStatus(db: Db, args: { userId: string; key: string; operation: string }): Promise<KeyStatus> {
  const found = await db.idempotencyRecord.findUnique({
    where: { userId_key: { userId: args.userId, key: args.key } },
    select: {
      operation: true,
      status: true,
      recoveryPoint: true,
      lockedUntil: true,
      responseStatus: true,
      responseJson: true,
      expiresAt: true,
    },
  });
  if (!found || found.operation !== args.operation) return { state: "unknown" };
  if (found.status === "IN_PROGRESS") {
    return {
      state: "in_progress",
      recoveryPoint: found.recoveryPoint,
      leaseEndsAt: found.lockedUntil?.toISOString() ?? null,
    };
  }
  if (found.expiresAt <= new Date()) return { state: "unknown" };
  return {
    state: "final",
    status: found.responseStatus ?? 200,
    body: JSON.parse(found.responseJson ?? "null") as Json,
  };
}
