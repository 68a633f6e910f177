/**
 * Reads `EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON)` output: which plan nodes ran on the GPU, what
 * PG-Strom printed inside them, and whether it fell back to the CPU.
 *
 * PG-Strom's GPU nodes are Custom Scans: `"Node Type": "Custom Scan"` with `"Custom Plan Provider":
 * "GpuScan" | "GpuJoin" | "GpuPreAgg"` (`"Parallel Aware": true` under a Gather). There is no GpuSort
 * node: GPU sorting shows as `GPU-Sort keys` / `GPU-Sort Limit` / `Window-Rank Filter` entries inside
 * those nodes. PG-Strom's EXPLAIN labels appear as JSON keys unchanged (ExplainPropertyText), e.g.
 * `"Scan-Engine"`, `"GPU Projection"`, `"Fallback-stats"` (v5 printed `"GPU-Direct SQL"`).
 */

export type Device = 'GPU' | 'CPU';

/** Custom Plan Providers that execute on the GPU. */
export const GPU_PROVIDERS = new Set(['GpuScan', 'GpuJoin', 'GpuPreAgg']);

/** One plan node, flattened (pre-order; index 0 is the root). */
export interface PlanNode {
  index: number;
  /** Child positions from the root: "0", "0.1", "0.1.0". */
  path: string;
  parentIndex: number | null;
  depth: number;
  nodeType: string;
  /** As EXPLAIN's text format names it: `Custom Scan (GpuPreAgg)`, `Partial HashAggregate`, `Parallel Seq Scan`. */
  label: string;
  provider: string | null;
  device: Device;
  relation: string | null;
  /** Short details: the relation, keys, join condition, filter. */
  description: string;
  actualRows: number | null;
  loops: number | null;
  /** Inclusive time of the node over all loops (ms), as EXPLAIN ANALYZE measured it. */
  totalTimeMs: number | null;
  /** Time of the node itself: inclusive minus its children's inclusive (never below 0). */
  selfTimeMs: number | null;
  /** PostgreSQL's own memory figures (Sort Space Used, Peak Memory Usage), in kB. */
  memoryKb: number | null;
  sharedHitBlocks: number | null;
  sharedReadBlocks: number | null;
  /** Every PG-Strom label inside the node (GPU Projection, Scan-Engine, GPU Group Key, …). */
  pgStrom: Record<string, string>;
  /** GPU-Sort keys / GPU-Sort Limit / Window-Rank Filter entries: sorting done on the GPU. */
  gpuSort: string[];
  /** The node's Fallback-stats text, when PG-Strom fell back to the CPU inside it. */
  fallback: string | null;
}

export interface PlanSummary {
  nodes: PlanNode[];
  gpuNodes: number;
  cpuNodes: number;
  /** Distinct GPU providers in the plan (`GpuPreAgg`, …). */
  gpuProviders: string[];
  usesGpu: boolean;
  /** Whether any node reported a CPU fallback (Fallback-stats). */
  fallback: { detected: boolean; nodes: { path: string; label: string; text: string }[] };
  relations: string[];
  planningMs: number | null;
  executionMs: number | null;
}

type Json = Record<string, unknown>;

const PGSTROM_KEY = /^(GPU[ -]|GPU$|Scan-Engine|Fallback-stats|Brin Quals|Stats-Hint|Window-Rank Filter|file\d+$|GPU-Direct SQL|CPU Fallback|Outer Scan|Outer Scan Filter|Join Quals|Group Key|XPU|DPU)/;
const GPU_SORT_KEY = /^(GPU-Sort|Window-Rank Filter)/;

function numberOr(v: unknown): number | null {
  return typeof v === 'number' && Number.isFinite(v) ? v : null;
}

function text(v: unknown): string {
  if (typeof v === 'string') return v;
  if (Array.isArray(v)) return v.map(text).join(', ');
  if (v && typeof v === 'object') return JSON.stringify(v);
  return String(v);
}

function labelOf(n: Json): string {
  const type = String(n['Node Type'] ?? '?');
  let label = type;
  if (type === 'Custom Scan' && n['Custom Plan Provider']) label = `Custom Scan (${String(n['Custom Plan Provider'])})`;
  else if (type === 'Aggregate') {
    const s = n['Strategy'];
    label = s === 'Hashed' ? 'HashAggregate' : s === 'Sorted' ? 'GroupAggregate' : s === 'Mixed' ? 'MixedAggregate' : 'Aggregate';
  } else if (type === 'SetOp' && n['Strategy'] === 'Hashed') label = 'HashSetOp';
  const partial = n['Partial Mode'];
  if (typeof partial === 'string' && partial !== 'Simple') label = `${partial} ${label}`;
  if (n['Parallel Aware'] === true) label = `Parallel ${label}`;
  return label;
}

function describe(n: Json): string {
  const parts: string[] = [];
  const rel = n['Relation Name'];
  if (typeof rel === 'string') {
    const alias = n['Alias'];
    parts.push(`on ${rel}${typeof alias === 'string' && alias !== rel ? ` ${alias}` : ''}`);
  }
  for (const k of ['Group Key', 'Sort Key', 'Hash Cond', 'Merge Cond', 'Join Filter', 'Index Cond', 'Filter', 'Cache Key']) {
    if (n[k] !== undefined) parts.push(`${k}: ${text(n[k])}`);
  }
  return parts.join('; ');
}

