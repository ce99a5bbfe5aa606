import { ident, type Workspace } from '../workspace/workspace';
import { num, resultTableName, ToolError, ToolTable } from './table';

export interface AgeBucket {
  bucket: string;          // future | 0-30 | 31-60 | 61-90 | 91-180 | 181-365 | >365 | no date
  count: number;
  sum: number | null;      // of amountColumn when given
  count_share: number;
}

export interface AgeingResult {
  table: string;
  column: string;
  as_of: string;
  amount_column?: string;
  buckets: AgeBucket[];
  oldest_days: number | null;
  result_table?: string;
}

export const AGE_BUCKETS = ['0-30', '31-60', '61-90', '91-180', '181-365', '>365'] as const;

/** Ageing (days from a date column to the as-of date) into 0-30/31-60/61-90/91-180/181-365/>365 buckets. */
export async function ageing(ws: Workspace, opts: { table: string; column: string; asOf: string; amountColumn?: string;
  resultName?: string }): Promise<AgeingResult> {
  const t = await ToolTable.open(ws, opts.table);
  const d = t.col(opts.column, ['date']);
  const amt = opts.amountColumn ? t.col(opts.amountColumn, ['numeric']) : null;
  if (!/^\d{4}-\d{2}-\d{2}$/.test(opts.asOf ?? '')) throw new ToolError('asOf harus tanggal YYYY-MM-DD');
  const days = `datediff('day', ${d}::DATE, $asof::DATE)`;
  const bucket = `CASE WHEN ${d} IS NULL THEN 'no date' WHEN ${days} < 0 THEN 'future' WHEN ${days} <= 30 THEN '0-30'
    WHEN ${days} <= 60 THEN '31-60' WHEN ${days} <= 90 THEN '61-90' WHEN ${days} <= 180 THEN '91-180'
    WHEN ${days} <= 365 THEN '181-365' ELSE '>365' END`;
  const p = { asof: opts.asOf };
  const rows = await ws.all<{ bucket: string; n: number; s: number | null }>(
    `SELECT ${bucket} AS bucket, count(*) AS n, ${amt ? `sum(${amt})::DOUBLE` : 'NULL::DOUBLE'} AS s FROM ${t.sql} GROUP BY bucket`, p);
  const oldest = await ws.scalar<number | null>(`SELECT max(${days}) FROM ${t.sql}`, p);
  const total = rows.reduce((s, r) => s + Number(r.n), 0);
  const by = new Map(rows.map((r) => [r.bucket, r]));
  const order = ['future', ...AGE_BUCKETS, 'no date'];
  const buckets = order.filter((b) => by.has(b) || (AGE_BUCKETS as readonly string[]).includes(b)).map((b) => {
    const r = by.get(b);
    return { bucket: b, count: r ? Number(r.n) : 0, sum: amt ? (r ? num(r.s) ?? 0 : 0) : null, count_share: total && r ? Number(r.n) / total : 0 };
  });
  const res: AgeingResult = { table: t.name, column: opts.column, as_of: opts.asOf, ...(opts.amountColumn ? { amount_column: opts.amountColumn } : {}),
    buckets, oldest_days: num(oldest) };
  if (opts.resultName) {
    const rt = resultTableName('tool', opts.resultName);
    await ws.run(`CREATE OR REPLACE TABLE ${ident(rt)} AS SELECT s.*, ${days} AS _age_days, ${bucket} AS _age_bucket FROM ${t.sql} s`, p);
    res.result_table = rt;
  }
  return res;
}
