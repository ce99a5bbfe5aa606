import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Workspace } from '../../src/engine/workspace/workspace';
import {
  ageing, benford, benfordDrill, conformity, duplicates, fieldProfile, fuzzyDuplicates, gaps, listSamples, pivot,
  sampleMus, sampleRandom, stratify, ToolError,
} from '../../src/engine/tools';
import { verifyTrail } from '../../src/engine/trail/trail';
import { tempWorkspace } from './_ws';

let ws: Workspace;
let dispose: () => Promise<void>;

beforeAll(async () => {
  ({ ws, dispose } = await tempWorkspace());
  await ws.run(`CREATE TABLE t (rec_id BIGINT, nik VARCHAR, name VARCHAR, tgl DATE, amount DECIMAL(18,2), no VARCHAR, seqno INTEGER, born DATE)`);
  // first digits 1,1,1,2,2,3,4,5,6,7
  const amounts = [12, 150, 1999, 23, 2500, 345, 4100, 50, 678, 7000];
  const names = ['SITI AMINAH', 'Siti Aminah ', 'BUDI', 'BUDI SANTOSO', 'budi santoso', 'ANI', 'ANI', 'JOKO', 'WATI', 'WATI'];
  const niks = ['3201', '3201', '3202', '3203', '3203', '3204', '3205', '3206', null, '3207'];
  const dates = ['2025-01-01', '2025-01-02', '2025-01-05', '2025-01-06', '2024-12-01', '2024-10-01', '2024-09-15', '2024-05-01', '2023-01-01', null];
  const nos = ['TRX001', 'TRX002', 'TRX003', 'TRX007', 'TRX008', 'TRX010', 'TRX010', 'TRX011', 'TRX012', 'TRX013'];
  const seqs = [1, 2, 3, 7, 8, 10, 10, 11, 12, 13];
  const born = ['1980-01-01', '1980-01-01', '1970-02-02', '1975-03-03', '1975-03-03', '1990-01-01', '1990-01-01', '1960-01-01', '1950-01-01', '1950-01-01'];
  for (let i = 0; i < 10; i++) {
    await ws.run('INSERT INTO t VALUES (?, ?, ?, ?::DATE, ?, ?, ?, ?::DATE)', [i + 1, niks[i], names[i], dates[i], amounts[i], nos[i], seqs[i], born[i]]);
  }
});
afterAll(async () => dispose());

describe('identifier validation', () => {
  it('rejects unknown tables and columns, and injection attempts', async () => {
    await expect(fieldProfile(ws, { table: 'nope' })).rejects.toBeInstanceOf(ToolError);
    await expect(fieldProfile(ws, { table: 't', column: 'amount; DROP TABLE t' })).rejects.toThrow(/tidak ada/);
    await expect(benford(ws, { table: 't', column: 'tgl' })).rejects.toBeInstanceOf(ToolError);
    await expect(sampleRandom(ws, { name: 'x; drop', table: 't', size: 2 })).rejects.toThrow(/tidak sah/);
    expect(await ws.tableExists('t')).toBe(true);
  });
});

describe('fieldProfile', () => {
  it('profiles a numeric and a text column', async () => {
    const [a] = await fieldProfile(ws, { table: 't', column: 'amount' });
    expect(a).toMatchObject({ rows: 10, nulls: 0, distinct: 10, min: 12, max: 7000 });
    expect(a.numeric!.sum).toBe(16857);
    const [n] = await fieldProfile(ws, { table: 't', column: 'nik', top: 2 });
    expect(n).toMatchObject({ nulls: 1, distinct: 7 });
    expect(n.top[0]).toEqual({ value: '3201', count: 2, share: 0.2 });
    expect(n.length).toEqual({ min: 4, max: 4, avg: 4 });
    const all = await fieldProfile(ws, { table: 't' });
    expect(all.map((p) => p.column)).toEqual(['rec_id', 'nik', 'name', 'tgl', 'amount', 'no', 'seqno', 'born']);
  });
});

