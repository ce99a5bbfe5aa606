// Pure cell and filter logic for the grid (no AG Grid / DOM imports, so it is unit-tested in Node).
import type { FilterSpec } from '../../shared/contract';
import type { ColumnInfo } from '../../shared/types';
import { formatDate, formatDateTime, formatNumber, formatPct, formatRp, type Lang } from '../format';
import { columnLabel, columnSpec, type ColumnKind } from '../../shared/vocabulary';
import { oneLanguage } from '../i18n/labels';
import type { Translate } from '../i18n';
import { renderReason } from '../../shared/reasons';

/** An exception's reason in the UI language, from its code and parameters (src/shared/reasons.ts); null = no code. */
export function reasonText(code: unknown, params: unknown, lang: Lang): string | null {
  if (typeof code !== 'string' || !code) return null;
  return renderReason(code, params, lang, {
    number: (kind, v, decimals) => (kind === 'rupiah' ? formatRp(v, lang) : formatNumber(v, lang, decimals)),
    date: (iso) => formatDate(iso, lang),
  });
}

/** The columns a grid shows through the rendered `reason` instead (when the row has both). */
export const REASON_SOURCE_COLUMNS = ['reason_code', 'reason_params'];

/** A cell as shown, with the row: the `reason` column is rendered from the row's reason code and parameters. */
export function rowCellText(v: unknown, col: ColumnInfo, row: Record<string, unknown> | undefined, lang: Lang, t: Translate): string {
  if (col.name === 'reason' && row) {
    const r = reasonText(row.reason_code, row.reason_params, lang);
    if (r !== null) return r;
  }
  return cellText(v, col, lang, t);
}

export const RAW_INT = /^(rec_id|_line|_import_id|import_id|line|seq|year|desil|run_id|txn_id|row|rank)$/i;

/** The kind of a column (src/shared/vocabulary); an unknown name falls back on its SQL type. */
export function cellKind(col: ColumnInfo): ColumnKind {
  const spec = columnSpec(col.name);
  if (!spec.fallback) return spec.kind;
  const type = col.type.toUpperCase();
  if (spec.kind !== 'text') return spec.kind;
  if (type === 'DATE' || type.startsWith('TIMESTAMP')) return 'date';
  if (type === 'BOOLEAN') return 'boolean';
  if (/^(TINYINT|SMALLINT|INTEGER|BIGINT|HUGEINT|UTINYINT|USMALLINT|UINTEGER|UBIGINT)/.test(type)) return 'count';
  if (/^(DOUBLE|FLOAT|REAL|DECIMAL)/.test(type)) return 'number';
  return 'text';
}

/** A column's header in the UI language: the vocabulary's label, never the raw snake_case name. */
export function headerLabel(name: string, lang: Lang): string {
  return columnLabel(name, lang);
}

/** A cell as shown (and copied): formatted by the column's kind — Rp for rupiah, counts without decimals, ratios as %. */
export function cellText(v: unknown, col: ColumnInfo, lang: Lang, t: Translate): string {
  if (v === null || v === undefined) return '';
  const type = col.type.toUpperCase();
  const kind = cellKind(col);
  if (type.startsWith('TIMESTAMP')) return formatDateTime(typeof v === 'number' ? v : String(v), lang);
  if (kind === 'date' || type === 'DATE') {
    if (typeof v === 'number') return formatDate(new Date(v), lang);
    if (typeof v === 'string') return /^\d{4}-\d{2}-\d{2}$/.test(v) ? formatDate(v, lang) : /^\d{4}-\d{2}-\d{2}[ T]/.test(v) ? formatDateTime(v, lang) : v;
  }
  if (type === 'BOOLEAN' || typeof v === 'boolean' || kind === 'boolean') {
    if (typeof v === 'boolean' || v === 0 || v === 1 || v === 'true' || v === 'false') return v === true || v === 1 || v === 'true' ? t('common.yes') : t('common.no');
  }
  if (typeof v === 'number' || typeof v === 'bigint') {
    if (RAW_INT.test(col.name) || kind === 'code' || kind === 'year' || kind === 'nik' || kind === 'kk' || kind === 'account') return String(v);
    if (kind === 'rupiah') return formatRp(v, lang);
    if (kind === 'ratio') return typeof v === 'number' ? formatPct(v, lang) : String(v);
    if (kind === 'count') return formatNumber(typeof v === 'number' ? Math.round(v) : v, lang);
    if (typeof v === 'bigint') return formatNumber(v, lang);
    return formatNumber(v, lang, Number.isInteger(v) ? 0 : Math.abs(v) < 10 ? 2 : 2);
  }
  if (typeof v === 'object') return JSON.stringify(v);
  // Engine-written reasons are "Indonesian (English)": show the UI language's side.
  if (typeof v === 'string' && /reason|alasan/i.test(col.name)) return oneLanguage(v, lang);
  return String(v);
}

export function isNumeric(type: string) {
  return /^(TINYINT|SMALLINT|INTEGER|BIGINT|HUGEINT|UTINYINT|USMALLINT|UINTEGER|UBIGINT|DOUBLE|FLOAT|REAL|DECIMAL)/i.test(type);
}

const TEXT_OPS: Record<string, FilterSpec['op']> = {
  contains: 'contains', notContains: 'not_contains', equals: 'eq', notEqual: 'neq', startsWith: 'starts', endsWith: 'ends',
  blank: 'null', notBlank: 'notnull', greaterThan: 'gt', greaterThanOrEqual: 'gte', lessThan: 'lt', lessThanOrEqual: 'lte', inRange: 'between',
};

/** AG Grid filter model -> contract filters (one condition per column; OR-combined conditions are not pushed). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- AG Grid's filter model differs per filter type
export function toFilters(model: Record<string, any>): FilterSpec[] {
  const out: FilterSpec[] = [];
  for (const [column, m] of Object.entries(model ?? {})) {
    const cond = m.conditions ? (m.operator === 'AND' ? m.conditions : [m.conditions[0]]) : [m];
    for (const c of cond) {
      const op = TEXT_OPS[c.type];
      if (!op) continue;
      if (c.filterType === 'date') {
        const d1 = typeof c.dateFrom === 'string' ? c.dateFrom.slice(0, 10) : undefined;
        const d2 = typeof c.dateTo === 'string' ? c.dateTo.slice(0, 10) : undefined;
        out.push(op === 'between' ? { column, op, value: d1, value2: d2 } : op === 'null' || op === 'notnull' ? { column, op } : { column, op, value: d1 });
      } else if (op === 'null' || op === 'notnull') {
        out.push({ column, op });
      } else if (op === 'between') {
        out.push({ column, op, value: c.filter, value2: c.filterTo });
      } else if (c.filter !== undefined && c.filter !== null && c.filter !== '') {
        out.push({ column, op, value: c.filter });
      }
    }
  }
  return out;
}

