import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Workspace } from '../../src/engine/workspace/workspace';
import { complaintsSummary, disbursementTiming, flaggedComplaints, persistOversight } from '../../src/engine/indicators/oversight/oversight';
import { tempWorkspace } from '../tools/_ws';
import { ensureRegions, regionDataDir } from '../../src/engine/reference/regions';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

let ws: Workspace;
let dispose: () => Promise<void>;

beforeAll(async () => {
  ({ ws, dispose } = await tempWorkspace('oversight'));
  const d: [string, string, number, string, string][] = [
    ['n1', '32.01.01.2001', 100, '2024-01-10', 'PAID'],
    ['n0', '3201012001', 99999, '2024-01-11', 'FAILED'],
    ['n2', '3201012001', 110, '2024-02-10', 'PAID'],
    ['n3', '3201012001', 90, '2024-03-10', 'PAID'],
    ['n4', '3201012001', 100, '2024-04-10', 'PAID'],
    ['n5', '3201012001', 100, '2024-05-10', 'PAID'],
    ['n6', '3201012001', 100, '2024-05-11', 'PAID'],
    ['n7', '3201012001', 100, '2024-05-12', 'PAID'],
    ['n8', '3201012001', 100, '2024-05-13', 'PAID'],
    ['n9', '3201012001', 100, '2024-05-14', 'PAID'],
    ['n10', '3202012001', 1000, '2024-03-05', 'PAID'],
  ];
  let i = 0;
  for (const [nik, region, amount, date, status] of d) {
    i++;
    await ws.run(`INSERT INTO disbursements (rec_id, _import_id, _file, _line, nik, region_code, program, amount, paid_date, status)
      VALUES (?, 1, 's.csv', ?, ?, ?, 'BPNT', ?, ?::DATE, ?)`, [i, i, nik, region, amount, date, status]);
  }
  const c: [string, string, string, string | null, string | null, string][] = [
    ['c1', 'LAPOR!', '2024-01-01', '2024-01-11', 'n5', '3201'],
    ['c2', ' lapor! ', '2024-01-05', '2024-01-25', 'n1', '32.01.02'],
    ['c3', 'DESA', '2024-02-01', null, null, '3202'],
    ['c4', 'DESA', '2024-02-10', '2024-02-13', 'zz', '3202'],
  ];
  i = 0;
  for (const [id, ch, rec, res, nik, region] of c) {
    i++;
    await ws.run(`INSERT INTO complaints (rec_id, _import_id, _file, _line, complaint_id, received_date, channel, category, region_code, nik, resolved_date)
      VALUES (?, 2, 'lapor.csv', ?, ?, ?::DATE, ?, 'SALAH SASARAN', ?, ?, ?::DATE)`, [100 + i, i, id, rec, ch, region, nik, res]);
  }
  const cols = `check_id VARCHAR, source_table VARCHAR, rec_id BIGINT, _file VARCHAR, _line BIGINT, nik VARCHAR, name VARCHAR,
    program VARCHAR, period_key VARCHAR, paid_date DATE, amount DECIMAL(18,2), reason VARCHAR`;
  await ws.run(`CREATE TABLE exc_deceased (${cols})`);
  await ws.run(`INSERT INTO exc_deceased (check_id, rec_id, nik) VALUES ('deceased', 6, 'n5')`);
  await ws.run(`CREATE TABLE exc_nik_invalid (${cols})`);
  await ws.run(`INSERT INTO exc_nik_invalid (check_id, rec_id, nik) VALUES ('nik_invalid', 6, 'n5'), ('nik_invalid', 1, 'n1'), ('nik_invalid', 2, 'n1')`);
});
afterAll(async () => dispose());

