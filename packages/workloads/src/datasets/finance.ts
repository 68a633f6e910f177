/**
 * Seeds 000/001 (Spark medallion pipeline on 100M financial records): a card-transaction fact
 * table in KRW with three dimensions, and injected dirt for the bronze → silver cleaning step
 * (dedup on transaction_id, NULL filtering, amount > 0, valid status, timestamp inside 2024).
 *
 * Everything is a pure function of (seed, rows, dirt rates, row index): a dimension attribute is
 * a hash of its id, so the fact generator needs no dimension table in memory (only the merchant →
 * category map, ≤ 200k bytes).
 */
import { INT32, INT64, TIMESTAMP, UTF8, DATE, decimal } from '../types-engine.js';
import { DAY_US, col, combos, epochDay, validityOrNull } from '../columns.js';
import { Weighted, below, normal, streamKey, unit } from '../rng.js';
import { fieldsOf, type DatasetDef, type TableDef } from '../types.js';

const AMOUNT = decimal(18, 2);

// ── vocabularies ──────────────────────────────────────────────────────────────────────────────

/** [name, group, mcc, median amount in KRW, relative frequency, merchant-name suffix] */
const CATEGORY_ROWS: readonly (readonly [string, string, string, number, number, string])[] = [
  ['Groceries', 'Food', '5411', 38_000, 10, 'Mart'],
  ['Convenience Stores', 'Food', '5499', 7_500, 14, 'Store24'],
  ['Restaurants', 'Food', '5812', 24_000, 12, 'Sikdang'],
  ['Fast Food', 'Food', '5814', 9_500, 6, 'Burger'],
  ['Cafes & Bakeries', 'Food', '5462', 8_500, 10, 'Coffee'],
  ['Food Delivery', 'Food', '5811', 27_000, 8, 'Delivery'],
  ['Bars & Pubs', 'Food', '5813', 45_000, 3, 'Pocha'],
  ['Department Stores', 'Shopping', '5311', 120_000, 2, 'Department Store'],
  ['Clothing', 'Shopping', '5651', 65_000, 3, 'Fashion'],
  ['Electronics', 'Shopping', '5732', 250_000, 1.2, 'Electronics'],
  ['Online Marketplace', 'Shopping', '5964', 32_000, 9, 'Mall'],
  ['Cosmetics', 'Shopping', '5977', 28_000, 2, 'Beauty'],
  ['Books', 'Shopping', '5942', 18_000, 1, 'Books'],
  ['Sporting Goods', 'Shopping', '5941', 70_000, 0.8, 'Sports'],
  ['Furniture', 'Shopping', '5712', 180_000, 0.5, 'Living'],
  ['Fuel', 'Transport', '5541', 60_000, 4, 'Oil'],
  ['Public Transit', 'Transport', '4111', 1_450, 5, 'Transit'],
  ['Taxi', 'Transport', '4121', 13_000, 3, 'Taxi'],
  ['Airlines', 'Travel', '4511', 420_000, 0.3, 'Air'],
  ['Hotels', 'Travel', '7011', 160_000, 0.5, 'Hotel'],
  ['Travel Agencies', 'Travel', '4722', 350_000, 0.2, 'Tour'],
  ['Telecom', 'Utilities', '4814', 55_000, 1, 'Telecom'],
  ['Utilities', 'Utilities', '4900', 48_000, 0.8, 'Energy'],
  ['Insurance', 'Finance', '6300', 90_000, 0.6, 'Insurance'],
  ['Cash Withdrawal', 'Finance', '6011', 100_000, 3, 'ATM'],
  ['Hospitals', 'Health', '8062', 35_000, 1.5, 'Hospital'],
  ['Pharmacies', 'Health', '5912', 12_000, 2, 'Pharmacy'],
  ['Education', 'Education', '8299', 200_000, 0.7, 'Academy'],
  ['Cinemas & Entertainment', 'Leisure', '7832', 25_000, 1.5, 'Cinema'],
  ['Streaming & Games', 'Leisure', '5815', 11_000, 1.5, 'Games'],
];
const N_CATEGORIES = CATEGORY_ROWS.length;
const CASH_CATEGORY = CATEGORY_ROWS.findIndex((c) => c[0] === 'Cash Withdrawal');
const CATEGORY_PICK = new Weighted(CATEGORY_ROWS.map((c) => c[4]));
const CATEGORY_MEDIAN = Float64Array.from(CATEGORY_ROWS.map((c) => c[3]));

