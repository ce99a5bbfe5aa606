import { ident, type Row, type Workspace } from '../workspace/workspace';
import { positiveInt, resultTableName, ToolError, ToolTable } from './table';

export type BenfordTest = 1 | 2;
export type Conformity = 'close' | 'acceptable' | 'marginal' | 'nonconformity';

export interface BenfordDigit {
  digit: number;
  count: number;
  expected_count: number;
  actual: number;
  expected: number;
  diff: number;
  z: number;              // Nigrini's z-statistic with continuity correction
  significant: boolean;   // z > 1.96 (5% level)
}

export interface BenfordResult {
  table: string;
  column: string;
  test: BenfordTest;
  min_value: number;
  n: number;              // values tested (positive, >= min_value)
  excluded: number;       // null, non-numeric, non-positive or below min_value
  digits: BenfordDigit[];
  mad: number;
  conformity: Conformity;
  mad_ranges: { close: number; acceptable: number; marginal: number };
  chi_square: number;
  df: number;
  span_orders: number | null;      // log10(max / min) of the tested values
  top_value: { value: number; count: number; share: number } | null;
  applicable: boolean;
  notes: string[];
  result_table?: string;
}

/** Nigrini (2012) MAD conformity ranges, as fixed in DOMAIN.md. */
export const NIGRINI_RANGES: Record<BenfordTest, { close: number; acceptable: number; marginal: number }> = {
  1: { close: 0.006, acceptable: 0.012, marginal: 0.015 },
  2: { close: 0.0012, acceptable: 0.0018, marginal: 0.0022 },
};

export function conformity(test: BenfordTest, mad: number): Conformity {
  const r = NIGRINI_RANGES[test];
  if (mad < r.close) return 'close';
  if (mad <= r.acceptable) return 'acceptable';
  if (mad <= r.marginal) return 'marginal';
  return 'nonconformity';
}

export function benfordExpected(test: BenfordTest): { digit: number; p: number }[] {
  const lo = test === 1 ? 1 : 10;
  const hi = test === 1 ? 9 : 99;
  const out = [];
  for (let d = lo; d <= hi; d++) out.push({ digit: d, p: Math.log10(1 + 1 / d) });
  return out;
}

export interface BenfordOptions {
  table: string;
  column: string;
  test?: BenfordTest;
  /** Values below this are left out (Nigrini advises dropping small numbers, e.g. < 10). Default 10. */
  minValue?: number;
  /** Below this many tested values the result is flagged as not meaningful. Default 300. */
  minCount?: number;
  /** A single amount holding at least this share of the values is called dominant. Default 0.1. */
  dominantShare?: number;
  /** Materialise the digit table as tool_<resultName>. */
  resultName?: string;
}

/** The first `test` significant digits of a positive numeric value, in SQL (text route: exact for DECIMAL amounts). */
function digitsSql(x: string, test: BenfordTest): string {
  return `TRY_CAST(substr(ltrim(regexp_replace(printf('%.6f', ${x}), '[^0-9]', '', 'g'), '0'), 1, ${test}) AS INTEGER)`;
}

function valuesSql(t: ToolTable, column: string, test: BenfordTest): string {
  const c = t.column(column);
  if (c.cls !== 'numeric' && c.cls !== 'text') throw new ToolError(`Kolom "${column}" bukan kolom angka (${c.type})`);
  const x = `TRY_CAST(${ident(c.name)} AS DOUBLE)`;
  // DECIMAL and integer columns print exactly as text: strip the point and leading zeros (3× faster than printf+regex).
  const exact = /^(DECIMAL|TINYINT|SMALLINT|INTEGER|BIGINT|HUGEINT|UTINYINT|USMALLINT|UINTEGER|UBIGINT)/i.test(c.type);
  const digit = exact
    ? `TRY_CAST(substr(ltrim(replace(${ident(c.name)}::VARCHAR, '.', ''), '0'), 1, ${test}) AS INTEGER)`
    : digitsSql(x, test);
  return `SELECT ${t.keySql} AS _key, ${x} AS x, ${digit} AS digit FROM ${t.sql}`;
}

