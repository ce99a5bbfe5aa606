import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Workspace } from '../../src/engine/workspace/workspace';
import {
  articleText, criteriaCatalogue, criterion, draftFindings, kriteriaText, findingFigures, getFinding, listFindings, resetFinding, reviewExceptions, reviewHistory,
  rupiah, updateFinding, FindingError,
} from '../../src/engine/findings';
import { verifyTrail } from '../../src/engine/trail/trail';
import { tempWorkspace } from '../tools/_ws';

const CHECK_IDS = ['nik_invalid', 'not_in_registry', 'deceased', 'duplicate_payment', 'household_duplicate', 'civil_servant',
  'ineligible_desil', 'program_overlap', 'shared_account', 'identity_duplicate', 'name_mismatch', 'undistributed', 'overpayment',
  'underpayment', 'registry_duplicate_nik', 'nik_attribute_mismatch', 'realization_mismatch', 'flagged_recipient'];

let ws: Workspace;
let dispose: () => Promise<void>;

const EXC_COLS = `check_id VARCHAR, source_table VARCHAR, rec_id BIGINT, _file VARCHAR, _line BIGINT, nik VARCHAR, name VARCHAR,
  program VARCHAR, period_key VARCHAR, paid_date DATE, amount DECIMAL(18,2), reason VARCHAR`;

/** check_results + exc_* exactly as docs/architecture.md fixes them (the checks module writes the same). */
async function fakeRun(ws: Workspace, runId: number, deceasedRows: [number, string, string, string, number][]) {
  await ws.run(`CREATE TABLE IF NOT EXISTS analysis_runs (run_id INTEGER, started_at TIMESTAMP, finished_at TIMESTAMP, params JSON, inputs JSON, status VARCHAR)`);
  await ws.run(`CREATE TABLE IF NOT EXISTS check_results (run_id INTEGER, check_id VARCHAR, family VARCHAR, evaluated BOOLEAN, records BIGINT,
    recipients BIGINT, amount DECIMAL(18,2), extra JSON, params JSON, sql VARCHAR, inputs JSON, ms BIGINT)`);
  await ws.run(`INSERT INTO analysis_runs VALUES (?, TIMESTAMP '2026-01-01 10:00:00' + to_minutes(?::BIGINT), NULL, '{}', '[]', 'completed')`, [runId, runId]);
  await ws.run(`CREATE OR REPLACE TABLE exc_deceased (${EXC_COLS}, death_date DATE, days_after_death BIGINT)`);
  for (const [rec, nik, program, date, amount] of deceasedRows) {
    await ws.run(`INSERT INTO exc_deceased VALUES ('deceased', 'disbursements', ?, 'salur.csv', ?, ?, 'X', ?, strftime(?::DATE, '%Y-%m'), ?::DATE, ?, 'meninggal', DATE '2024-01-01', 10)`,
      [rec, rec % 1000, nik, program, date, date, amount]);
  }
  const dec = deceasedRows.reduce((s, r) => s + r[4], 0);
  const decNik = new Set(deceasedRows.map((r) => r[1])).size;
  await ws.run(`INSERT INTO check_results VALUES (?, 'deceased', 'ghost', true, ?, ?, ?, '{"not_evaluated_records":0}', '{}', '', '[]', 5)`, [runId, deceasedRows.length, decNik, dec]);
  await ws.run(`CREATE OR REPLACE TABLE exc_undistributed (${EXC_COLS}, status VARCHAR)`);
  await ws.run(`INSERT INTO exc_undistributed VALUES ('undistributed', 'disbursements', 10000000101, 'salur.csv', 101, '3201010101900001', 'A', 'BPNT', '2025-03', DATE '2025-03-10', 5000000, 'retur', 'RETURNED')`);
  await ws.run(`INSERT INTO check_results VALUES (?, 'undistributed', 'distribution', true, 1, 1, 5000000, '{}', '{}', '', '[]', 1)`, [runId]);
  await ws.run(`CREATE OR REPLACE TABLE exc_overpayment (${EXC_COLS}, expected_amount DECIMAL(18,2), difference DECIMAL(18,2))`);
  await ws.run(`INSERT INTO exc_overpayment VALUES ('overpayment', 'disbursements', 10000000201, 'salur.csv', 201, '3201010101900002', 'B', 'BPNT', '2025-03', DATE '2025-03-10', 250000, 'lebih', 200000, 50000),
    ('overpayment', 'disbursements', 10000000202, 'salur.csv', 202, '3201010101900003', 'C', 'BPNT', '2025-04', DATE '2025-04-10', 300000, 'lebih', 200000, 100000)`);
  await ws.run(`INSERT INTO check_results VALUES (?, 'overpayment', 'distribution', true, 2, 2, 150000, '{}', '{}', '', '[]', 1)`, [runId]);
  await ws.run(`INSERT INTO check_results VALUES (?, 'civil_servant', 'ghost', true, 0, 0, 0, '{}', '{}', '', '[]', 1)`, [runId]);
  await ws.run(`INSERT INTO check_results VALUES (?, 'realization_mismatch', 'budget', false, 0, 0, 0, '{}', '{}', '', '[]', 1)`, [runId]);
}