describe('benford', () => {
  it('computes MAD and chi-square of a small known distribution (by hand)', async () => {
    const r = await benford(ws, { table: 't', column: 'amount', test: 1 });
    expect(r.n).toBe(10);
    expect(r.digits.map((d) => d.count)).toEqual([3, 2, 1, 1, 1, 1, 1, 0, 0]);
    // Expected proportions log10(1+1/d): .30103 .176091 .124939 .09691 .079181 .066947 .057992 .051153 .045757
    // |actual - expected|: .00103 .023909 .024939 .00309 .020819 .033053 .042008 .051153 .045757 -> sum .245758 / 9
    expect(r.mad).toBeCloseTo(0.0273064, 6);
    expect(r.conformity).toBe('nonconformity');
    // chi-square = sum (O - 10p)^2 / 10p = 1.5746 (hand sum of nine terms), df 8
    expect(r.chi_square).toBeCloseTo(1.5746, 3);
    expect(r.df).toBe(8);
    expect(r.applicable).toBe(false);
    expect(r.notes.join(' ')).toMatch(/300/);
  });

  it('applies Nigrini ranges at the boundaries', () => {
    expect(conformity(1, 0.0059)).toBe('close');
    expect(conformity(1, 0.006)).toBe('acceptable');
    expect(conformity(1, 0.012)).toBe('acceptable');
    expect(conformity(1, 0.0121)).toBe('marginal');
    expect(conformity(1, 0.0151)).toBe('nonconformity');
    expect(conformity(2, 0.0011)).toBe('close');
    expect(conformity(2, 0.0019)).toBe('marginal');
    expect(conformity(2, 0.0023)).toBe('nonconformity');
  });

  it('finds close conformity on log-uniform data and flags a dominant fixed amount', async () => {
    await ws.run(`CREATE TABLE lu AS SELECT i AS id, round(10 ** (1 + 4.0 * i / 9000), 2)::DECIMAL(18,2) AS x FROM range(9000) r(i)`);
    const r1 = await benford(ws, { table: 'lu', column: 'x' });
    expect(r1.conformity).toBe('close');
    expect(r1.applicable).toBe(true);
    const r2 = await benford(ws, { table: 'lu', column: 'x', test: 2, resultName: 'bf2' });
    expect(r2.digits).toHaveLength(90);
    expect(r2.df).toBe(89);
    expect(r2.conformity).toBe('close');
    expect(await ws.scalar('SELECT count(*) FROM tool_bf2')).toBe(90);
    await ws.run(`CREATE TABLE bpnt AS SELECT i AS id, 200000::DECIMAL(18,2) AS x FROM range(900) r(i)
      UNION ALL SELECT 1000 + i, (10 ** (1 + 4.0 * i / 100))::DECIMAL(18,2) FROM range(100) r(i)`);
    const r3 = await benford(ws, { table: 'bpnt', column: 'x' });
    expect(r3.applicable).toBe(false);
    expect(r3.top_value).toMatchObject({ value: 200000, count: 900 });
    expect(r3.notes.join(' ')).toMatch(/nilai tetap/);
  });

  it('drills down to the records of a digit', async () => {
    const d = await benfordDrill(ws, { table: 't', column: 'amount', digit: 2 });
    expect(d.total).toBe(2);
    expect(d.rows.map((r) => r.rec_id)).toEqual([5, 4]);
    const d2 = await benfordDrill(ws, { table: 't', column: 'amount', test: 2, digit: 19 });
    expect(d2.rows.map((r) => r.amount)).toEqual([1999]);
  });
});

