// Pure cell and filter logic for the grid (no AG Grid / DOM imports, so it is unit-tested in Node).
import type { FilterSpec } from '../../shared/contract';
import type { ColumnInfo } from '../../shared/types';
import { formatDate, formatDateTime, formatNumber, formatRp, type Lang } from '../format';
import type { Translate } from '../i18n';

const MONEY = /^(amount|allocation|realization|realisasi|pagu|nominal|paid_amount|excess|shortfall|difference|diff|loss|total|sum_amount)$/i;
export const RAW_INT = /^(rec_id|_line|_import_id|import_id|line|seq|year|desil|run_id|txn_id|row|rank)$/i;

export function cellText(v: unknown, col: ColumnInfo, lang: Lang, t: Translate): string {
  if (v === null || v === undefined) return '';
  const type = col.type.toUpperCase();
  if (type === 'DATE' && (typeof v === 'number' || typeof v === 'string')) return formatDate(typeof v === 'number' ? new Date(v) : v, lang);
  if (type.startsWith('TIMESTAMP')) return formatDateTime(typeof v === 'number' ? v : String(v), lang);
  if (type === 'BOOLEAN' || typeof v === 'boolean') return v ? t('common.yes') : t('common.no');
  if (typeof v === 'number') {
    if (RAW_INT.test(col.name)) return String(v);
    if (MONEY.test(col.name)) return formatRp(v, lang);
    if (/^(DOUBLE|FLOAT|REAL)/.test(type)) return formatNumber(v, lang, Math.abs(v) < 10 ? 4 : 2);
    if (type.startsWith('DECIMAL')) return formatNumber(v, lang, Number.isInteger(v) ? 0 : 2);
    return formatNumber(v, lang);
  }
  if (typeof v === 'object') return JSON.stringify(v);
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

