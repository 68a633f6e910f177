/**
 * Differential queries: each runs on PostgreSQL and on the engine over the tables of
 * generate.ts; results must agree (see differential.test.ts for the comparison rules).
 *
 * Rules for authors: a query with a top-level ORDER BY is compared as a sequence, so its order
 * must be total (add a unique key such as id); ROW_NUMBER / ROWS frames / LIMIT must not depend
 * on how ties are broken. `npx tsx test/differential/check-determinism.ts` runs every query on
 * PostgreSQL over the tables loaded in natural and in reversed row order and reports queries
 * whose results differ (tie-dependent).
 */
export interface DiffQuery {
  id: string;
  sql: string;
  /** Compare as a sequence; default: detected from a top-level ORDER BY. */
  ordered?: boolean;
}

/**
 * Queries of features the engine does not have yet, registered as skipped with the reason (so the
 * gap is visible in the test report). Remove an entry when its feature lands.
 */
export const NOT_YET: Record<string, string> = {
};

const topic = (prefix: string, sqls: string[]): DiffQuery[] =>
  sqls.map((sql, i) => ({ id: `${prefix}_${String(i + 1).padStart(2, '0')}`, sql }));

/** The seed queries, verbatim (l40s_sales_large → sales), except where noted. */
const seeds: DiffQuery[] = [
  // seed 003 GROUP BY
  { id: 'seed_groupby_1', sql: 'SELECT category, COUNT(*) FROM sales GROUP BY category;' },
  { id: 'seed_groupby_2', sql: 'SELECT category, SUM(amount) FROM sales GROUP BY category;' },
  { id: 'seed_groupby_3', sql: 'SELECT category, region, AVG(amount) FROM sales GROUP BY category, region;' },
  { id: 'seed_groupby_4', sql: "SELECT partition_key, DATE_TRUNC('month', order_date), SUM(amount) FROM sales GROUP BY partition_key, DATE_TRUNC('month', order_date);" },
  { id: 'seed_groupby_5', sql: 'SELECT category, COUNT(*), SUM(amount), AVG(amount), MIN(amount), MAX(amount) FROM sales GROUP BY category;' },
  // aggregates
  { id: 'seed_agg_1', sql: 'SELECT COUNT(*) FROM sales;' },
  { id: 'seed_agg_2', sql: 'SELECT SUM(amount), AVG(amount), MIN(amount), MAX(amount) FROM sales;' },
  { id: 'seed_agg_3', sql: 'SELECT COUNT(DISTINCT category), COUNT(DISTINCT region) FROM sales;' },
  { id: 'seed_agg_4', sql: 'SELECT STDDEV(amount), VARIANCE(amount) FROM sales WHERE amount > 1000;' },
  { id: 'seed_agg_5', sql: 'SELECT category, COUNT(*), SUM(amount), AVG(amount) FROM sales GROUP BY category HAVING COUNT(*) > 50;' },
  // windows. ROW_NUMBER over ties in amount is nondeterministic (in PostgreSQL too): `, id` added.
  { id: 'seed_window_1', sql: 'SELECT id, amount, ROW_NUMBER() OVER (PARTITION BY category ORDER BY amount DESC, id) FROM sales;' },
  // The verbatim query minus id: the multiset of (category, amount, row_number) does not depend on
  // how ties are broken (tied amounts take the same consecutive row numbers in any order).
  { id: 'seed_window_1_tie_insensitive', sql: 'SELECT category, amount, ROW_NUMBER() OVER (PARTITION BY category ORDER BY amount DESC) FROM sales;' },
  { id: 'seed_window_2', sql: 'SELECT id, amount, SUM(amount) OVER (PARTITION BY category ORDER BY order_date) FROM sales;' },
  // ROWS frame over ties in order_date is nondeterministic: `, id` added to the ORDER BY.
  { id: 'seed_window_3', sql: 'SELECT id, amount, AVG(amount) OVER (PARTITION BY region ORDER BY order_date, id ROWS BETWEEN 10 PRECEDING AND CURRENT ROW) FROM sales;' },
  { id: 'seed_window_4', sql: 'SELECT id, amount, RANK() OVER (ORDER BY amount DESC), DENSE_RANK() OVER (ORDER BY amount DESC) FROM sales;' },
  // filters
  { id: 'seed_filter_1', sql: "SELECT * FROM sales WHERE order_date BETWEEN '2023-03-01' AND '2023-03-31';" },
  { id: 'seed_filter_2', sql: 'SELECT * FROM sales WHERE amount BETWEEN 1000 AND 5000;' },
  { id: 'seed_filter_3', sql: "SELECT COUNT(*) FROM sales WHERE partition_key = 0 AND order_date > '2023-06-01';" },
  // seed 004
  { id: 'seed_salary_1', sql: 'select country, job, min(salary), avg(salary) from salary group by country, job' },
];

const select = topic('select', [
  'SELECT id, category, region FROM sales WHERE id <= 100',
  'SELECT * FROM sales WHERE id % 997 = 0',
  'SELECT DISTINCT region FROM sales',
  'SELECT DISTINCT category, partition_key FROM sales',
  'SELECT id, amount * 2, amount + 1.5, -amount FROM sales WHERE id < 200',
  "SELECT id, category || '/' || region FROM sales WHERE id < 300",
  'SELECT count(*) FROM (SELECT DISTINCT amount FROM sales) t',
  'SELECT id, amount::int, amount::float8 FROM sales WHERE id < 500',
  'SELECT id, partition_key * 10 + 1 AS pk FROM sales WHERE id BETWEEN 1000 AND 1100',
  "SELECT id, upper(category), length(region) FROM sales WHERE category LIKE 'category_1%'",
]);

