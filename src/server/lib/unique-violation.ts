import { z } from "zod";

/** Prisma's unique-constraint violation (under driver adapters meta.target is absent: test the code). */
export const isUniqueViolation = (error: unknown): boolean =>
  typeof error === "object" && error !== null && "code" in error && error.code === "P2002";

/** Where driver adapters put the violated constraint: SQLite names its columns, PostgreSQL its index. */
const uniqueViolationMeta = z.object({
  meta: z.object({
    driverAdapterError: z.object({
      cause: z.object({
        constraint: z.union([z.object({ fields: z.array(z.string()) }), z.object({ index: z.string() })]),
      }),
    }),
  }),
});

/**
 * Whether a unique violation is on a constraint that includes `column`. PostgreSQL reports the index name,
 * which Prisma builds as `Model_column1_column2_key`: the column is matched between model and suffix.
 */
export function violatesUniqueOn(error: unknown, column: string): boolean {
  if (!isUniqueViolation(error)) return false;
  const parsed = uniqueViolationMeta.safeParse(error);
  if (!parsed.success) return false;
  const { constraint } = parsed.data.meta.driverAdapterError.cause;
  return "fields" in constraint
    ? constraint.fields.includes(column)
    : constraint.index.split("_").slice(1, -1).includes(column);
}
