-- The unsafe demo baseline's orders move from the Order.unsafeBaseline column to a demo table of their own.

-- CreateTable
CREATE TABLE "UnsafeOrder" (
    "orderId" TEXT NOT NULL,

    CONSTRAINT "UnsafeOrder_pkey" PRIMARY KEY ("orderId")
);

-- AddForeignKey
ALTER TABLE "UnsafeOrder" ADD CONSTRAINT "UnsafeOrder_orderId_fkey" FOREIGN KEY ("orderId") REFERENCES "Order"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- Data: every order the baseline wrote so far.
INSERT INTO "UnsafeOrder" ("orderId") SELECT "id" FROM "Order" WHERE "unsafeBaseline";

-- AlterTable
ALTER TABLE "Order" DROP COLUMN "unsafeBaseline";