describe('duplicates', () => {
  it('finds exact duplicates on chosen keys', async () => {
    const r = await duplicates(ws, { table: 't', keys: ['nik'], amountColumn: 'amount', resultName: 'dup_nik' });
    expect(r).toMatchObject({ groups: 2, records: 4, excess: 2, amount: 12 + 150 + 23 + 2500 });
    expect(r.top.map((g) => g.keys.nik).sort()).toEqual(['3201', '3203']);
    expect(await ws.scalar('SELECT count(DISTINCT _dup_group) FROM tool_dup_nik')).toBe(2);
    const r2 = await duplicates(ws, { table: 't', keys: ['name', 'born'] });
    expect(r2.groups).toBe(2); // ANI/1990 and WATI/1950 (exact text)
  });

  it('finds fuzzy name duplicates within an exact block', async () => {
    const r = await fuzzyDuplicates(ws, { table: 't', nameColumn: 'name', blockKeys: ['born'], threshold: 0.92, resultName: 'fz' });
    // born 1980: SITI AMINAH = Siti Aminah (1.0); 1975: BUDI SANTOSO = budi santoso (1.0); 1990 ANI/ANI; 1950 WATI/WATI.
    // BUDI (1970) is alone in its block, so never compared with BUDI SANTOSO.
    expect(r.pairs).toBe(4);
    expect(r.records).toBe(8);
    expect(r.top.every((p) => p.similarity === 1)).toBe(true);
    const loose = await fuzzyDuplicates(ws, { table: 't', nameColumn: 'name', blockKeys: ['born'], threshold: 0.5 });
    expect(loose.pairs).toBe(4);
  });
});

describe('gaps', () => {
  it('finds gaps in an integer sequence and in text numbers', async () => {
    const r = await gaps(ws, { table: 't', column: 'seqno' });
    expect(r.top).toEqual([{ after: 3, before: 7, missing: 3 }, { after: 8, before: 10, missing: 1 }]);
    expect(r).toMatchObject({ gaps: 2, missing: 4, duplicates: 1, min: 1, max: 13 });
    const r2 = await gaps(ws, { table: 't', column: 'no' });
    expect(r2.missing).toBe(4);
  });
  it('finds gaps in dates by day and by month', async () => {
    const r = await gaps(ws, { table: 't', column: 'tgl' });
    expect(r.top[0]).toEqual({ after: '2023-01-01', before: '2024-05-01', missing: 485 });
    const m = await gaps(ws, { table: 't', column: 'tgl', step: 'month' });
    // months present: 2023-01, 2024-05, 2024-09, 2024-10, 2024-12, 2025-01 -> gaps 15 + 3 + 0 + 1 = 19 missing months
    expect(m.gaps).toBe(3);
    expect(m.missing).toBe(15 + 3 + 1);
  });
});

describe('stratify', () => {
  it('stratifies into given bands', async () => {
    const r = await stratify(ws, { table: 't', column: 'amount', bounds: [0, 100, 1000, 5000], resultName: 'st' });
    expect(r.strata.map((s) => [s.lower, s.upper, s.count, s.sum])).toEqual([
      [0, 100, 3, 85], [100, 1000, 3, 1173], [1000, 5000, 3, 8599], [5000, null, 1, 7000]]);
    expect(r.strata[0].count_share).toBe(0.3);
    expect(r.strata[3].sum_share).toBeCloseTo(7000 / 16857, 10);
  });
  it('stratifies into quantile bands', async () => {
    const r = await stratify(ws, { table: 't', column: 'amount', quantiles: 2 });
    // quantile_disc(0.5) of 10 sorted values = 5th value = 345
    expect(r.bounds).toEqual([345]);
    expect(r.strata.map((s) => s.count)).toEqual([4, 6]);
  });
});

describe('ageing', () => {
  it('ages a date column relative to an as-of date', async () => {
    const r = await ageing(ws, { table: 't', column: 'tgl', asOf: '2025-01-05', amountColumn: 'amount', resultName: 'age' });
    const b = Object.fromEntries(r.buckets.map((x) => [x.bucket, [x.count, x.sum]]));
    // days: 4, 3, 0, -1, 35, 96, 112, 249, 735, null
    expect(b).toEqual({ future: [1, 23], '0-30': [3, 2161], '31-60': [1, 2500], '61-90': [0, 0], '91-180': [2, 4445],
      '181-365': [1, 50], '>365': [1, 678], 'no date': [1, 7000] });
    expect(r.oldest_days).toBe(735);
  });
});

describe('pivot', () => {
  it('summarises by one and two columns', async () => {
    const r = await pivot(ws, { table: 't', groupBy: ['nik'], value: 'amount' });
    expect(r.rows[0]).toEqual({ groups: { nik: '3201' }, count: 2, sum: 162, avg: 81, min: 12, max: 150 });
    expect(r.rows.at(-1)!.groups.nik).toBeNull();
    expect(r.total).toEqual({ count: 10, sum: 16857 });
    const r2 = await pivot(ws, { table: 't', groupBy: ['nik', 'born'], resultName: 'pv' });
    expect(r2.rows).toHaveLength(8);
    expect(await ws.scalar('SELECT count(*) FROM tool_pv')).toBe(8);
  });
});

