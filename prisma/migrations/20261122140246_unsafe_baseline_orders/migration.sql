-- AlterTable (hand-written: SQLite adds a NOT NULL column with a constant default in place, so the
-- table rebuild Prisma generates would only cost time on a large Order table)
ALTER TABLE "Order" ADD COLUMN "unsafeBaseline" BOOLEAN NOT NULL DEFAULT false;
