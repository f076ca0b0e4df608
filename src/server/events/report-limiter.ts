import { LRUCache } from "lru-cache";
import { DomainError } from "@/server/errors";

type Window = { count: number; endsAt: number };

export type RateLimiter = { hit(key: string, now?: number): void };

/**
 * A fixed-window limit per key, held in this process. Memory is bounded by `maxKeys` (least recently
 * seen keys are dropped first, which at worst gives an evicted key a fresh window), so a flood of new
 * sessions cannot grow it. Each instance counts on its own: across N instances a session gets at most
 * N times the limit, which still bounds the rows it can write.
 */
export function createRateLimiter(options: { limit: number; windowMs: number; maxKeys: number }): RateLimiter {
  const windows = new LRUCache<string, Window>({ max: options.maxKeys });
  return {
    hit(key, now = Date.now()) {
      const current = windows.get(key);
      if (!current || current.endsAt <= now) {
        windows.set(key, { count: 1, endsAt: now + options.windowMs });
        return;
      }
      if (current.count >= options.limit) {
        throw new DomainError("RATE_LIMITED", `at most ${options.limit} client reports per minute; try again later`, {
          retryAfterMs: current.endsAt - now,
        });
      }
      current.count++;
    },
  };
}
