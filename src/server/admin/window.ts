import { z } from "zod";

/** The dashboard's time windows; `all` has no lower bound. */
const statsWindows = { "5m": 5 * 60_000, "1h": 60 * 60_000, "1d": 24 * 60 * 60_000, all: null } as const;
export type StatsWindow = keyof typeof statsWindows;
export const windowSchema = z.enum(["5m", "1h", "1d", "all"]);

/** Lower bound of a window; `all` starts at the epoch so every query keeps one shape (and one plan). */
export const sinceOf = (window: StatsWindow, now: number = Date.now()): Date => {
  const span = statsWindows[window];
  return new Date(span === null ? 0 : now - span);
};

/** Outcomes the browser reports about itself: not requests the server saw. */
export const CLIENT_OUTCOMES = ["CLIENT_DEDUPED", "CLIENT_RETRY"] as const;

/** Calls of the deliberately unsafe demo procedure: no key, so not keyed requests. */
export const UNKEYED_OUTCOMES = ["UNSAFE_EXECUTED"] as const;
