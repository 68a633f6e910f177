import { router } from '../trpc.js';
import { backendRouter } from './backend.js';
import { batchRouter } from './batch.js';
import { costModelRouter } from './cost-model.js';
import { datasetRouter } from './dataset.js';
import { costRouter, instanceTypeRouter } from './instance-type.js';
import { jobRouter } from './job.js';
import { runRouter } from './run.js';
import { regressionRouter } from './regression.js';
import { scheduleRouter } from './schedule.js';
import { phaseRouter, workloadRouter } from './workload.js';

export const appRouter = router({
  dataset: datasetRouter,
  workload: workloadRouter,
  phase: phaseRouter,
  job: jobRouter,
  run: runRouter,
  costModel: costModelRouter,
  instanceType: instanceTypeRouter,
  cost: costRouter,
  schedule: scheduleRouter,
  regression: regressionRouter,
  batch: batchRouter,
  backend: backendRouter,
});

export type AppRouter = typeof appRouter;
