import { describe, expect, it } from 'vitest';
import { formatDate, formatDateTime, formatDuration, formatMonth, formatNumber, formatPct, formatRp, formatRpShort, maskNik } from '../../src/renderer/format';

describe('Indonesian and English formats (UI.md)', () => {
  it('rupiah: Rp 1.234.567 / Rp 1,234,567', () => {
    expect(formatRp(1234567, 'id')).toBe('Rp 1.234.567');
    expect(formatRp(1234567, 'en')).toBe('Rp 1,234,567');
    expect(formatRp(1234567.6, 'id')).toBe('Rp 1.234.568');
    expect(formatRp(-200000, 'id')).toBe('-Rp 200.000');
    expect(formatRp(0, 'id')).toBe('Rp 0');
    expect(formatRp(null, 'id')).toBe('–');
    expect(formatRp(12_345_678_901_234n, 'id')).toBe('Rp 12.345.678.901.234');
  });
  it('percent: 12,5% / 12.5%', () => {
    expect(formatPct(0.125, 'id')).toBe('12,5%');
    expect(formatPct(0.125, 'en')).toBe('12.5%');
    expect(formatPct(1, 'id', 0)).toBe('100%');
    expect(formatPct(null, 'en')).toBe('–');
  });
  it('dates: 14 Mar 2025; Indonesian month abbreviations', () => {
    expect(formatDate('2025-03-14', 'id')).toBe('14 Mar 2025');
    expect(formatDate('2025-03-14', 'en')).toBe('14 Mar 2025');
    expect(formatDate('2025-05-01', 'id')).toBe('1 Mei 2025');
    expect(formatDate('2025-08-17', 'id')).toBe('17 Agu 2025');
    expect(formatDate('2025-12-25', 'id')).toBe('25 Des 2025');
    expect(formatDate('2025-12-25', 'en')).toBe('25 Dec 2025');
    expect(formatDate(Date.UTC(2025, 9, 2), 'id')).toBe('2 Okt 2025');
    expect(formatDate('', 'id')).toBe('–');
    expect(formatMonth('2025-08', 'id')).toBe('Agu 2025');
    expect(formatDateTime('2025-03-14 09:05:00', 'id')).toBe('14 Mar 2025 09.05');
    expect(formatDateTime('2025-03-14 09:05:00', 'en')).toBe('14 Mar 2025 09:05');
  });
  it('numbers, short rupiah and durations', () => {
    expect(formatNumber(1000000, 'id')).toBe('1.000.000');
    expect(formatNumber(1000000, 'en')).toBe('1,000,000');
    expect(formatNumber(1234.5, 'id', 2)).toBe('1.234,50');
    expect(formatRpShort(250_000_000, 'id')).toBe('Rp 250 jt');
    expect(formatRpShort(2_380_475_000, 'id')).toBe('Rp 2,4 M');
    expect(formatRpShort(2_380_475_000, 'en')).toBe('Rp 2.4 B');
    expect(formatDuration(65, 'id')).toBe('1 mnt 05 dtk');
    expect(formatDuration(9, 'en')).toBe('9 s');
  });
  it('NIK masking keeps the first 4 and last 2 digits', () => {
    expect(maskNik('3201014501900001')).toBe('3201********0001');
    expect(maskNik('123')).toBe('***');
    expect(maskNik(null)).toBe('');
  });
});
