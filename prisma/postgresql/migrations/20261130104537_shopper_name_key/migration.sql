-- DropIndex
DROP INDEX "User_name_key";

-- AlterTable
ALTER TABLE "User" ADD COLUMN     "nameKey" TEXT;

-- Backfill: existing shoppers get their case-folded name as key. Where names already clashed in case
-- ("alice", "Alice"), the oldest keeps the name and the later ones keep their orders with no key (no longer
-- reachable by signing in). lower() here folds what the app folds for the names the old rules allowed in
-- ASCII. A non-ASCII legacy name whose key differs signs in as a new shopper.
UPDATE "User" SET "nameKey" = lower("name")
WHERE NOT EXISTS (
  SELECT 1 FROM "User" AS "older"
  WHERE lower("older"."name") = lower("User"."name")
    AND ("older"."createdAt" < "User"."createdAt"
      OR ("older"."createdAt" = "User"."createdAt" AND "older"."id" < "User"."id"))
);

-- CreateIndex
CREATE UNIQUE INDEX "User_nameKey_key" ON "User"("nameKey");
