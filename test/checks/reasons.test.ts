// The reason catalogue (src/shared/reasons.ts): every check that writes exceptions has its reason(s) in both
// languages; templates render with their parameters; the SQL macro reason_text gives exactly the catalogue's
// Indonesian plain rendering (the text workbooks print); coded engine errors render in both languages.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHECKS } from '../../src/engine/checks';
import { ERROR_REASONS, NIK_RULES, REASONS, parseTemplate, reasonMacroSql, renderErrorReason, renderReason, templateParams } from '../../src/shared/reasons';
import { reasonText } from '../../src/renderer/grid/cells';
import { tempWorkspace, type TempWs } from './helpers';

/** Example parameters for every parameter name used by the catalogue. */
const EXAMPLE: Record<string, string> = {
  realization: '2500000.00', difference: '-100000.00', paid_sum: '2600000.00', amount: '650000.00', expected: '600000.00',
  monthly: '200000.00', months: '3', program: 'BPNT', status: 'RETURNED', status_raw: 'Retur', seq: '2', period_key: '2025-T1',
  first_line: '14', household_key: '3201010101010001', first_nik: '3201011505900001', account: '1234567890', nik_count: '3',
  lists: 'PERANGKAT DESA, SAMSAT', desil: '7', max_desil: '4', other_programs: 'BPNT/PKH', year: '2025', detail: 'ASN, Dinas Sosial',
  days: '45', death_date: '2025-03-14', similarity: '0.9512', other_niks: '3201011505900002', registry_name: 'SITI AMINAH',
  rule: 'date', birth_date: '1990-05-15', nik_date: '15-05-91', sex: 'P', nik_sex: 'L',
};

