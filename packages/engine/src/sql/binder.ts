/**
 * The binder: PostgreSQL parse tree → typed LogicalPlan (names resolved against the catalog,
 * types and implicit casts as PostgreSQL, column ids unique within the statement).
 */
import type { Catalog } from '../catalog.js';
import { EngineError } from '../errors.js';
import { resolveScalarCall } from '../expr/resolve.js';
import type { ResolvedScalar, ScalarResolver } from '../expr/registry.js';
import type { Expr } from '../logical/expr.js';
import type { LogicalPlan } from '../logical/plan.js';
import { nodeTag, stringValue, unwrap, type DefElem, type ExplainStmt, type PgStatement, type SelectStmt } from './ast.js';
import { bindSelect } from './bind-select.js';
import { BindContext } from './context.js';

export type BoundStatement =
  | { kind: 'query'; plan: LogicalPlan }
  | { kind: 'explain'; analyze: boolean; format: 'text' | 'json'; plan: LogicalPlan };

export interface BindOptions {
  /** Replaces the function/operator resolver (tests). Default: expr/resolve.ts. */
  readonly resolve?: ScalarResolver;
}

const STATEMENT_NAMES: Record<string, string> = {
  InsertStmt: 'INSERT', UpdateStmt: 'UPDATE', DeleteStmt: 'DELETE', MergeStmt: 'MERGE', CreateStmt: 'CREATE TABLE',
  CreateTableAsStmt: 'CREATE TABLE AS', DropStmt: 'DROP', ViewStmt: 'CREATE VIEW', TransactionStmt: 'transaction control',
  VariableSetStmt: 'SET', VariableShowStmt: 'SHOW', CopyStmt: 'COPY', IndexStmt: 'CREATE INDEX', AlterTableStmt: 'ALTER TABLE',
  TruncateStmt: 'TRUNCATE', PrepareStmt: 'PREPARE', ExecuteStmt: 'EXECUTE',
};

function bindQueryNode(stmt: PgStatement, ctx: BindContext): LogicalPlan {
  const select = unwrap<SelectStmt>(stmt, 'SelectStmt');
  if (!select) {
    const tag = nodeTag(stmt);
    throw new EngineError('feature_not_supported', `${STATEMENT_NAMES[tag] ?? tag} is not supported`);
  }
  return bindSelect(select, ctx, null).plan;
}

function explainOptions(ex: ExplainStmt, ctx: BindContext): { analyze: boolean; format: 'text' | 'json' } {
  let analyze = false;
  let format: 'text' | 'json' = 'text';
  for (const o of ex.options ?? []) {
    const d = unwrap<DefElem>(o, 'DefElem')!;
    const arg = d.arg ? (stringValue(d.arg) ?? (unwrap<{ boolval?: boolean }>(d.arg, 'Boolean')?.boolval ? 'true' : 'false')) : undefined;
    const pos = ctx.pos(d.location);
    switch (d.defname) {
      case 'analyze': {
        const v = (arg ?? 'true').toLowerCase();
        if (['true', 'on', '1', 'yes'].includes(v)) analyze = true;
        else if (['false', 'off', '0', 'no'].includes(v)) analyze = false;
        else throw new EngineError('syntax_error', `analyze requires a Boolean value`, pos);
        break;
      }
      case 'format': {
        const v = (arg ?? '').toLowerCase();
        if (v === 'text' || v === 'json') format = v;
        else throw new EngineError('feature_not_supported', `EXPLAIN format "${v}" is not supported`, pos);
        break;
      }
      case 'verbose': case 'costs': case 'buffers': case 'timing': case 'summary': case 'settings': case 'wal': case 'memory': case 'serialize': case 'generic_plan':
        break;
      default:
        throw new EngineError('syntax_error', `unrecognized EXPLAIN option "${d.defname}"`, pos);
    }
  }
  return { analyze, format };
}

/** Binds one parsed statement (SELECT, VALUES or EXPLAIN [ANALYZE] [(FORMAT JSON)] of one). */
export function bindStatement(stmt: PgStatement, catalog: Catalog, sqlText: string, options: BindOptions = {}): BoundStatement {
  const custom = options.resolve;
  const resolveCall = custom
    ? (fn: string, args: readonly Expr[]): ResolvedScalar | null => custom(fn, args.map((a) => a.type))
    : resolveScalarCall;
  const ctx = new BindContext(catalog, sqlText, resolveCall);
  const ex = unwrap<ExplainStmt>(stmt, 'ExplainStmt');
  if (ex) {
    const { analyze, format } = explainOptions(ex, ctx);
    return { kind: 'explain', analyze, format, plan: bindQueryNode(ex.query, ctx) };
  }
  return { kind: 'query', plan: bindQueryNode(stmt, ctx) };
}
