/**
 * CSV exactly as the engine's sql CLI writes it: its own `csvLines` (packages/engine/src/cli/output.ts), fed with PostgreSQL's text of every
 * value — the same text the engine's formatter imitates — so the two CLIs' outputs compare equal
 * byte for byte. PostgreSQL's text is used as is (not re-parsed into engine types): int8 and numeric
 * keep every digit.
 */
import { csvLines, type Batch, type Field } from '@phaselab/engine';

export function textBatch(names: readonly string[], rows: readonly (readonly (string | null)[])[]): { fields: Field[]; batch: Batch } {
  const fields: Field[] = names.map((name) => ({ name, type: { kind: 'utf8' }, nullable: true }));
  const n = rows.length;
  const columns = names.map((_, j) => {
    const codes = new Int32Array(n);
    const validity = new Uint8Array(n);
    const dict: string[] = [];
    const seen = new Map<string, number>();
    let nulls = 0;
    for (let i = 0; i < n; i++) {
      const v = rows[i][j];
      if (v === null) {
        nulls++;
        continue;
      }
      validity[i] = 1;
      let code = seen.get(v);
      if (code === undefined) {
        code = dict.length;
        dict.push(v);
        seen.set(v, code);
      }
      codes[i] = code;
    }
    return { type: { kind: 'utf8' as const }, length: n, values: codes, validity: nulls ? validity : null, dict };
  });
  return { fields, batch: { schema: fields, columns, numRows: n } };
}

export function csvText(names: readonly string[], rows: readonly (readonly (string | null)[])[]): string {
  const { fields, batch } = textBatch(names, rows);
  return csvLines(fields, [batch]).join('\n') + '\n';
}
