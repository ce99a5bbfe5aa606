import { ident, type Workspace } from '../workspace/workspace';
import { resultTableName, ToolError, ToolTable } from './table';

export interface Gap {
  after: string | number;   // last present value before the gap
  before: string | number;  // first present value after the gap
  missing: number;          // values (or days/months) missing in between
}

export interface GapsResult {
  table: string;
  column: string;
  kind: 'number' | 'date';
  step: 'unit' | 'day' | 'month';
  values: number;           // non-null values read
  distinct: number;
  duplicates: number;       // values - distinct
  min: string | number | null;
  max: string | number | null;
  gaps: number;
  missing: number;
  top: Gap[];
  result_table?: string;
}

/**
 * Gaps in a numeric or date sequence (ACL "Gaps"). Numbers step by 1 (text like TRX000123 uses its trailing digits);
 * dates step by day, or by month with step 'month'.
 */
export async function gaps(ws: Workspace, opts: { table: string; column: string; step?: 'day' | 'month';
  limit?: number; resultName?: string }): Promise<GapsResult> {
  const t = await ToolTable.open(ws, opts.table);
  const c = t.column(opts.column, ['numeric', 'date', 'text']);
  const q = ident(c.name);
  const limit = Math.min(Math.max(Math.trunc(opts.limit ?? 100), 1), 100000);
  let valueSql: string;
  let diffSql: string;
  let kind: GapsResult['kind'];
  let step: GapsResult['step'] = 'unit';
  if (c.cls === 'date') {
    kind = 'date';
    step = opts.step === 'month' ? 'month' : 'day';
    valueSql = step === 'month' ? `date_trunc('month', ${q})::DATE` : `${q}::DATE`;
    diffSql = step === 'month' ? `datediff('month', v, nv)` : `datediff('day', v, nv)`;
  } else {
    kind = 'number';
    if (opts.step) throw new ToolError('step hanya untuk kolom tanggal');
    if (c.cls === 'numeric') {
      if (!/INT/i.test(c.type) && !/DECIMAL\(\d+,0\)/i.test(c.type)) {
        const frac = await ws.scalar<number>(`SELECT count(*) FROM ${t.sql} WHERE ${q} <> trunc(${q})`);
        if (Number(frac) > 0) throw new ToolError(`Kolom "${c.name}" berisi bilangan pecahan; uji celah memerlukan nomor urut bulat`);
      }
      valueSql = `${q}::HUGEINT`;
    } else {
      valueSql = `TRY_CAST(regexp_extract(${q}, '([0-9]+)\\s*$', 1) AS HUGEINT)`;
    }
    diffSql = `(nv - v)`;
  }
  const seq = `WITH _gs AS (SELECT ${valueSql} AS v FROM ${t.sql}),
      _gd AS (SELECT DISTINCT v FROM _gs WHERE v IS NOT NULL),
      _gl AS (SELECT v, lead(v) OVER (ORDER BY v) AS nv FROM _gd)
    SELECT v AS after, nv AS before, (${diffSql} - 1)::BIGINT AS missing FROM _gl WHERE nv IS NOT NULL AND ${diffSql} > 1`;
  const st = await ws.one<{ n: number; dn: number; mn: unknown; mx: unknown }>(
    `WITH _gs AS (SELECT ${valueSql} AS v FROM ${t.sql}) SELECT count(v) AS n, count(DISTINCT v) AS dn, min(v)::VARCHAR AS mn, max(v)::VARCHAR AS mx FROM _gs`);
  const agg = await ws.one<{ g: number; m: number }>(`SELECT count(*) AS g, coalesce(sum(missing), 0) AS m FROM (${seq})`);
  const fmt = (v: unknown) => (kind === 'number' && v !== null && v !== undefined ? Number(v) : (v as string));
  const top = await ws.all<{ after: unknown; before: unknown; missing: number }>(
    `SELECT after::VARCHAR AS after, before::VARCHAR AS before, missing FROM (${seq}) ORDER BY after LIMIT ${limit}`);
  const res: GapsResult = {
    table: t.name, column: c.name, kind, step, values: Number(st!.n), distinct: Number(st!.dn),
    duplicates: Number(st!.n) - Number(st!.dn), min: st!.mn === null ? null : fmt(st!.mn), max: st!.mx === null ? null : fmt(st!.mx),
    gaps: Number(agg!.g), missing: Number(agg!.m),
    top: top.map((g) => ({ after: fmt(g.after), before: fmt(g.before), missing: Number(g.missing) })),
  };
  if (opts.resultName) {
    const rt = resultTableName('tool', opts.resultName);
    await ws.run(`CREATE OR REPLACE TABLE ${ident(rt)} AS ${seq} ORDER BY after`);
    res.result_table = rt;
  }
  return res;
}
