/**
 * Issue 14 item 4: masking by content. The attack: full NIKs in free text (address), in columns named NO KTP /
 * NOMOR_KTP / ID_PENERIMA, written as `NIK3201…`, `3201 0112 3456 0010`, dashed or full-width; `nik_damaged` (a
 * boolean) turned into `*****`. One function (src/shared/masking.ts) masks all of them and leaves the rest alone.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { isIdentifierColumn, maskAccountText, maskDeep, maskText, maskValue } from '../../src/shared/masking';

const NIK = '3201014508900001';

describe('maskText: every NIK/KK-shaped run, any text', () => {
  it('keeps the first four and last four digits', () => {
    expect(maskText(NIK)).toBe('3201********0001');
    expect(maskText(`Jl. Mawar 5, NIK ${NIK} RT 01`)).toBe('Jl. Mawar 5, NIK 3201********0001 RT 01');
  });
  it('catches runs glued to letters, spaced, dashed, dotted and full-width', () => {
    expect(maskText(`NIK${NIK}`)).toBe('NIK3201********0001');
    expect(maskText('KTP:3201014508900001;')).toBe('KTP:3201********0001;');
    expect(maskText('3201 0145 0890 0001')).toBe('3201********0001');
    expect(maskText('3201-0145-0890-0001')).toBe('3201********0001');
    expect(maskText('３２０１０１４５０８９００００１')).toBe('3201********0001');
    expect(maskText('320101450890000')).toBe('3201*******0000'); // 15 digits: damaged by a spreadsheet
  });
  it('leaves hashes, dates, amounts and short numbers alone', () => {
    const sha = 'a3201014508900001a3201014508900001a3201014508900001a320101450890';
    expect(sha).toHaveLength(64);
    expect(maskText(sha)).toBe(sha);
    expect(maskText('2025-01-15 10:30:00')).toBe('2025-01-15 10:30:00');
    expect(maskText('{"stddev":0.7071067811865476,"avg":12.5000000000000001}')).toBe('{"stddev":0.7071067811865476,"avg":12.5000000000000001}');
    // after a comma it may be the next field of a CSV line: masked
    expect(maskText('200000,3201014508900001,3201015505850002')).toBe('200000,3201********0001,3201********0002');
    expect(maskText('Rp 1.500.000, 12 penerima, desil 1-4')).toBe('Rp 1.500.000, 12 penerima, desil 1-4');
  });
  // Letters a-f are left out: a standalone 32/40/64-hex token with a letter is a hash and stays as it is.
  it('never leaves 15+ consecutive digits (property, bounded)', () => {
    fc.assert(fc.property(fc.array(fc.oneof(fc.stringMatching(/^[0-9]{15,20}$/), fc.stringMatching(/^[g-zG-Z :,-]{0,6}$/)), { maxLength: 8 }), (parts) => {
      const out = maskText(parts.join(''));
      expect(out).not.toMatch(/[0-9]{15}/);
    }), { numRuns: 300 });
  });
});

describe('maskValue: by column type and name', () => {
  it('accounts keep their last four, any length ≥ 8 (13-digit too)', () => {
    expect(maskValue('1234567890123', 'no_rekening')).toBe('*********0123');
    expect(maskValue('12345678', 'account_no')).toBe('****5678');
    expect(maskAccountText('BRI 1234-5678-9012')).toBe('BRI ********9012');
  });
  it('booleans and numeric non-identifier columns are untouched', () => {
    expect(maskValue(true, 'nik_damaged')).toBe(true);
    expect(maskValue(false, 'nik_damaged')).toBe(false);
    expect(maskValue(3201014508900001, 'amount')).toBe(3201014508900001);
    expect(maskValue(12, 'nik_count')).toBe(12);
  });
  it('an identifier stored as a number is still masked', () => {
    expect(maskValue(3201014508900001, 'NO KTP')).toBe('3201********0001');
    expect(maskValue(3201014508900001n, 'ID_PENERIMA')).toBe('3201********0001');
  });
  it('identifier columns by name', () => {
    for (const n of ['nik', 'kk', 'NO KTP', 'NOMOR_KTP', 'ID_PENERIMA', 'other_nik', 'nik_a', 'first_kk', 'household_key', 'no_kk']) expect(isIdentifierColumn(n), n).toBe(true);
    for (const n of ['nik_damaged', 'nik_count', 'nik_valid', 'kk_count', 'amount', 'name', 'desil']) expect(isIdentifierColumn(n), n).toBe(false);
  });
  it('maskDeep walks objects and arrays', () => {
    expect(maskDeep({ top: [{ value: NIK, count: 2 }], min: NIK, ok: true })).toEqual({ top: [{ value: '3201********0001', count: 2 }], min: '3201********0001', ok: true });
  });
});

describe('account numbers named in free text', () => {
  it('rekening/kartu/KKS followed by ≥ 8 digits keep the last four', () => {
    expect(maskText('Rekening/kartu 1234567890123 dipakai oleh 2 NIK berbeda')).toBe('Rekening/kartu *********0123 dipakai oleh 2 NIK berbeda');
    expect(maskText('No. Rek: 1234-5678-9012')).toBe('No. Rek: ********9012');
    expect(maskText('Dibayar Rp 1500000 pada 2025-01-10')).toBe('Dibayar Rp 1500000 pada 2025-01-10');
  });
});

describe('workbook cells', () => {
  it('an account column keeps its last four, a NIK column its first and last four', async () => {
    const { cellValue } = await import('../../src/engine/reports/format');
    expect(cellValue('1234567890123', { kind: 'id', personalId: true, key: 'account' }, true)).toBe('*********0123');
    expect(cellValue('3201014508900001', { kind: 'id', personalId: true, key: 'nik' }, true)).toBe('3201********0001');
    expect(cellValue(true, { kind: 'bool', key: 'nik_damaged' }, true)).toBe('Ya'); // a boolean, not stars
  });
});
