import { z } from "zod";
import { driverErrorOf } from "./driver-error";

/**
 * A unique-constraint violation: Prisma's P2002 (under driver adapters meta.target is absent: test the code),
 * or the driver adapter's own error from the SQL path.
 */
export const isUniqueViolation = (error: unknown): boolean =>
  (typeof error === "object" && error !== null && "code" in error && error.code === "P2002") ||
  driverErrorOf(error)?.kind === "UniqueConstraintViolation";

/** Where driver adapters put the violated constraint: SQLite names its columns, PostgreSQL its index. */
const uniqueViolation = z.object({
  constraint: z.union([z.object({ fields: z.array(z.string()) }), z.object({ index: z.string() })]),
});

/**
 * Whether a unique violation is on a constraint that includes `column`. PostgreSQL reports the index name,
 * which Prisma builds as `Model_column1_column2_key`: the column is matched between model and suffix.
 */
export function violatesUniqueOn(error: unknown, column: string): boolean {
  if (!isUniqueViolation(error)) return false;
  const parsed = uniqueViolation.safeParse(driverErrorOf(error));
  if (!parsed.success) return false;
  const { constraint } = parsed.data;
  return "fields" in constraint
    ? constraint.fields.includes(column)
    : constraint.index.split("_").slice(1, -1).includes(column);
}
