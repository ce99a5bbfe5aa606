import { describe, expect, it } from 'vitest';
import { cellText, toFilters } from '../../src/renderer/grid/cells';
import { decodeArrow } from '../../src/renderer/grid/arrow';
import { translator } from '../../src/renderer/i18n';
import { Float64, Table, tableToIPC, Utf8, vectorFromArray } from 'apache-arrow';

describe('grid filter push-down', () => {
  it('maps AG Grid text, number, date and blank filters to contract filters', () => {
    expect(toFilters({
      name: { filterType: 'text', type: 'contains', filter: 'siti' },
      amount: { filterType: 'number', type: 'inRange', filter: 100, filterTo: 500 },
      paid_date: { filterType: 'date', type: 'greaterThan', dateFrom: '2025-01-31 00:00:00' },
      nik: { filterType: 'text', type: 'blank' },
      program: { filterType: 'text', operator: 'AND', conditions: [{ filterType: 'text', type: 'equals', filter: 'BPNT' }, { filterType: 'text', type: 'notContains', filter: 'X' }] },
    })).toEqual([
      { column: 'name', op: 'contains', value: 'siti' },
      { column: 'amount', op: 'between', value: 100, value2: 500 },
      { column: 'paid_date', op: 'gt', value: '2025-01-31' },
      { column: 'nik', op: 'null' },
      { column: 'program', op: 'eq', value: 'BPNT' },
      { column: 'program', op: 'not_contains', value: 'X' },
    ]);
    expect(toFilters({ x: { filterType: 'text', type: 'contains', filter: '' } })).toEqual([]);
  });
  it('formats cells by column type and name', () => {
    const t = translator('id');
    expect(cellText(200000, { name: 'amount', type: 'DECIMAL(18,2)' }, 'id', t)).toBe('Rp 200.000');
    expect(cellText(20000000021, { name: 'rec_id', type: 'BIGINT' }, 'id', t)).toBe('20000000021');
    expect(cellText('2025-03-14', { name: 'paid_date', type: 'DATE' }, 'id', t)).toBe('14 Mar 2025');
    expect(cellText('3201**********01', { name: 'nik', type: 'VARCHAR' }, 'id', t)).toBe('3201**********01');
    expect(cellText(true, { name: 'nik_damaged', type: 'BOOLEAN' }, 'en', translator('en'))).toBe('Yes');
    expect(cellText(null, { name: 'x', type: 'VARCHAR' }, 'id', t)).toBe('');
  });
});

describe('Arrow page decoding (tableFromIPC, CSP-safe)', () => {
  it('decodes text (NIK stays text) and numbers', () => {
    const nik = vectorFromArray(['3201014501900001', null], new Utf8());
    const amount = vectorFromArray([200000, 300000.5], new Float64());
    const table = new Table({ nik, amount });
    const { rows, fields } = decodeArrow(tableToIPC(table, 'stream'));
    expect(fields).toEqual(['nik', 'amount']);
    expect(rows).toEqual([{ nik: '3201014501900001', amount: 200000 }, { nik: null, amount: 300000.5 }]);
  });
  it('an empty page decodes to no rows', () => {
    expect(decodeArrow(new Uint8Array())).toEqual({ rows: [], fields: [] });
  });
});
