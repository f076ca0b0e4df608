-- AlterTable
ALTER TABLE "ProviderCharge" ADD COLUMN     "repeatsAnswered" INTEGER NOT NULL DEFAULT 0;