describe('complaints', () => {
  it('counts by channel/category/region with resolution time', async () => {
    const s = await complaintsSummary(ws);
    // resolved in 10, 20 and 3 days; one open
    // p90 (linear interpolation): of 3, 10, 20 days = 10 + 0.8 × 10 = 18; of 10, 20 = 19
    expect(s).toMatchObject({ evaluated: true, total: 4, resolved: 3, open: 1, median_days: 10, avg_days: 11 });
    expect(s.p90_days).toBeCloseTo(18, 10);
    expect(s.by_channel.map((g) => ({ ...g, p90_days: g.p90_days === null ? null : Math.round(g.p90_days * 1e9) / 1e9 }))).toEqual([
      { key: 'DESA', count: 2, resolved: 1, open: 1, median_days: 3, p90_days: 3, avg_days: 3 },
      { key: 'LAPOR!', count: 2, resolved: 2, open: 0, median_days: 15, p90_days: 19, avg_days: 15 },
    ]);
    expect(s.by_region.map((r) => [r.key, r.count])).toEqual([['3201', 2], ['3202', 2]]);
    expect(s.by_category).toHaveLength(1);
  });
  it('finds complaints naming flagged recipients', async () => {
    const f = await flaggedComplaints(ws);
    expect(f.total).toBe(2);
    expect(f.rows.map((r) => [r.complaint_id, r.checks])).toEqual([['c1', ['deceased', 'nik_invalid']], ['c2', ['nik_invalid']]]);
    expect(f.by_check).toEqual([{ check_id: 'nik_invalid', complaints: 2 }, { check_id: 'deceased', complaints: 1 }]);
  });
});

describe('disbursement timing', () => {
  it('robust z per region against its EARLIER months only (by hand), spikes and event marking', async () => {
    const t = await disbursementTiming(ws, { events: [{ date: '2024-06-15', label: 'Acara X' }, { date: '2024-11-27', label: 'Pilkada 2024' }],
      minHistory: 3, resultTable: true });
    const r3201 = t.rows.filter((r) => r.region === '3201');
    expect(r3201.map((r) => r.amount)).toEqual([100, 110, 90, 100, 500]);     // FAILED Jan record excluded
    expect(r3201.map((r) => r.new_recipients)).toEqual([1, 1, 1, 1, 5]);
    expect(r3201.map((r) => r.history)).toEqual([0, 1, 2, 3, 4]);
    expect(r3201.map((r) => r.judged)).toEqual([false, false, false, true, true]);
    // Jan-Mar: fewer than 3 earlier months, not judged (z null, never a spike).
    // Apr: earlier 100, 110, 90 -> median 100, |dev| 0, 10, 10 -> MAD 10 -> z = 0.6745 (100 - 100) / 10 = 0
    // May: earlier 100, 110, 90, 100 -> median 100, |dev| 0, 10, 10, 0 -> MAD 5 -> z = 0.6745 × 400 / 5 = 53.96
    expect(r3201.map((r) => r.z_amount)).toEqual([null, null, null, 0, expect.closeTo(53.96, 10)]);
    // new recipients: earlier months all 1 -> MAD 0 -> z undefined (null), never a spike
    expect(r3201.every((r) => r.z_new === null && !r.spike_new)).toBe(true);
    const may = r3201[4];
    expect(may).toMatchObject({ month: '2024-05', spike_amount: true, events: ['Acara X'] });   // 15 Jun within 30 days of May
    expect(r3201[3].events).toEqual([]);                                                      // April ends 30 Apr + 30 days = 30 May
    // all regions: 100, 110, 1090, 100, 500. Mar (1090) has only 2 earlier months: not judged, not a spike.
    // Apr: earlier 100, 110, 1090 -> median 110, MAD 10 -> -0.6745; May: earlier 100, 110, 1090, 100 -> median 105,
    // |dev| 5, 5, 985, 5 -> MAD 5 -> 0.6745 × 395 / 5 = 53.2855
    const all = t.rows.filter((r) => r.region === '*');
    expect(all.map((r) => r.z_amount)).toEqual([null, null, null, expect.closeTo(-0.6745, 10), expect.closeTo(53.2855, 10)]);
    expect(all[2].new_recipients).toBe(2);
    expect(t.rows.filter((r) => r.region === '3202')).toEqual([
      { region: '3202', month: '2024-03', amount: 1000, records: 1, new_recipients: 1, history: 0, judged: false, z_amount: null, z_new: null,
        spike_amount: false, spike_new: false, events: [] }]);
    expect(t.spikes.map((s) => `${s.region} ${s.month}`)).toEqual(['* 2024-05', '3201 2024-05']);
    expect(t.spikes_near_events).toBe(2);
    expect(t.not_judged).toBe(7);
    expect(await ws.scalar('SELECT count(*) FROM oversight_timing')).toBe(11);
  });
  it('a month without enough history is never a spike: the first month of a programme is not flagged', async () => {
    // default minHistory 6: no region has 6 earlier months here, so nothing is judged and the output says so
    const t = await disbursementTiming(ws, {});
    expect(t.params.minHistory).toBe(6);
    expect(t.spikes).toEqual([]);
    expect(t.not_judged).toBe(t.rows.length);
    expect(t.rows.every((r) => r.z_amount === null && r.z_new === null && !r.judged)).toBe(true);
  });
  it('reads event dates from settings when none are given', async () => {
    await ws.run(`INSERT OR REPLACE INTO settings VALUES ('event_dates', '[{"date":"2024-03-20","label":"Pemilu"}]')`);
    const t = await disbursementTiming(ws, { windowDays: 0 });
    expect(t.rows.filter((r) => r.events.length).map((r) => `${r.region} ${r.month}`)).toEqual(['* 2024-03', '3201 2024-03', '3202 2024-03']);
  });
});

