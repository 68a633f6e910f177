import { router } from '../trpc.js';
import { datasetRouter } from './dataset.js';
import { jobRouter } from './job.js';
import { runRouter } from './run.js';
import { phaseRouter, workloadRouter } from './workload.js';

export const appRouter = router({
  dataset: datasetRouter,
  workload: workloadRouter,
  phase: phaseRouter,
  job: jobRouter,
  run: runRouter,
});

export type AppRouter = typeof appRouter;