/** Benford's law first-digit or first-two-digits test with MAD (Nigrini), chi-square and per-digit z. */
export async function benford(ws: Workspace, opts: BenfordOptions): Promise<BenfordResult> {
  const test: BenfordTest = opts.test === 2 ? 2 : 1;
  if (opts.test !== undefined && opts.test !== 1 && opts.test !== 2) throw new ToolError('test harus 1 (digit pertama) atau 2 (dua digit pertama)');
  const minValue = opts.minValue ?? 10;
  const minCount = opts.minCount ?? 300;
  const dominantShare = opts.dominantShare ?? 0.1;
  const t = await ToolTable.open(ws, opts.table);
  const base = valuesSql(t, opts.column, test);
  const keep = `x IS NOT NULL AND x > 0 AND x >= $min AND digit IS NOT NULL`;
  // One pass over the table: the tested values go to a temp table, every figure is read from it.
  await ws.run(`CREATE OR REPLACE TEMP TABLE _benford AS WITH _bv AS (${base}) SELECT x, digit FROM _bv WHERE ${keep}`, { min: minValue });
  const all = Number(await ws.scalar(`SELECT count(*) FROM ${t.sql}`));
  const totals = await ws.one<{ total: number; n: number; mn: number | null; mx: number | null }>(
    `SELECT $all::BIGINT AS total, count(*) AS n, min(x) AS mn, max(x) AS mx FROM _benford`, { all });
  const counts = await ws.all<{ digit: number; n: number }>(`SELECT digit, count(*) AS n FROM _benford GROUP BY digit`);
  const topRow = await ws.one<{ x: number; n: number }>(`SELECT x, count(*) AS n FROM _benford GROUP BY x ORDER BY n DESC, x LIMIT 1`);
  await ws.run(`DROP TABLE IF EXISTS _benford`);
  const n = Number(totals!.n);
  const byDigit = new Map(counts.map((r) => [Number(r.digit), Number(r.n)]));
  const digits: BenfordDigit[] = benfordExpected(test).map(({ digit, p }) => {
    const count = byDigit.get(digit) ?? 0;
    const actual = n ? count / n : 0;
    const diff = actual - p;
    const cc = 1 / (2 * (n || 1));
    const num = Math.abs(diff) - (cc < Math.abs(diff) ? cc : 0);
    const z = n ? num / Math.sqrt((p * (1 - p)) / n) : 0;
    return { digit, count, expected_count: n * p, actual, expected: p, diff, z, significant: z > 1.96 };
  });
  const mad = n ? digits.reduce((s, d) => s + Math.abs(d.diff), 0) / digits.length : 0;
  const chi = n ? digits.reduce((s, d) => s + (d.count - d.expected_count) ** 2 / d.expected_count, 0) : 0;
  const span = totals!.mn && totals!.mx ? Math.log10(Number(totals!.mx) / Number(totals!.mn)) : null;
  const top = topRow ? { value: Number(topRow.x), count: Number(topRow.n), share: n ? Number(topRow.n) / n : 0 } : null;
  const notes: string[] = [];
  if (n < minCount) notes.push(`Hanya ${n} nilai positif (≥ ${minValue}) yang diuji; di bawah ${minCount} nilai, hasil uji Benford tidak bermakna.`);
  if (span !== null && span < 2) notes.push(`Rentang nilai hanya ${span.toFixed(2)} orde besaran (< 2); data yang tidak mencakup beberapa orde besaran tidak dapat diharapkan mengikuti hukum Benford.`);
  if (top && top.share >= dominantShare) {
    notes.push(`Satu nilai tetap (${top.value.toLocaleString('id-ID')}) mencakup ${(top.share * 100).toFixed(1).replace('.', ',')}% nilai; nominal bantuan tetap (mis. BPNT Rp 200.000) tidak dapat diharapkan mengikuti hukum Benford.`);
  }
  const result: BenfordResult = {
    table: t.name, column: opts.column, test, min_value: minValue, n, excluded: Number(totals!.total) - n, digits,
    mad, conformity: conformity(test, mad), mad_ranges: NIGRINI_RANGES[test], chi_square: chi, df: digits.length - 1,
    span_orders: span, top_value: top, applicable: notes.length === 0, notes,
  };
  if (opts.resultName) {
    const rt = resultTableName('tool', opts.resultName);
    await ws.run(`CREATE OR REPLACE TABLE ${ident(rt)} (digit INTEGER, count BIGINT, expected_count DOUBLE, actual DOUBLE, expected DOUBLE, diff DOUBLE, z DOUBLE, significant BOOLEAN)`);
    for (const d of digits) {
      await ws.run(`INSERT INTO ${ident(rt)} VALUES (?, ?, ?, ?, ?, ?, ?, ?)`, [d.digit, d.count, d.expected_count, d.actual, d.expected, d.diff, d.z, d.significant]);
    }
    result.result_table = rt;
  }
  return result;
}

/** Drill-down: the records whose first (two) digit(s) equal `digit`. */
export async function benfordDrill(ws: Workspace, opts: { table: string; column: string; test?: BenfordTest; digit: number;
  minValue?: number; limit?: number; offset?: number }): Promise<{ total: number; rows: Row[] }> {
  const test: BenfordTest = opts.test === 2 ? 2 : 1;
  const digit = positiveInt(opts.digit, 'digit', 99);
  const t = await ToolTable.open(ws, opts.table);
  const base = valuesSql(t, opts.column, test);
  const limit = Math.min(positiveInt(opts.limit ?? 1000, 'limit', 1_000_000), 1_000_000);
  const offset = Math.max(0, Math.trunc(opts.offset ?? 0));
  const where = `_bv.x > 0 AND _bv.x >= $min AND _bv.digit = $digit`;
  const p = { min: opts.minValue ?? 10, digit };
  const total = await ws.scalar<number>(`WITH _bv AS (${base}) SELECT count(*) FROM _bv WHERE ${where}`, p);
  const rows = await ws.all(`WITH _bv AS (${base}) SELECT s.* FROM _bv JOIN ${t.sql} s ON s.${t.keySql} = _bv._key WHERE ${where}
    ORDER BY _bv.x DESC, _bv._key LIMIT ${limit} OFFSET ${offset}`, p);
  return { total: Number(total), rows };
}
