import { dateOf } from "@/server/lib/sql";

/** Raw aggregates come back as number, bigint (PostgreSQL COUNT), string, or Decimal (PostgreSQL numeric). */
export const num = (value: unknown): number => {
  if (typeof value === "number") return value;
  if (typeof value === "bigint") return Number(value);
  if (typeof value === "string" && value.trim() !== "") return Number(value);
  if (typeof value === "object" && value !== null) return Number(String(value));
  return 0;
};

/** MAX("createdAt") loses its column type: a Date on PostgreSQL, ISO text on SQLite (an invalid date for NULL). */
export const toDate = (value: unknown): Date => dateOf(value) ?? new Date(Number.NaN);
