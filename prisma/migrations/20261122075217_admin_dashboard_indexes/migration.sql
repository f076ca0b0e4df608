-- CreateIndex
CREATE INDEX "RequestEvent_createdAt_outcome_userId_key_idx" ON "RequestEvent"("createdAt", "outcome", "userId", "key");

-- CreateIndex
CREATE INDEX "RequestEvent_outcome_createdAt_amountCents_idx" ON "RequestEvent"("outcome", "createdAt", "amountCents");

-- CreateIndex
CREATE INDEX "RequestEvent_outcome_latencyMs_createdAt_idx" ON "RequestEvent"("outcome", "latencyMs", "createdAt");