/** Accepts the JSON EXPLAIN document as PostgreSQL returns it (an array of one object), the object, or its text. */
export function explainRoot(doc: unknown): { plan: Json; planningMs: number | null; executionMs: number | null } {
  let d = typeof doc === 'string' ? (JSON.parse(doc) as unknown) : doc;
  if (Array.isArray(d)) d = d[0];
  if (!d || typeof d !== 'object' || !('Plan' in d)) throw new Error('not an EXPLAIN (FORMAT JSON) document: no "Plan"');
  const o = d as Json;
  return { plan: o['Plan'] as Json, planningMs: numberOr(o['Planning Time']), executionMs: numberOr(o['Execution Time']) };
}

export function classifyPlan(doc: unknown): PlanSummary {
  const { plan, planningMs, executionMs } = explainRoot(doc);
  const nodes: PlanNode[] = [];
  const walk = (n: Json, path: string, parentIndex: number | null, depth: number) => {
    const provider = typeof n['Custom Plan Provider'] === 'string' ? (n['Custom Plan Provider'] as string) : null;
    const nodeType = String(n['Node Type'] ?? '?');
    const pgStrom: Record<string, string> = {};
    const gpuSort: string[] = [];
    let fallback: string | null = null;
    for (const [k, v] of Object.entries(n)) {
      if (!PGSTROM_KEY.test(k) || k === 'Group Key') continue;
      pgStrom[k] = text(v);
      if (GPU_SORT_KEY.test(k)) gpuSort.push(`${k}: ${text(v)}`);
      if (/^Fallback-stats/.test(k)) fallback = text(v);
    }
    // Unknown future Gpu* providers count as GPU too: the name is PG-Strom's own.
    const device: Device = nodeType === 'Custom Scan' && provider !== null && (GPU_PROVIDERS.has(provider) || /^Gpu/.test(provider)) ? 'GPU' : 'CPU';
    const loops = numberOr(n['Actual Loops']);
    const total = numberOr(n['Actual Total Time']);
    const rows = numberOr(n['Actual Rows']);
    const memory = numberOr(n['Peak Memory Usage']) ?? numberOr(n['Sort Space Used']);
    const index = nodes.length;
    const node: PlanNode = {
      index,
      path,
      parentIndex,
      depth,
      nodeType,
      label: labelOf(n),
      provider,
      device,
      relation: typeof n['Relation Name'] === 'string' ? (n['Relation Name'] as string) : null,
      description: describe(n),
      actualRows: rows !== null && loops !== null ? rows * loops : rows,
      loops,
      totalTimeMs: total !== null && loops !== null ? total * loops : total,
      selfTimeMs: null,
      memoryKb: memory,
      sharedHitBlocks: numberOr(n['Shared Hit Blocks']),
      sharedReadBlocks: numberOr(n['Shared Read Blocks']),
      pgStrom,
      gpuSort,
      fallback,
    };
    nodes.push(node);
    const children = Array.isArray(n['Plans']) ? (n['Plans'] as Json[]) : [];
    children.forEach((c, i) => walk(c, `${path}.${i}`, index, depth + 1));
    if (node.totalTimeMs !== null) {
      const childTime = nodes.filter((m) => m.parentIndex === index).reduce((a, m) => a + (m.totalTimeMs ?? 0), 0);
      node.selfTimeMs = Math.max(0, node.totalTimeMs - childTime);
    }
  };
  walk(plan, '0', null, 0);
  const gpu = nodes.filter((n) => n.device === 'GPU');
  const fallbackNodes = nodes.filter((n) => n.fallback !== null).map((n) => ({ path: n.path, label: n.label, text: n.fallback! }));
  return {
    nodes,
    gpuNodes: gpu.length,
    cpuNodes: nodes.length - gpu.length,
    gpuProviders: [...new Set(gpu.map((n) => n.provider!))],
    usesGpu: gpu.length > 0,
    fallback: { detected: fallbackNodes.length > 0, nodes: fallbackNodes },
    relations: [...new Set(nodes.map((n) => n.relation).filter((r): r is string => r !== null))],
    planningMs,
    executionMs,
  };
}

/**
 * Functions or expressions that kept a plan off the GPU, from the DEBUG2 notices PG-Strom's planner
 * emits (`SET client_min_messages = debug2`). The message shapes come from PG-Strom's source
 * (codegen.c, gpu_preagg.c: "function %s is not supported on the target device", "Aggregate
 * function is not device executable: %s"); they are not verified against a live server here.
 */
export function blockersFromNotices(notices: readonly string[]): string[] {
  const out = new Set<string>();
  for (const n of notices) {
    let m = /function (.+?) is not supported on the target device/i.exec(n);
    if (m) out.add(m[1]);
    m = /Aggregate function is not device executable: (.+)$/i.exec(n);
    if (m) out.add(m[1].trim());
    m = /(?:function|operator) (.+?) is not (?:device executable|supported on GPU)/i.exec(n);
    if (m) out.add(m[1]);
    m = /type (.+?) is not (?:device executable|supported on (?:the )?(?:GPU|target device))/i.exec(n);
    if (m) out.add(`type ${m[1]}`);
  }
  return [...out];
}
