const field = (value: unknown, name: string): unknown =>
  typeof value === "object" && value !== null && name in value ? (value as Record<string, unknown>)[name] : undefined;

/**
 * The driver adapter's description of a failed statement ({ kind, originalCode, constraint, ... }), whichever
 * path sent it: thrown as it is on the SQL path (a DriverAdapterError, the description as its cause), or
 * wrapped by Prisma's client in meta.driverAdapterError. Null for any other error.
 */
export function driverErrorOf(error: unknown): Record<string, unknown> | null {
  const cause =
    field(error, "name") === "DriverAdapterError"
      ? field(error, "cause")
      : field(field(field(error, "meta"), "driverAdapterError"), "cause");
  return typeof cause === "object" && cause !== null ? (cause as Record<string, unknown>) : null;
}