describe('reason catalogue', () => {
  it('every check has its reason codes, each in Indonesian and English with the same declared parameters', () => {
    const checkIds = CHECKS.map((c) => c.id);
    for (const id of checkIds) expect(Object.values(REASONS).some((r) => r.check === id), id).toBe(true);
    for (const [code, r] of Object.entries(REASONS)) {
      expect(checkIds, code).toContain(r.check);
      expect(code === r.check || code.startsWith(`${r.check}.`), code).toBe(true);
      expect(r.id.trim().length, code).toBeGreaterThan(10);
      expect(r.en.trim().length, code).toBeGreaterThan(10);
      expect(r.en, code).not.toBe(r.id);
      const idParams = templateParams(r.id).sort();
      expect(templateParams(r.en).sort(), code).toEqual(idParams);
      expect(Object.keys(r.params).sort(), code).toEqual(idParams);
    }
    // Every NIK rule the macro nik_invalid_reason returns has words in both languages.
    expect(Object.keys(NIK_RULES).sort()).toEqual(['date', 'day', 'length', 'month', 'province', 'serial']);
  });

  it('every check SQL writes only catalogued codes', () => {
    for (const def of CHECKS) {
      // The reason_code expression: between the reason placeholder and `AS reason_code`.
      const expr = /NULL::VARCHAR AS reason,([\s\S]*?)AS reason_code/.exec(def.sql)?.[1] ?? '';
      const codes = [...expr.matchAll(/'([a-z_]+(?:\.[a-z_]+)?)'/g)].map((m) => m[1]);
      expect(codes.length, def.id).toBeGreaterThan(0);
      for (const c of codes) expect(REASONS[c], `${def.id}: ${c}`).toBeDefined();
      expect(def.sql, def.id).toMatch(/reason_text\(reason_code, reason_params\) AS reason/);
    }
  });

  it('renders with parameters: plain (stored text) and display (formatted in the UI language)', () => {
    const p = { amount: '650000.00', expected: '600000.00', monthly: '200000.00', months: '3', program: 'BPNT' };
    expect(renderReason('overpayment', p, 'id')).toBe('Nilai 650000.00 melebihi nilai seharusnya 600000.00 (200000.00 × 3 bulan) program BPNT');
    expect(renderReason('overpayment', JSON.stringify(p), 'en')).toBe('Amount 650000.00 exceeds the expected 600000.00 (200000.00 × 3 months) of programme BPNT');
    expect(reasonText('overpayment', JSON.stringify(p), 'en')).toBe('Amount Rp 650,000 exceeds the expected Rp 600,000 (Rp 200,000 × 3 months) of programme BPNT');
    expect(reasonText('overpayment', JSON.stringify(p), 'id')).toBe('Nilai Rp 650.000 melebihi nilai seharusnya Rp 600.000 (Rp 200.000 × 3 bulan) program BPNT');
    expect(reasonText('deceased', { days: '1234', death_date: '2025-03-14' }, 'en')).toBe('Paid 1,234 day(s) after the date of death 14 Mar 2025');
    expect(reasonText('name_mismatch', { registry_name: 'SITI', similarity: '0.7512' }, 'id')).toBe('Nama penerima berbeda dengan nama registri "SITI" (kemiripan 0,7512)');
    expect(reasonText('nik_invalid.damaged', { rule: 'length' }, 'en')).toBe('Structurally invalid NIK (not 16 digits) — damaged by a spreadsheet');
    expect(renderReason('nik_invalid', { rule: 'length' }, 'id')).toBe('NIK tidak valid secara struktur (length)');
    // fallback and optional segments
    expect(renderReason('duplicate_payment', { seq: '2', period_key: null, first_line: '7' }, 'en')).toBe('Payment no. 2 for the same NIK, programme and period (empty) (first: row 7)');
    expect(renderReason('duplicate_payment', { seq: '2', first_line: '7' }, 'id')).toBe('Pembayaran ke-2 untuk NIK, program dan periode (kosong) yang sama (pertama: baris 7)');
    expect(renderReason('undistributed', { status: 'FAILED', status_raw: null }, 'en')).toBe('Funds not disbursed: status FAILED');
    expect(renderReason('undistributed', { status: 'FAILED', status_raw: 'gagal' }, 'id')).toBe('Dana tidak tersalur: status FAILED (gagal)');
    expect(renderReason('civil_servant', {}, 'id')).toBe('NIK terdaftar sebagai ASN/TNI/Polri');
    expect(renderReason('not_in_registry', '{}', 'en')).toBe('Valid NIK not found in the registry (DTKS/DTSEN)');
    // masked parameters (the engine masks reason_params by content) render as they are
    expect(reasonText('household_duplicate', { household_key: '3201********0001', program: 'PKH', period_key: '2025-T1', first_nik: '3201********0001', first_line: '3' }, 'en'))
      .toBe('Household 3201********0001 already received PKH for period 2025-T1 through NIK 3201********0001 (row 3)');
    // unknown code or no code: null (the grid shows the stored text)
    expect(renderReason('no_such_code', {}, 'en')).toBeNull();
    expect(reasonText(null, null, 'en')).toBeNull();
    expect(() => parseTemplate('a [b {c} d')).toThrow(/Unclosed/);
  });

  it('coded engine errors render in both languages with their parameters', async () => {
    for (const [code, e] of Object.entries(ERROR_REASONS)) {
      expect(renderErrorReason({ reason: code }, 'id'), code).toBeTruthy();
      expect(renderErrorReason({ reason: code }, 'en'), code).toBeTruthy();
      expect(e.en).not.toBe(e.id);
    }
    expect(renderErrorReason({ reason: 'binary_file', file: 'data.csv' }, 'en')).toBe('File data.csv is not CSV/TXT, XLSX or Parquet (a binary file). Export the data again from the source system as CSV or XLSX.');
    expect(renderErrorReason({ reason: 'sql_timeout', seconds: 30 }, 'id')).toBe('Kueri dihentikan: melebihi batas waktu 30 detik. Persempit kuerinya (filter, LIMIT) lalu coba lagi.');
    expect(renderErrorReason({ reason: 'needs_tables', tables: ['registry', 'disbursements'] }, 'en')).toBe('The data this needs (DTSEN registry, disbursements) has not been imported yet — import it first.');
    expect(renderErrorReason({ reason: 'workspace_in_use', path: '/x/a.duckdb' }, 'en')).toMatch(/^The engagement file is in use/);
    expect(renderErrorReason({ reason: 'unknown' }, 'en')).toBeNull();
    // End to end: an engine error → AppError with code + parameters → the UI's text in each language.
    const { toAppError } = await import('../../src/engine/service/tasks');
    const { WorkspaceError } = await import('../../src/engine/workspace/workspace');
    const { errorMessage } = await import('../../src/renderer/i18n/labels');
    const { translator } = await import('../../src/renderer/i18n');
    const app = toAppError(new WorkspaceError('exists', 'Workspace already exists: /data/audit.duckdb', '/data/audit.duckdb'));
    expect(app).toMatchObject({ code: 'exists', details: { reason: 'workspace_exists', file: 'audit.duckdb' } });
    expect(errorMessage(app, translator('en'), 'en')).toBe('The engagement file already exists: /data/audit.duckdb — choose another name or open that file.');
    expect(errorMessage(app, translator('id'), 'id')).toBe('Berkas penugasan sudah ada: /data/audit.duckdb — pilih nama lain atau buka berkas itu.');
    // a code-less 'invalid' keeps DuckDB's words for the message rules
    expect(toAppError(new WorkspaceError('invalid', 'Cannot open workspace /x: IO Error', '/x'))).toEqual({ code: 'invalid_input', message: 'Cannot open workspace /x: IO Error' });
    expect(renderErrorReason(undefined, 'en')).toBeNull();
  });
});

