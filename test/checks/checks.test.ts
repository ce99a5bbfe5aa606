import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runChecks, buildSummary, CHECK_IDS, CHECKS, STANDARD_COLUMNS, type Summary } from '../../src/engine/checks';
import { REASONS, renderReason } from '../../src/shared/reasons';
import { insertBudget, insertCivil, insertDeaths, insertDisb, insertReg, lines, tempWorkspace, type TempWs } from './helpers';

// NIKs (32 01 01 DDMMYY SSSS; women: DD + 40). Every one below is structurally valid unless said otherwise.
const A = '3201011505900001'; // BUDI SANTOSO, 15-05-1990, L, household KA, desil 2
const B = '3201015203850002'; // SRI WAHYUNI, 12-03-1985, P (52 = 12 + 40), household KA, desil 3
const C = '3201012007700003'; // JOKO, desil 6, registry death 2024-02-10 (deaths extract says 2024-02-15)
const D = '3201010101800004'; // ANDI, repeated in the registry with desil 1 and 5; deaths extract 2024-01-10
const E = '3201012902000005'; // RINA, 29-02-2000 (valid: 2000 leap), registry sex P contradicts the NIK (day 29 → L)
const F = '3201011010750006'; // DEWI, registry birth date 1975-10-11 contradicts the NIK (10-10-75)
const G = '3201010303030007'; // SITI AMINAH, 03-03-2003
const H = '3201010303030008'; // SITI AMINA,  03-03-2003 → identity pair with G (similarity 0.98)
const I = '3201011111110009'; // ÉLISE, civil servant
const X = '3201011408950014'; // valid, not in registry
const X2 = '3201011408950015'; // valid, not in registry, unknown programme
const BAD_DATE = '3201013002900012'; // 30 Feb: invalid (date)
const BAD_LEAP = '3201012902010013'; // 29 Feb 2001 / 1901: invalid (date)
const SCI = '3.20101E+15'; // damaged by a spreadsheet: invalid (length)

let t: TempWs;
let summary: Summary;

