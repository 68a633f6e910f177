import { BOOL, DATE, FLOAT64, INT32, INT64, UTF8 } from '../../src/types/data-type.js';
import { FakeTable, type Row } from './helpers.js';

/** A wide fact table: 60 rows, deterministic, with some NULLs. */
export function salesTable(stats?: { numRows?: number; bytes?: number }): FakeTable {
  const rows: Row[] = [];
  for (let i = 0; i < 60; i++) {
    rows.push({
      id: i,
      customer_id: i % 7,
      category: `category_${i % 5}`,
      region: i % 3 === 0 ? null : `r${i % 4}`,
      amount: (i * 37) % 2000,
      qty: i % 11 === 0 ? null : i % 9,
      price: (i % 13) * 1.5,
      flag: i % 2 === 0,
      day: 19000 + (i % 30),
      big: i * 1000,
    });
  }
  return new FakeTable(
    [
      ['id', INT32],
      ['customer_id', INT32],
      ['category', UTF8],
      ['region', UTF8],
      ['amount', INT32],
      ['qty', INT32],
      ['price', FLOAT64],
      ['flag', BOOL],
      ['day', DATE],
      ['big', INT64],
    ],
    rows,
    stats ?? { numRows: rows.length },
  );
}

/** A small dimension table: customers 0..5 (customer 6 is missing, so left joins produce NULLs). */
export function customersTable(stats?: { numRows?: number; bytes?: number }): FakeTable {
  const rows: Row[] = [];
  for (let i = 0; i < 6; i++) rows.push({ id: i, name: `cust${i}`, city: i % 2 === 0 ? 'Oslo' : 'Rome', tier: i % 3 });
  return new FakeTable(
    [
      ['id', INT32],
      ['name', UTF8],
      ['city', UTF8],
      ['tier', INT32],
    ],
    rows,
    stats ?? { numRows: rows.length },
  );
}
