-- AlterTable (in place: a table redefinition would drop columns added by other migrations of the same day)
ALTER TABLE "IdempotencyRecord" ADD COLUMN "failures" INTEGER NOT NULL DEFAULT 0;

-- CreateIndex
CREATE INDEX "Job_state_updatedAt_idx" ON "Job"("state", "updatedAt");

-- CreateIndex
CREATE INDEX "ModelCall_createdAt_idx" ON "ModelCall"("createdAt");

-- CreateIndex
CREATE INDEX "ProcessedJob_createdAt_idx" ON "ProcessedJob"("createdAt");

-- CreateIndex
CREATE INDEX "ProviderCharge_createdAt_idx" ON "ProviderCharge"("createdAt");

-- CreateIndex
CREATE INDEX "SentEmail_createdAt_idx" ON "SentEmail"("createdAt");
