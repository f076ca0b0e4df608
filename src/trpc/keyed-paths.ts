import { OPERATIONS } from "@/shared/names";

/** Mutations that carry an idempotency key travel unbatched, so each call has its own headers and status. */
export const keyedPaths: ReadonlySet<string> = new Set(Object.values(OPERATIONS));