const STEMS = [
  'Hanbit', 'Saerom', 'Dasom', 'Nuri', 'Haneul', 'Baram', 'Sarang', 'Mirae', 'Areum', 'Bora',
  'Chorok', 'Dure', 'Garam', 'Haon', 'Iseul', 'Jaram', 'Kkumi', 'Maru', 'Narae', 'Onnuri',
  'Pureun', 'Rami', 'Sol', 'Tteul', 'Uri', 'Yeon', 'Bit', 'Dal', 'Byeol', 'Gang',
  'San', 'Bada', 'Sup', 'Nabi', 'Gureum', 'Hae', 'Nun', 'Bom', 'Yeoreum', 'Gaeul',
];
/** Merchant names: code = category * STEMS.length + stem. */
const MERCHANT_NAMES = CATEGORY_ROWS.flatMap((c) => STEMS.map((s) => `${s} ${c[5]}`));
const MCC_DICT = CATEGORY_ROWS.map((c) => c[2]);

const CITIES = ['Seoul', 'Busan', 'Incheon', 'Daegu', 'Daejeon', 'Gwangju', 'Ulsan', 'Suwon', 'Seongnam', 'Goyang', 'Yongin', 'Changwon', 'Cheongju', 'Jeonju', 'Jeju'];
const CITY_PICK = new Weighted([40, 10, 8, 7, 5, 5, 3, 6, 5, 4, 4, 3, 3, 2, 3]);

const SURNAMES = ['김', '이', '박', '최', '정', '강', '조', '윤', '장', '임', '한', '오', '서', '신', '권', '황', '안', '송', '류', '홍'];
const SURNAME_PICK = new Weighted([21, 14, 8, 4.7, 4.3, 2.3, 2.1, 2.1, 2, 1.7, 1.5, 1.5, 1.5, 1.5, 1.4, 1.4, 1.3, 1.3, 1.2, 1.1]);
const GIVEN = [
  '민준', '서준', '도윤', '예준', '시우', '하준', '주원', '지호', '지후', '준우', '준서', '건우', '현우', '우진', '선우',
  '서연', '서윤', '지우', '서현', '민서', '하은', '하윤', '윤서', '지유', '지민', '채원', '수아', '지아', '지윤', '은서',
  '영수', '영호', '영철', '정호', '성민', '성호', '상훈', '동현', '재현', '민수', '미경', '은영', '수진', '지영', '혜진',
  '현정', '미영', '정희', '영희', '순자',
];
const CUSTOMER_NAMES = combos(SURNAMES, GIVEN, '');

const COUNTRIES = ['KR', 'US', 'JP', 'CN', 'VN', 'PH', 'DE', 'GB'];
const COUNTRY_PICK = new Weighted([95, 1.5, 1, 1, 0.6, 0.3, 0.3, 0.3]);
const SEGMENTS = ['RETAIL', 'PREMIUM', 'VIP', 'BUSINESS'];
const SEGMENT_PICK = new Weighted([70, 18, 4, 8]);

const CURRENCIES = ['KRW', 'USD', 'JPY', 'EUR', 'CNY'];
const CURRENCY_PICK = new Weighted([95, 2.5, 1.5, 0.5, 0.5]);

/** Status dictionary: 4 valid codes, then the invalid ones injected as dirt. */
const STATUS_DICT = ['APPROVED', 'DECLINED', 'PENDING', 'REFUNDED', 'UNKNOWN', 'approved', 'APPRVD', 'ERR_99', ''];
const STATUS_PICK = new Weighted([92, 4, 2, 2]);
const N_VALID_STATUS = 4;
const N_INVALID_STATUS = STATUS_DICT.length - N_VALID_STATUS;

const CHANNELS = ['CARD', 'ONLINE', 'MOBILE', 'ATM'];
const CHANNEL_PICK = new Weighted([60, 25, 15]); // ATM only for cash withdrawals
const ATM = 3;

