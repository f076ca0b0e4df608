-- AlterTable (hand-written: SQLite adds a nullable column, or a NOT NULL one with a constant default, in place,
-- so the table rebuilds Prisma generates would only cost time on large IdempotencyRecord and Order tables)
ALTER TABLE "IdempotencyRecord" ADD COLUMN "intentClaim" TEXT;
ALTER TABLE "IdempotencyRecord" ADD COLUMN "confirmedRepeat" BOOLEAN NOT NULL DEFAULT false;
ALTER TABLE "Order" ADD COLUMN "confirmedRepeat" BOOLEAN NOT NULL DEFAULT false;

-- CreateIndex
CREATE UNIQUE INDEX "IdempotencyRecord_userId_intentClaim_key" ON "IdempotencyRecord"("userId", "intentClaim");