const filters = topic('filter', [
  "SELECT id, amount FROM sales WHERE category IN ('category_1', 'category_2', 'category_3')",
  "SELECT count(*) FROM sales WHERE category NOT IN ('category_1', 'category_2')",
  "SELECT count(*) FROM sales WHERE category LIKE 'category\\_1_'",
  "SELECT count(*) FROM sales WHERE region ILIKE 'REGION_1%'",
  "SELECT count(*) FROM sales WHERE region NOT LIKE '%5'",
  'SELECT count(*) FROM sales WHERE amount > 9990 OR amount < 10',
  "SELECT id FROM sales WHERE amount >= 9990 AND order_date < '2023-07-01'",
  "SELECT count(*) FROM sales WHERE order_date >= DATE '2023-12-01'",
  "SELECT count(*), sum(amount) FROM sales WHERE NOT (partition_key = 1 OR region = 'region_3')",
  'SELECT count(*) FROM sales WHERE amount BETWEEN 2500.50 AND 2600.75',
  "SELECT count(*) FROM sales_nulls WHERE category IS NULL",
  'SELECT count(*) FROM sales_nulls WHERE amount IS NOT NULL AND region IS NOT NULL',
  "SELECT count(*) FROM sales_nulls WHERE category = 'category_5' OR amount > 9000",
  "SELECT count(*) FROM sales_nulls WHERE NOT (category = 'category_5')",
  "SELECT count(*) FROM sales_nulls WHERE category NOT IN ('category_1', 'category_2')",
  "SELECT count(*) FROM sales_nulls WHERE order_date BETWEEN '2023-03-01' AND '2023-03-31'",
  "SELECT count(*) FROM transactions WHERE status = 'settled' AND amount > 0",
  "SELECT count(*) FROM transactions WHERE currency ILIKE 'usd'",
  "SELECT count(*) FROM transactions WHERE ts < '2000-01-01' OR ts > '2030-01-01'",
  "SELECT count(*) FROM transactions WHERE status NOT IN ('settled', 'pending', 'failed', 'reversed')",
  'SELECT count(*) FROM sales WHERE id IN (1, 5, 99, 20000, 30000)',
  "SELECT count(*) FROM sales WHERE partition_key = 2 AND category LIKE '%9' AND amount > 5000",
]);

const groupBy = topic('groupby', [
  'SELECT region, count(*), sum(amount), min(order_date), max(order_date) FROM sales GROUP BY region',
  'SELECT partition_key, count(DISTINCT category), count(DISTINCT region) FROM sales GROUP BY partition_key',
  "SELECT date_trunc('month', order_date) AS m, count(*), sum(amount) FROM sales GROUP BY 1",
  "SELECT date_trunc('year', order_date), sum(amount) FROM sales GROUP BY 1",
  'SELECT extract(month FROM order_date) AS m, avg(amount) FROM sales GROUP BY 1',
  'SELECT extract(dow FROM order_date), count(*) FROM sales GROUP BY 1',
  'SELECT category, region, partition_key, count(*) FROM sales GROUP BY category, region, partition_key',
  'SELECT amount > 5000 AS big, count(*), sum(amount) FROM sales GROUP BY amount > 5000',
  'SELECT floor(amount / 1000) AS bucket, count(*) FROM sales GROUP BY 1',
  'SELECT region, sum(amount) FILTER (WHERE partition_key = 0), count(*) FILTER (WHERE amount > 5000) FROM sales GROUP BY region',
  'SELECT category, max(amount) - min(amount) FROM sales GROUP BY category HAVING max(amount) > 9900',
  'SELECT region, count(*) FROM sales GROUP BY region HAVING sum(amount) > 5000000',
  'SELECT category AS c, count(*) AS n FROM sales GROUP BY c HAVING count(*) >= 200',
  'SELECT partition_key, stddev(amount), variance(amount), stddev_pop(amount), var_pop(amount) FROM sales GROUP BY partition_key',
  'SELECT country, count(*), sum(salary), max(salary), min(salary) FROM salary GROUP BY country',
  'SELECT job, avg(salary), stddev(salary) FROM salary GROUP BY job HAVING avg(salary) > 100000',
  'SELECT country, job, count(*) FROM salary WHERE salary > 150000 GROUP BY country, job',
  'SELECT category, region, sum(amount) FROM sales WHERE id < 0 GROUP BY category, region',
  'SELECT sum(amount), count(*), avg(amount), max(order_date) FROM sales WHERE id < 0',
  'SELECT count(*) FROM sales GROUP BY partition_key HAVING count(*) > 100000',
  'SELECT upper(region), count(*) FROM sales GROUP BY upper(region)',
  'SELECT partition_key, sum(partition_key), sum(id) FROM sales GROUP BY partition_key',
  'SELECT order_date, count(*) FROM sales GROUP BY order_date HAVING count(*) >= 55',
  'SELECT count(*), count(DISTINCT amount), sum(DISTINCT partition_key) FROM sales',
  'SELECT category, bool_and(amount > 10), bool_or(amount > 9990) FROM sales GROUP BY category',
]);

