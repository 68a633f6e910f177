-- AlterTable
ALTER TABLE "cost_models" ADD COLUMN     "backend" "Backend",
ADD COLUMN     "measure" TEXT,
ADD COLUMN     "phase_id" UUID,
ADD COLUMN     "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
ADD COLUMN     "workload_id" UUID;

-- AlterTable
ALTER TABLE "instance_types" ADD COLUMN     "region" TEXT NOT NULL DEFAULT 'us-east-1',
ADD COLUMN     "service" TEXT NOT NULL DEFAULT 'ec2',
ADD COLUMN     "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP;

-- AlterTable
ALTER TABLE "schedules" ADD COLUMN     "last_slot_at" TIMESTAMPTZ(3),
ADD COLUMN     "name" TEXT NOT NULL DEFAULT '',
ADD COLUMN     "rule" JSONB NOT NULL DEFAULT '{}',
ADD COLUMN     "runs_per_firing" INTEGER NOT NULL DEFAULT 3,
ADD COLUMN     "timezone" TEXT NOT NULL DEFAULT 'UTC';

-- AlterTable
ALTER TABLE "regressions" ADD COLUMN     "acknowledged_note" TEXT,
ADD COLUMN     "baseline_median" DOUBLE PRECISION NOT NULL DEFAULT 0,
ADD COLUMN     "baseline_run_ids" UUID[] DEFAULT ARRAY[]::UUID[],
ADD COLUMN     "batch_id" UUID,
ADD COLUMN     "change_pct" DOUBLE PRECISION NOT NULL DEFAULT 0,
ADD COLUMN     "contender_median" DOUBLE PRECISION NOT NULL DEFAULT 0,
ADD COLUMN     "contender_run_ids" UUID[] DEFAULT ARRAY[]::UUID[],
ADD COLUMN     "p_value" DOUBLE PRECISION,
ADD COLUMN     "rule" JSONB NOT NULL DEFAULT '{}',
ADD COLUMN     "severity" TEXT NOT NULL DEFAULT 'minor';

-- CreateTable
CREATE TABLE "cost_predictions" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "cost_model_id" UUID NOT NULL,
    "rows_scale" BIGINT NOT NULL,
    "predicted" DOUBLE PRECISION NOT NULL,
    "lower" DOUBLE PRECISION NOT NULL,
    "upper" DOUBLE PRECISION NOT NULL,
    "level" DOUBLE PRECISION NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "cost_predictions_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "benchmark_batches" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "workspace_id" UUID NOT NULL,
    "workload_id" UUID NOT NULL,
    "schedule_id" UUID,
    "backend" "Backend" NOT NULL,
    "rows_scale" BIGINT NOT NULL,
    "repetitions" INTEGER NOT NULL,
    "source" TEXT NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'running',
    "job_ids" UUID[] DEFAULT ARRAY[]::UUID[],
    "params" JSONB NOT NULL DEFAULT '{}',
    "error" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "finished_at" TIMESTAMPTZ(3),

    CONSTRAINT "benchmark_batches_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "benchmark_batch_runs" (
    "batch_id" UUID NOT NULL,
    "run_id" UUID NOT NULL,
    "repetition" INTEGER NOT NULL,

    CONSTRAINT "benchmark_batch_runs_pkey" PRIMARY KEY ("batch_id","run_id")
);

-- CreateIndex
CREATE INDEX "cost_predictions_cost_model_id_idx" ON "cost_predictions"("cost_model_id");

-- CreateIndex
CREATE INDEX "benchmark_batches_workspace_id_created_at_idx" ON "benchmark_batches"("workspace_id", "created_at" DESC);

-- CreateIndex
CREATE INDEX "benchmark_batches_status_idx" ON "benchmark_batches"("status");

-- CreateIndex
CREATE INDEX "benchmark_batch_runs_run_id_idx" ON "benchmark_batch_runs"("run_id");

-- AddForeignKey
ALTER TABLE "regressions" ADD CONSTRAINT "regressions_batch_id_fkey" FOREIGN KEY ("batch_id") REFERENCES "benchmark_batches"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "cost_predictions" ADD CONSTRAINT "cost_predictions_cost_model_id_fkey" FOREIGN KEY ("cost_model_id") REFERENCES "cost_models"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "benchmark_batches" ADD CONSTRAINT "benchmark_batches_workspace_id_fkey" FOREIGN KEY ("workspace_id") REFERENCES "workspaces"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "benchmark_batches" ADD CONSTRAINT "benchmark_batches_workload_id_fkey" FOREIGN KEY ("workload_id") REFERENCES "workloads"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "benchmark_batches" ADD CONSTRAINT "benchmark_batches_schedule_id_fkey" FOREIGN KEY ("schedule_id") REFERENCES "schedules"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "benchmark_batch_runs" ADD CONSTRAINT "benchmark_batch_runs_batch_id_fkey" FOREIGN KEY ("batch_id") REFERENCES "benchmark_batches"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "benchmark_batch_runs" ADD CONSTRAINT "benchmark_batch_runs_run_id_fkey" FOREIGN KEY ("run_id") REFERENCES "runs"("id") ON DELETE CASCADE ON UPDATE CASCADE;


