import { describe, expect, it, beforeAll } from 'vitest';
import { mkdtempSync, readFileSync, readdirSync, existsSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateDemo, type DemoResult } from '../../src/engine/demo';
import { OFFICIAL_LIST, SNAPSHOT_PAIRS, snapshotPairFor } from '../../src/engine/demo/generate';
import { snapshotEffectiveDate } from '../../src/engine/demo/truth';
import { compareSummary, nikOk, readDelimited } from './helpers';

const hashes = (dir: string) =>
  Object.fromEntries(
    readdirSync(dir)
      .sort()
      .map((f) => [f, createHash('sha256').update(readFileSync(join(dir, f))).digest('hex')]),
  );

describe('telisik demo generator', () => {
  let a: DemoResult;
  let dirA: string;
  let dirB: string;
  beforeAll(async () => {
    dirA = mkdtempSync(join(tmpdir(), 'demo-a-'));
    dirB = mkdtempSync(join(tmpdir(), 'demo-b-'));
    a = await generateDemo({ outDir: dirA, households: 1500, seed: 7, detail: true });
    await generateDemo({ outDir: dirB, households: 1500, seed: 7 });
  });

  it('is deterministic for a seed (same bytes, XLSX included) and differs for another seed', async () => {
    const ha = hashes(dirA);
    expect(Object.keys(ha)).toContain('penyaluran_pip_2025.xlsx');
    expect(Object.keys(ha)).toContain('truth.json');
    expect(hashes(dirB)).toEqual(ha);
    for (const i of a.truth!.inputs) expect(ha[i.file]).toBe(i.sha256);
    const dirC = mkdtempSync(join(tmpdir(), 'demo-c-'));
    await generateDemo({ outDir: dirC, households: 1500, seed: 8 });
    const hc = hashes(dirC);
    expect(hc['dtsen_registry_2025.csv']).not.toBe(ha['dtsen_registry_2025.csv']);
  });

  it('writes every input kind with Indonesian headers', () => {
    const kinds = new Set(a.files.map((f) => f.kind));
    expect([...kinds].sort()).toEqual(['budget', 'civil_servants', 'complaints', 'deaths', 'disbursements', 'flags', 'registry']);
    expect(a.files.some((f) => f.path.endsWith('.xlsx') && f.kind === 'disbursements')).toBe(true);
    const reg = readDelimited(join(dirA, 'dtsen_registry_2025.csv'), ';');
    expect(reg[0]).toEqual(expect.arrayContaining(['NIK', 'NO_KK', 'NAMA', 'TGL_LAHIR', 'JENIS_KELAMIN', 'DESIL', 'KODE_WILAYAH', 'ALAMAT', 'PERIODE_DATA']));
    const bpnt = readDelimited(join(dirA, 'penyaluran_bpnt_2025.csv'), ';');
    expect(bpnt[0]).toEqual(['NIK', 'NO_KK', 'NAMA_PENERIMA', 'KODE_WILAYAH', 'JENIS_BANSOS', 'NOMINAL', 'PERIODE', 'TGL_SALUR', 'BANK_PENYALUR', 'NO_REKENING', 'STATUS_SALUR', 'ID_TRANSAKSI']);
    const col = (rows: string[][], h: string) => rows.slice(1).map((r) => r[rows[0].indexOf(h)]);
    expect(new Set(col(bpnt, 'JENIS_BANSOS'))).toEqual(new Set(['SEMBAKO', 'BPNT', 'PROGRAM SEMBAKO', 'Sembako']));
    expect(col(bpnt, 'NOMINAL').some((v) => v === 'Rp 200.000')).toBe(true);
    expect(col(bpnt, 'PERIODE').some((v) => /^[A-Z][a-z]+ 2025$/.test(v))).toBe(true);
    expect(col(bpnt, 'NIK').some((v) => /E\+15$/.test(v))).toBe(true);
    expect(col(bpnt, 'NIK').some((v) => v.trim().startsWith("'"))).toBe(true);
    const pkh = readDelimited(join(dirA, 'penyaluran_pkh_2025.csv'), ',');
    expect(col(pkh, 'PERIODE').every((v) => /^TAHAP [12] 2025$/.test(v))).toBe(true);
    // region codes are real Kepmendagri village codes of the four kabupaten
    const villages = new Set(
      readFileSync(require.resolve('idn-area-data/data/villages.csv'), 'utf8').split('\n').map((l) => l.split(',')[0]),
    );
    for (const v of col(reg, 'KODE_WILAYAH').slice(0, 500)) expect(villages.has(v)).toBe(true);
  });

  it('background NIKs and KKs are structurally valid and agree with birth date and sex', () => {
    const reg = readDelimited(join(dirA, 'dtsen_registry_2025.csv'), ';');
    const h = reg[0];
    const months = ['januari', 'februari', 'maret', 'april', 'mei', 'juni', 'juli', 'agustus', 'september', 'oktober', 'november', 'desember'];
    let invalid = 0;
    let contradict = 0;
    const seen = new Map<string, number>(); // snapshot + NIK -> rows
    const invalidPerSnapshot = new Map<string, number>();
    for (const r of reg.slice(1)) {
      const nik = r[h.indexOf('NIK')].trim().replace(/^'/, '');
      const snap = r[h.indexOf('PERIODE_DATA')];
      seen.set(`${snap}|${nik}`, (seen.get(`${snap}|${nik}`) ?? 0) + 1);
      const kk = r[h.indexOf('NO_KK')];
      if (kk) expect(kk).toMatch(/^32\d{4}(0[1-9]|[12]\d|3[01])(0[1-9]|1[0-2])\d{2}\d{3}[1-9]$|^32\d{4}\d{6}(?!0000)\d{4}$/);
      if (!nikOk(nik)) {
        invalid++;
        invalidPerSnapshot.set(snap, (invalidPerSnapshot.get(snap) ?? 0) + 1);
        continue;
      }
      const tgl = r[h.indexOf('TGL_LAHIR')];
      let d: number, m: number, y: number;
      const dm = /^(\d{2})\/(\d{2})\/(\d{4})$/.exec(tgl);
      if (dm) [d, m, y] = [Number(dm[1]), Number(dm[2]), Number(dm[3])];
      else {
        const lm = /^(\d{1,2}) ([A-Za-z]+) (\d{4})$/.exec(tgl)!;
        [d, m, y] = [Number(lm[1]), months.indexOf(lm[2].toLowerCase()) + 1, Number(lm[3])];
      }
      const female = ['P', 'PEREMPUAN'].includes(r[h.indexOf('JENIS_KELAMIN')]);
      const enc = `${String(d + (female ? 40 : 0)).padStart(2, '0')}${String(m).padStart(2, '0')}${String(y % 100).padStart(2, '0')}`;
      if (nik.slice(6, 12) !== enc) contradict++;
    }
    const planted = a.truth!.planted;
    expect(invalid).toBeGreaterThan(0);
    // each planted invalid NIK is written at most twice per snapshot (its row and a planted duplicate of it)
    for (const n of invalidPerSnapshot.values()) expect(n).toBeLessThanOrEqual(planted.registry_invalid_nik * 2);
    expect(contradict).toBe(planted.nik_attribute_mismatch);
    // repeats within a snapshot are exactly the planted duplicates; a NIK in both snapshots is not one
    const repeated = [...seen.values()].reduce((s, n) => s + n - 1, 0);
    expect(repeated).toBe(planted.registry_duplicate_nik + planted.registry_duplicate_later);
  });

  it('plants every check of the catalog and truth.json holds every summary figure', () => {
    const t = a.truth!;
    const ids = [
      'nik_invalid', 'not_in_registry', 'deceased', 'duplicate_payment', 'household_duplicate', 'civil_servant',
      'ineligible_desil', 'program_overlap', 'shared_account', 'identity_duplicate', 'name_mismatch', 'undistributed',
      'overpayment', 'underpayment', 'flagged_recipient', 'registry_duplicate_nik', 'nik_attribute_mismatch',
      'realization_mismatch',
    ];
    expect(Object.keys(t.checks)).toEqual(ids);
    for (const id of ids) {
      expect(t.checks[id].evaluated, id).toBe(true);
      expect(t.checks[id].records, id).toBeGreaterThan(0);
    }
    const p = t.planted;
    expect(t.checks.nik_invalid.records).toBeGreaterThanOrEqual(p.nik_invalid + p.nik_sci_notation);
    expect(t.checks.not_in_registry.recipients).toBeGreaterThanOrEqual(p.not_in_registry);
    expect(t.checks.deceased.recipients).toBeGreaterThanOrEqual(1);
    expect(t.checks.deceased.not_evaluated_records).toBeGreaterThanOrEqual(p.deceased_no_paid_date);
    expect(t.checks.duplicate_payment.records).toBeGreaterThanOrEqual(p.duplicate_payment);
    expect(t.checks.household_duplicate.records).toBeGreaterThanOrEqual(1);
    expect(t.checks.identity_duplicate.pairs).toBeGreaterThanOrEqual(p.identity_duplicate);
    expect(t.checks.shared_account.accounts).toBeGreaterThanOrEqual(1);
    expect(t.checks.undistributed.records).toBe(p.undistributed);
    expect(t.checks.registry_duplicate_nik.records).toBe(p.registry_duplicate_nik + p.registry_duplicate_later);
    expect(t.checks.nik_attribute_mismatch.records).toBe(p.nik_attribute_mismatch);
    expect(t.checks.overpayment.records).toBeGreaterThanOrEqual(p.overpayment);
    expect(t.checks.underpayment.records).toBeGreaterThanOrEqual(p.underpayment);
    for (const k of Object.keys(p)) expect(p[k], k).toBeGreaterThan(0);
    expect(Object.keys(t.targeting).sort()).toEqual(['BLT', 'BLT_DD', 'BPNT', 'PIP', 'PKH']);
    expect(t.budget.lines).toBeGreaterThan(0);
    expect(t.potential_loss.records).toBeGreaterThan(0);
    expect(existsSync(join(dirA, 'truth.json'))).toBe(true);
    const rej = t.inputs.find((i) => i.file === 'penyaluran_bpnt_2025.csv')!;
    expect(rej.rows_rejected).toBe(p.rejected_row);
    expect(rej.rows_read).toBe(rej.rows_loaded + rej.rows_rejected);
  });

  it('plants every contract-2 case at scale (tens of each at 1,500 households)', () => {
    const t = a.truth!;
    const p = t.planted;
    const col = (rows: string[][], hd: string) => rows.slice(1).map((r) => r[rows[0].indexOf(hd)]);
    // stage payments: correct ones are not exceptions, wrong ones (over and under) are; SUSULAN is not judged
    const bpnt = readDelimited(join(dirA, 'penyaluran_bpnt_2025.csv'), ';');
    const rupiah = (v: string) => Number(v.replace(/^Rp\s*/, '').replace(/[.,]00$/, '').replace(/[^0-9]/g, ''));
    const stageLine = (r: string[]) => /^TAHAP [12] 2025$/i.test(r[bpnt[0].indexOf('PERIODE')]);
    const correctStage = new Set<string>();
    bpnt.forEach((r, i) => {
      if (i > 0 && stageLine(r) && rupiah(r[bpnt[0].indexOf('NOMINAL')]) === 600_000) correctStage.add(`1:${i + 1}`);
    });
    expect(correctStage.size).toBeGreaterThan(40);
    const ex = a.detail!.exceptions;
    const judged = [...ex.overpayment, ...ex.underpayment];
    expect(judged.filter((k) => correctStage.has(k))).toEqual([]);
    const stageEx = (id: string) => ex[id].filter((k) => k.startsWith('1:') && stageLine(bpnt[Number(k.slice(2)) - 1])).length;
    expect(stageEx('overpayment')).toBeGreaterThanOrEqual(10);
    expect(stageEx('underpayment')).toBeGreaterThanOrEqual(10);
    expect(p.bpnt_stage).toBeGreaterThan(40);
    expect(p.bltdd_stage).toBeGreaterThan(10);
    expect(col(bpnt, 'PERIODE').filter((v) => /SUSULAN/i.test(v)).length).toBeGreaterThan(10);
    expect(t.checks.overpayment.not_evaluated_records).toBeGreaterThanOrEqual(p.period_not_evaluated);
    expect(p.period_not_evaluated).toBeGreaterThanOrEqual(15);
    expect(t.checks.underpayment.not_evaluated_records).toBe(t.checks.overpayment.not_evaluated_records);
    // registry snapshots: two labels in DOMAIN's forms, graduations still paid, fall-ins, NIKs only in the later one
    const reg = readDelimited(join(dirA, 'dtsen_registry_2025.csv'), ';');
    const pair = snapshotPairFor(7);
    expect(new Set(col(reg, 'PERIODE_DATA'))).toEqual(new Set([pair.early, pair.late]));
    for (const sp of SNAPSHOT_PAIRS) {
      const iso = (d: [number, number, number]) => d.map((x, i) => String(x).padStart(i ? 2 : 4, '0')).join('-');
      expect(snapshotEffectiveDate(sp.early)).toBe(iso(sp.earlyDate));
      expect(snapshotEffectiveDate(sp.late)).toBe(iso(sp.lateDate));
    }
    const g = t.impact.graduation;
    expect(g.evaluated).toBe(true);
    if (g.evaluated) {
      expect(g.graduated).toBeGreaterThanOrEqual(p.graduated);
      expect(g.graduated_still_paid).toBeGreaterThan(20);
      expect(g.graduated_still_paid).toBeLessThan(g.graduated);
      expect(g.fell_in).toBeGreaterThanOrEqual(p.fell_in);
      expect(g.present_later).toBeLessThan(g.poor_earlier);
    }
    expect(p.registry_later_only).toBeGreaterThan(10);
    expect(p.undated_payment).toBeGreaterThan(10);
    expect(p.registry_duplicate_later).toBeGreaterThan(5);
    expect(p.fell_in).toBeGreaterThan(10);
    // nested budget lines: province (2 digits), kab/kota (4), no region, a line without year beside one with year
    const bud = readDelimited(join(dirA, 'anggaran_bansos.csv'), ';');
    const regions = col(bud, 'KODE_WILAYAH');
    expect(regions).toContain('32');
    expect(regions).toContain('');
    expect(regions.some((r) => /^\d{2}\.\d{2}$/.test(r))).toBe(true);
    const noYear = bud.slice(1).find((r) => r[1] === '' && r[2] !== '')!;
    expect(bud.slice(1).some((r) => r[0] !== '' && r[1] === '2025' && r[2] === noYear[2])).toBe(true);
    expect(p.no_region).toBeGreaterThan(10);
    // comparison lists: three files, messy names normalised, one file without a list column, overlaps
    const fr = t.checks.flagged_recipient;
    expect(Object.keys(fr.lists!).sort()).toEqual([OFFICIAL_LIST, 'PEKERJA UPAH DI ATAS UMR', 'PEMILIK KENDARAAN RODA 4'].sort());
    expect(OFFICIAL_LIST).toBe('DAFTAR PERANGKAT DESA');
    expect(readDelimited(join(dirA, 'daftar perangkat desa.csv'), ';')[0]).toEqual(['NIK', 'NAMA', 'KETERANGAN']);
    const wage = readDelimited(join(dirA, 'bpjstk_pekerja_upah_di_atas_umr_2025.csv'), ';');
    expect(new Set(col(wage, 'NAMA_DAFTAR')).size).toBeGreaterThan(3);
    for (const l of Object.values(fr.lists!)) expect(l.recipients).toBeGreaterThan(10);
    expect(fr.multi_list_recipients).toBeGreaterThanOrEqual(p.flag_multi_list);
    expect(p.flag_multi_list).toBeGreaterThan(5);
    expect(fr.recipients).toBeGreaterThanOrEqual(p.flagged_recipient + p.flag_multi_list);
    expect(t.inputs.find((i) => i.file === 'bpjstk_pekerja_upah_di_atas_umr_2025.csv')!.rows_rejected).toBe(p.flag_rejected);
    // flagged_recipient is not part of the potential loss
    const loss = new Set(ex.potential_loss);
    expect(ex.flagged_recipient.some((k) => !loss.has(k))).toBe(true);
  });

  it('compareSummary finds a changed figure', () => {
    const t = JSON.parse(JSON.stringify(a.truth));
    expect(compareSummary(t, a.truth)).toEqual([]);
    t.checks.deceased.amount += 1;
    t.targeting.BPNT.leakage += 1e-6;
    t.inputs[1].rows_read += 1;
    expect(compareSummary(t, a.truth)).toHaveLength(3);
    const u = JSON.parse(JSON.stringify(a.truth));
    u.checks.flagged_recipient.lists['PEKERJA UPAH DI ATAS UMR'].amount += 1;
    u.checks.flagged_recipient.multi_list_recipients += 1;
    u.impact.graduation.graduated_still_paid += 1;
    u.impact.coverage.BPNT.desil_1_2 += 1e-6;
    delete u.impact.complementarity.both;
    expect(compareSummary(u, a.truth)).toHaveLength(5);
  });

  it('scales with N: planted anomalies grow in proportion', async () => {
    const small = mkdtempSync(join(tmpdir(), 'demo-s-'));
    const r = await generateDemo({ outDir: small, households: 300, seed: 7 });
    expect(r.truth!.planted.duplicate_payment).toBeLessThan(a.truth!.planted.duplicate_payment + 1);
    expect(a.truth!.checks.ineligible_desil.records).toBeGreaterThan(r.truth!.checks.ineligible_desil.records);
  });

  it('stops on an aborted signal and the CLI command writes a set', async () => {
    const ac = new AbortController();
    const d = mkdtempSync(join(tmpdir(), 'demo-x-'));
    await expect(
      generateDemo({ outDir: d, households: 5000, seed: 1, signal: ac.signal, onProgress: (p) => p.households >= 1024 && ac.abort(new Error('stop')) }),
    ).rejects.toThrow('stop');
    const { demoCommand } = await import('../../src/cli/commands/demo');
    const out = mkdtempSync(join(tmpdir(), 'demo-cli-'));
    const log = console.log;
    console.log = () => {};
    try {
      expect(await demoCommand.run(['--out', out, '--households', '200', '--seed', '9', '--quiet', '--verify'])).toBe(0);
      await expect(demoCommand.run(['--out', out, '--households', 'many'])).rejects.toThrow(/whole number/);
    } finally {
      console.log = log;
    }
    expect(existsSync(join(out, 'truth.json'))).toBe(true);
    expect(JSON.parse(readFileSync(join(out, 'truth.json'), 'utf8')).generator).toEqual({ name: 'telisik-demo', households: 200, seed: 9 });
  });

  it('overflows PIP rows beyond the XLSX row cap into a CSV continuation and skips truth when asked', async () => {
    const d = mkdtempSync(join(tmpdir(), 'demo-o-'));
    const r = await generateDemo({ outDir: d, households: 600, seed: 3, xlsxMaxRows: 20, truth: false });
    expect(r.truth).toBeNull();
    expect(r.files.map((f) => f.path.split('/').pop())).toContain('penyaluran_pip_2025_lanjutan.csv');
    expect(r.rows['penyaluran_pip_2025.xlsx']).toBe(20);
    expect(existsSync(join(d, 'truth.json'))).toBe(false);
  });
});