beforeAll(async () => {
  t = await tempWorkspace();
  const ws = t.ws;
  await insertReg(ws, [
    { line: 2, nik: A, kk: 'KA', name: 'BUDI SANTOSO', birth_date: '1990-05-15', sex: 'L', desil: 2, region_code: '32.01.01.2001' },
    { line: 3, nik: B, kk: 'KA', name: 'SRI WAHYUNI', birth_date: '1985-03-12', sex: 'P', desil: 3, region_code: '32.01.01.2001' },
    { line: 4, nik: C, kk: 'KC', name: 'JOKO', birth_date: '1970-07-20', sex: 'L', desil: 6, death_date: '2024-02-10' },
    { line: 5, nik: D, kk: 'KD', name: 'ANDI', birth_date: '1980-01-01', sex: 'L', desil: 1 },
    { line: 6, nik: D, kk: 'KD', name: 'ANDI X', birth_date: '1980-01-01', sex: 'L', desil: 5 },
    { line: 7, nik: E, kk: 'KE', name: 'RINA', birth_date: '2000-02-29', sex: 'P', desil: 2 },
    { line: 8, nik: F, kk: 'KF', name: 'DEWI', birth_date: '1975-10-11', sex: 'LAKI-LAKI', desil: 2 },
    { line: 9, nik: G, kk: 'KG', name: 'SITI AMINAH', birth_date: '2003-03-03', sex: 'L', desil: 4 },
    { line: 10, nik: H, kk: 'KH', name: 'SITI AMINA', birth_date: '2003-03-03', sex: 'L', desil: 4 },
    { line: 11, nik: I, kk: 'KI', name: 'ÉLISE', birth_date: '2011-11-11', sex: 'L', desil: 2 },
  ]);
  await insertDeaths(ws, [{ line: 2, nik: C, death_date: '2024-02-15' }, { line: 3, nik: D, death_date: '2024-01-10' }]);
  await insertCivil(ws, [{ line: 2, nik: I }]);
  await insertDisb(ws, [
    { line: 2, nik: A, name: 'Budi  santoso', txn_id: 'T2', account: 'ACC2' },
    { line: 3, nik: A, name: 'BUDI SANTOSO', paid_date: '2024-01-20', txn_id: 'T3', account: ' ACC2 ' }, // duplicate payment
    { line: 4, nik: B, name: 'Sri Wahyuni', txn_id: 'T4' }, // household duplicate (registry kk KA), first = A (T2 < T4)
    { line: 5, nik: C, period_key: '2024-02', paid_date: '2024-02-10' }, // paid ON the death date: not deceased
    { line: 6, nik: C, period_key: '2024-03', paid_date: '2024-03-01' }, // deceased
    { line: 7, nik: C, period_key: '2024-04', paid_date: null }, // cannot be judged for death
    { line: 8, nik: D, program: 'PKH', amount: 500000, period_key: '2024-T1' }, // deceased (deaths extract)
    { line: 9, nik: BAD_DATE, program: 'BLT', amount: 300000 },
    { line: 10, nik: SCI, nik_damaged: true },
    { line: 11, nik: BAD_LEAP },
    { line: 12, nik: X }, // not in registry
    { line: 13, nik: E, program: 'BLT_DD', amount: 300000, period_key: '2024-05', paid_date: '2024-05-01' }, // overlap with 14
    { line: 14, nik: E, program: 'BPNT', period_key: '2024-06', paid_date: '2024-06-01' },
    { line: 15, nik: F, program: 'BLT_DD', amount: 250000, period_key: '2023-12', paid_date: '2023-12-01' }, // underpayment 50,000; PKH is 2024
    { line: 16, nik: F, program: 'PKH', amount: 750000 },
    { line: 17, nik: G, program: 'PKH', amount: 600000, name: 'Siti Aminah', account: 'ACC1' },
    { line: 18, nik: H, program: 'PKH', amount: 600000, name: 'Siti Amina', account: 'ACC1', paid_date: '2024-01-16' },
    { line: 19, nik: H, program: 'BPNT', amount: 250000, paid_date: '2024-01-16' }, // overpayment 50,000; G not paid BPNT
    { line: 20, nik: I, name: 'Elise' }, // accent only: no name mismatch; civil servant
    { line: 21, nik: A, name: 'Bambang Pamungkas', period_key: '2024-02', paid_date: '2024-02-15' }, // name mismatch
    { line: 22, nik: A, status: 'FAILED', paid_date: '2024-01-05' },
    { line: 23, nik: A, status: 'RETURNED', paid_date: '2024-01-05' },
    { line: 24, nik: A, status: 'PENDING' }, // unknown: neither paid nor undistributed
    { line: 26, nik: X2, program: 'BANSOS LAIN', amount: 100000 },
    { line: 27, nik: C, program: 'PKH', amount: 400000, period_key: '2024-T1', paid_date: '2024-02-12' }, // deceased only with the EARLIEST death date
  ]);
  await insertBudget(ws, [
    { line: 2, program: 'PKH', allocation: 3_000_000, realization: 2_250_000, year: 2024 }, // paid PKH 2024: 500+750+600+600+400 = 2,850,000 → diff 600,000
    { line: 3, program: 'BLT_DD', allocation: 400_000, realization: 250_000, year: 2023, region_code: null }, // matches 250,000
  ]);
  await runChecks(ws, { keepTempTables: true }); // one assertion below inspects chk_paid, the run's paid records
  summary = await buildSummary(ws);
});

afterAll(async () => { await t?.close(); });

