import { cell } from '@/lib/format';

// numeric and decimal values arrive as strings (exact digits); they still read as numbers.
const NUMERIC_TYPE = /^(int|bigint|smallint|integer|float|double|real|numeric|decimal|uint)/i;

type Column = { name: string; type: string };

export function ResultTable({ columns, rows, total }: { columns: Column[]; rows: Record<string, unknown>[]; total?: number }) {
  if (columns.length === 0) return <p className="muted">No result columns.</p>;
  return (
    <div className="table-wrap">
      <table className="data" data-testid="result-table">
        <thead>
          <tr>
            {columns.map((c) => (
              <th key={c.name} title={c.type} className={NUMERIC_TYPE.test(c.type) ? 'num' : undefined}>
                {c.name}
                <span className="coltype">{c.type}</span>
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map((r, i) => (
            <tr key={i}>
              {columns.map((c) => {
                const v = r[c.name];
                return (
                  <td key={c.name} className={v === null || v === undefined ? 'null' : typeof v === 'number' || NUMERIC_TYPE.test(c.type) ? 'num' : undefined}>
                    {cell(v)}
                  </td>
                );
              })}
            </tr>
          ))}
        </tbody>
      </table>
      {total !== undefined && (
        <p className="muted small">
          {rows.length < total ? `First ${rows.length} of ${total} rows.` : `${total} row${total === 1 ? '' : 's'}.`}
        </p>
      )}
    </div>
  );
}
