import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runChecks, buildSummary, type Summary } from '../../src/engine/checks';
import { insertDisb, insertReg, tempWorkspace, type TempWs } from './helpers';

// Registry households (R, 8): h1 = K1 {n1 desil 1, n2 desil 3} → desil 1; h2 = K2 desil 2; h3 = K3 desil 4;
// h4 = K4 desil 5; h5 = K5 desil 7; h6 = 'NIK:'+n7 (no kk) desil 9; h7 = K7 desil NULL; h8 = K8 desil 8.
// Registry households with a desil: 7 (all but h7); with desil <= 4: 3 (h1, h2, h3).
const n = (i: number) => `32010101019000${String(i).padStart(2, '0')}`;

let t: TempWs;
let s: Summary;

beforeAll(async () => {
  t = await tempWorkspace();
  await insertReg(t.ws, [
    { line: 2, nik: n(1), kk: 'K1', desil: 1, region_code: '32.01.01.2001' },
    { line: 3, nik: n(2), kk: 'K1', desil: 3, region_code: '32.01.01.2001' },
    { line: 4, nik: n(3), kk: 'K2', desil: 2, region_code: '32.01.02.2002' },
    { line: 5, nik: n(4), kk: 'K3', desil: 4, region_code: '32.02.01.2001' },
    { line: 6, nik: n(5), kk: 'K4', desil: 5, region_code: '32.02.01.2001' },
    { line: 7, nik: n(6), kk: 'K5', desil: 7, region_code: '32.02.01.2001' },
    { line: 8, nik: n(7), kk: null, desil: 9, region_code: '32.02.01.2001' },
    { line: 9, nik: n(8), kk: 'K7', desil: null, region_code: '32.02.01.2001' },
    { line: 10, nik: n(9), kk: 'K8', desil: 8, region_code: '32.02.01.2001' },
  ]);
  await insertDisb(t.ws, [
    { line: 2, nik: n(1), kk: 'K1', region_code: '32.01.01.2001' }, // h1 200,000
    { line: 3, nik: n(2), kk: '  ', region_code: '3201012001' }, // empty kk → registry kk K1: h1 again (400,000 in all)
    { line: 4, nik: n(5), region_code: '3202012001' }, // h4 (desil 5) 200,000
    { line: 5, nik: n(7), region_code: '3202012001' }, // 'NIK:'+n7 = h6 (desil 9) 200,000
    { line: 6, nik: n(50), kk: 'KX', region_code: '3202012001' }, // not in registry: household KX 200,000
    { line: 7, nik: n(3), status: 'FAILED', region_code: '3201022002' }, // h2 not paid
    { line: 8, nik: n(4), region_code: '3201012001' }, // h3 (desil 4) 200,000
    { line: 9, nik: n(8), program: 'PKH', amount: 1_000_000, region_code: '3202012001' }, // h7 (no desil)
    { line: 10, nik: n(1), program: 'BANSOS LAIN', amount: 200_000, region_code: '3201012001' }, // no rule
  ]);
  await runChecks(t.ws);
  s = await buildSummary(t.ws);
});

afterAll(async () => { await t?.close(); });

describe('targeting indicators (hand-computed)', () => {
  it('BPNT', () => {
    // B = {h1 400k, h3 200k, h4 200k, h6 200k, KX 200k} → |B| = 5, paid 1,200,000; T = {h1, h2, h3} → |T| = 3
    // B∩T = {h1, h3}; B\T = {h4, h6, KX}; T\B = {h2}
    const b = s.targeting.BPNT as Record<string, number>;
    expect(b.evaluated).toBe(true);
    expect(b.beneficiary_households).toBe(5);
    expect(b.target_households).toBe(3);
    expect(b.inclusion_error).toBeCloseTo(3 / 5, 12);
    expect(b.exclusion_error).toBeCloseTo(1 / 3, 12);
    expect(b.leakage).toBeCloseTo(600_000 / 1_200_000, 12);
    // CGH = (paid to desil<=4: h1 400k + h3 200k = 600k / 1,200k) / (3 of 7 registry households with a desil)
    expect(b.cgh).toBeCloseTo(0.5 / (3 / 7), 12);
    // coverage(T) = 2/3; R\T = 8 − 3 = 5 households, of which B has h4, h6 → 2/5
    expect(b.coverage).toBeCloseTo(2 / 3, 12);
    expect(b.targeting_differential).toBeCloseTo(2 / 3 - 2 / 5, 12);
  });

  it('PKH: one household without desil', () => {
    const p = s.targeting.PKH as Record<string, number>;
    // B = {h7}; T = {h1, h2, h3}; B\T = {h7} → inclusion 1; T\B = T → exclusion 1; leakage 1; CGH 0
    // coverage(T) = 0; coverage(R\T) = 1/5 → differential −0.2
    expect(p).toMatchObject({ beneficiary_households: 1, target_households: 3, inclusion_error: 1, exclusion_error: 1, leakage: 1, cgh: 0 });
    expect(p.targeting_differential).toBeCloseTo(-0.2, 12);
  });

  it('programme without a rule: no target set, CGH still defined', () => {
    const p = s.targeting['BANSOS LAIN'] as Record<string, number | null>;
    expect(p).toMatchObject({ beneficiary_households: 1, target_households: null, inclusion_error: null, exclusion_error: null, leakage: null, targeting_differential: null });
    expect(p.cgh).toBeCloseTo(1 / (3 / 7), 12);
  });

  it('breakdown by desil: beneficiary and benefit incidence', async () => {
    const rows = await t.ws.all<{ desil_group: string; beneficiary_households: number; paid_amount: number; beneficiary_incidence: number; benefit_incidence: number }>(
      `SELECT desil_group, beneficiary_households, paid_amount, beneficiary_incidence, benefit_incidence FROM targeting_by_desil WHERE program = 'BPNT'`);
    const by = Object.fromEntries(rows.map((r) => [r.desil_group, r]));
    expect(Object.keys(by).sort()).toEqual(['1', '4', '5', '9', 'not_in_registry']);
    expect(by['1'].beneficiary_incidence).toBeCloseTo(1 / 5, 12);
    expect(by['1'].benefit_incidence).toBeCloseTo(400 / 1200, 12);
    expect(by.not_in_registry.paid_amount).toBe(200000);
  });

  it('breakdown by kabupaten/kota (first 4 characters of the region code)', async () => {
    const rows = await t.ws.all<{ kabupaten: string; beneficiary_households: number; paid_amount: number; target_households: number; coverage: number }>(
      `SELECT kabupaten, beneficiary_households, paid_amount, target_households, coverage FROM targeting_by_region WHERE program = 'BPNT' ORDER BY kabupaten`);
    // 3201: payments h1 (lines 2, 3), h3 (line 8) → 2 households, 600k; target households with registry region 3201: h1, h2 → covered h1
    // 3202: h4, h6, KX → 3 households, 600k; target h3 (registry region 3202) covered
    expect(rows).toEqual([
      { kabupaten: '3201', beneficiary_households: 2, paid_amount: 600000, target_households: 2, coverage: 0.5 },
      { kabupaten: '3202', beneficiary_households: 3, paid_amount: 600000, target_households: 1, coverage: 1 },
    ]);
  });

  it('budget indicators without a budget are not evaluated; undistributed funds are aged', async () => {
    expect(s.budget).toEqual({ evaluated: false });
    const u = await t.ws.all('SELECT program, status, records, amount FROM undistributed_funds');
    expect(u).toEqual([{ program: 'BPNT', status: 'FAILED', records: 1, amount: 200000 }]);
  });
});