describe('contract checks on a hand-built engagement', () => {
  it('nik_invalid: 30 Feb, 29 Feb of a non-leap year, scientific notation', async () => {
    expect(await lines(t.ws, 'nik_invalid')).toEqual([9, 10, 11]);
    const rules = await t.ws.all<{ _line: number; invalid_rule: string; nik_damaged: boolean }>('SELECT _line, invalid_rule, nik_damaged FROM exc_nik_invalid ORDER BY _line');
    expect(rules.map((r) => r.invalid_rule)).toEqual(['date', 'length', 'date']);
    expect(rules[1].nik_damaged).toBe(true);
    expect(summary.checks.nik_invalid).toMatchObject({ evaluated: true, records: 3, recipients: 3, amount: 700000 });
  });

  it('not_in_registry: only valid NIKs (invalid ones are nik_invalid)', async () => {
    expect(await lines(t.ws, 'not_in_registry')).toEqual([12, 26]);
    expect(summary.checks.not_in_registry).toMatchObject({ records: 2, recipients: 2, amount: 300000 });
  });

  it('deceased: strictly after the earliest death date; the death date itself and NULL paid_date not flagged', async () => {
    // C: registry 2024-02-10 < deaths 2024-02-15 → 2024-02-10 wins: line 5 (on the day) no, 27 (02-12) yes, 6 yes; D: line 8.
    expect(await lines(t.ws, 'deceased')).toEqual([6, 8, 27]);
    const c = summary.checks.deceased as Record<string, unknown>;
    expect(c).toMatchObject({ evaluated: true, records: 3, recipients: 2, amount: 1_100_000 });
    expect(c.not_evaluated_records).toBe(1); // line 7
    const dd = await t.ws.all<{ death_date: string }>('SELECT DISTINCT death_date FROM exc_deceased WHERE nik = $n', { n: C });
    expect(dd).toEqual([{ death_date: '2024-02-10' }]);
  });

  it('duplicate_payment: every record after the first in (nik, program, period)', async () => {
    expect(await lines(t.ws, 'duplicate_payment')).toEqual([3]);
    expect(summary.checks.duplicate_payment).toMatchObject({ records: 1, recipients: 1, amount: 200000 });
  });

  it('household_duplicate: other NIKs of the household only; the same NIK repeated is not a household duplicate', async () => {
    expect(await lines(t.ws, 'household_duplicate')).toEqual([4]);
    const r = await t.ws.one<{ household_key: string; other_nik: string }>('SELECT household_key, other_nik FROM exc_household_duplicate');
    expect(r).toEqual({ household_key: 'KA', other_nik: A });
  });

  it('civil_servant', async () => {
    expect(await lines(t.ws, 'civil_servant')).toEqual([20]);
  });

  it('ineligible_desil: lowest registry desil per NIK (D has 1 and 5: not flagged)', async () => {
    expect(await lines(t.ws, 'ineligible_desil')).toEqual([5, 6, 7, 27]);
    expect(summary.checks.ineligible_desil).toMatchObject({ records: 4, recipients: 1, amount: 1_000_000 });
  });

  it('program_overlap: BLT_DD with PKH/BPNT in the same household and year only', async () => {
    expect(await lines(t.ws, 'program_overlap')).toEqual([13]); // F's BLT_DD is 2023, PKH 2024
  });

  it('shared_account: ≥ 2 distinct NIKs; one NIK reusing its account (trimmed) is not shared', async () => {
    expect(await lines(t.ws, 'shared_account')).toEqual([17, 18]);
    expect(summary.checks.shared_account).toMatchObject({ records: 2, recipients: 2, amount: 1_200_000, accounts: 1 });
  });

  it('identity_duplicate: pairs per programme; records of the pair in that programme only', async () => {
    expect(await lines(t.ws, 'identity_duplicate')).toEqual([17, 18]); // not H's BPNT line 19: G is not paid BPNT
    expect(summary.checks.identity_duplicate).toMatchObject({ records: 2, recipients: 2, amount: 1_200_000, pairs: 1 });
  });

  it('name_mismatch: case, spacing and accents are not mismatches', async () => {
    expect(await lines(t.ws, 'name_mismatch')).toEqual([21]);
    // records without a name cannot be judged: lines 5, 6, 7, 8, 13, 14, 15, 16, 19, 27
    expect((summary.checks.name_mismatch as Record<string, unknown>).not_evaluated_records).toBe(10);
  });

  it('undistributed: FAILED/RETURNED only; an unknown status is neither paid nor undistributed', async () => {
    expect(await lines(t.ws, 'undistributed')).toEqual([22, 23]);
    expect(summary.checks.undistributed).toMatchObject({ records: 2, recipients: 1, amount: 400000 });
    const n = await t.ws.scalar('SELECT count(*) FROM chk_paid WHERE _line = 24');
    expect(Number(n)).toBe(0);
  });

  it('overpayment / underpayment: amount = Σ excess / Σ shortfall; programmes without expected amount skipped', async () => {
    expect(await lines(t.ws, 'overpayment')).toEqual([19]);
    expect(await lines(t.ws, 'underpayment')).toEqual([15]);
    expect(summary.checks.overpayment).toMatchObject({ records: 1, recipients: 1, amount: 50000 });
    expect(summary.checks.underpayment).toMatchObject({ records: 1, recipients: 1, amount: 50000 });
  });

  it('registry_duplicate_nik and nik_attribute_mismatch', async () => {
    expect(await lines(t.ws, 'registry_duplicate_nik')).toEqual([6]);
    expect(summary.checks.registry_duplicate_nik).toMatchObject({ evaluated: true, records: 1 });
    expect(await lines(t.ws, 'nik_attribute_mismatch')).toEqual([7, 8]);
    const m = await t.ws.all<{ mismatch: string }>('SELECT mismatch FROM exc_nik_attribute_mismatch ORDER BY _line');
    expect(m.map((x) => x.mismatch)).toEqual(['sex', 'birth_date']);
  });

  it('realization_mismatch: per budget line, Σ |difference|', async () => {
    expect(await lines(t.ws, 'realization_mismatch')).toEqual([2]);
    expect(summary.checks.realization_mismatch).toMatchObject({ evaluated: true, records: 1, amount: 600000 });
  });

  it('potential loss counts a record flagged by two checks once', async () => {
    // lines 3,4,5,6,7,8,9,10,11,12,13,20,26,27 (6 and 27 are both deceased and ineligible_desil)
    expect(summary.potential_loss).toMatchObject({ records: 14, recipients: 11, amount: 3_400_000 });
    const twice = await t.ws.all<{ _line: number; checks: string[] }>('SELECT _line, checks FROM potential_loss WHERE n_checks > 1 ORDER BY _line');
    expect(twice.map((r) => r._line)).toEqual([6, 27]);
  });

  it('summary: schema, all 18 checks (contract 2), budget', () => {
    expect(summary.schema).toBe('telisik.summary/1');
    expect(Object.keys(summary.checks).sort()).toEqual([...CHECK_IDS].sort());
    expect(Object.keys(summary.checks)).toHaveLength(18);
    // no comparison list was supplied: flagged_recipient is not evaluated (never a zero); every other check is
    for (const [id, c] of Object.entries(summary.checks)) expect(c.evaluated).toBe(id !== 'flagged_recipient');
    expect(summary.checks.flagged_recipient).toEqual({ evaluated: false });
    // budget: allocation 3,400,000; realization 2,500,000 → absorption 2.5/3.4
    expect(summary.budget).toMatchObject({ evaluated: true, lines: 2, allocation: 3_400_000, realization: 2_500_000 });
    expect((summary.budget as { absorption: number }).absorption).toBeCloseTo(2.5 / 3.4, 10);
    expect(Array.isArray(summary.inputs)).toBe(true);
  });

  it('every exceptions table has the standard columns, then exactly the declared evidence columns', async () => {
    for (const def of CHECKS) {
      const cols = await t.ws.all<{ column_name: string }>(
        `SELECT column_name FROM duckdb_columns() WHERE table_name = $t ORDER BY column_index`, { t: `exc_${def.id}` });
      expect(cols.map((c) => c.column_name), def.id).toEqual([...STANDARD_COLUMNS, ...def.outputColumns].map((c) => c.name));
      expect(def.criteria.length, def.id).toBeGreaterThan(0);
      expect(def.sql, def.id).toMatch(/DOMAIN\.md/);
    }
  });

  it('exception tables start with the standard columns', async () => {
    const cols = await t.ws.all<{ column_name: string }>(
      `SELECT column_name FROM duckdb_columns() WHERE table_name = 'exc_deceased' ORDER BY column_index`);
    expect(cols.slice(0, 12).map((c) => c.column_name)).toEqual(
      ['check_id', 'source_table', 'rec_id', '_file', '_line', 'nik', 'name', 'program', 'period_key', 'paid_date', 'amount', 'reason']);
  });

  it('every exception row carries a catalogued reason code whose Indonesian rendering is its reason text', async () => {
    let rows = 0;
    for (const def of CHECKS) {
      const got = await t.ws.all<{ reason: string; reason_code: string; reason_params: string }>(
        `SELECT reason, reason_code, reason_params::VARCHAR AS reason_params FROM ${'exc_' + def.id}`);
      for (const r of got) {
        expect(REASONS[r.reason_code]?.check, `${def.id}: ${r.reason_code}`).toBe(def.id);
        expect(renderReason(r.reason_code, r.reason_params, 'id'), def.id).toBe(r.reason);
        expect(renderReason(r.reason_code, r.reason_params, 'en'), def.id).not.toBe(r.reason);
      }
      rows += got.length;
    }
    expect(rows).toBeGreaterThan(20);
  });

  it('re-running with the same inputs gives identical results; one trail entry per run', async () => {
    const before = await t.ws.all('SELECT * EXCLUDE (reason) FROM exc_identity_duplicate ORDER BY rec_id');
    const trail0 = Number(await t.ws.scalar(`SELECT count(*) FROM audit_trail WHERE action = 'run_checks'`));
    await runChecks(t.ws);
    expect(await buildSummary(t.ws)).toEqual(summary);
    expect(await t.ws.all('SELECT * EXCLUDE (reason) FROM exc_identity_duplicate ORDER BY rec_id')).toEqual(before);
    expect(Number(await t.ws.scalar(`SELECT count(*) FROM audit_trail WHERE action = 'run_checks'`))).toBe(trail0 + 1);
    const runs = await t.ws.all<{ n: number }>(`SELECT count(*) AS n FROM check_results WHERE sql LIKE '%DOMAIN.md%' AND run_id = (SELECT max(run_id) FROM analysis_runs)`);
    expect(Number(runs[0].n)).toBe(18);
  });

  it('rules override and parameters change the figures; run with only', async () => {
    await runChecks(t.ws, { only: ['overpayment', 'identity_duplicate'], rules: { programmes: { BPNT: { expected_amount: 250000 } } }, params: { identity_duplicate: { min_similarity: 0.99 } } });
    const s = await buildSummary(t.ws);
    // BPNT 250,000: line 19 no longer over; identity pair 0.98 < 0.99
    expect(s.checks.overpayment).toMatchObject({ records: 0, amount: 0 });
    expect(s.checks.identity_duplicate).toMatchObject({ records: 0, pairs: 0 });
    expect(s.checks.deceased).toEqual(summary.checks.deceased);
    await expect(runChecks(t.ws, { only: ['nope'] })).rejects.toThrow(/unknown check/);
    await expect(runChecks(t.ws, { params: { identity_duplicate: { min_similarity: 2 } } })).rejects.toThrow(/<= 1/);
    await runChecks(t.ws); // back to defaults
  });

  it('cancellation rolls back; the run is recorded as cancelled, its results never land', async () => {
    const runs0 = Number(await t.ws.scalar('SELECT count(*) FROM analysis_runs'));
    const ac = new AbortController();
    const p = runChecks(t.ws, { signal: ac.signal, onProgress: (e) => { if (e.check_id === 'deceased') ac.abort(); } });
    await expect(p).rejects.toThrow(/cancelled/);
    const runs = await t.ws.all<{ status: string }>('SELECT status FROM analysis_runs ORDER BY run_id');
    expect(runs.length).toBe(runs0 + 1);
    expect(runs[runs.length - 1].status).toBe('cancelled');
    expect(await buildSummary(t.ws)).toEqual(summary);
  });
});
