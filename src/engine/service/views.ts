/**
 * Turns a grid view (sort, filters, free-text search, column choice) into one bound SQL query over a workspace table
 * or a virtual view. Every identifier is checked against the table's catalogue before it is quoted; every value is a
 * bound parameter cast to the column's type (so `between '2025-03-01' and '2025-03-31'` works on DATE columns).
 */
import type { FilterSpec, SortSpec } from '../../shared/contract';
import { ServiceError } from '../../shared/result';
import type { ColumnInfo } from '../../shared/types';
import { ident, type Workspace } from '../workspace/workspace';
import { isAccountColumn, isIdentifierColumn } from '../../shared/masking';

/** Virtual tables: listed and pageable like tables, defined as SQL over the canonical tables (nothing stored). */
export const VIRTUAL_TABLES: Record<string, { requires: string[]; sql: string; description: string }> = {
  disbursements_enriched: {
    requires: ['disbursements', 'registry'],
    description: 'Penyaluran + desil DTKS (terendah per NIK) + kunci rumah tangga + bulan bayar',
    sql: `SELECT d.*, r.desil AS desil,
        COALESCE(NULLIF(trim(d.kk), ''), NULLIF(trim(r.kk), ''), 'NIK:' || d.nik) AS household_key,
        strftime(d.paid_date, '%Y-%m') AS paid_month
      FROM disbursements d
      LEFT JOIN (SELECT nik, min(desil) AS desil, arg_min(kk, rec_id) AS kk FROM registry WHERE nik IS NOT NULL GROUP BY nik) r
        ON r.nik = d.nik`,
  },
};

/**
 * Masking of a view (grid page, export) when masking is on: the one masking function (src/shared/masking.ts) by
 * content on every text column; account columns keep their last four; an identifier column stored as a number is
 * cast to text and masked; booleans and other numbers are left as they are.
 * Returns the select expression for one column (DuckDB scalar functions tl_mask / tl_mask_account).
 */
export function maskedExpr(q: string, c: ColumnInfo): string {
  const text = isText(c.type);
  if (isAccountColumn(c.name) && (text || isNumericType(c.type))) return `tl_mask_account(CAST(${q} AS VARCHAR))`;
  // Only text with 8+ digits can hold an identifier: the others skip the JS call (DuckDB's regex runs natively).
  if (text) return `CASE WHEN regexp_matches(${q}, '[0-9０-９](?:[^0-9０-９]?[0-9０-９]){7}') THEN tl_mask(${q}) ELSE ${q} END`;
  if (isIdentifierColumn(c.name) && isNumericType(c.type)) return `tl_mask(CAST(${q} AS VARCHAR))`;
  return q;
}

const isNumericType = (type: string) => /^(DECIMAL|DOUBLE|FLOAT|REAL|HUGEINT|BIGINT|INTEGER|SMALLINT|TINYINT|UBIGINT|UINTEGER|USMALLINT|UTINYINT|UHUGEINT|NUMERIC)/i.test(type);

export async function sourceColumns(ws: Workspace, table: string): Promise<ColumnInfo[]> {
  const v = VIRTUAL_TABLES[table];
  if (v) {
    for (const r of v.requires) if (!(await ws.tableExists(r))) throw new ServiceError('not_found', `Tabel ${table} memerlukan data ${v.requires.join(' dan ')} — impor dahulu.`);
    const rows = await ws.all<{ column_name: string; column_type: string }>(`DESCRIBE ${v.sql}`);
    return rows.map((r) => ({ name: r.column_name, type: r.column_type }));
  }
  const rows = await ws.columns(table);
  if (rows.length === 0) throw new ServiceError('not_found', `Tabel tidak ditemukan: ${table}`);
  return rows;
}

export function fromClause(table: string): string {
  const v = VIRTUAL_TABLES[table];
  return v ? `(${v.sql}) AS src` : `${ident(table)} AS src`;
}

const isText = (type: string) => /^VARCHAR|^JSON|^UUID/i.test(type);

export interface ViewSpec {
  sort?: SortSpec[];
  filter?: FilterSpec[];
  search?: string;
  columns?: string[];
}

export interface BuiltView {
  select: string[];          // quoted column expressions
  selectedColumns: ColumnInfo[];
  where: string;             // '' or 'WHERE …'
  orderBy: string;           // '' or 'ORDER BY …'
  params: Record<string, string | number | boolean | null>;
}

