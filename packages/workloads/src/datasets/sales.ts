/**
 * Seed 003 (PG-Strom GPU tests): exactly the `l40s_sales_large` table of the post —
 *
 *   INSERT INTO l40s_sales_large (category, region, amount, order_date, partition_key)
 *   SELECT 'category_' || (i % 100), 'region_' || (i % 20), (random() * 10000)::NUMERIC(15,2),
 *          '2023-01-01'::date + (i % 365), i % 3
 *   FROM generate_series(1, N) i;            -- id BIGSERIAL = i
 *
 * Only `amount` is random (uniform in [0, 10000], 2 decimals, from the seeded counter RNG).
 */
import { DATE, INT32, INT64, UTF8, decimal } from '../types-engine.js';
import { col, epochDay } from '../columns.js';
import { streamKey, unit } from '../rng.js';
import { fieldsOf, type DatasetDef, type TableDef } from '../types.js';

const CATEGORIES = Array.from({ length: 100 }, (_, i) => `category_${i}`);
const REGIONS = Array.from({ length: 20 }, (_, i) => `region_${i}`);
const DAY_2023_01_01 = epochDay(2023, 1, 1);
const AMOUNT = decimal(15, 2);

const SALES: TableDef = {
  name: 'l40s_sales_large',
  description: "Seed 003's GPU benchmark table: one row per generate_series value i = id.",
  rowsRule: 'rows',
  columns: [
    { name: 'id', type: INT64, nullable: false, description: 'i = 1 … rows' },
    { name: 'category', type: UTF8, nullable: false, description: "'category_' || (i % 100)" },
    { name: 'region', type: UTF8, nullable: false, description: "'region_' || (i % 20)" },
    { name: 'amount', type: AMOUNT, nullable: false, description: 'random() * 10000, numeric(15,2)' },
    { name: 'order_date', type: DATE, nullable: false, description: "'2023-01-01' + (i % 365)" },
    { name: 'partition_key', type: INT32, nullable: false, description: 'i % 3' },
  ],
};

export const sales: DatasetDef = {
  name: 'sales',
  description: 'PG-Strom GPU test table l40s_sales_large (seed 003): deterministic formula columns plus a uniform random amount.',
  seeds: ['003'],
  factTable: 'l40s_sales_large',
  tables: [SALES],
  dirt: [],
  plan({ seed, rows }) {
    const kAmount = streamKey(seed, 'l40s_sales_large.amount');
    return {
      tables: [
        {
          name: SALES.name,
          rows,
          fields: fieldsOf(SALES),
          generate(start, n) {
            const id = new Float64Array(n);
            const cat = new Int32Array(n);
            const reg = new Int32Array(n);
            const amount = new Float64Array(n);
            const date = new Int32Array(n);
            const pk = new Int32Array(n);
            for (let j = 0; j < n; j++) {
              const r = start + j;
              const i = r + 1;
              id[j] = i;
              cat[j] = i % 100;
              reg[j] = i % 20;
              amount[j] = Math.round(unit(kAmount, r) * 1_000_000);
              date[j] = DAY_2023_01_01 + (i % 365);
              pk[j] = i % 3;
            }
            return {
              columns: [
                col(INT64, id),
                col(UTF8, cat, null, CATEGORIES),
                col(UTF8, reg, null, REGIONS),
                col(AMOUNT, amount),
                col(DATE, date),
                col(INT32, pk),
              ],
            };
          },
        },
      ],
    };
  },
};