const nulls = topic('nulls', [
  'SELECT count(*), count(id), count(category), count(region), count(amount), count(order_date), count(partition_key) FROM sales_nulls',
  'SELECT category, count(*), count(amount), sum(amount) FROM sales_nulls GROUP BY category',
  'SELECT region, partition_key, avg(amount) FROM sales_nulls GROUP BY region, partition_key',
  'SELECT partition_key, min(order_date), max(order_date), count(DISTINCT region) FROM sales_nulls GROUP BY partition_key',
  "SELECT coalesce(category, 'unknown'), count(*) FROM sales_nulls GROUP BY 1",
  'SELECT id, coalesce(amount, 0) + 1 FROM sales_nulls WHERE id < 300',
  "SELECT id, category || '-' || region FROM sales_nulls WHERE id < 300",
  "SELECT id, concat(category, '-', region) FROM sales_nulls WHERE id < 300",
  'SELECT id, nullif(partition_key, 0) FROM sales_nulls WHERE id < 300',
  "SELECT count(*) FILTER (WHERE amount IS NULL), count(*) FILTER (WHERE category IS NULL AND region IS NULL) FROM sales_nulls",
  'SELECT date_trunc(\'month\', order_date), count(*), sum(amount) FROM sales_nulls GROUP BY 1',
  'SELECT id, amount, sum(amount) OVER (PARTITION BY category ORDER BY id) FROM sales_nulls WHERE id < 2000',
  'SELECT id, rank() OVER (PARTITION BY region ORDER BY amount DESC NULLS LAST) FROM sales_nulls WHERE id < 3000',
  'SELECT a.id, b.id FROM sales_nulls a JOIN sales_nulls b ON a.id = b.id + 1 WHERE a.id < 200',
  'SELECT count(*) FROM sales_nulls a JOIN sales b ON a.category = b.category AND a.id = b.id',
  'SELECT id, CASE WHEN amount IS NULL THEN \'missing\' WHEN amount > 5000 THEN \'high\' ELSE \'low\' END FROM sales_nulls WHERE id < 500',
  'SELECT stddev(amount), variance(amount), avg(amount) FROM sales_nulls',
  'SELECT id, amount FROM sales_nulls ORDER BY amount NULLS FIRST, id LIMIT 20',
  'SELECT id, amount FROM sales_nulls WHERE id IS NOT NULL ORDER BY amount DESC, id LIMIT 20',
  'SELECT category, count(*) FROM sales_nulls WHERE region IS NULL GROUP BY category HAVING count(*) > 1',
]);

const joins = topic('join', [
  'SELECT t.id, t.amount, a.customer_name FROM transactions t JOIN accounts a ON a.id = t.account_id WHERE t.id < 300',
  'SELECT count(*) FROM transactions t JOIN accounts a ON a.id = t.account_id',
  'SELECT count(*), count(a.id) FROM transactions t LEFT JOIN accounts a ON a.id = t.account_id',
  'SELECT t.id, t.account_id FROM transactions t LEFT JOIN accounts a ON a.id = t.account_id WHERE a.id IS NULL',
  'SELECT m.city, count(*), sum(t.amount) FROM transactions t JOIN merchants m ON m.id = t.merchant_id GROUP BY m.city',
  'SELECT c.name, count(*), sum(t.amount) FROM transactions t LEFT JOIN categories c ON c.id = t.category_id GROUP BY c.name',
  'SELECT a.country, c.name, count(*), sum(t.amount) FROM transactions t JOIN accounts a ON a.id = t.account_id JOIN categories c ON c.id = t.category_id GROUP BY a.country, c.name',
  'SELECT c.id, c.name, count(t.id) FROM categories c LEFT JOIN transactions t ON t.category_id = c.id GROUP BY c.id, c.name',
  "SELECT m.id, m.name FROM merchants m LEFT JOIN transactions t ON t.merchant_id = m.id AND t.status = '??' WHERE t.id IS NULL",
  'SELECT count(*) FROM transactions t, accounts a WHERE t.account_id = a.id AND a.country = \'DE\'',
  'SELECT count(*) FROM transactions t JOIN accounts a ON a.id = t.account_id AND t.ts::date >= a.opened',
  'SELECT a.id, b.id FROM transactions a JOIN transactions b ON a.id = b.id AND a.ts < b.ts',
  'SELECT count(*) FROM sales a JOIN sales_nulls b ON a.id = b.id AND a.category = b.category AND a.region = b.region',
  'SELECT count(*) FROM sales a JOIN sales_nulls b ON a.region = b.region WHERE a.id < 50 AND b.id < 500',
  'SELECT p.user_id, u.country, t.genre FROM plays p JOIN users u ON u.user_id = p.user_id JOIN tracks t ON t.track_id = p.track_id WHERE p.user_id < 20',
  'SELECT count(*), count(t.track_id) FROM plays p LEFT JOIN tracks t ON t.track_id = p.track_id',
  'SELECT p.track_id, count(*) FROM plays p LEFT JOIN tracks t ON t.track_id = p.track_id WHERE t.track_id IS NULL GROUP BY p.track_id',
  'SELECT t.genre, count(*), sum(p.ms_played) FROM plays p JOIN tracks t USING (track_id) GROUP BY t.genre',
  'SELECT u.country, count(DISTINCT p.user_id), count(*) FROM plays p JOIN users u ON u.user_id = p.user_id GROUP BY u.country',
  'SELECT s.category, sum(s.amount), count(x.id) FROM sales s LEFT JOIN (SELECT id FROM sales_nulls WHERE amount > 9000) x ON x.id = s.id GROUP BY s.category',
  'SELECT count(*) FROM salary a JOIN salary b ON a.country = b.country AND a.job = b.job AND a.salary = b.salary',
  'SELECT t.id, c.name FROM transactions t RIGHT JOIN categories c ON c.id = t.category_id WHERE t.id < 100 OR t.id IS NULL',
  'SELECT count(*), count(t.id), count(c.id) FROM transactions t FULL JOIN categories c ON c.id = t.category_id',
  'SELECT t.id FROM transactions t WHERE t.merchant_id IN (SELECT id FROM merchants WHERE city = \'Tokyo\') AND t.id < 2000',
  'SELECT count(*) FROM transactions t WHERE NOT EXISTS (SELECT 1 FROM accounts a WHERE a.id = t.account_id)',
  'SELECT count(*) FROM transactions t WHERE EXISTS (SELECT 1 FROM merchants m WHERE m.id = t.merchant_id AND m.mcc = \'5411\')',
  'SELECT count(*), count(a.id), count(b.id), sum(a.amount), sum(b.amount) FROM sales a FULL JOIN sales_nulls b ON a.id = b.id + 5 AND b.region = a.region',
  'SELECT category, x.n, y.n FROM (SELECT category, count(*) AS n FROM sales WHERE amount > 9990 GROUP BY category) x FULL JOIN (SELECT category, count(*) AS n FROM sales_nulls WHERE id % 3 = 0 GROUP BY category) y USING (category)',
  'SELECT a.id, b.id FROM (SELECT id FROM sales_nulls WHERE id < 400 AND amount > 5000) a FULL OUTER JOIN (SELECT id FROM sales_nulls WHERE id < 400 AND region IS NULL) b ON a.id = b.id',
]);

