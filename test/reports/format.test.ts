import { describe, expect, it } from 'vitest';
import { SheetNamer, cellValue, inferKind, maskId, maskText, textCell } from '../../src/engine/reports/format';

describe('reports/format: the integrity gate every cell passes', () => {
  it('masks NIK/KK as 4 first + asterisks + 4 last (DOMAIN.md), in identifier cells and inside free text, sparing hashes', () => {
    expect(maskId('3201014501900001')).toBe('3201********0001');
    expect(maskId('320101450190000')).toBe('3201*******0000');
    expect(maskId('12345')).toBe('*****');
    expect(maskText('NIK 3201014501900001, KK:3201010101200001.')).toBe('NIK 3201********0001, KK:3201********0001.');
    const sha = 'a1234567890123456789b0000000000000000000000000000000000000000000';
    expect(maskText(sha)).toBe(sha);
    expect(cellValue('3201014501900001', { kind: 'id', personalId: true }, true)).toBe('3201********0001');
    expect(cellValue('3201014501900001', { kind: 'id', personalId: true }, false)).toBe('3201014501900001');
  });

  it('formula-looking text becomes inline rich text (literal), other text stays a plain string', () => {
    for (const s of ['=1+1', '+62 812', '-5', '@SUM(A1)', '\tx', '\rx']) expect(textCell(s, false)).toEqual({ richText: [{ text: s }] });
    expect(textCell('SITI', false)).toBe('SITI');
  });

  it('sheet names: ≤ 31 characters, no []:*?/\\ or apostrophe, unique case-insensitively, continuation suffix kept', () => {
    const n = new SheetNamer();
    const odd = n.take('T01 nik_attribute_mismatch [x]: a/b?');
    expect(odd).toBe('T01 nik_attribute_mismatch -x--');
    expect(odd).not.toMatch(/[[\]:*?/\\']/);
    const long = 'T12 a_very_long_check_identifier_name';
    const first = n.take(long);
    expect(first.length).toBeLessThanOrEqual(31);
    const second = n.take(first, ' (2)');
    expect(second.endsWith(' (2)')).toBe(true);
    expect(second.length).toBeLessThanOrEqual(31);
    expect(n.take('ringkasan')).toBe('ringkasan');
    expect(n.take('RINGKASAN')).toBe('RINGKASAN ~2');
    expect(n.take("Ani's")).toBe('Ani-s');
  });

  it('column kinds: identifiers are text whatever their type, money is Rupiah, rates are percent', () => {
    expect(inferKind('nik', 'BIGINT')).toBe('id');
    expect(inferKind('kk', 'VARCHAR')).toBe('id');
    expect(inferKind('account', 'VARCHAR')).toBe('id');
    expect(inferKind('amount', 'DECIMAL(18,2)')).toBe('rupiah');
    expect(inferKind('paid_amount', 'DOUBLE')).toBe('rupiah');
    expect(inferKind('inclusion_error', 'DOUBLE')).toBe('pct');
    expect(inferKind('cgh', 'DOUBLE')).toBe('ratio');
    expect(inferKind('records', 'BIGINT')).toBe('int');
    expect(inferKind('paid_date', 'DATE')).toBe('date');
    expect(inferKind('other_nik', 'VARCHAR')).toBe('id');
    expect(inferKind('first_kk', 'VARCHAR')).toBe('id');
    expect(inferKind('nik_count', 'BIGINT')).toBe('int');
    expect(inferKind('nik_day', 'INTEGER')).toBe('int');
    expect(inferKind('nik_damaged', 'BOOLEAN')).toBe('bool');
  });
});
