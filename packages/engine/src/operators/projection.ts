import type { NamedExpr } from '../logical/plan.js';
import { makeBatch, type Batch, type Field, type Schema } from '../types/batch.js';
import type { ExecContext, PhysicalOperator } from '../physical/operator.js';
import { OperatorMetrics } from '../physical/metrics.js';
import type { PhysicalExpr } from '../expr/physical-expr.js';
import { compileExpr } from '../expr/compile.js';

export interface ProjectionOptions {
  readonly input: PhysicalOperator;
  readonly exprs: readonly NamedExpr[];
}

/** Evaluates one expression per output column (column references are zero-copy). */
export class ProjectionExec implements PhysicalOperator {
  readonly name = 'ProjectionExec';
  readonly schema: Schema;
  readonly children: readonly PhysicalOperator[];
  readonly metrics = new OperatorMetrics();
  readonly input: PhysicalOperator;
  readonly exprs: readonly NamedExpr[];
  private readonly compiled: PhysicalExpr[];

  constructor(opts: ProjectionOptions) {
    this.input = opts.input;
    this.exprs = opts.exprs;
    this.children = [opts.input];
    this.compiled = opts.exprs.map((e) => compileExpr(e.expr, opts.input.schema));
    this.schema = opts.exprs.map((e): Field => ({ id: e.id, name: e.name, type: e.expr.type, nullable: nullableOf(e, opts.input.schema) }));
  }

  describe(): string {
    return `expr=[${this.exprs.map((e, i) => `${this.compiled[i].toString()} as ${e.name}`).join(', ')}]`;
  }

  async *execute(ctx: ExecContext): AsyncGenerator<Batch> {
    const m = this.metrics;
    const exprs = this.compiled;
    for await (const b of this.input.execute(ctx)) {
      ctx.checkCancelled();
      const t0 = performance.now();
      const cols = new Array(exprs.length);
      for (let i = 0; i < exprs.length; i++) cols[i] = exprs[i].evaluate(b);
      const out = makeBatch(this.schema, cols, b.numRows);
      m.elapsedComputeMs += performance.now() - t0;
      m.outputRows += out.numRows;
      m.outputBatches++;
      yield out;
    }
  }
}

function nullableOf(e: NamedExpr, input: Schema): boolean {
  if (e.expr.kind === 'column') {
    const id = e.expr.id;
    const f = input.find((x) => x.id === id);
    return f ? f.nullable : true;
  }
  if (e.expr.kind === 'literal') return e.expr.value === null;
  return true;
}
