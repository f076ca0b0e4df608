/**
 * Errors worth a retry with the same key: the database was busy or unreachable, or a serialization
 * conflict. Anything else is a bug or a final answer.
 */
const transientCodes = new Set([
  "P1001", // can't reach database server
  "P1002", // database server timed out
  "P1008", // operations timed out
  "P1017", // server closed the connection
  "P2024", // timed out fetching a connection from the pool
  "P2028", // transaction API error (e.g. transaction timeout)
  "P2034", // write conflict or deadlock: retry the transaction
]);

const transientText =
  /SQLITE_BUSY|database is locked|deadlock detected|could not serialize|ECONNREFUSED|ECONNRESET|terminating connection|Connection terminated|too many clients|timeout exceeded when trying to connect/i;

export class TransientError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "TransientError";
  }
}

export function isTransient(error: unknown): boolean {
  if (error instanceof TransientError) return true;
  if (typeof error !== "object" || error === null) return false;
  const code = "code" in error ? String(error.code) : "";
  if (transientCodes.has(code)) return true;
  const message = error instanceof Error ? `${error.message} ${String(error.cause ?? "")}` : "";
  return transientText.test(message);
}

/** Prisma's unique-constraint violation (under driver adapters meta.target is absent: test the code). */
export const isUniqueViolation = (error: unknown): boolean =>
  typeof error === "object" && error !== null && "code" in error && error.code === "P2002";
