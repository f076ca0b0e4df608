-- AlterTable
ALTER TABLE "Order" ADD COLUMN     "unsafeBaseline" BOOLEAN NOT NULL DEFAULT false;