const orderLimit = topic('order', [
  'SELECT id, amount FROM sales ORDER BY amount DESC, id LIMIT 10',
  'SELECT id, amount FROM sales ORDER BY amount, id LIMIT 10',
  'SELECT id, amount FROM sales ORDER BY amount DESC, id LIMIT 10 OFFSET 100',
  'SELECT id FROM sales ORDER BY id DESC LIMIT 5',
  'SELECT id, category FROM sales ORDER BY category, id DESC LIMIT 25',
  'SELECT category, sum(amount) AS s FROM sales GROUP BY category ORDER BY s DESC, category LIMIT 5',
  'SELECT region, count(*) FROM sales GROUP BY region ORDER BY region',
  'SELECT id, order_date FROM sales ORDER BY order_date DESC, id LIMIT 15',
  'SELECT id, amount FROM sales WHERE partition_key = 1 ORDER BY amount DESC, id LIMIT 3',
  'SELECT id FROM sales ORDER BY id OFFSET 19990',
  'SELECT id, category, amount FROM sales ORDER BY category DESC, amount, id LIMIT 30',
  'SELECT id, ts, amount FROM transactions ORDER BY ts DESC, id, amount LIMIT 12',
  'SELECT id, amount FROM transactions ORDER BY amount NULLS FIRST, id, ts LIMIT 12',
  'SELECT id, amount FROM transactions ORDER BY amount DESC NULLS LAST, id, ts LIMIT 12',
  'SELECT country, job, max(salary) FROM salary GROUP BY country, job ORDER BY 3 DESC, 1, 2 LIMIT 10',
  'SELECT user_id, count(*) FROM plays GROUP BY user_id ORDER BY count(*) DESC, user_id LIMIT 10',
  'SELECT count(*) FROM (SELECT id FROM sales ORDER BY amount DESC, id LIMIT 1000) t',
  'SELECT sum(amount) FROM (SELECT amount FROM sales ORDER BY amount DESC, id LIMIT 100) t',
]);

const windows = topic('window', [
  'SELECT id, category, row_number() OVER (PARTITION BY category ORDER BY id) FROM sales WHERE id < 3000',
  'SELECT id, region, rank() OVER (PARTITION BY region ORDER BY order_date), dense_rank() OVER (PARTITION BY region ORDER BY order_date) FROM sales',
  'SELECT id, amount, sum(amount) OVER (PARTITION BY region ORDER BY order_date) FROM sales',
  'SELECT id, amount, sum(amount) OVER (ORDER BY id ROWS BETWEEN 5 PRECEDING AND CURRENT ROW) FROM sales',
  'SELECT id, count(*) OVER (PARTITION BY category), sum(amount) OVER (PARTITION BY category), max(amount) OVER (PARTITION BY category) FROM sales',
  'SELECT id, min(amount) OVER (PARTITION BY partition_key ORDER BY id), max(amount) OVER (PARTITION BY partition_key ORDER BY id) FROM sales WHERE id < 5000',
  'SELECT id, amount, lag(amount) OVER (PARTITION BY category ORDER BY id), lead(amount) OVER (PARTITION BY category ORDER BY id) FROM sales WHERE id < 5000',
  'SELECT id, avg(amount) OVER (PARTITION BY category) FROM sales WHERE id < 4000',
  'SELECT id, count(*) OVER (ORDER BY order_date) FROM sales',
  'SELECT country, job, salary, rank() OVER (PARTITION BY country ORDER BY salary DESC) FROM salary',
  'SELECT id, sum(amount) OVER () FROM sales WHERE id < 100',
  'SELECT category, amount, id FROM (SELECT category, amount, id, row_number() OVER (PARTITION BY category ORDER BY amount DESC, id) AS rn FROM sales) t WHERE rn <= 3',
  'SELECT region, amount FROM (SELECT region, amount, dense_rank() OVER (PARTITION BY region ORDER BY amount DESC) AS r FROM sales) t WHERE r = 1',
  'SELECT category, total, rank() OVER (ORDER BY total DESC) FROM (SELECT category, sum(amount) AS total FROM sales GROUP BY category) t',
  'SELECT id, ntile(4) OVER (ORDER BY id) FROM sales WHERE id < 1000',
  'SELECT id, first_value(amount) OVER (PARTITION BY region ORDER BY id), last_value(amount) OVER (PARTITION BY region ORDER BY id ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING) FROM sales WHERE id < 2000',
  'SELECT id, amount, sum(amount) OVER (PARTITION BY category ORDER BY amount, id ROWS BETWEEN 2 PRECEDING AND 2 FOLLOWING) FROM sales WHERE id < 5000',
  'SELECT partition_key, date_trunc(\'month\', order_date) AS m, sum(amount), sum(sum(amount)) OVER (PARTITION BY partition_key ORDER BY date_trunc(\'month\', order_date)) FROM sales GROUP BY 1, 2',
  "SELECT id, lag(amount, 3, 0) OVER (PARTITION BY region ORDER BY id), lead(category, 2, 'none') OVER (ORDER BY id) FROM sales_nulls WHERE id < 3000",
  'SELECT id, nth_value(amount, 5) OVER (PARTITION BY category ORDER BY id), last_value(region) OVER (PARTITION BY category ORDER BY order_date, id) FROM sales_nulls WHERE id < 4000',
  'SELECT id, percent_rank() OVER (PARTITION BY category ORDER BY amount), cume_dist() OVER (PARTITION BY category ORDER BY amount) FROM sales_nulls',
  'SELECT id, ntile(7) OVER (PARTITION BY region ORDER BY amount, id), first_value(amount) OVER (PARTITION BY region ORDER BY amount NULLS FIRST, id ROWS BETWEEN 3 PRECEDING AND 1 FOLLOWING) FROM sales_nulls WHERE id < 5000',
]);

