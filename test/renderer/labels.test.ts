import { describe, expect, it } from 'vitest';
import { fieldLabel, fieldValue, phaseLabel, trailAction, trailDetails } from '../../src/renderer/i18n/labels';
import { cellText, headerLabel } from '../../src/renderer/grid/cells';
import { translator } from '../../src/renderer/i18n';
import { CHECKS } from '../../src/engine/checks';

const RAW = /^[a-z0-9]+(_[a-z0-9]+)+$/;

describe('UI display vocabulary (issue 13 item 2)', () => {
  it('grid headers are labels in the chosen language, never snake_case', () => {
    for (const n of ['rec_id', '_import_id', 'nik_damaged', 'program_raw', 'review_status', 'household_key', 'paid_month', 'some_new_column']) {
      expect(headerLabel(n, 'id'), n).not.toMatch(RAW);
      expect(headerLabel(n, 'en'), n).not.toMatch(RAW);
    }
    expect(headerLabel('nik_damaged', 'en')).toBe('NIK damaged by spreadsheet');
  });
  it('cells by kind: counts without decimals, Rp for rupiah, ratios as %, separators per language', () => {
    const t = translator('id');
    expect(cellText(13, { name: 'records', type: 'DOUBLE' }, 'id', t)).toBe('13');
    expect(cellText(3250000, { name: 'amount', type: 'DOUBLE' }, 'id', t)).toBe('Rp 3.250.000');
    expect(cellText(3250000, { name: 'amount', type: 'DOUBLE' }, 'en', translator('en'))).toBe('Rp 3,250,000');
    expect(cellText(0.7675, { name: 'coverage', type: 'DOUBLE' }, 'id', t)).toBe('76,8%');
    expect(cellText(2025, { name: 'year', type: 'INTEGER' }, 'id', t)).toBe('2025');
  });
  it('tool result fields and values', () => {
    for (const n of ['count_share', 'band', 'excess', 'span_orders', 'applicable', 'sum_share']) expect(fieldLabel(n, 'id'), n).not.toMatch(RAW);
    expect(fieldValue('count_share', 0.7675, 'id')).toBe('76,8%');
    expect(fieldValue('excess', 3250000, 'id')).toBe('Rp 3.250.000');
    expect(fieldValue('count', 13, 'id')).toBe('13');
    expect(fieldValue('span_orders', 1.3, 'id')).toBe('1,30');
    expect(fieldValue('applicable', false, 'en')).toBe('No');
  });
  it('trail actions, details and progress phases read as words', () => {
    expect(trailAction('report.export', 'id')).toBe('Kertas kerja ditulis');
    expect(trailAction('import.remove', 'en')).toBe('Import removed');
    expect(trailAction('something.new_thing', 'id')).not.toMatch(/[._]/);
    const d = trailDetails({ params: { file: 'salur.csv', reason: 'salah periode', nik: '3201014101900001' }, result: { rows_removed: 1200 } }, 'id', true);
    expect(d).toBe('Berkas: salur.csv · Alasan: salah periode · NIK: 3201********0001 · Baris dihapus: 1.200');
    expect(phaseLabel('generate:households', 'id')).toBe('membuat data contoh · rumah tangga');
    expect(phaseLabel('import:salur.csv', 'en')).toBe('importing · salur.csv');
    expect(phaseLabel('prepare', 'id')).toBe('menyiapkan');
  });

  it('an analysis progress phase names the check by its title in the UI language; the run\'s later phases read as words', () => {
    const titles: Record<string, { id: string; en: string }> = Object.fromEntries(CHECKS.map((c) => [c.id, c.title]));
    for (const c of CHECKS) {
      expect(phaseLabel(c.id, 'en', (id) => titles[id]?.en)).toBe(c.title.en);
      expect(phaseLabel(c.id, 'id', (id) => titles[id]?.id)).toBe(c.title.id);
    }
    expect(phaseLabel('potential_loss', 'id')).toBe('potensi kerugian negara');
    expect(phaseLabel('impact', 'en')).toBe('impact indicators');
    expect(phaseLabel('oversight', 'id')).toBe('pengawasan');
  });
});