export function buildView(all: ColumnInfo[], spec: ViewSpec, opts: { defaultOrder?: string[]; alwaysOrder?: boolean; mask?: boolean; wire?: boolean } = {}): BuiltView {
  const byName = new Map(all.map((c) => [c.name, c]));
  const need = (name: string) => {
    const c = byName.get(name);
    if (!c) throw new ServiceError('invalid_args', `Kolom tidak ada: ${name}`, { column: name, columns: all.map((x) => x.name) });
    return c;
  };
  const selectedColumns = spec.columns?.length ? spec.columns.map(need) : all;
  const params: BuiltView['params'] = {};
  let n = 0;
  const bind = (v: string | number | boolean) => { const k = `p${n++}`; params[k] = v; return `$${k}`; };
  const conds: string[] = [];
  for (const f of spec.filter ?? []) {
    const c = need(f.column);
    const col = `src.${ident(c.name)}`;
    const text = `CAST(${col} AS VARCHAR)`;
    const typed = (v: unknown) => {
      if (v === undefined || v === null) throw new ServiceError('invalid_args', `Filter ${f.op} pada ${f.column} memerlukan nilai`);
      const ph = bind(v as string | number | boolean);
      if (isText(c.type)) return `CAST(${ph} AS VARCHAR)`;
      // '2025-02-31' (a month's end typed by a UI) clamps to the month's last day instead of matching nothing.
      if (/^DATE$/i.test(c.type)) return `coalesce(TRY_CAST(${ph} AS DATE), last_day(TRY_CAST(substr(CAST(${ph} AS VARCHAR), 1, 7) || '-01' AS DATE)))`;
      return `TRY_CAST(${ph} AS ${c.type})`;
    };
    const str = (v: unknown) => {
      if (v === undefined || v === null) throw new ServiceError('invalid_args', `Filter ${f.op} pada ${f.column} memerlukan nilai`);
      return `lower(CAST(${bind(String(v))} AS VARCHAR))`;
    };
    switch (f.op) {
      case 'eq': conds.push(`${col} = ${typed(f.value)}`); break;
      case 'neq': conds.push(`${col} IS DISTINCT FROM ${typed(f.value)}`); break;
      case 'gt': conds.push(`${col} > ${typed(f.value)}`); break;
      case 'gte': conds.push(`${col} >= ${typed(f.value)}`); break;
      case 'lt': conds.push(`${col} < ${typed(f.value)}`); break;
      case 'lte': conds.push(`${col} <= ${typed(f.value)}`); break;
      case 'between': conds.push(`${col} BETWEEN ${typed(f.value)} AND ${typed(f.value2)}`); break;
      case 'contains': conds.push(`contains(lower(${text}), ${str(f.value)})`); break;
      case 'not_contains': conds.push(`(${col} IS NULL OR NOT contains(lower(${text}), ${str(f.value)}))`); break;
      case 'starts': conds.push(`starts_with(lower(${text}), ${str(f.value)})`); break;
      case 'ends': conds.push(`ends_with(lower(${text}), ${str(f.value)})`); break;
      case 'in': {
        const vs = f.values ?? [];
        if (vs.length === 0) { conds.push('FALSE'); break; }
        conds.push(`${col} IN (${vs.map((v) => typed(v)).join(', ')})`);
        break;
      }
      case 'null': conds.push(`(${col} IS NULL${isText(c.type) ? ` OR trim(${col}) = ''` : ''})`); break;
      case 'notnull': conds.push(`(${col} IS NOT NULL${isText(c.type) ? ` AND trim(${col}) <> ''` : ''})`); break;
    }
  }
  const q = spec.search?.trim();
  if (q) {
    const textCols = all.filter((c) => isText(c.type));
    const ph = `lower(CAST(${bind(q)} AS VARCHAR))`;
    conds.push(textCols.length ? `(${textCols.map((c) => `contains(lower(src.${ident(c.name)}), ${ph})`).join(' OR ')})` : 'FALSE');
  }
  const order: string[] = (spec.sort ?? []).map((s) => `src.${ident(need(s.column).name)} ${s.dir === 'desc' ? 'DESC' : 'ASC'} NULLS LAST`);
  // A user sort gets a stable tie-break so pages stay consistent while scrolling. Without one, a plain table's
  // preserved insertion order (file order) is the order: an ORDER BY rec_id would sort 1M rows for every deep page.
  // Joined views (exceptions + reviews, virtual tables) have no stable order of their own: always order them.
  if (order.length || opts.alwaysOrder) for (const k of opts.defaultOrder ?? ['rec_id']) if (byName.has(k) && !(spec.sort ?? []).some((s) => s.column === k)) order.push(`src.${ident(k)}`);
  return {
    select: selectedColumns.map((c) => (opts.wire === false ? plainExpr(c, !!opts.mask) : maskedWireExpr(c, !!opts.mask))),
    selectedColumns,
    where: conds.length ? `WHERE ${conds.join(' AND ')}` : '',
    orderBy: order.length ? `ORDER BY ${order.join(', ')}` : '',
    params,
  };
}

/**
 * The select expression a column travels as: DuckDB converts dates/timestamps to text and wide numbers to DOUBLE
 * (vectorised), so the Arrow builder reads plain JS strings and numbers instead of one value object per cell.
 */
export function wireExpr(c: ColumnInfo): string {
  return maskedWireExpr(c, false);
}

/** wireExpr, masked by the one masking function when asked. */
export function maskedWireExpr(c: ColumnInfo, mask: boolean): string {
  const q = `src.${ident(c.name)}`;
  const t = c.type.toUpperCase();
  if (mask) {
    const m = maskedExpr(q, c);
    if (m !== q) return `${m} AS ${ident(c.name)}`;
  }
  if (/^(BIGINT|UBIGINT|HUGEINT|UHUGEINT|DECIMAL|NUMERIC|FLOAT|REAL|DOUBLE)/.test(t)) return `CAST(${q} AS DOUBLE) AS ${ident(c.name)}`;
  if (/^(VARCHAR|BOOLEAN|INTEGER|SMALLINT|TINYINT|UTINYINT|USMALLINT|UINTEGER)/.test(t)) return q;
  if (/^TIMESTAMP/.test(t)) return `strftime(${q}, '%Y-%m-%d %H:%M:%S') AS ${ident(c.name)}`;
  return `CAST(${q} AS VARCHAR) AS ${ident(c.name)}`;
}

/** A column as stored (exports keep types), masked when asked. */
export function plainExpr(c: ColumnInfo, mask = false): string {
  const q = `src.${ident(c.name)}`;
  return `${mask ? maskedExpr(q, c) : q} AS ${ident(c.name)}`;
}