const ctes = topic('cte', [
  'WITH t AS (SELECT category, sum(amount) AS total FROM sales GROUP BY category) SELECT count(*), sum(total), max(total) FROM t',
  'WITH t AS (SELECT region, avg(amount) AS a FROM sales GROUP BY region) SELECT region FROM t WHERE a > (SELECT avg(amount) FROM sales)',
  'SELECT id, amount FROM sales WHERE amount > (SELECT avg(amount) + 1.6 * stddev(amount) FROM sales)',
  'SELECT category, n FROM (SELECT category, count(*) AS n FROM sales WHERE amount > 5000 GROUP BY category) s WHERE n > 105',
  'WITH a AS (SELECT id, amount FROM sales WHERE partition_key = 0), b AS (SELECT id, amount FROM sales WHERE partition_key = 1) SELECT count(*), sum(a.amount + b.amount) FROM a JOIN b ON b.id = a.id + 1',
  'SELECT count(*) FROM (SELECT category, region FROM sales GROUP BY category, region) t',
  'SELECT region, x.total FROM (SELECT region, sum(amount) AS total FROM sales GROUP BY region) x WHERE x.total > 4900000',
  'SELECT id FROM sales WHERE category IN (SELECT category FROM sales GROUP BY category HAVING avg(amount) > 5100)',
  'SELECT id FROM sales WHERE id < 300 UNION SELECT id FROM sales WHERE id BETWEEN 200 AND 400',
  'SELECT category FROM sales WHERE id < 50 UNION ALL SELECT region FROM sales WHERE id < 50',
  'SELECT category, region FROM sales_nulls INTERSECT SELECT category, region FROM sales_nulls WHERE amount > 9000',
  'SELECT category, region FROM sales_nulls EXCEPT SELECT category, region FROM sales_nulls WHERE amount > 500',
  'SELECT category FROM sales_nulls WHERE id < 3000 INTERSECT ALL SELECT category FROM sales_nulls WHERE amount > 7000',
  'SELECT region, partition_key FROM sales_nulls WHERE id < 5000 EXCEPT ALL SELECT region, partition_key FROM sales WHERE amount > 2000',
  'SELECT k, count(*) FROM (SELECT partition_key AS k FROM sales UNION ALL SELECT 7 UNION ALL SELECT amount::int % 3 FROM sales_nulls) t GROUP BY k',
  'SELECT id, amount FROM sales WHERE id < 20 UNION SELECT id, amount FROM sales_nulls WHERE id < 40 ORDER BY amount DESC NULLS LAST, id LIMIT 15',
  'SELECT count(*), count(DISTINCT x) FROM (SELECT order_date AS x FROM sales_nulls UNION SELECT order_date FROM sales) u',
  'SELECT id, amount, (SELECT max(amount) FROM sales_nulls) - amount FROM sales WHERE id < 100',
  'SELECT region, count(*) FROM sales_nulls s WHERE id < 300 AND amount > (SELECT avg(amount) FROM sales_nulls t WHERE t.region = s.region) GROUP BY region',
  'SELECT a.id, (SELECT count(*) FROM transactions t WHERE t.account_id = a.id), (SELECT sum(t.amount) FROM transactions t WHERE t.account_id = a.id AND t.status = \'settled\') FROM accounts a',
  'SELECT count(*) FROM sales_nulls WHERE category NOT IN (SELECT category FROM sales_nulls WHERE id < 50)',
  'SELECT count(*) FROM sales WHERE category NOT IN (SELECT category FROM sales_nulls WHERE id < 200 AND category IS NOT NULL)',
  'SELECT count(*), count(CASE WHEN region IN (SELECT region FROM sales_nulls WHERE amount > 9990) THEN 1 END) FROM sales_nulls',
  'SELECT count(*) FROM transactions t WHERE EXISTS (SELECT 1 FROM transactions u WHERE u.account_id = t.account_id AND u.amount > t.amount * 2)',
  'SELECT m.id FROM merchants m WHERE NOT EXISTS (SELECT 1 FROM transactions t WHERE t.merchant_id = m.id AND t.status = \'settled\')',
  'SELECT count(*) FROM plays p WHERE p.track_id IN (SELECT track_id FROM tracks t WHERE t.genre = \'rock\' AND t.track_id % 7 = p.user_id % 7)',
  'SELECT t.id, (SELECT a.country FROM accounts a WHERE a.id = t.account_id), (SELECT m.city FROM merchants m WHERE m.id = t.merchant_id AND m.mcc = \'5411\') FROM transactions t WHERE t.id < 500',
  'WITH RECURSIVE r(n) AS (SELECT 0 UNION ALL SELECT n + 1 FROM r WHERE n < 40) SELECT r.n, count(s.id), sum(s.amount) FROM r LEFT JOIN sales s ON s.id % 41 = r.n AND s.id < 2000 GROUP BY r.n',
  'WITH RECURSIVE c(id, amount, depth) AS (SELECT id, amount, 0 FROM sales_nulls WHERE id < 20 UNION SELECT s.id, s.amount, c.depth + 1 FROM c JOIN sales_nulls s ON s.id = c.id * 2 WHERE c.depth < 6) SELECT id, amount, depth FROM c',
]);

