/** The one error type of the migration tool, and how the engine's thrown values become it. */
export class MigrationError extends Error {
  override name = "MigrationError";
}

export function toMigrationError(e: unknown): Error {
  if (e instanceof MigrationError) return e;
  if (e instanceof Error) {
    // Engine errors come as JSON-ish objects or messages; keep the message readable.
    return Object.assign(new MigrationError(e.message), { cause: e });
  }
  if (e && typeof e === "object") {
    const o = e as {
      message?: string;
      error_code?: string;
      errorCode?: string;
    };
    const code = o.error_code ?? o.errorCode;
    return Object.assign(new MigrationError(`${code ? `${code}: ` : ""}${o.message ?? JSON.stringify(e)}`), {
      cause: e,
    });
  }
  return new MigrationError(String(e));
}