const INSTALLMENTS = [2, 3, 6, 10, 12];

/** Card spending by hour of day (KST), late-morning and evening peaks. */
const HOUR_PICK = new Weighted([1.2, 0.7, 0.4, 0.3, 0.3, 0.5, 1.2, 2.8, 4.2, 4.5, 5, 6.2, 8, 7, 5.8, 5.4, 5.5, 6, 7.2, 7.4, 6.5, 5.2, 3.8, 2.2]);

const DAY_2024 = epochDay(2024, 1, 1);
const DAY_1970 = 0;
const DAY_2099 = epochDay(2099, 1, 1);
const DAY_2005 = epochDay(2005, 1, 1);

// ── sizes ──────────────────────────────────────────────────────────────────────────────────────

export function financeSizes(rows: number): { accounts: number; merchants: number; categories: number } {
  return {
    accounts: Math.max(10, Math.min(1_000_000, Math.ceil(rows / 100))),
    merchants: Math.min(200_000, Math.floor(rows / 1000) + 50),
    categories: N_CATEGORIES,
  };
}

// ── tables ─────────────────────────────────────────────────────────────────────────────────────

const TRANSACTIONS: TableDef = {
  name: 'transactions',
  description: 'Card/online/ATM transactions during 2024, roughly in time order (day by row position); bronze-quality with injected dirt.',
  rowsRule: 'rows',
  columns: [
    { name: 'transaction_id', type: INT64, nullable: false, description: 'row number 1 … rows; duplicated rows repeat an earlier id (its row is an exact copy)' },
    { name: 'account_id', type: INT32, nullable: true, description: 'FK accounts (skewed: low ids more active); NULL as dirt' },
    { name: 'merchant_id', type: INT32, nullable: false, description: 'FK merchants (skewed)' },
    { name: 'category_id', type: INT32, nullable: false, description: "FK categories: the merchant's category" },
    { name: 'amount', type: AMOUNT, nullable: true, description: 'KRW, log-normal around the category median; NULL / ≤ 0 as dirt' },
    { name: 'currency', type: UTF8, nullable: false, description: 'original currency: KRW 95%, USD, JPY, EUR, CNY (amount is converted to KRW)' },
    { name: 'ts', type: TIMESTAMP, nullable: false, description: 'within 2024 with a daily cycle; 1970 / 2099 as dirt' },
    { name: 'status', type: UTF8, nullable: true, description: 'APPROVED 92%, DECLINED, PENDING, REFUNDED; NULL / invalid codes as dirt' },
    { name: 'channel', type: UTF8, nullable: false, description: 'CARD, ONLINE, MOBILE; ATM for cash withdrawals' },
    { name: 'installment_months', type: INT32, nullable: false, description: '0 (lump sum) or 2/3/6/10/12 for card/online purchases ≥ 50,000 KRW' },
  ],
};

const ACCOUNTS: TableDef = {
  name: 'accounts',
  description: 'Customer accounts.',
  rowsRule: 'clamp(ceil(rows / 100), 10, 1,000,000)',
  columns: [
    { name: 'account_id', type: INT32, nullable: false, description: '1 … n' },
    { name: 'customer_name', type: UTF8, nullable: false, description: 'Korean name (hangul), not unique' },
    { name: 'country', type: UTF8, nullable: false, description: 'KR 95%, US, JP, CN, VN, PH, DE, GB' },
    { name: 'segment', type: UTF8, nullable: false, description: 'RETAIL, PREMIUM, VIP, BUSINESS' },
    { name: 'opened_at', type: DATE, nullable: false, description: '2005-01-01 … 2024-12-31, more recent more likely' },
  ],
};

const MERCHANTS: TableDef = {
  name: 'merchants',
  description: 'Merchants; each belongs to one category.',
  rowsRule: 'min(floor(rows / 1000) + 50, 200,000)',
  columns: [
    { name: 'merchant_id', type: INT32, nullable: false, description: '1 … n' },
    { name: 'name', type: UTF8, nullable: false, description: "e.g. 'Hanbit Mart' (stem + category word, not unique)" },
    { name: 'mcc', type: UTF8, nullable: false, description: "ISO 18245 merchant category code of the category, e.g. '5411'" },
    { name: 'city', type: UTF8, nullable: false, description: 'Korean city (Seoul 40%)' },
    { name: 'category_id', type: INT32, nullable: false, description: 'FK categories' },
  ],
};