const cases = topic('case', [
  "SELECT CASE WHEN amount < 1000 THEN 'small' WHEN amount < 5000 THEN 'medium' ELSE 'large' END AS size, count(*), sum(amount) FROM sales GROUP BY 1",
  "SELECT partition_key, sum(CASE WHEN region = 'region_1' THEN amount ELSE 0 END), sum(CASE WHEN region = 'region_2' THEN amount END) FROM sales GROUP BY partition_key",
  "SELECT id, CASE partition_key WHEN 0 THEN 'zero' WHEN 1 THEN 'one' END FROM sales WHERE id < 100",
  'SELECT id, greatest(amount, 5000), least(amount, 5000) FROM sales WHERE id < 200',
  'SELECT id, CASE WHEN partition_key = 0 THEN NULL ELSE amount / partition_key END FROM sales WHERE id < 300',
  "SELECT coalesce(currency, 'n/a'), count(*) FROM transactions GROUP BY 1",
  // thresholds over one subject (one loop per row), every operator, the literal on either side, NULL subjects
  "SELECT CASE WHEN partition_key * 3 < 4 THEN 'a' WHEN 10 > partition_key * 3 THEN 'b' WHEN partition_key * 3 = 12 THEN 'c' WHEN partition_key * 3 <> 15 THEN 'd' ELSE 'e' END AS b, count(*) FROM sales_nulls GROUP BY 1",
  "SELECT CASE WHEN order_date < DATE '2023-03-01' THEN 1 WHEN order_date <= DATE '2023-06-30' THEN 2 WHEN order_date >= DATE '2023-10-01' THEN 4 END AS q, count(*), sum(amount) FROM sales_nulls GROUP BY 1",
  "SELECT CASE WHEN id - 1000 < 0 THEN NULL WHEN id - 1000 <= 500 THEN 'low' WHEN id - 1000 > 3000 THEN 'high' ELSE 'mid' END AS band, count(*) FROM sales GROUP BY 1",
  // a subexpression repeated in one expression (compiled once, evaluated once per batch)
  'SELECT sum((amount * 2) + (amount * 2)), max(abs(amount - 5000) + abs(amount - 5000)), min(partition_key % 5 + partition_key % 5) FROM sales_nulls',
]);

const arithmetic = topic('arith', [
  'SELECT id, id / 7, id % 7, -id / 7 FROM sales WHERE id < 100',
  // bigint remainders: int32-range operands (integer remainder, -0 normalised) and past 2^31 (double)
  'SELECT id, -id % 7, id % -7, (id * 1000000000) % 7, (id * 1000000000) % 1000000007, -(id * 3000000000) % 11 FROM sales WHERE id < 60',
  'SELECT count(DISTINCT id), count(*), sum(DISTINCT id % 1000) FROM sales_nulls WHERE id % 10 = 0',
  'SELECT id, amount / 3, amount * 1.1, round(amount / 3, 2) FROM sales WHERE id < 100',
  'SELECT sum(amount * partition_key), sum(amount) / count(*) FROM sales',
  'SELECT partition_key, sum(amount * 2) - sum(amount) FROM sales GROUP BY partition_key',
  'SELECT salary / 1000, count(*) FROM salary GROUP BY 1',
  'SELECT sum(salary), sum(salary::bigint * 1000) FROM salary',
  'SELECT id, amount::float8 / 7 FROM sales WHERE id < 100',
  'SELECT sum(rating), avg(rating), max(rating), min(rating) FROM tracks',
  'SELECT genre, sum(rating * duration_ms), avg(rating) FROM tracks GROUP BY genre',
  'SELECT user_id, sum(ms_played) / 1000, sum(ms_played::bigint) FROM plays GROUP BY user_id HAVING sum(ms_played) > 4000000',
]);

const dates = topic('date', [
  "SELECT id, order_date + 30, order_date - 7 FROM sales WHERE id < 100",
  "SELECT id, order_date - DATE '2023-01-01' FROM sales WHERE id < 400",
  "SELECT date_trunc('week', order_date), count(*) FROM sales GROUP BY 1",
  "SELECT date_trunc('quarter', order_date), sum(amount) FROM sales GROUP BY 1",
  "SELECT extract(year FROM ts), count(*) FROM transactions GROUP BY 1",
  "SELECT date_trunc('day', ts), count(*) FROM transactions WHERE ts BETWEEN '2023-03-01' AND '2023-03-10' GROUP BY 1",
  "SELECT date_trunc('hour', played_at), count(*) FROM plays WHERE played_at < '2023-01-03' GROUP BY 1",
  "SELECT extract(hour FROM played_at) AS h, count(*), sum(ms_played) FROM plays GROUP BY 1",
  "SELECT count(*) FROM sales WHERE order_date > '2023-06-01' AND order_date <= '2023-06-30'",
  "SELECT min(ts), max(ts), min(ts::date) FROM transactions",
  "SELECT id, ts FROM transactions WHERE ts::date = '2023-05-05'",
  "SELECT max(order_date) - min(order_date) FROM sales",
]);

