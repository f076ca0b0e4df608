import { driverErrorOf } from "@/server/lib/driver-error";

/**
 * Errors worth a retry with the same key: the database was busy, locked, unreachable or cancelled a
 * statement on a timeout, or a serialization conflict. Anything else is a bug or a final answer.
 * The one place that classifies database failures; the API maps these to 503 TRANSIENT_FAILURE.
 */
const transientPrismaCodes = new Set([
  "P1001", // can't reach database server
  "P1002", // database server timed out
  "P1008", // operations timed out (SQLite past its busy timeout)
  "P1017", // server closed the connection
  "P2024", // timed out fetching a connection from the pool
  "P2028", // transaction API error (e.g. transaction timeout)
  "P2034", // write conflict or deadlock: retry the transaction
]);

/** The driver's own code, as the driver adapter reports it (see driverErrorOf). */
const transientDriverCodes = new Set([
  "SQLITE_BUSY",
  "SQLITE_BUSY_SNAPSHOT",
  "SQLITE_LOCKED",
  "40001", // PostgreSQL serialization_failure
  "40P01", // deadlock_detected
  "55P03", // lock_not_available (lock_timeout)
  "57014", // query_canceled (statement_timeout)
  "57P01", // admin_shutdown
  "53300", // too_many_connections
  "08000", // connection_exception
  "08003", // connection_does_not_exist
  "08006", // connection_failure
]);

const transientText =
  /SQLITE_BUSY|database is locked|deadlock detected|could not serialize|lock timeout|statement timeout|ECONNREFUSED|ECONNRESET|terminating connection|Connection terminated|too many clients|timeout exceeded when trying to connect/i;

export class TransientError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "TransientError";
  }
}

const driverCodeOf = (error: unknown): string => {
  const cause = driverErrorOf(error);
  return String(cause?.originalCode ?? cause?.code ?? "");
};

export function isTransient(error: unknown): boolean {
  if (error instanceof TransientError) return true;
  if (typeof error !== "object" || error === null) return false;
  if ("code" in error && transientPrismaCodes.has(String(error.code))) return true;
  if (transientDriverCodes.has(driverCodeOf(error))) return true;
  const message = error instanceof Error ? `${error.message} ${String(error.cause ?? "")}` : "";
  return transientText.test(message);
}