-- Seed: the instance catalog as data (editable through instanceType.update). On-demand Linux list
-- prices as AWS publishes them, entered 2026-11-23 from the published lists without network access
-- here: check against the source before relying on them. The ap-northeast-2 (Seoul) rows are the
-- prices seed 002's monthly table implies ($7.18 = 0.236 $/h × 365/12 h, …); EMR rows are the EMR
-- charge billed on top of the EC2 price.
INSERT INTO "instance_types" ("name", "provider", "region", "service", "vcpu", "memory_gib", "gpu", "price_per_hour", "source", "source_date") VALUES
  ('m5.large',   'aws', 'us-east-1', 'ec2', 2,  8, NULL, 0.0960, 'https://aws.amazon.com/ec2/pricing/on-demand/ (us-east-1, Linux, on-demand)', '2026-11-23'),
  ('m5.xlarge',  'aws', 'us-east-1', 'ec2', 4, 16, NULL, 0.1920, 'https://aws.amazon.com/ec2/pricing/on-demand/ (us-east-1, Linux, on-demand)', '2026-11-23'),
  ('m5.2xlarge', 'aws', 'us-east-1', 'ec2', 8, 32, NULL, 0.3840, 'https://aws.amazon.com/ec2/pricing/on-demand/ (us-east-1, Linux, on-demand)', '2026-11-23'),
  ('m5.4xlarge', 'aws', 'us-east-1', 'ec2', 16, 64, NULL, 0.7680, 'https://aws.amazon.com/ec2/pricing/on-demand/ (us-east-1, Linux, on-demand)', '2026-11-23'),
  ('r5.large',   'aws', 'us-east-1', 'ec2', 2, 16, NULL, 0.1260, 'https://aws.amazon.com/ec2/pricing/on-demand/ (us-east-1, Linux, on-demand)', '2026-11-23'),
  ('r5.xlarge',  'aws', 'us-east-1', 'ec2', 4, 32, NULL, 0.2520, 'https://aws.amazon.com/ec2/pricing/on-demand/ (us-east-1, Linux, on-demand)', '2026-11-23'),
  ('r5.2xlarge', 'aws', 'us-east-1', 'ec2', 8, 64, NULL, 0.5040, 'https://aws.amazon.com/ec2/pricing/on-demand/ (us-east-1, Linux, on-demand)', '2026-11-23'),
  ('c5.large',   'aws', 'us-east-1', 'ec2', 2,  4, NULL, 0.0850, 'https://aws.amazon.com/ec2/pricing/on-demand/ (us-east-1, Linux, on-demand)', '2026-11-23'),
  ('c5.xlarge',  'aws', 'us-east-1', 'ec2', 4,  8, NULL, 0.1700, 'https://aws.amazon.com/ec2/pricing/on-demand/ (us-east-1, Linux, on-demand)', '2026-11-23'),
  ('c5.2xlarge', 'aws', 'us-east-1', 'ec2', 8, 16, NULL, 0.3400, 'https://aws.amazon.com/ec2/pricing/on-demand/ (us-east-1, Linux, on-demand)', '2026-11-23'),
  ('m6g.xlarge', 'aws', 'us-east-1', 'ec2', 4, 16, NULL, 0.1540, 'https://aws.amazon.com/ec2/pricing/on-demand/ (us-east-1, Linux, on-demand)', '2026-11-23'),
  ('g4dn.xlarge','aws', 'us-east-1', 'ec2', 4, 16, 'NVIDIA T4 16 GB', 0.5260, 'https://aws.amazon.com/ec2/pricing/on-demand/ (us-east-1, Linux, on-demand)', '2026-11-23'),
  ('g6e.xlarge', 'aws', 'us-east-1', 'ec2', 4, 32, 'NVIDIA L40S 48 GB', 1.8610, 'https://aws.amazon.com/ec2/pricing/on-demand/ (us-east-1, Linux, on-demand)', '2026-11-23'),
  ('emr:m5.xlarge',  'aws', 'us-east-1', 'emr', 4, 16, NULL, 0.0480, 'https://aws.amazon.com/emr/pricing/ (EMR on EC2 charge, us-east-1)', '2026-11-23'),
  ('emr:r5.xlarge',  'aws', 'us-east-1', 'emr', 4, 32, NULL, 0.0630, 'https://aws.amazon.com/emr/pricing/ (EMR on EC2 charge, us-east-1)', '2026-11-23'),
  ('emr:m5.2xlarge', 'aws', 'us-east-1', 'emr', 8, 32, NULL, 0.0960, 'https://aws.amazon.com/emr/pricing/ (EMR on EC2 charge, us-east-1)', '2026-11-23'),
  ('m5.xlarge@ap-northeast-2',  'aws', 'ap-northeast-2', 'ec2', 4, 16, NULL, 0.2360, 'https://aws.amazon.com/ec2/pricing/on-demand/ (ap-northeast-2, Linux, on-demand); as implied by seed 002', '2026-11-23'),
  ('r5.xlarge@ap-northeast-2',  'aws', 'ap-northeast-2', 'ec2', 4, 32, NULL, 0.3040, 'https://aws.amazon.com/ec2/pricing/on-demand/ (ap-northeast-2, Linux, on-demand); as implied by seed 002', '2026-11-23'),
  ('m6g.xlarge@ap-northeast-2', 'aws', 'ap-northeast-2', 'ec2', 4, 16, NULL, 0.1880, 'https://aws.amazon.com/ec2/pricing/on-demand/ (ap-northeast-2, Linux, on-demand); as implied by seed 002', '2026-11-23'),
  ('emr:m5.xlarge@ap-northeast-2', 'aws', 'ap-northeast-2', 'emr', 4, 16, NULL, 0.0480, 'https://aws.amazon.com/emr/pricing/ (EMR on EC2 charge, ap-northeast-2); as implied by seed 002', '2026-11-23'),
  ('emr:r5.xlarge@ap-northeast-2', 'aws', 'ap-northeast-2', 'emr', 4, 32, NULL, 0.0630, 'https://aws.amazon.com/emr/pricing/ (EMR on EC2 charge, ap-northeast-2); as implied by seed 002', '2026-11-23')
ON CONFLICT ("name") DO NOTHING;
