import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Workspace } from '../../src/engine/workspace/workspace';
import { computeImpact, POVERTY_LINE_DEFAULT } from '../../src/engine/indicators/impact/impact';
import { tempWorkspace } from '../tools/_ws';

let ws: Workspace;
let dispose: () => Promise<void>;

beforeAll(async () => {
  ({ ws, dispose } = await tempWorkspace('impact'));
  const reg: [string, string | null, number, string][] = [
    ['A', 'K1', 1, '2024'], ['B', 'K1', 2, '2024'], ['C', 'K2', 3, '2024'], ['D', 'K3', 5, '2024'], ['E', null, 2, '2024'], ['F', 'K6', 4, '2024'],
    ['A', 'K1', 6, '2025'], ['B', 'K1', 6, '2025'], ['C', 'K2', 3, '2025'], ['D', 'K3', 3, '2025'], ['F', 'K6', 5, '2025'],
  ];
  let i = 0;
  for (const [nik, kk, desil, snap] of reg) {
    i++;
    await ws.run(`INSERT INTO registry (rec_id, _import_id, _file, _line, nik, kk, desil, snapshot) VALUES (?, 1, 'dtks.csv', ?, ?, ?, ?, ?)`, [i, i, nik, kk, desil, snap]);
  }
  const disb: [string, string | null, string, number, string, string][] = [
    ['A', '', 'PKH', 750000, '2025-01-10', 'PAID'],
    ['B', 'K1', 'BPNT', 200000, '2025-01-10', 'PAID'],
    ['B', 'K1', 'BPNT', 200000, '2025-02-10', ''],
    ['C', null, 'BPNT', 200000, '2025-01-12', 'FAILED'],
    ['E', null, 'PKH', 500000, '2025-03-01', 'paid '],
    ['X', null, 'BPNT', 200000, '2025-01-10', 'PAID'],
    ['F', 'K6', 'BLT_DD', 300000, '2025-06-01', 'PAID'],
  ];
  i = 0;
  for (const [nik, kk, program, amount, date, status] of disb) {
    i++;
    await ws.run(`INSERT INTO disbursements (rec_id, _import_id, _file, _line, nik, kk, program, amount, paid_date, status)
      VALUES (?, 2, 'salur.csv', ?, ?, ?, ?, ?, ?::DATE, ?)`, [20000000000 + i, i, nik, kk, program, amount, date, status]);
  }
});
afterAll(async () => dispose());

