import type { Db } from "@/server/db";

/** Time bucketing has no common SQL between the two databases; everything else in admin/ is shared SQL. */
export type Dialect = "sqlite" | "postgresql";
const dialects = new WeakMap<Db, Dialect>();

/**
 * Which database a client talks to. The clients are Proxies (instanceof does not hold), so this reads the
 * provider Prisma records on the client and, should that internal field ever go, asks the database once.
 */
export async function dialectOf(db: Db): Promise<Dialect> {
  const known = dialects.get(db);
  if (known) return known;
  const recorded: unknown = Reflect.get(db, "_activeProvider");
  let dialect: Dialect;
  if (recorded === "postgresql" || recorded === "sqlite") dialect = recorded;
  else {
    const rows = await db.$queryRaw<{ v: unknown }[]>`SELECT sqlite_version() AS v`.catch(() => null);
    dialect = rows ? "sqlite" : "postgresql";
  }
  dialects.set(db, dialect);
  return dialect;
}

/** Raw aggregates come back as number, bigint (PostgreSQL COUNT), string, or Decimal (PostgreSQL numeric). */
export const num = (value: unknown): number => {
  if (typeof value === "number") return value;
  if (typeof value === "bigint") return Number(value);
  if (typeof value === "string" && value.trim() !== "") return Number(value);
  if (typeof value === "object" && value !== null) return Number(String(value));
  return 0;
};

/** MAX("createdAt") loses its column type: a Date on PostgreSQL, ISO text on SQLite. */
export const toDate = (value: unknown): Date => {
  if (value instanceof Date) return value;
  if (typeof value === "number" || typeof value === "bigint") return new Date(Number(value));
  if (typeof value === "string") return new Date(/^\d+$/.test(value) ? Number(value) : value);
  return new Date(Number.NaN);
};
