import { ident, type Workspace } from '../workspace/workspace';
import { num, positiveInt, resultTableName, ToolError, ToolTable } from './table';

export interface Stratum {
  band: number;             // 0 = below the first bound, 1.. = [bounds[i-1], bounds[i]), last = at or above the last bound
  label: string;
  lower: number | null;     // inclusive
  upper: number | null;     // exclusive
  count: number;
  sum: number;
  min: number | null;
  max: number | null;
  count_share: number;
  sum_share: number;
}

export interface StratifyResult {
  table: string;
  column: string;
  bounds: number[];
  method: 'given' | 'quantile';
  count: number;
  sum: number;
  nulls: number;
  strata: Stratum[];
  result_table?: string;
}

/**
 * Stratification (ACL "Stratify") of a numeric column into bands [b(i-1), b(i)). Bounds are given, or the
 * 1/q … (q-1)/q quantiles (quantile_disc, so every bound is an observed value) when `quantiles` is q.
 */
export async function stratify(ws: Workspace, opts: { table: string; column: string; bounds?: number[]; quantiles?: number;
  resultName?: string }): Promise<StratifyResult> {
  const t = await ToolTable.open(ws, opts.table);
  const q = t.col(opts.column, ['numeric']);
  let bounds: number[];
  let method: StratifyResult['method'];
  if (opts.bounds && opts.bounds.length) {
    bounds = opts.bounds.map(Number);
    if (bounds.some((b) => !Number.isFinite(b))) throw new ToolError('Batas strata harus angka');
    for (let i = 1; i < bounds.length; i++) if (!(bounds[i] > bounds[i - 1])) throw new ToolError('Batas strata harus naik');
    method = 'given';
  } else {
    const k = positiveInt(opts.quantiles ?? 5, 'quantiles', 100);
    if (k < 2) throw new ToolError('quantiles minimal 2');
    const probs = Array.from({ length: k - 1 }, (_, i) => (i + 1) / k);
    const r = await ws.one<{ b: number[] | null }>(`SELECT quantile_disc(${q}::DOUBLE, [${probs.join(', ')}]) AS b FROM ${t.sql} WHERE ${q} IS NOT NULL`);
    bounds = [...new Set((r?.b ?? []).map(Number))].sort((a, b) => a - b);
    method = 'quantile';
  }
  const list = `[${bounds.map((b) => `${b}::DOUBLE`).join(', ')}]::DOUBLE[]`;
  // Band i = number of bounds <= x: 0 below the first bound, bounds.length at or above the last.
  const bandSql = `len(list_filter(${list}, b -> b <= ${q}::DOUBLE))`;
  const rows = await ws.all<{ band: number; n: number; s: number | null; mn: number | null; mx: number | null }>(
    `SELECT ${bandSql} AS band, count(*) AS n, sum(${q})::DOUBLE AS s, min(${q})::DOUBLE AS mn, max(${q})::DOUBLE AS mx
     FROM ${t.sql} WHERE ${q} IS NOT NULL GROUP BY band ORDER BY band`);
  const nulls = Number(await ws.scalar(`SELECT count(*) FROM ${t.sql} WHERE ${q} IS NULL`));
  const total = rows.reduce((s, r) => s + Number(r.n), 0);
  const totalSum = rows.reduce((s, r) => s + (num(r.s) ?? 0), 0);
  const by = new Map(rows.map((r) => [Number(r.band), r]));
  const fmt = (v: number) => v.toLocaleString('id-ID');
  const strata: Stratum[] = [];
  for (let i = 0; i <= bounds.length; i++) {
    const lower = i === 0 ? null : bounds[i - 1];
    const upper = i === bounds.length ? null : bounds[i];
    const r = by.get(i);
    if (!r && (i === 0 || i === bounds.length)) continue; // open-ended bands only when populated
    const count = r ? Number(r.n) : 0;
    const sum = r ? num(r.s) ?? 0 : 0;
    strata.push({
      band: i,
      label: lower === null ? `< ${fmt(upper!)}` : upper === null ? `≥ ${fmt(lower)}` : `${fmt(lower)} – < ${fmt(upper)}`,
      lower, upper, count, sum, min: r ? num(r.mn) : null, max: r ? num(r.mx) : null,
      count_share: total ? count / total : 0, sum_share: totalSum ? sum / totalSum : 0,
    });
  }
  const res: StratifyResult = { table: t.name, column: opts.column, bounds, method, count: total, sum: totalSum, nulls, strata };
  if (opts.resultName) {
    const rt = resultTableName('tool', opts.resultName);
    await ws.run(`CREATE OR REPLACE TABLE ${ident(rt)} (band INTEGER, label VARCHAR, lower DOUBLE, upper DOUBLE, count BIGINT, sum DOUBLE, min DOUBLE, max DOUBLE, count_share DOUBLE, sum_share DOUBLE)`);
    for (const s of strata) await ws.run(`INSERT INTO ${ident(rt)} VALUES (?,?,?,?,?,?,?,?,?,?)`, [s.band, s.label, s.lower, s.upper, s.count, s.sum, s.min, s.max, s.count_share, s.sum_share]);
    res.result_table = rt;
  }
  return res;
}