const finance = topic('finance', [
  // count_indicator: SUM(CASE WHEN c THEN 1 ELSE 0 END) as COUNT(*) FILTER, NULL over no rows kept
  "SELECT count(*), SUM(CASE WHEN amount IS NULL THEN 1 ELSE 0 END), SUM(CASE WHEN amount <= 0 THEN 1 ELSE 0 END) FILTER (WHERE account_id IS NOT NULL) FROM transactions",
  "SELECT SUM(CASE WHEN amount IS NULL THEN 1 ELSE 0 END), SUM(CASE WHEN status = 'APPROVED' THEN 1 ELSE 0 END) FROM transactions WHERE amount > 1e15",
  "SELECT status, SUM(CASE WHEN amount > 100 THEN 1 ELSE 0 END), count(*) FROM transactions GROUP BY status",
  // bronze → silver: dedup by id (GROUP BY) and by ROW_NUMBER over (id ORDER BY ts, amount ...)
  'SELECT count(*), count(DISTINCT id) FROM transactions',
  'SELECT id, count(*) FROM transactions GROUP BY id HAVING count(*) > 1',
  'SELECT count(*) FROM (SELECT id, min(ts) AS first_ts FROM transactions GROUP BY id) d',
  "SELECT count(*), sum(amount) FROM (SELECT *, row_number() OVER (PARTITION BY id ORDER BY ts, amount NULLS LAST, account_id, merchant_id, status, channel) AS rn FROM transactions) t WHERE rn = 1",
  // data-quality counts
  "SELECT count(*) FILTER (WHERE amount IS NULL) AS null_amount, count(*) FILTER (WHERE amount <= 0) AS non_positive, count(*) FILTER (WHERE status NOT IN ('settled', 'pending', 'failed', 'reversed')) AS bad_status, count(*) FILTER (WHERE ts < '2020-01-01' OR ts > '2030-01-01') AS bad_ts, count(*) FILTER (WHERE currency IS NULL) AS no_currency FROM transactions",
  "SELECT channel, count(*) FILTER (WHERE amount IS NULL OR amount <= 0), count(*) FROM transactions GROUP BY channel",
  "SELECT upper(currency), count(*), sum(amount) FROM transactions WHERE currency IS NOT NULL GROUP BY 1",
  // silver → gold
  "SELECT a.country, date_trunc('month', t.ts) AS month, sum(t.amount), count(*) FROM transactions t JOIN accounts a ON a.id = t.account_id WHERE t.status = 'settled' AND t.amount > 0 AND t.ts >= '2023-01-01' AND t.ts < '2024-01-01' GROUP BY 1, 2",
  "SELECT m.mcc, c.name, count(*), sum(t.amount), avg(t.amount) FROM transactions t JOIN merchants m ON m.id = t.merchant_id JOIN categories c ON c.id = t.category_id WHERE t.status = 'settled' GROUP BY m.mcc, c.name",
  "SELECT a.customer_name, sum(t.amount) AS spend FROM transactions t JOIN accounts a ON a.id = t.account_id WHERE t.amount > 0 GROUP BY a.customer_name ORDER BY spend DESC, a.customer_name LIMIT 10",
  "SELECT date_trunc('month', ts) AS m, sum(amount) FILTER (WHERE channel = 'web'), sum(amount) FILTER (WHERE channel = 'pos') FROM transactions WHERE ts BETWEEN '2023-01-01' AND '2023-12-31 23:59:59' GROUP BY 1",
  "SELECT account_id, count(*), sum(amount), max(ts) FROM transactions WHERE status = 'failed' GROUP BY account_id HAVING count(*) >= 5",
  "WITH dedup AS (SELECT *, row_number() OVER (PARTITION BY id ORDER BY ts, amount NULLS LAST, account_id, merchant_id, status, channel) AS rn FROM transactions), silver AS (SELECT * FROM dedup WHERE rn = 1 AND amount > 0 AND status = 'settled') SELECT c.name, m.city, count(*), sum(s.amount) FROM silver s JOIN categories c ON c.id = s.category_id JOIN merchants m ON m.id = s.merchant_id GROUP BY c.name, m.city",
  "SELECT city, mcc, total FROM (SELECT m.city, m.mcc, sum(t.amount) AS total, rank() OVER (PARTITION BY m.city ORDER BY sum(t.amount) DESC) AS r FROM transactions t JOIN merchants m ON m.id = t.merchant_id GROUP BY m.city, m.mcc) x WHERE r <= 2",
  "SELECT a.country, count(DISTINCT t.account_id), count(DISTINCT t.merchant_id) FROM transactions t LEFT JOIN accounts a ON a.id = t.account_id GROUP BY a.country",
  "SELECT status, channel, count(*), min(amount), max(amount) FROM transactions GROUP BY status, channel",
]);