describe('impact indicators (hand-computed)', () => {
  it('coverage of desil 1-2 and 1-4 households by programme', async () => {
    const r = await computeImpact(ws, { povertyLine: 500000 });
    expect(r.evaluated).toBe(true);
    // households (lowest desil over all rows): K1 1, K2 3, K3 3, NIK:E 2, K6 4 -> desil<=2: 2, desil<=4: 5
    expect(r.coverage).toEqual([
      { program: 'BLT_DD', desil_1_2: { households: 2, covered: 0, coverage: 0 }, desil_1_4: { households: 5, covered: 1, coverage: 0.2 } },
      { program: 'BPNT', desil_1_2: { households: 2, covered: 1, coverage: 0.5 }, desil_1_4: { households: 5, covered: 1, coverage: 0.2 } },
      { program: 'PKH', desil_1_2: { households: 2, covered: 2, coverage: 1 }, desil_1_4: { households: 5, covered: 2, coverage: 0.4 } },
    ]);
  });

  it('benefit incidence by desil, complementarity, adequacy', async () => {
    const r = await computeImpact(ws, { povertyLine: 500000 });
    const all = r.incidence.filter((x) => x.program === 'ALL').map((x) => [x.desil, x.households, x.amount]);
    // K1 (desil 1): 750k + 200k + 200k (empty status = PAID); NIK:E (2): 500k; K6 (4): 300k; NIK:X (not in registry): 200k
    expect(all).toEqual([[1, 1, 1150000], [2, 1, 500000], [4, 1, 300000], [null, 1, 200000]]);
    expect(r.incidence.find((x) => x.program === 'ALL' && x.desil === 1)!.share).toBeCloseTo(1150000 / 2150000, 12);
    expect(r.incidence.filter((x) => x.program === 'PKH').map((x) => x.share)).toEqual([0.6, 0.4]);
    expect(r.complementarity).toEqual({ pkh: 2, bpnt: 2, both: 1, either: 3, both_share_of_pkh: 0.5, both_share_of_bpnt: 0.5, jaccard: 1 / 3 });
    // ALL 2025, line Rp 500.000 x size x 12: K1 1.150.000/12.000.000, E 500.000/6.000.000, K6 300.000/6.000.000; X has no size
    const a = r.adequacy.find((x) => x.program === 'ALL' && x.year === 2025)!;
    expect(a).toMatchObject({ households: 3, households_without_size: 1, benefit: 1950000, poverty_line_total: 24000000 });
    expect(a.aggregate_ratio).toBeCloseTo(0.08125, 12);
    expect(a.median_ratio).toBeCloseTo(500000 / 6000000, 12);
    expect(a.mean_ratio).toBeCloseTo((1150000 / 12000000 + 500000 / 6000000 + 300000 / 6000000) / 3, 12);
    expect(r.params.poverty_line).toBe(500000);
    const d = await computeImpact(ws);
    expect(d.params.poverty_line).toBe(POVERTY_LINE_DEFAULT);
    expect(d.params.poverty_line_source).toMatch(/BPS.*Maret 2025/);
  });

  it('graduation between two snapshots, not evaluated with one', async () => {
    const r = await computeImpact(ws);
    // 2024 desil<=4: K1, K2, E, K6 (4); in 2025: K1, K2, K6 (3); desil>=5 in 2025: K1, K6 (2). K3 went 5 -> 3 (fell in).
    // Graduated and still paid by a household programme on or after 2025-01-01: K1 (A PKH 01-10, B BPNT), K6 (F BLT_DD 06-01).
    expect(r.graduation).toMatchObject({ evaluated: true, earlier: '2024', later: '2025', earlier_date: '2024-01-01', later_date: '2025-01-01',
      poor_earlier: 4, present_later: 3, graduated: 2, fell_in: 1, graduated_still_paid: 2 });
    expect(r.graduation.rate).toBeCloseTo(2 / 3, 12);
    expect(r.graduation.by_program).toEqual([
      { program: 'BLT_DD', poor_earlier: 1, present_later: 1, graduated: 1, rate: 1 },
      { program: 'BPNT', poor_earlier: 1, present_later: 1, graduated: 1, rate: 1 },
      { program: 'PKH', poor_earlier: 2, present_later: 1, graduated: 1, rate: 1 },
    ]);
    await computeImpact(ws, { persist: true });
    expect(await ws.all(`SELECT program, poor_earlier, graduated FROM impact_graduation ORDER BY program`)).toEqual([
      { program: 'ALL', poor_earlier: 4, graduated: 2 }, { program: 'BLT_DD', poor_earlier: 1, graduated: 1 },
      { program: 'BPNT', poor_earlier: 1, graduated: 1 }, { program: 'PKH', poor_earlier: 2, graduated: 1 }]);
    expect(await ws.scalar(`SELECT coverage_desil_1_2 FROM impact_coverage WHERE program = 'BPNT'`)).toBe(0.5);
    expect(await ws.scalar(`SELECT count(*) FROM impact_incidence WHERE program = 'ALL'`)).toBe(4);
    expect(await ws.scalar(`SELECT poverty_line_per_capita_month FROM impact_adequacy LIMIT 1`)).toBe(595242);
    expect(await ws.scalar(`SELECT jaccard FROM impact_complementarity`)).toBeCloseTo(1 / 3, 12);
    expect(await ws.scalar(`SELECT count(*) FROM audit_trail WHERE action = 'indicators.impact'`)).toBe(1);
    await ws.run(`UPDATE registry SET snapshot = NULL`);
    const r2 = await computeImpact(ws);
    expect(r2.graduation.evaluated).toBe(false);
    expect(r2.graduation.reason).toMatch(/dua snapshot/);
  });
});
