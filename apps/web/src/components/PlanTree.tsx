import type { Operator } from '@/lib/api-types';
import { bytes, count, ms } from '@/lib/format';

interface Node {
  op: Operator;
  children: Node[];
}

/** Operators arrive flat in pre-order with their parent's index; the tree is rebuilt from that. */
function buildTree(operators: Operator[]): Node[] {
  const nodes = new Map(operators.map((op) => [op.index, { op, children: [] as Node[] }]));
  const roots: Node[] = [];
  for (const op of operators) {
    const node = nodes.get(op.index)!;
    const parent = op.parentIndex === null ? undefined : nodes.get(op.parentIndex);
    (parent ? parent.children : roots).push(node);
  }
  return roots;
}

function extras(extra: unknown): [string, string][] {
  if (!extra || typeof extra !== 'object') return [];
  return Object.entries(extra as Record<string, unknown>).map(([k, v]) => [k, typeof v === 'number' ? count(v) : String(v)]);
}

function PlanNode({ node, maxMs, maxRows }: { node: Node; maxMs: number; maxRows: number }) {
  const { op } = node;
  const timePct = maxMs > 0 ? (100 * op.elapsedMs) / maxMs : 0;
  // Rows on a log scale: a scan of millions beside an aggregate of ten would otherwise show no bar.
  const rowsPct = maxRows > 0 ? (100 * Math.log10(1 + op.outputRows)) / Math.log10(1 + maxRows) : 0;
  return (
    <li className="plan-item">
      <div className="plan-node" data-testid="plan-node">
        <div className="plan-head">
          <span className="plan-name">{op.name}</span>
          {op.description && op.description !== op.name && (
            <span className="plan-desc" title={op.description}>
              {op.description}
            </span>
          )}
        </div>
        <div className="plan-bars">
          <div className="plan-bar" title={`elapsed ${ms(op.elapsedMs)}`}>
            <span className="plan-bar-label">time</span>
            <span className="plan-bar-track">
              <span className="plan-bar-fill time" style={{ width: `${Math.max(timePct, 0.5)}%` }} />
            </span>
            <span className="plan-bar-value" data-testid="plan-time">
              {ms(op.elapsedMs)}
            </span>
          </div>
          <div className="plan-bar" title={`${count(op.outputRows)} rows in ${count(op.outputBatches)} batches`}>
            <span className="plan-bar-label">rows</span>
            <span className="plan-bar-track">
              <span className="plan-bar-fill rows" style={{ width: `${Math.max(rowsPct, 0.5)}%` }} />
            </span>
            <span className="plan-bar-value" data-testid="plan-rows">
              {count(op.outputRows)}
            </span>
          </div>
        </div>
        {(op.peakMemoryBytes > 0 || extras(op.extra).length > 0) && (
          <div className="plan-extra">
            {op.peakMemoryBytes > 0 && <span className="chip">peak {bytes(op.peakMemoryBytes)}</span>}
            {extras(op.extra).map(([k, v]) => (
              <span className="chip" key={k}>
                {k} {v}
              </span>
            ))}
          </div>
        )}
      </div>
      {node.children.length > 0 && (
        <ul className="plan-children">
          {node.children.map((c) => (
            <PlanNode key={c.op.index} node={c} maxMs={maxMs} maxRows={maxRows} />
          ))}
        </ul>
      )}
    </li>
  );
}

/** EXPLAIN ANALYZE as a tree: each operator with its output rows and its share of the time. */
export function PlanTree({ operators }: { operators: Operator[] }) {
  if (operators.length === 0) return <p className="muted">No plan recorded.</p>;
  const maxMs = Math.max(...operators.map((o) => o.elapsedMs));
  const maxRows = Math.max(...operators.map((o) => o.outputRows));
  return (
    <ul className="plan-tree" data-testid="plan-tree">
      {buildTree(operators).map((n) => (
        <PlanNode key={n.op.index} node={n} maxMs={maxMs} maxRows={maxRows} />
      ))}
    </ul>
  );
}