describe('reason_text SQL macro = the catalogue', () => {
  let t: TempWs;
  beforeAll(async () => { t = await tempWorkspace(); });
  afterAll(async () => { await t?.close(); });

  it('gives, for every code, exactly the Indonesian plain rendering (with and without optional parameters)', async () => {
    expect(reasonMacroSql()).toMatch(/CREATE OR REPLACE TEMP MACRO reason_text/);
    for (const [code, r] of Object.entries(REASONS)) {
      const full = Object.fromEntries(Object.keys(r.params).map((k) => [k, EXAMPLE[k] ?? `x_${k}`]));
      const sql = await t.ws.scalar<string>(`SELECT reason_text($c, $p::JSON)`, { c: code, p: JSON.stringify(full) });
      expect(sql, code).toBe(renderReason(code, full, 'id'));
      // Optional / fallback parameters left out: SQL drops the segment or uses the fallback, as the renderer does.
      const optional = [...r.id.matchAll(/\[[^\]]*\{(\w+)\}[^\]]*\]|\{(\w+)\|[^}]*\}/g)].map((m) => m[1] ?? m[2]);
      if (optional.length) {
        const partial = Object.fromEntries(Object.entries(full).filter(([k]) => !optional.includes(k)));
        const s2 = await t.ws.scalar<string>(`SELECT reason_text($c, $p::JSON)`, { c: code, p: JSON.stringify(partial) });
        expect(s2, code).toBe(renderReason(code, partial, 'id'));
      }
    }
    expect(await t.ws.scalar(`SELECT reason_text('no_such_code', '{}'::JSON)`)).toBeNull();
  });
});

describe('indicator not-evaluated reasons', () => {
  it('every code has both languages; the engine writes the Indonesian text with its code', async () => {
    const { INDICATOR_REASONS, indicatorReason } = await import('../../src/shared/reasons');
    for (const [code, r] of Object.entries(INDICATOR_REASONS)) {
      expect(r.en, code).not.toBe(r.id);
      expect(indicatorReason({ reason_code: code }, 'en'), code).toBe(r.en);
    }
    expect(indicatorReason({}, 'en')).toBeNull();
    const t = await tempWorkspace();
    try {
      const { complaintsSummary, disbursementTiming } = await import('../../src/engine/indicators/oversight/oversight');
      const { computeImpact } = await import('../../src/engine/indicators/impact/impact');
      const c = await complaintsSummary(t.ws);
      expect(c).toMatchObject({ evaluated: false, reason: 'Data pengaduan belum dimuat', reason_code: 'complaints_none' });
      expect(indicatorReason(c, 'en')).toBe('Complaint data not loaded yet');
      expect(await disbursementTiming(t.ws, { events: [] })).toMatchObject({ evaluated: false, reason_code: 'timing_no_paid_dates' });
      const i = await computeImpact(t.ws);
      expect(i).toMatchObject({ evaluated: false, reason_code: 'impact_no_disbursements', graduation: { reason_code: 'impact_no_disbursements' } });
    } finally { await t.close(); }
  });
});
