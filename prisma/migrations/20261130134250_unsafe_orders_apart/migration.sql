-- The unsafe demo baseline's orders move from the Order.unsafeBaseline column to a demo table of their own.

-- CreateTable
CREATE TABLE "UnsafeOrder" (
    "orderId" TEXT NOT NULL PRIMARY KEY,
    CONSTRAINT "UnsafeOrder_orderId_fkey" FOREIGN KEY ("orderId") REFERENCES "Order" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- Data: every order the baseline wrote so far.
INSERT INTO "UnsafeOrder" ("orderId") SELECT "id" FROM "Order" WHERE "unsafeBaseline";

-- AlterTable (hand-written: no index or constraint names the column, so SQLite drops it in place; the
-- table rebuild Prisma generates would copy the whole Order table)
ALTER TABLE "Order" DROP COLUMN "unsafeBaseline";