const CATEGORIES: TableDef = {
  name: 'categories',
  description: 'Spending categories (fixed, 30 rows).',
  rowsRule: '30',
  columns: [
    { name: 'category_id', type: INT32, nullable: false, description: '1 … 30' },
    { name: 'name', type: UTF8, nullable: false, description: "e.g. 'Groceries'" },
    { name: 'category_group', type: UTF8, nullable: false, description: "Food, Shopping, Transport, Travel, Utilities, Finance, Health, Education, Leisure ('group' is reserved in SQL)" },
    { name: 'mcc', type: UTF8, nullable: false, description: 'merchant category code' },
  ],
};

/** Names of the counts in the manifest's dirt.injectedCounts. */
export const FINANCE_DIRT_COUNTS = [
  'duplicate_transaction_id',
  'null_amount',
  'null_account_id',
  'null_status',
  'nonpositive_amount',
  'invalid_status',
  'bad_timestamp',
] as const;

export const finance: DatasetDef = {
  name: 'finance',
  description: 'Korean card transactions (KRW) for a bronze/silver/gold medallion pipeline (seeds 000, 001): fact table + 3 dimensions, with injected dirt.',
  seeds: ['000', '001'],
  factTable: 'transactions',
  tables: [TRANSACTIONS, ACCOUNTS, MERCHANTS, CATEGORIES],
  dirt: [
    { name: 'duplicate', defaultRate: 0.01, description: 'row is an exact copy of one of the previous 1000 rows (same transaction_id)' },
    { name: 'null', defaultRate: 0.005, description: 'amount, account_id and status are each NULL at this rate (independently)' },
    { name: 'nonpositive', defaultRate: 0.005, description: 'amount is 0 (40%) or negated (60%)' },
    { name: 'invalid_status', defaultRate: 0.003, description: "status is one of 'UNKNOWN', 'approved', 'APPRVD', 'ERR_99', ''" },
    { name: 'bad_timestamp', defaultRate: 0.002, description: 'ts in 1970 or 2099 instead of 2024' },
  ],
  plan({ seed, rows, dirt }) {
    const sizes = financeSizes(rows);
    const k = (name: string) => streamKey(seed, `finance.${name}`);
    const kMerchantCategory = k('merchant.category');
    const merchantCategory = new Uint8Array(sizes.merchants);
    for (let m = 0; m < sizes.merchants; m++) merchantCategory[m] = CATEGORY_PICK.pick(unit(kMerchantCategory, m));

    const rDup = dirt.duplicate ?? 0;
    const rNull = dirt.null ?? 0;
    const rNonPos = dirt.nonpositive ?? 0;
    const rInvalid = dirt.invalid_status ?? 0;
    const rBadTs = dirt.bad_timestamp ?? 0;

    const kDup = k('tx.dup');
    const kDupBack = k('tx.dup_back');
    const kAccount = k('tx.account');
    const kMerchant = k('tx.merchant');
    const kCurrency = k('tx.currency');
    const kAmount = k('tx.amount');
    const kChannel = k('tx.channel');
    const kHour = k('tx.hour');
    const kSecond = k('tx.second');
    const kStatus = k('tx.status');
    const kInstallment = k('tx.installment');
    const kNullAmount = k('tx.null_amount');
    const kNullAccount = k('tx.null_account');
    const kNullStatus = k('tx.null_status');
    const kNonPos = k('tx.nonpositive');
    const kInvalid = k('tx.invalid_status');
    const kBadTs = k('tx.bad_ts');
    const nAcc = sizes.accounts;
    const nMer = sizes.merchants;
    const daysPerRow = 366 / rows;

    /** The row a (possibly duplicated) row copies: itself, or a non-duplicate among the previous 1000. */
    const sourceOf = (r: number): number => {
      if (r === 0 || rDup <= 0 || unit(kDup, r) >= rDup) return r;
      let s = r - 1 - below(kDupBack, r, Math.min(r, 1000));
      while (s > 0 && unit(kDup, s) < rDup) s--;
      return s;
    };

    const transactions = {
      name: TRANSACTIONS.name,
      rows,
      fields: fieldsOf(TRANSACTIONS),
      generate(start: number, n: number) {
        const txid = new Float64Array(n);
        const account = new Int32Array(n);
        const merchant = new Int32Array(n);
        const category = new Int32Array(n);
        const amount = new Float64Array(n);
        const currency = new Int32Array(n);
        const ts = new Float64Array(n);
        const status = new Int32Array(n);
        const channel = new Int32Array(n);
        const installment = new Int32Array(n);
        const vAccount = rNull > 0 ? new Uint8Array(n).fill(1) : null;
        const vAmount = rNull > 0 ? new Uint8Array(n).fill(1) : null;
        const vStatus = rNull > 0 ? new Uint8Array(n).fill(1) : null;
        let dups = 0, nullAmount = 0, nullAccount = 0, nullStatus = 0, nonPos = 0, invalid = 0, badTs = 0;
        for (let j = 0; j < n; j++) {
          const r = start + j;
          const s = sourceOf(r);
          if (s !== r) dups++;
          txid[j] = s + 1;
          account[j] = 1 + Math.floor(nAcc * Math.pow(unit(kAccount, s), 1.3));
          const m = Math.floor(nMer * Math.pow(unit(kMerchant, s), 1.6));
          merchant[j] = m + 1;
          const cat = merchantCategory[m];
          category[j] = cat + 1;
          const cur = CURRENCY_PICK.pick(unit(kCurrency, s));
          currency[j] = cur;
          let won = CATEGORY_MEDIAN[cat] * Math.exp(0.85 * normal(kAmount, s));
          won = cur === 0 ? Math.max(100, Math.round(won / 10) * 10) : Math.max(100, Math.round(won));
          if (won > 100_000_000) won = 100_000_000;
          const ch = cat === CASH_CATEGORY ? ATM : CHANNEL_PICK.pick(unit(kChannel, s));
          channel[j] = ch;
          installment[j] = ch <= 1 && won >= 50_000 && unit(kInstallment, s) < 0.3 ? INSTALLMENTS[below(kInstallment ^ 0x5bd1e995, s, INSTALLMENTS.length)] : 0;
          status[j] = STATUS_PICK.pick(unit(kStatus, s));
          // ts: day from the row position (so the file is roughly time-ordered), time of day from the daily cycle
          const day = Math.min(365, Math.floor(s * daysPerRow));
          const ms = below(kSecond, s, 3_600_000); // millisecond within the hour
          const sec = HOUR_PICK.pick(unit(kHour, s)) * 3600 + Math.floor(ms / 1000);
          let t = (DAY_2024 + day) * DAY_US + sec * 1_000_000 + (ms % 1000) * 1000;
          // dirt (decided on the source row, so a duplicate is an exact copy)
          if (rBadTs > 0) {
            const u = unit(kBadTs, s);
            if (u < rBadTs) {
              const base = u < rBadTs / 2 ? DAY_1970 : DAY_2099;
              t = (base + below(kBadTs ^ 0x2545f491, s, 365)) * DAY_US + sec * 1_000_000;
              badTs++;
            }
          }
          ts[j] = t;
          let amountNull = false;
          if (rNull > 0) {
            if (unit(kNullAmount, s) < rNull) { vAmount![j] = 0; nullAmount++; amountNull = true; }
            if (unit(kNullAccount, s) < rNull) { vAccount![j] = 0; account[j] = 0; nullAccount++; }
            if (unit(kNullStatus, s) < rNull) { vStatus![j] = 0; status[j] = 0; nullStatus++; }
          }
          if (amountNull) won = 0;
          else if (rNonPos > 0) {
            const u = unit(kNonPos, s);
            if (u < rNonPos) {
              won = u < rNonPos * 0.4 ? 0 : -won;
              nonPos++;
            }
          }
          amount[j] = won * 100;
          if (rInvalid > 0 && (vStatus === null || vStatus[j] === 1)) {
            const u = unit(kInvalid, s);
            if (u < rInvalid) {
              status[j] = N_VALID_STATUS + Math.min(N_INVALID_STATUS - 1, Math.floor((u / rInvalid) * N_INVALID_STATUS));
              invalid++;
            }
          }
        }
        return {
          columns: [
            col(INT64, txid),
            col(INT32, account, validityOrNull(vAccount, nullAccount)),
            col(INT32, merchant),
            col(INT32, category),
            col(AMOUNT, amount, validityOrNull(vAmount, nullAmount)),
            col(UTF8, currency, null, CURRENCIES),
            col(TIMESTAMP, ts),
            col(UTF8, status, validityOrNull(vStatus, nullStatus), STATUS_DICT),
            col(UTF8, channel, null, CHANNELS),
            col(INT32, installment),
          ],
          dirt: {
            duplicate_transaction_id: dups,
            null_amount: nullAmount,
            null_account_id: nullAccount,
            null_status: nullStatus,
            nonpositive_amount: nonPos,
            invalid_status: invalid,
            bad_timestamp: badTs,
          },
        };
      },
    };

    const kName = k('account.name');
    const kGiven = k('account.given');
    const kCountry = k('account.country');
    const kSegment = k('account.segment');
    const kOpened = k('account.opened');
    const openedSpan = epochDay(2024, 12, 31) - DAY_2005 + 1;
    const accounts = {
      name: ACCOUNTS.name,
      rows: sizes.accounts,
      fields: fieldsOf(ACCOUNTS),
      generate(start: number, n: number) {
        const id = new Int32Array(n);
        const name = new Int32Array(n);
        const country = new Int32Array(n);
        const segment = new Int32Array(n);
        const opened = new Int32Array(n);
        for (let j = 0; j < n; j++) {
          const r = start + j;
          id[j] = r + 1;
          name[j] = SURNAME_PICK.pick(unit(kName, r)) * GIVEN.length + below(kGiven, r, GIVEN.length);
          country[j] = COUNTRY_PICK.pick(unit(kCountry, r));
          segment[j] = SEGMENT_PICK.pick(unit(kSegment, r));
          opened[j] = DAY_2005 + Math.min(openedSpan - 1, Math.floor(openedSpan * Math.pow(unit(kOpened, r), 0.6)));
        }
        return {
          columns: [
            col(INT32, id),
            col(UTF8, name, null, CUSTOMER_NAMES),
            col(UTF8, country, null, COUNTRIES),
            col(UTF8, segment, null, SEGMENTS),
            col(DATE, opened),
          ],
        };
      },
    };

    const kStem = k('merchant.stem');
    const kCity = k('merchant.city');
    const merchants = {
      name: MERCHANTS.name,
      rows: sizes.merchants,
      fields: fieldsOf(MERCHANTS),
      generate(start: number, n: number) {
        const id = new Int32Array(n);
        const name = new Int32Array(n);
        const mcc = new Int32Array(n);
        const city = new Int32Array(n);
        const cat = new Int32Array(n);
        for (let j = 0; j < n; j++) {
          const r = start + j;
          const c = merchantCategory[r];
          id[j] = r + 1;
          name[j] = c * STEMS.length + below(kStem, r, STEMS.length);
          mcc[j] = c;
          city[j] = CITY_PICK.pick(unit(kCity, r));
          cat[j] = c + 1;
        }
        return {
          columns: [col(INT32, id), col(UTF8, name, null, MERCHANT_NAMES), col(UTF8, mcc, null, MCC_DICT), col(UTF8, city, null, CITIES), col(INT32, cat)],
        };
      },
    };

    const categories = {
      name: CATEGORIES.name,
      rows: N_CATEGORIES,
      fields: fieldsOf(CATEGORIES),
      generate(start: number, n: number) {
        const id = new Int32Array(n);
        const codes = new Int32Array(n);
        for (let j = 0; j < n; j++) {
          id[j] = start + j + 1;
          codes[j] = start + j;
        }
        return {
          columns: [
            col(INT32, id),
            col(UTF8, codes, null, CATEGORY_ROWS.map((c) => c[0])),
            col(UTF8, codes.slice(), null, CATEGORY_ROWS.map((c) => c[1])),
            col(UTF8, codes.slice(), null, MCC_DICT),
          ],
        };
      },
    };

    return { tables: [transactions, accounts, merchants, categories] };
  },
};
