import { describe, expect, it, beforeAll } from 'vitest';
import { mkdtempSync, readFileSync, readdirSync, existsSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateDemo, type DemoResult } from '../../src/engine/demo';
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
    a = await generateDemo({ outDir: dirA, households: 1500, seed: 7 });
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
    expect([...kinds].sort()).toEqual(['budget', 'civil_servants', 'complaints', 'deaths', 'disbursements', 'registry']);
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
    const seen = new Map<string, number>();
    for (const r of reg.slice(1)) {
      const nik = r[h.indexOf('NIK')].trim().replace(/^'/, '');
      seen.set(nik, (seen.get(nik) ?? 0) + 1);
      const kk = r[h.indexOf('NO_KK')];
      if (kk) expect(kk).toMatch(/^32\d{4}(0[1-9]|[12]\d|3[01])(0[1-9]|1[0-2])\d{2}\d{3}[1-9]$|^32\d{4}\d{6}(?!0000)\d{4}$/);
      if (!nikOk(nik)) {
        invalid++;
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
    expect(invalid).toBeLessThanOrEqual(planted.registry_invalid_nik * 2);
    expect(contradict).toBe(planted.nik_attribute_mismatch);
    const repeated = [...seen.values()].reduce((s, n) => s + n - 1, 0);
    expect(repeated).toBe(planted.registry_duplicate_nik);
  });

  it('plants every check of the catalog and truth.json holds every summary figure', () => {
    const t = a.truth!;
    const ids = [
      'nik_invalid', 'not_in_registry', 'deceased', 'duplicate_payment', 'household_duplicate', 'civil_servant',
      'ineligible_desil', 'program_overlap', 'shared_account', 'identity_duplicate', 'name_mismatch', 'undistributed',
      'overpayment', 'underpayment', 'registry_duplicate_nik', 'nik_attribute_mismatch', 'realization_mismatch',
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
    expect(t.checks.registry_duplicate_nik.records).toBe(p.registry_duplicate_nik);
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

  it('compareSummary finds a changed figure', () => {
    const t = JSON.parse(JSON.stringify(a.truth));
    expect(compareSummary(t, a.truth)).toEqual([]);
    t.checks.deceased.amount += 1;
    t.targeting.BPNT.leakage += 1e-6;
    t.inputs[1].rows_read += 1;
    expect(compareSummary(t, a.truth)).toHaveLength(3);
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
