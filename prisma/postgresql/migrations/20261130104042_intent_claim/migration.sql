-- AlterTable
ALTER TABLE "IdempotencyRecord" ADD COLUMN     "confirmedRepeat" BOOLEAN NOT NULL DEFAULT false,
ADD COLUMN     "intentClaim" TEXT;

-- AlterTable
ALTER TABLE "Order" ADD COLUMN     "confirmedRepeat" BOOLEAN NOT NULL DEFAULT false;

-- CreateIndex
CREATE UNIQUE INDEX "IdempotencyRecord_userId_intentClaim_key" ON "IdempotencyRecord"("userId", "intentClaim");