const music = topic('music', [
  "SELECT t.artist, count(*) AS plays FROM plays p JOIN tracks t ON t.track_id = p.track_id GROUP BY t.artist ORDER BY plays DESC, t.artist LIMIT 10",
  "SELECT CASE WHEN u.birth_year >= 2000 THEN '<25' WHEN u.birth_year >= 1985 THEN '25-39' WHEN u.birth_year >= 1970 THEN '40-54' WHEN u.birth_year IS NULL THEN 'unknown' ELSE '55+' END AS age_bucket, count(*), sum(p.ms_played) FROM plays p JOIN users u ON u.user_id = p.user_id GROUP BY 1",
  "SELECT age_bucket, track_id, plays FROM (SELECT age_bucket, track_id, plays, row_number() OVER (PARTITION BY age_bucket ORDER BY plays DESC, track_id) AS rn FROM (SELECT CASE WHEN u.birth_year >= 2000 THEN '<25' WHEN u.birth_year >= 1985 THEN '25-39' WHEN u.birth_year >= 1970 THEN '40-54' ELSE '55+' END AS age_bucket, p.track_id, count(*) AS plays FROM plays p JOIN users u ON u.user_id = p.user_id GROUP BY 1, 2) x) y WHERE rn <= 5",
  "SELECT genre, title, plays, r FROM (SELECT t.genre, t.title, count(*) AS plays, rank() OVER (PARTITION BY t.genre ORDER BY count(*) DESC) AS r FROM plays p JOIN tracks t ON t.track_id = p.track_id GROUP BY t.genre, t.title) x WHERE r <= 5",
  "SELECT u.country, t.genre, count(*), sum(p.ms_played) FROM plays p JOIN tracks t ON t.track_id = p.track_id JOIN users u ON u.user_id = p.user_id WHERE p.ms_played >= 30000 GROUP BY u.country, t.genre",
  "SELECT date_trunc('week', played_at) AS wk, count(*), count(DISTINCT user_id) FROM plays GROUP BY 1",
  "SELECT device, count(*), avg(ms_played), max(ms_played) FROM plays GROUP BY device",
  "SELECT p.user_id, count(*) FILTER (WHERE p.ms_played < 30000) AS skips, count(*) AS total FROM plays p GROUP BY p.user_id HAVING count(*) > 30",
  "SELECT t.track_id, t.title, t.duration_ms, avg(p.ms_played::float8 / t.duration_ms) FROM plays p JOIN tracks t ON t.track_id = p.track_id WHERE t.track_id <= 20 GROUP BY t.track_id, t.title, t.duration_ms",
  "SELECT u.user_id, u.birth_year, count(p.track_id) FROM users u LEFT JOIN plays p ON p.user_id = u.user_id WHERE u.user_id <= 50 GROUP BY u.user_id, u.birth_year",
  // aggregate_before_join: grouped by the join key and the dimension's columns
  "SELECT CASE WHEN u.birth_year >= 1990 THEN 'young' ELSE 'old' END AS age, p.track_id, t.title, t.artist, count(*), sum(p.ms_played), max(p.ms_played), min(p.played_at), count(p.device) FILTER (WHERE p.ms_played < 30000) FROM plays p JOIN users u ON u.user_id = p.user_id JOIN tracks t ON t.track_id = p.track_id GROUP BY 1, p.track_id, t.title, t.artist",
  "SELECT p.user_id, u.country, count(*), sum(p.ms_played), bool_or(p.ms_played > 200000) FROM users u JOIN plays p ON p.user_id = u.user_id GROUP BY p.user_id, u.country",
  "SELECT p.track_id, x.tag, count(*), sum(p.ms_played) FROM plays p JOIN (SELECT track_id, genre AS tag FROM tracks UNION ALL SELECT track_id, 'every third' FROM tracks WHERE track_id % 3 = 0 UNION ALL SELECT track_id, genre FROM tracks WHERE track_id % 5 = 0) x ON x.track_id = p.track_id GROUP BY p.track_id, x.tag",
  "SELECT genre, count(*) FROM tracks GROUP BY genre",
  "SELECT artist, count(*), avg(rating), max(duration_ms) FROM tracks GROUP BY artist HAVING count(*) >= 12",
  "WITH weekly AS (SELECT date_trunc('week', p.played_at) AS wk, p.track_id, count(*) AS n FROM plays p GROUP BY 1, 2) SELECT wk, track_id, n FROM (SELECT wk, track_id, n, rank() OVER (PARTITION BY wk ORDER BY n DESC) AS r FROM weekly) x WHERE r = 1",
]);

/**
 * `WHERE rn = 1` over row_number(): planned without a sort (PartitionFirstRowExec) when the order
 * keys are not strings. Orders are total within each partition (id breaks ties) or the output
 * does not depend on which peer wins.
 */
const dedup = topic('dedup', [
  'SELECT category, id, amount FROM (SELECT *, row_number() OVER (PARTITION BY category ORDER BY amount DESC, id) AS rn FROM sales) t WHERE rn = 1',
  'SELECT region, id, amount FROM (SELECT *, row_number() OVER (PARTITION BY region ORDER BY amount NULLS FIRST, id) AS rn FROM sales_nulls) t WHERE rn = 1',
  'SELECT region, id, amount FROM (SELECT *, row_number() OVER (PARTITION BY region ORDER BY amount DESC NULLS LAST, id DESC) AS rn FROM sales_nulls) t WHERE rn = 1',
  'SELECT category, region, id FROM (SELECT *, row_number() OVER (PARTITION BY category, region ORDER BY order_date DESC, id) AS rn FROM sales_nulls) t WHERE rn = 1',
  'SELECT id, amount, rn FROM (SELECT *, row_number() OVER (ORDER BY amount, id) AS rn FROM sales) t WHERE rn = 1',
  'SELECT category, id, amount, rn FROM (SELECT *, row_number() OVER (PARTITION BY category ORDER BY order_date, id) AS rn FROM sales) t WHERE 1 = rn AND amount > 100',
  'SELECT count(*), sum(amount) FROM (SELECT *, row_number() OVER (PARTITION BY id) AS rn FROM sales) t WHERE rn = 1',
  'SELECT partition_key, count(*) FROM (SELECT *, row_number() OVER (PARTITION BY partition_key, order_date ORDER BY amount NULLS LAST, id) AS rn FROM sales_nulls) t WHERE rn = 1 GROUP BY partition_key',
  // the medallion's de-duplication: duplicated ids are re-sent rows; numeric keys only
  'SELECT count(*), sum(amount), count(DISTINCT id) FROM (SELECT *, row_number() OVER (PARTITION BY id ORDER BY ts, amount NULLS LAST, account_id, merchant_id) AS rn FROM transactions) t WHERE rn = 1',
  "SELECT c.name, count(*), sum(s.amount) FROM (SELECT *, row_number() OVER (PARTITION BY id ORDER BY ts DESC, amount, account_id, merchant_id) AS rn FROM transactions WHERE amount IS NOT NULL AND amount > 0) s JOIN categories c ON c.id = s.category_id WHERE s.rn = 1 GROUP BY c.name",
  'SELECT count(*) FROM (SELECT *, row_number() OVER (PARTITION BY id ORDER BY ts) AS rn FROM transactions WHERE id < 0) t WHERE rn = 1',
]);

export const QUERIES: DiffQuery[] = [
  ...seeds, ...select, ...filters, ...groupBy, ...nulls, ...joins, ...orderLimit, ...windows,
  ...ctes, ...cases, ...arithmetic, ...dates, ...finance, ...music, ...dedup,
];