describe('sampling', () => {
  it('random sample is reproducible from its stored seed', async () => {
    const a = await sampleRandom(ws, { name: 'r1', table: 'lu', size: 25, seed: 42 });
    const rows1 = await ws.all<{ id: number }>('SELECT id FROM sample_r1 ORDER BY _sample_seq');
    const b = await sampleRandom(ws, { name: 'r2', table: 'lu', size: 25, seed: 42 });
    const rows2 = await ws.all<{ id: number }>('SELECT id FROM sample_r2 ORDER BY _sample_seq');
    expect(rows2).toEqual(rows1);
    expect(a.sample_size).toBe(25);
    expect(b.population_count).toBe(9000);
    await sampleRandom(ws, { name: 'r3', table: 'lu', size: 25, seed: 43 });
    const rows3 = await ws.all<{ id: number }>('SELECT id FROM sample_r3 ORDER BY _sample_seq');
    expect(rows3).not.toEqual(rows1);
    const auto = await sampleRandom(ws, { name: 'r4', table: 'lu', size: 5 });
    const stored = (await listSamples(ws)).find((s) => s.name === 'r4')!;
    expect(Number(stored.seed)).toBe(auto.seed);
    expect(JSON.parse(stored.params as string).size).toBe(5);
  });

  it('monetary-unit sampling on a tiny population (by hand)', async () => {
    await ws.run(`CREATE TABLE pop AS SELECT * FROM (VALUES (1, 100.00), (2, 50.00), (3, 300.00), (4, 20.00), (5, 80.00), (6, 250.00), (7, 40.00), (8, 0.00))
      v(rec_id, nilai)`);
    await ws.run(`ALTER TABLE pop ALTER nilai TYPE DECIMAL(18,2)`);
    // J = 200, start 30. Top stratum (>= 200): rec 3 (300), rec 6 (250).
    // Others in rec_id order: 1:100 (cum 100), 2:50 (150), 4:20 (170), 5:80 (250), 7:40 (290).
    // Points 30, 230, 430: 30 in (0,100] -> rec 1; 230 in (170,250] -> rec 5; 430 > 290.
    const r = await sampleMus(ws, { name: 'mus1', table: 'pop', amountColumn: 'nilai', interval: 200, randomStart: 30, seed: 7 });
    const rows = await ws.all<{ rec_id: number; _selection: string; _selection_point: number | null }>(
      'SELECT rec_id, _selection, _selection_point FROM sample_mus1 ORDER BY _sample_seq');
    expect(rows).toEqual([
      { rec_id: 1, _selection: 'interval', _selection_point: 30 }, { rec_id: 3, _selection: 'top', _selection_point: null },
      { rec_id: 5, _selection: 'interval', _selection_point: 230 }, { rec_id: 6, _selection: 'top', _selection_point: null }]);
    expect(r).toMatchObject({ population_count: 7, population_amount: 840, sample_size: 4, sample_amount: 730, top_stratum: 2, excluded: 1 });
    // size 4 -> J = ceil(840 / 4) = 210; seed gives a start in [0.01, 210], same seed same sample.
    const s1 = await sampleMus(ws, { name: 'mus2', table: 'pop', amountColumn: 'nilai', size: 4, seed: 99 });
    const s2 = await sampleMus(ws, { name: 'mus3', table: 'pop', amountColumn: 'nilai', size: 4, seed: 99 });
    expect(s1.interval).toBe(210);
    expect(s1.random_start).toBe(s2.random_start);
    expect(s1.random_start! > 0 && s1.random_start! <= 210).toBe(true);
    expect(await ws.all('SELECT rec_id FROM sample_mus2 ORDER BY 1')).toEqual(await ws.all('SELECT rec_id FROM sample_mus3 ORDER BY 1'));
    expect((await verifyTrail(ws)).ok).toBe(true);
  });
});
