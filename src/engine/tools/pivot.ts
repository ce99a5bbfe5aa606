import { ident, type Row, type Workspace } from '../workspace/workspace';
import { resultTableName, ToolError, ToolTable } from './table';

export interface PivotRow {
  groups: Record<string, unknown>;
  count: number;
  sum?: number | null;
  avg?: number | null;
  min?: number | null;
  max?: number | null;
}

export interface PivotResult {
  table: string;
  group_by: string[];
  value?: string;
  rows: PivotRow[];
  total: { count: number; sum?: number | null };
  truncated: boolean;
  result_table?: string;
}

/** Summarise (ACL "Summarize") / pivot: group by one or two columns with count, and sum/avg/min/max of a value column. */
export async function pivot(ws: Workspace, opts: { table: string; groupBy: string[]; value?: string; limit?: number;
  resultName?: string }): Promise<PivotResult> {
  const t = await ToolTable.open(ws, opts.table);
  if (!Array.isArray(opts.groupBy) || opts.groupBy.length < 1 || opts.groupBy.length > 2) throw new ToolError('Kelompokkan menurut 1 atau 2 kolom');
  if (new Set(opts.groupBy).size !== opts.groupBy.length) throw new ToolError('Kolom pengelompokan tidak boleh sama');
  const g = opts.groupBy.map((c) => t.col(c));
  const v = opts.value ? t.col(opts.value, ['numeric']) : null;
  const limit = Math.min(Math.max(Math.trunc(opts.limit ?? 10000), 1), 1_000_000);
  const sql = `SELECT ${g.map((c, i) => `${c} AS _g${i}`).join(', ')}, count(*) AS count
      ${v ? `, sum(${v})::DOUBLE AS sum, avg(${v})::DOUBLE AS avg, min(${v})::DOUBLE AS min, max(${v})::DOUBLE AS max` : ''}
    FROM ${t.sql} GROUP BY ${g.map((_, i) => `_g${i}`).join(', ')}`;
  const rows = await ws.all<Row>(`${sql} ORDER BY ${g.map((_, i) => `_g${i} NULLS LAST`).join(', ')} LIMIT ${limit + 1}`);
  const total = await ws.one<{ n: number; s: number | null }>(`SELECT count(*) AS n, ${v ? `sum(${v})::DOUBLE` : 'NULL'} AS s FROM ${t.sql}`);
  const res: PivotResult = {
    table: t.name, group_by: opts.groupBy, ...(opts.value ? { value: opts.value } : {}),
    rows: rows.slice(0, limit).map((r) => ({
      groups: Object.fromEntries(opts.groupBy.map((c, i) => [c, r[`_g${i}`]])), count: Number(r.count),
      ...(v ? { sum: r.sum as number | null, avg: r.avg as number | null, min: r.min as number | null, max: r.max as number | null } : {}),
    })),
    total: { count: Number(total!.n), ...(v ? { sum: total!.s } : {}) },
    truncated: rows.length > limit,
  };
  if (opts.resultName) {
    const rt = resultTableName('tool', opts.resultName);
    const names = opts.groupBy.map((c) => ident(c));
    await ws.run(`CREATE OR REPLACE TABLE ${ident(rt)} AS SELECT ${g.map((_, i) => `_g${i} AS ${names[i]}`).join(', ')}, * EXCLUDE (${g.map((_, i) => `_g${i}`).join(', ')})
      FROM (${sql}) ORDER BY ALL`);
    res.result_table = rt;
  }
  return res;
}
