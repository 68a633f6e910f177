/**
 * Cloud cost of a job: billed time × hourly prices of the nodes it holds. A scenario prices one job
 * run on a schedule (runs per month) for several deployment options, each with its own start-up
 * overhead (seed 002: ~6 minutes to create an EMR cluster for a ~4-minute job) and the billing rule
 * (increment and minimum: per second with a 60 s minimum is EC2's rule today; 3600 s reproduces the
 * seed's "assume one hour of use" table).
 */

export interface PricedNode {
  /** Label of the line, e.g. "EMR m5.xlarge (master)". */
  label: string;
  instanceType: string;
  count: number;
  pricePerHour: number;
}

export interface OptionInput {
  label: string;
  nodes: PricedNode[];
  /** Seconds the job itself runs (from stored runs or entered). */
  jobSeconds: number;
  /** Seconds billed before the job can start (cluster creation, provisioning). */
  startupSeconds: number;
}

export interface Billing {
  incrementSeconds: number;
  minimumSeconds: number;
}

export const PER_SECOND_BILLING: Billing = { incrementSeconds: 1, minimumSeconds: 60 };
/** Months are 365/12 days: 30.4167 daily runs a month, as in seed 002's table. */
export const DAILY_RUNS_PER_MONTH = 365 / 12;

export interface CostLine {
  label: string;
  instanceType: string;
  count: number;
  pricePerHour: number;
  perRun: number;
  /** Per month, rounded to cents as a bill shows it. */
  monthly: number;
}

export interface OptionCost {
  label: string;
  jobSeconds: number;
  startupSeconds: number;
  wallSeconds: number;
  billedSeconds: number;
  lines: CostLine[];
  perRun: number;
  /** Sum of the rounded lines (what a table of rounded lines adds up to). */
  monthly: number;
  /** Unrounded monthly cost. */
  monthlyExact: number;
  /** Saving against the first option, in percent of its monthly cost (first option: 0). */
  savingPct: number;
}

const cents = (x: number) => Math.round(x * 100 + Number.EPSILON * 100) / 100;

export function billedSeconds(wallSeconds: number, billing: Billing): number {
  const stepped = Math.ceil(wallSeconds / billing.incrementSeconds - 1e-9) * billing.incrementSeconds;
  return Math.max(billing.minimumSeconds, stepped);
}

/** Cost of one run: seconds × hourly price. */
export const runCost = (seconds: number, pricePerHour: number, count = 1): number => (seconds / 3600) * pricePerHour * count;

export function priceScenario(options: readonly OptionInput[], runsPerMonth: number, billing: Billing): OptionCost[] {
  const priced = options.map((o) => {
    const wallSeconds = o.startupSeconds + o.jobSeconds;
    const billed = billedSeconds(wallSeconds, billing);
    const lines = o.nodes.map((n) => {
      const perRun = runCost(billed, n.pricePerHour, n.count);
      return { label: n.label, instanceType: n.instanceType, count: n.count, pricePerHour: n.pricePerHour, perRun, monthly: cents(perRun * runsPerMonth) };
    });
    const perRun = lines.reduce((s, l) => s + l.perRun, 0);
    return {
      label: o.label,
      jobSeconds: o.jobSeconds,
      startupSeconds: o.startupSeconds,
      wallSeconds,
      billedSeconds: billed,
      lines,
      perRun,
      monthly: cents(lines.reduce((s, l) => s + l.monthly, 0)),
      monthlyExact: perRun * runsPerMonth,
      savingPct: 0,
    };
  });
  const first = priced[0]?.monthly ?? 0;
  for (const p of priced) p.savingPct = first > 0 ? Math.round(((first - p.monthly) / first) * 10000) / 100 : 0;
  return priced;
}
