-- AlterEnum
-- This migration adds more than one value to an enum.
-- With PostgreSQL versions 11 and earlier, this is not possible
-- in a single migration. This can be worked around by creating
-- multiple migrations, each migration adding only one value to
-- the enum.


ALTER TYPE "Backend" ADD VALUE 'duckdb';
ALTER TYPE "Backend" ADD VALUE 'polars';

-- AlterTable
ALTER TABLE "datasets" ADD COLUMN     "error" TEXT,
ADD COLUMN     "finished_at" TIMESTAMPTZ(3),
ADD COLUMN     "progress" JSONB,
ADD COLUMN     "queue_job_id" TEXT,
ADD COLUMN     "started_at" TIMESTAMPTZ(3),
ADD COLUMN     "worker_id" UUID;

-- AlterTable
ALTER TABLE "runs" ADD COLUMN     "dataset_key" TEXT,
ADD COLUMN     "labels" JSONB NOT NULL DEFAULT '{}',
ADD COLUMN     "source" TEXT NOT NULL DEFAULT 'job';


-- Runs recorded before this migration without a job came from `npm run regress`.
UPDATE "runs" SET "source" = 'cli' WHERE "job_id" IS NULL;
