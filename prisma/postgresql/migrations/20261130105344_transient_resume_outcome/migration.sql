-- AlterEnum
ALTER TYPE "RequestOutcome" ADD VALUE 'RESUMED';
