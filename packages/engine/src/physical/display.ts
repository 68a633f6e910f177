import type { PhysicalOperator } from './operator.js';
import type { MetricsJson } from './metrics.js';

/** An operator tree as data, for the dashboard and EXPLAIN (FORMAT JSON). */
export interface PhysicalPlanJson {
  name: string;
  description: string;
  metrics: MetricsJson;
  children: PhysicalPlanJson[];
}

function formatMemory(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KiB`;
  if (n < 1024 * 1024 * 1024) return `${(n / 1024 / 1024).toFixed(1)} MiB`;
  return `${(n / 1024 / 1024 / 1024).toFixed(2)} GiB`;
}

function formatMs(ms: number): string {
  if (ms < 1) return `${Math.round(ms * 1000)}µs`;
  if (ms < 1000) return `${ms.toFixed(2)}ms`;
  return `${(ms / 1000).toFixed(2)}s`;
}

const snake = (k: string): string => k.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);

function formatExtra(key: string, value: number | string): string {
  if (typeof value === 'number' && /bytes/i.test(key)) return `${snake(key)}=${formatMemory(value)}`;
  return `${snake(key)}=${value}`;
}

/** `output_rows=…, output_batches=…, elapsed_compute=…, peak_mem=…, …extra`. */
export function formatMetrics(op: PhysicalOperator): string {
  const m = op.metrics;
  const parts = [
    `output_rows=${m.outputRows}`,
    `output_batches=${m.outputBatches}`,
    `elapsed_compute=${formatMs(m.elapsedComputeMs)}`,
    `peak_mem=${formatMemory(m.peakMemoryBytes)}`,
  ];
  for (const [k, v] of Object.entries(m.extra)) parts.push(formatExtra(k, v));
  return parts.join(', ');
}

/**
 * DataFusion-style indented plan, one operator per line: `Name: details`; with `analyze`,
 * each line ends with `, metrics=[…]`.
 */
export function formatPhysicalPlan(op: PhysicalOperator, options: { analyze: boolean } = { analyze: false }): string {
  const lines: string[] = [];
  const walk = (o: PhysicalOperator, depth: number): void => {
    const desc = o.describe();
    let line = `${'  '.repeat(depth)}${o.name}${desc ? `: ${desc}` : ''}`;
    if (options.analyze) line += `${desc ? ', ' : ': '}metrics=[${formatMetrics(o)}]`;
    lines.push(line);
    for (const c of o.children) walk(c, depth + 1);
  };
  walk(op, 0);
  return lines.join('\n');
}

export function physicalPlanToJson(op: PhysicalOperator): PhysicalPlanJson {
  return {
    name: op.name,
    description: op.describe(),
    metrics: op.metrics.toJSON(),
    children: op.children.map(physicalPlanToJson),
  };
}
