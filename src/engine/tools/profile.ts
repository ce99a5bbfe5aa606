import { maskValue } from '../../shared/masking';
import type { Workspace } from '../workspace/workspace';
import { num, ToolTable } from './table';

export interface FieldProfile {
  table: string;
  column: string;
  type: string;
  rows: number;
  nulls: number;
  blanks: number;          // empty or whitespace-only text (text columns; else 0)
  distinct: number;
  min: string | number | null;
  max: string | number | null;
  length: { min: number | null; max: number | null; avg: number | null };   // of the value as text
  numeric?: { sum: number | null; avg: number | null; stddev: number | null; zeros: number; negatives: number };
  top: { value: string | null; count: number; share: number }[];
}

/** Field profile (ACL/IDEA "profile"/"statistics") of one column, or of every column when column is omitted. */
export async function fieldProfile(ws: Workspace, opts: { table: string; column?: string; top?: number }): Promise<FieldProfile[]> {
  const t = await ToolTable.open(ws, opts.table);
  const cols = opts.column ? [t.column(opts.column)] : t.columns;
  const top = Math.min(Math.max(Math.trunc(opts.top ?? 10), 1), 1000);
  const out: FieldProfile[] = [];
  for (const c of cols) {
    const q = t.col(c.name);
    const isText = c.cls === 'text';
    const isNum = c.cls === 'numeric';
    const s = await ws.one<Record<string, unknown>>(`
      SELECT count(*) AS rows, count(*) - count(${q}) AS nulls,
        ${isText ? `count(*) FILTER (WHERE trim(${q}) = '')` : '0'} AS blanks,
        count(DISTINCT ${q}) AS distinct_n,
        ${isNum ? `min(${q})::DOUBLE` : `min(${q})::VARCHAR`} AS min_v,
        ${isNum ? `max(${q})::DOUBLE` : `max(${q})::VARCHAR`} AS max_v,
        min(length(${q}::VARCHAR)) AS len_min, max(length(${q}::VARCHAR)) AS len_max, avg(length(${q}::VARCHAR)) AS len_avg
        ${isNum ? `, sum(${q})::DOUBLE AS sum_v, avg(${q})::DOUBLE AS avg_v, stddev_samp(${q})::DOUBLE AS sd_v,
          count(*) FILTER (WHERE ${q} = 0) AS zeros, count(*) FILTER (WHERE ${q} < 0) AS negatives` : ''}
      FROM ${t.sql}`);
    const rows = Number(s!.rows);
    const tops = await ws.all<{ value: string | null; n: number }>(
      `SELECT ${q}::VARCHAR AS value, count(*) AS n FROM ${t.sql} GROUP BY ALL ORDER BY n DESC, value NULLS LAST LIMIT ${top}`);
    out.push({
      table: t.name, column: c.name, type: c.type, rows,
      nulls: Number(s!.nulls), blanks: Number(s!.blanks), distinct: Number(s!.distinct_n),
      min: (s!.min_v as string | number | null) ?? null, max: (s!.max_v as string | number | null) ?? null,
      length: { min: num(s!.len_min), max: num(s!.len_max), avg: num(s!.len_avg) },
      ...(isNum ? { numeric: { sum: num(s!.sum_v), avg: num(s!.avg_v), stddev: num(s!.sd_v), zeros: Number(s!.zeros), negatives: Number(s!.negatives) } } : {}),
      top: tops.map((r) => ({ value: r.value, count: Number(r.n), share: rows ? Number(r.n) / rows : 0 })),
    });
  }
  return out;
}

/** A profile as shown while masking is on: min, max and top values through the one masking function. */
export function maskFieldProfile(p: FieldProfile): FieldProfile {
  const m = (v: string | number | null) => maskValue(v, p.column) as string | number | null;
  return { ...p, min: m(p.min), max: m(p.max), top: p.top.map((t) => ({ ...t, value: m(t.value) as string | null })) };
}