describe('region names (Pengawasan screen)', () => {
  it('region groups and timing rows carry the kab/kota name from the region reference when asked', async () => {
    // every row of the package's four files, counted here from the files themselves (one line per region + header)
    const lines = (n: string) => readFileSync(join(regionDataDir(), `${n}.csv`), 'utf8').trim().split('\n').length - 1;
    const want = { province: lines('provinces'), regency: lines('regencies'), district: lines('districts'), village: lines('villages') };
    expect(await ensureRegions(ws)).toBe(want.province + want.regency + want.district + want.village);
    const levels = Object.fromEntries((await ws.all<{ level: string; n: number }>(`SELECT level, count(*) AS n FROM ref_regions GROUP BY 1`)).map((r) => [r.level, Number(r.n)]));
    expect(levels).toEqual(want);
    expect(await ws.one(`SELECT code, name, parent FROM ref_regions WHERE code = '3201011001'`)).toEqual({ code: '3201011001', name: 'Pondok Rajeg', parent: '320101' });
    const s = await complaintsSummary(ws, { regionNames: true });
    expect(s.by_region.map((r) => [r.key, r.name, r.count])).toEqual([['3201', 'Kabupaten Bogor', 2], ['3202', 'Kabupaten Sukabumi', 2]]);
    // without the option the summary keeps its stored shape (no name key)
    expect((await complaintsSummary(ws)).by_region[0]).not.toHaveProperty('name');
    const t = await disbursementTiming(ws, { regionNames: true });
    expect([...new Set(t.rows.map((r) => `${r.region}=${r.region_name}`))]).toEqual(['*=null', '3201=Kabupaten Bogor', '3202=Kabupaten Sukabumi']);
    // a province-length key is named too
    expect((await complaintsSummary(ws, { regionNames: true, regionLength: 2 })).by_region).toMatchObject([{ key: '32', name: 'Jawa Barat', count: 4 }]);
  });
});

describe('persisted oversight tables', () => {
  it('writes the tables the evaluator workbook reads, with a trail entry', async () => {
    const r = await persistOversight(ws, { events: [{ date: '2024-06-15', label: 'Acara X' }], minHistory: 3 });
    expect(r.timing.spikes.length).toBe(2);
    expect(await ws.all(`SELECT dimension, key, count, open FROM oversight_complaints WHERE dimension = 'channel' ORDER BY key`)).toEqual([
      { dimension: 'channel', key: 'DESA', count: 2, open: 1 }, { dimension: 'channel', key: 'LAPOR!', count: 2, open: 0 }]);
    expect(await ws.all(`SELECT complaint_id, checks FROM oversight_flagged_complaints ORDER BY complaint_id`)).toEqual([
      { complaint_id: 'c1', checks: 'deceased, nik_invalid' }, { complaint_id: 'c2', checks: 'nik_invalid' }]);
    expect(await ws.scalar(`SELECT events FROM oversight_timing WHERE region = '3201' AND month = '2024-05'`)).toBe('Acara X');
    expect(await ws.scalar(`SELECT count(*) FROM audit_trail WHERE action = 'indicators.oversight'`)).toBe(1);
  });
});