beforeAll(async () => {
  ({ ws, dispose } = await tempWorkspace('findings'));
  await fakeRun(ws, 1, [
    [10000000001, '3201010101900010', 'PKH', '2025-02-15', 750000],
    [10000000002, '3201010101900010', 'PKH', '2025-05-15', 750000],
    [10000000003, '3201010101900011', 'BPNT', '2025-03-10', 200000],
  ]);
});
afterAll(async () => dispose());

describe('criteria catalogue', () => {
  it('covers all 18 checks with existing criteria, sebab, rekomendasi and akibat; classification, addressee, article and source', () => {
    const cat = criteriaCatalogue();
    expect(Object.keys(cat.checks).sort()).toEqual([...CHECK_IDS].sort());
    const ids = new Set(cat.criteria.map((c) => c.id));
    for (const id of CHECK_IDS) {
      const c = cat.checks[id];
      expect(c.criteria.length).toBeGreaterThan(0);
      for (const k of c.criteria) expect(ids.has(k)).toBe(true);
      expect(c.sebab.length).toBeGreaterThan(20);
      expect(c.rekomendasi.length).toBeGreaterThan(20);
      expect(c.akibat.length).toBeGreaterThan(20);
      expect(c.kondisi).toMatch(/\{records\}/);
      expect(['potensi_kerugian_negara', 'ketidaktepatan_sasaran', 'administrasi']).toContain(c.classification);
      expect(c.addressee).toMatch(/Bupati\/Wali Kota|Kementerian Sosial|direksi bank penyalur/);
    }
    for (const k of cat.criteria) {
      // An Instruksi Presiden has diktum, not pasal; every other regulation is cited by pasal.
      const unit = /^Inpres/.test(k.citation) ? /Diktum/ : /Pasal/;
      expect(k.article === null || (typeof k.article === 'string' && unit.test(k.article))).toBe(true);
      expect(String(k.source).length).toBeGreaterThan(10);
    }
    expect(cat.criteria.some((k) => k.id === 'permensos3_2025_dtsen')).toBe(true);
    const regs = new Set(cat.criteria.map((c) => c.regulation));
    for (const r of ['uu-13-2011', 'pp-39-2012', 'perpres-63-2017', 'permensos-1-2018', 'permensos-1-2019', 'permensos-20-2019',
      'permensos-3-2021', 'inpres-4-2025', 'pmk-254-2015']) expect(regs.has(r)).toBe(true);
  });
  it('cites the article of every entry matched against the regulation text, with publication and the text read; the rest say so', () => {
    const cat = criteriaCatalogue();
    const SOURCED: Record<string, RegExp> = {
      uu13_2011_data: /^Pasal 8 ayat \(1\).*Pasal 10 ayat \(1\).*Pasal 11 ayat \(1\) dan ayat \(2\)$/,
      uu13_2011_sasaran: /^Pasal 1 angka 1, Pasal 6 dan Pasal 11 ayat \(2\)$/,
      pp39_2012_bansos: /Pasal 29 ayat \(1\) dan ayat \(2\)/,
      pp39_2012_data: /Pasal 13$/,
      uu24_2013_nik: /^Pasal 1 angka 12, Pasal 13 ayat \(1\).*Pasal 44 ayat \(1\)/,
      inpres4_2025_dtsen: /Diktum KEEMPAT$/,
    };
    const sourced = cat.criteria.filter((k) => k.article);
    expect(sourced.map((k) => k.id).sort()).toEqual(Object.keys(SOURCED).sort());
    for (const k of sourced) {
      expect(k.article).toMatch(SOURCED[k.id]);
      expect(k.source).toMatch(/LN \d{4} No\. \d+|Inpres 4\/2025/);
      expect(k.source).toMatch(/dicocokkan dengan/);
      expect(k.source_url).toMatch(/^https:\/\//);
    }
    // What is left unmatched prints the honest marker, and carries no address of a text it was never read from.
    const unsourced = cat.criteria.filter((k) => !k.article);
    expect(unsourced.length).toBe(12);
    for (const k of unsourced) {
      expect(k.article).toBeNull();
      expect(k.source_url).toBeUndefined();
      expect(articleText(k)).toMatch(/^pasal\/ayat belum dicocokkan/);
    }
    expect(unsourced.map((k) => k.id)).toContain('permensos3_2025_dtsen');
    // Every check prints each cited criterion with its article (or the marker), one a line, with its source.
    for (const id of CHECK_IDS) {
      const lines = kriteriaText(id).split('\n');
      const cited = cat.checks[id].criteria.map((c) => criterion(c)!);
      expect(lines.length).toBe(cited.length);
      cited.forEach((k, i) => {
        expect(lines[i].startsWith(`${i + 1}. ${k.citation}, ${articleText(k)} — `)).toBe(true);
        expect(lines[i]).toContain(`(sumber: ${k.source}`);
        if (k.source_url) expect(lines[i]).toContain(`naskah: ${k.source_url}`);
      });
      expect(lines.filter((l) => l.includes('belum dicocokkan')).length).toBe(cited.filter((k) => !k.article).length);
    }
    expect(kriteriaText('nik_invalid')).toContain('UU No. 24 Tahun 2013');
    expect(kriteriaText('nik_invalid')).toMatch(/Pasal 13 ayat \(1\) s\.d\. ayat \(3\)/);
  });
  it('formats rupiah the Indonesian way', () => {
    expect(rupiah(1234567)).toBe('Rp 1.234.567');
    expect(rupiah(200000)).toBe('Rp 200.000');
    expect(rupiah(0)).toBe('Rp 0');
    expect(rupiah(1234.5)).toBe('Rp 1.234,50');
  });
});

describe('findings', () => {
  it('drafts one finding per check with exceptions, ranked by potential loss', async () => {
    const d = await draftFindings(ws);
    expect(d.run_id).toBe('1');
    expect(d.drafted.sort()).toEqual(['deceased', 'overpayment', 'undistributed']);
    const list = await listFindings(ws);
    // deceased is in the potential-loss union (Rp 1.700.000); undistributed (Rp 5.000.000) and overpayment are not.
    expect(list.map((f) => f.check_id)).toEqual(['deceased', 'undistributed', 'overpayment']);
    const f = list[0];
    expect(f.potential_loss_amount).toBe(1700000);
    expect(f.kondisi).toBe('Terdapat 3 transaksi penyaluran bansos PKH dan BPNT senilai Rp 1.700.000 kepada 2 penerima yang menurut data kematian '
      + 'telah meninggal dunia sebelum tanggal penyaluran, pada periode 15 Februari 2025 s.d. 15 Mei 2025. Rincian per program: PKH 2 transaksi '
      + 'senilai Rp 1.500.000; BPNT 1 transaksi senilai Rp 200.000.');
    expect(f.kriteria).toMatch(/^1\. Permensos No\. 3 Tahun 2021/);
    expect(f.akibat).toContain('Rp 1.700.000');
    expect(f.tanggapan).toBe('');
    expect(f.reviews).toEqual({ confirmed: 0, cleared: 0, open: 3 });
    const o = list[2];
    expect(o.amount).toBe(150000);
    expect(o.kondisi).toContain('kelebihan sebesar Rp 150.000');
  });

  it('keeps user edits across re-drafts until reset; every edit is in the trail', async () => {
    await updateFinding(ws, 'deceased', { sebab: 'Sebab versi auditor.', tanggapan: 'Entitas sependapat.' });
    await expect(updateFinding(ws, 'deceased', { judul: 'x' } as never)).rejects.toBeInstanceOf(FindingError);
    // a new run with one more deceased record
    await fakeRun(ws, 2, [
      [10000000001, '3201010101900010', 'PKH', '2025-02-15', 750000],
      [10000000002, '3201010101900010', 'PKH', '2025-05-15', 750000],
      [10000000003, '3201010101900011', 'BPNT', '2025-03-10', 200000],
      [10000000004, '3201010101900012', 'BPNT', '2025-03-10', 200000],
    ]);
    const d = await draftFindings(ws);
    expect(d.run_id).toBe('2');
    expect(d.kept_edits.deceased.sort()).toEqual(['sebab', 'tanggapan']);
    let f = (await getFinding(ws, 'deceased'))!;
    expect(f.sebab).toBe('Sebab versi auditor.');
    expect(f.tanggapan).toBe('Entitas sependapat.');
    expect(f.kondisi).toContain('Terdapat 4 transaksi');   // not edited: re-drafted with new figures
    expect(f.amount).toBe(1900000);
    await updateFinding(ws, 'deceased', { kondisi: 'Kondisi versi auditor.' });
    await fakeRun(ws, 3, [[10000000001, '3201010101900010', 'PKH', '2025-02-15', 750000]]);
    await draftFindings(ws);
    f = (await getFinding(ws, 'deceased'))!;
    expect(f.kondisi).toBe('Kondisi versi auditor.');
    expect(f.stale).toBe(true);                            // figures changed under the auditor's text
    f = (await resetFinding(ws, 'deceased', ['sebab']))!;
    expect(f.sebab).toBe(criteriaCatalogue().checks.deceased.sebab);
    expect(f.tanggapan).toBe('Entitas sependapat.');
    f = (await resetFinding(ws, 'deceased'))!;
    expect(f.kondisi).toContain('Terdapat 1 transaksi');
    expect(f.tanggapan).toBe('');
    expect(f.edited).toEqual([]);
    const actions = (await ws.all<{ action: string }>('SELECT action FROM audit_trail ORDER BY seq')).map((r) => r.action);
    expect(actions.filter((a) => a === 'finding.update')).toHaveLength(2);
    expect(actions).toContain('finding.reset');
    expect((await verifyTrail(ws)).ok).toBe(true);
  });
});

describe('reviews', () => {
  it('records decisions; the latest wins, history is kept; figures by status', async () => {
    await fakeRun(ws, 4, [
      [10000000001, '3201010101900010', 'PKH', '2025-02-15', 750000],
      [10000000002, '3201010101900010', 'PKH', '2025-05-15', 750000],
      [10000000003, '3201010101900011', 'BPNT', '2025-03-10', 200000],
    ]);
    await draftFindings(ws);
    await reviewExceptions(ws, { check_id: 'deceased', rec_ids: [10000000001, 10000000003], status: 'confirmed', note: 'Akta kematian', reviewer: 'ani' });
    await reviewExceptions(ws, { check_id: 'deceased', rec_ids: ['10000000003'], status: 'cleared', note: 'Salah data kematian', reviewer: 'budi' });
    const fig = await findingFigures(ws, 'deceased');
    expect(fig.all).toEqual({ records: 3, recipients: 2, amount: 1700000 });
    expect(fig.confirmed).toEqual({ records: 1, recipients: 1, amount: 750000 });
    expect(fig.cleared).toEqual({ records: 1, recipients: 1, amount: 200000 });
    expect(fig.open).toEqual({ records: 1, recipients: 1, amount: 750000 });
    const hist = await reviewHistory(ws, 'deceased', 10000000003);
    expect(hist.map((h) => h.status)).toEqual(['cleared', 'confirmed']);
    expect((await getFinding(ws, 'deceased'))!.reviews).toEqual({ confirmed: 1, cleared: 1, open: 1 });
    await reviewExceptions(ws, { check_id: 'deceased', rec_ids: [10000000003], status: 'open', reviewer: 'budi' });
    expect((await findingFigures(ws, 'deceased')).open.records).toBe(2);
    const ov = await findingFigures(ws, 'overpayment');
    expect(ov.all.amount).toBe(150000);                     // the excess, not the paid amount
    await expect(reviewExceptions(ws, { check_id: 'deceased', rec_ids: [999], status: 'confirmed' })).rejects.toThrow(/bukan pengecualian/);
    await expect(reviewExceptions(ws, { check_id: 'deceased', rec_ids: [10000000001], status: 'maybe' as never })).rejects.toBeInstanceOf(FindingError);
    await expect(reviewExceptions(ws, { check_id: 'x; drop', rec_ids: [1], status: 'open' })).rejects.toBeInstanceOf(FindingError);
    const trail = await ws.all<{ action: string; actor: string }>(`SELECT action, actor FROM audit_trail WHERE action = 'review.exceptions' ORDER BY seq`);
    expect(trail.map((t) => t.actor)).toEqual(['ani', 'budi', 'budi']);
    expect((await verifyTrail(ws)).ok).toBe(true);
  });

  it('drops findings whose check has no exceptions any more, keeping user-written ones inactive', async () => {
    await updateFinding(ws, 'undistributed', { tanggapan: 'Sudah disetor ke kas negara.' });
    await ws.run(`CREATE TABLE IF NOT EXISTS x AS SELECT 1`);
    await ws.run(`INSERT INTO analysis_runs VALUES (5, TIMESTAMP '2026-01-02 00:00:00', NULL, '{}', '[]', 'completed')`);
    await ws.run(`INSERT INTO check_results VALUES (5, 'deceased', 'ghost', true, 3, 2, 1700000, '{}', '{}', '', '[]', 5)`);
    const d = await draftFindings(ws);
    expect(d.deactivated.sort()).toEqual(['overpayment', 'undistributed']);
    const list = await listFindings(ws);
    expect(list.map((f) => [f.check_id, f.active])).toEqual([['deceased', true], ['undistributed', false]]);
  });
});
