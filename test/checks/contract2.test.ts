/**
 * Contract 2 (DOMAIN.md, 2026-12-05) on a hand-built engagement imported from real files: registry snapshots and the
 * desil in force, duplicates within a snapshot, expected amounts per period length, the most specific budget line,
 * comparison lists, and the impact figures of the summary. Every figure below is worked out by hand in the comments.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Workspace } from '../../src/engine/workspace/workspace';
import { importFile } from '../../src/engine/ingest';
import { runChecks, buildSummary, type Summary } from '../../src/engine/checks';
import { prepareSnapshots } from '../../src/engine/checks/snapshots';
import { summaryTable } from '../../src/cli/commands/audit';
import { lines } from './helpers';

// Registry NIKs (valid: 3201 01, 15-05-90, serial) and households
const P1 = '3201011505900001'; // KK1: desil 2 in Januari 2025, desil 6 in TRIWULAN II 2025 (graduated 2025-04-01)
const P2 = '3201011505900002'; // KK2: desil 6 → 3 (fell in)
const P3 = '3201011505900003'; // KK3: desil 3, only in the January snapshot
const P4 = '3201011505900004'; // KK4: desil 7, only in the later snapshot
const P5 = '3201011505900005'; // KK5: desil 2, TWICE in January (a duplicate), once in Q2 (not a duplicate)
const P6 = '3201011505900006'; // KK6: desil 5 in both
// Valid NIKs absent from the registry
const X1 = '3201011505900011';
const X2 = '3201011505900012';
const X4 = '3201011505900014';
const X9 = '3201011505900019'; // on a list, never paid

let dir: string;
let ws: Workspace;
let summary: Summary;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'telisik-c2-'));
  const f = (name: string, text: string) => { const p = join(dir, name); writeFileSync(p, text); return p; };
  const reg = f('dtsen.csv', [
    'NIK;NO_KK;NAMA;TGL_LAHIR;JENIS_KELAMIN;DESIL;KODE_WILAYAH;PERIODE_DATA',
    `${P1};KK1;BUDI;15/05/1990;L;2;32.01.01.2001;Januari 2025`,
    `${P2};KK2;ANI;15/05/1990;L;6;32.01.01.2001;Januari 2025`,
    `${P3};KK3;CICI;15/05/1990;L;3;32.01.01.2001;Januari 2025`,
    `${P5};KK5;EKO;15/05/1990;L;2;32.01.01.2001;Januari 2025`,
    `${P5};KK5;EKO;15/05/1990;L;2;32.01.01.2001;Januari 2025`,
    `${P6};KK6;FANI;15/05/1990;L;5;32.01.01.2001;Januari 2025`,
    `${P1};KK1;BUDI;15/05/1990;L;6;32.01.01.2001;TRIWULAN II 2025`,
    `${P2};KK2;ANI;15/05/1990;L;3;32.01.01.2001;TRIWULAN II 2025`,
    `${P4};KK4;DODI;15/05/1990;L;7;32.01.01.2001;TRIWULAN II 2025`,
    `${P5};KK5;EKO;15/05/1990;L;2;32.01.01.2001;TRIWULAN II 2025`,
    `${P6};KK6;FANI;15/05/1990;L;5;32.01.01.2001;TRIWULAN II 2025`,
  ].join('\n') + '\n');
  const H = 'NIK;NO_KK;NAMA;PROGRAM;NOMINAL;PERIODE;TGL_SALUR;STATUS;KODE_WILAYAH';
  const salur = f('salur.csv', [H,
    `${P1};KK1;BUDI;BPNT;200.000;2025-03;10/03/2025;SUKSES;`,              // L2  Jan snapshot desil 2: eligible
    `${P1};KK1;BUDI;BPNT;200.000;2025-05;10/05/2025;SUKSES;`,              // L3  Q2 desil 6: ineligible
    `${P1};KK1;BUDI;SEMBAKO;600.000;TAHAP 2 2025;;SUKSES;`,               // L4  no date → T2 = 2025-04-01 → Q2: ineligible; 3 × 200,000 correct
    `${P2};KK2;ANI;BPNT;200.000;2025-02;10/02/2025;SUKSES;`,               // L5  Jan desil 6: ineligible
    `${P2};KK2;ANI;BPNT;200.000;2025-06;10/06/2025;SUKSES;`,               // L6  Q2 desil 3: eligible
    `${P4};KK4;DODI;BPNT;200.000;2025-02;10/02/2025;SUKSES;`,              // L7  only in Q2 → the earliest containing it: desil 7
    `${P6};KK6;FANI;BPNT;600.000;TAHAP 1 2025;20/03/2025;SUKSES;`,         // L8  Jan desil 5: ineligible; stage amount correct
    `${P3};KK3;CICI;BPNT;200.000;SUSULAN 2025;01/08/2025;SUKSES;`,         // L9  not judged by over/underpayment
    `${P3};KK3;CICI;BPNT;400.000;TAHAP 1 2025;01/02/2025;SUKSES;`,         // L10 underpayment 200,000
    `${P5};KK5;EKO;BPNT;800.000;TAHAP 3 2025;05/07/2025;SUKSES;`,          // L11 overpayment 200,000
    `${P1};KK1;BUDI;BPNT;200.000;2025-07;05/07/2025;GAGAL;`,               // L12 failed: not paid
    `${P5};KK5;EKO;BPNT;200.000;SUSULAN 2025;09/09/2025;SUKSES;`,          // L13 not judged
    `${P3};KK3;CICI;BPNT;250.000;Juli 2025;15/07/2025;SUKSES;`,            // L14 overpayment 50,000
    `${P1};KK1;BUDI;PKH;1.000.000;2025-03;01/03/2025;SUKSES;32.01.01.2001`, // L15 → budget line 32.01 2025
    `${X2};;XX;PKH;2.000.000;2025-03;01/03/2025;SUKSES;32.02.05.1001`,     // L16 → province line 32 2025
    `${P3};KK3;CICI;PKH;4.000.000;2025-03;01/03/2025;SUKSES;33.01.01.1001`, // L17 → national line without year
    `${X4};;XX;PKH;8.000.000;2024-12;01/12/2024;SUKSES;32.01.02.2002`,     // L18 → 32.01 without year (longer region beats the 2024 province line)
    `${X1};;XX;PKH;300.000;2025-02;;SUKSES;32.01.03.1001`,                 // L19 no paid_date → only lines without year → 32.01 without year
  ].join('\n') + '\n');
  const pagu = f('pagu.csv', ['PROGRAM;PAGU;REALISASI;TAHUN;KODE_WILAYAH',
    'PKH;5.000.000;3.000.000;2025;32',            // L2 receives L16: 2,000,000 → differs 1,000,000
    'PKH;5.000.000;1.000.000;2025;32.01',         // L3 receives L15: equal
    'PKH;20.000.000;9.999.999;;',                 // L4 receives L17: 4,000,000 → differs 5,999,999
    'PKH;9.000.000;8.000.000;2024;32',            // L5 receives nothing (L18 goes to the longer 32.01) → differs 8,000,000
    'PKH;1.000.000;500.000;;32.01',               // L6 receives L18 + L19: 8,300,000 → differs 7,800,000
  ].join('\n') + '\n');
  const daftar = f('daftar_pembanding.csv', ['NIK;NAMA;DAFTAR;KETERANGAN',
    `${P1};BUDI; pekerja  upah di atas UMR ;gaji`,
    `${P3};CICI;PEKERJA UPAH DI ATAS UMR;gaji`,
    `${P3};CICI;pemilik   kendaraan;mobil`,
    `${P1};BUDI;Pekerja Upah di atas UMR;dua kali di daftar yang sama`,
    `${X9};XX;PEMILIK KENDARAAN;tidak menerima`,
  ].join('\n') + '\n');
  const desa = f('perangkat_desa.csv', ['NIK,NAMA', `${P3},CICI`, `${P6},FANI`].join('\n') + '\n');

  ws = await Workspace.create(join(dir, 'w.duckdb'), { name: 'contract 2' });
  await importFile(ws, { kind: 'registry', path: reg });
  await importFile(ws, { kind: 'disbursements', path: salur });
  await importFile(ws, { kind: 'budget', path: pagu });
  await importFile(ws, { kind: 'flags', path: daftar });
  await importFile(ws, { kind: 'flags', path: desa, list: '  Perangkat   desa ' });
  await runChecks(ws);
  summary = await buildSummary(ws);
});

afterAll(async () => { await ws?.close(); rmSync(dir, { recursive: true, force: true }); });

describe('contract 2 on hand-built files', () => {
  it('period keys of the stage and month forms are as the contract normalises them', async () => {
    const keys = await ws.all<{ _line: number; period_key: string }>(`SELECT _line, period_key FROM disbursements WHERE _line IN (4, 8, 9, 14) ORDER BY _line`);
    expect(keys.map((k) => k.period_key)).toEqual(['2025-T2', '2025-T1', 'SUSULAN 2025', '2025-07']);
  });

  it('ineligible_desil: the desil in force on the payment date (graduation, fall-in, NIK only in the later snapshot, no paid_date)', async () => {
    expect(await lines(ws, 'ineligible_desil')).toEqual([3, 4, 5, 7, 8]);
    expect(summary.checks.ineligible_desil).toMatchObject({ evaluated: true, records: 5, recipients: 4, amount: 1_800_000 });
    // X1, X2, X4 (PKH, max desil 4) have no registry desil
    expect((summary.checks.ineligible_desil as Record<string, unknown>).not_evaluated_records).toBe(3);
    const l4 = await ws.one<{ desil: number; desil_date: string }>(`SELECT desil, desil_date::VARCHAR AS desil_date FROM exc_ineligible_desil WHERE _line = 4`);
    expect(l4).toEqual({ desil: 6, desil_date: '2025-04-01' });
  });

  it('registry_duplicate_nik: within a snapshot only', async () => {
    expect(await lines(ws, 'registry_duplicate_nik')).toEqual([6]);
    expect(summary.checks.registry_duplicate_nik).toMatchObject({ evaluated: true, records: 1 });
  });

  it('overpayment / underpayment: monthly amount × months of the period key; other keys not evaluated', async () => {
    expect(await lines(ws, 'overpayment')).toEqual([11, 14]);
    expect(summary.checks.overpayment).toMatchObject({ records: 2, recipients: 2, amount: 250_000, not_evaluated_records: 2 });
    expect(await lines(ws, 'underpayment')).toEqual([10]);
    expect(summary.checks.underpayment).toMatchObject({ records: 1, recipients: 1, amount: 200_000, not_evaluated_records: 2 });
    const e = await ws.one<{ expected_amount: number; period_months: number }>(`SELECT expected_amount::DOUBLE AS expected_amount, period_months FROM exc_overpayment WHERE _line = 11`);
    expect(e).toEqual({ expected_amount: 600_000, period_months: 3 });
  });

  it('realization_mismatch: each paid record belongs to the most specific line only', async () => {
    const rows = await ws.all<{ _line: number; paid_sum: number; difference: number }>(
      `SELECT _line, paid_sum::DOUBLE AS paid_sum, difference::DOUBLE AS difference FROM exc_realization_mismatch ORDER BY _line`);
    expect(rows).toEqual([
      { _line: 2, paid_sum: 2_000_000, difference: 1_000_000 },
      { _line: 4, paid_sum: 4_000_000, difference: 5_999_999 },
      { _line: 5, paid_sum: 0, difference: 8_000_000 },
      { _line: 6, paid_sum: 8_300_000, difference: -7_800_000 },
    ]);
    expect(summary.checks.realization_mismatch).toMatchObject({ records: 4, amount: 22_799_999 });
  });

  it('flagged_recipient: per list, normalised list names, recipients on two or more lists; not in potential loss', async () => {
    expect(await ws.all(`SELECT DISTINCT list FROM flags ORDER BY 1`)).toEqual([
      { list: 'PEKERJA UPAH DI ATAS UMR' }, { list: 'PEMILIK KENDARAAN' }, { list: 'PERANGKAT DESA' }]);
    // P1: L2 L3 L4 L15 = 2,000,000; P3: L9 L10 L14 L17 = 4,850,000; P6: L8 = 600,000 (L12 failed: not paid)
    expect(await lines(ws, 'flagged_recipient')).toEqual([2, 3, 4, 8, 9, 10, 14, 15, 17]);
    const c = summary.checks.flagged_recipient as Record<string, unknown>;
    expect(c).toMatchObject({ evaluated: true, records: 9, recipients: 3, amount: 7_450_000, multi_list_recipients: 1 });
    expect(c.lists).toEqual({
      'PEKERJA UPAH DI ATAS UMR': { records: 8, recipients: 2, amount: 6_850_000 },
      'PEMILIK KENDARAAN': { records: 4, recipients: 1, amount: 4_850_000 },
      'PERANGKAT DESA': { records: 5, recipients: 2, amount: 5_450_000 },
    });
    expect(summary.potential_loss.checks).not.toContain('flagged_recipient');
    const table = summaryTable(summary);
    expect(table).toMatch(/PEKERJA UPAH DI ATAS UMR\s+8\s+2\s+Rp 6\.850\.000/);
    expect(table).toMatch(/recipients on two or more lists: 1/);
  });

  it('impact in the summary: coverage, complementarity, graduation between the earliest and latest snapshot', () => {
    const imp = summary.impact as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
    // registry households (lowest desil over all rows): KK1 2, KK2 3, KK3 3, KK4 7, KK5 2, KK6 5
    // PKH households: KK1, KK3, NIK:X1, NIK:X2, NIK:X4; BPNT: KK1..KK6
    expect(imp.coverage.PKH).toMatchObject({ desil_1_2: 0.5, desil_1_4: 0.5 });
    expect(imp.coverage.BPNT).toMatchObject({ desil_1_2: 1, desil_1_4: 1 });
    expect(imp.complementarity).toMatchObject({ pkh: 5, bpnt: 6, both: 2 });
    // earlier (Januari 2025) desil ≤ 4: KK1, KK3, KK5; present later: KK1, KK5; graduated: KK1 (paid BPNT 2025-05-10);
    // fell in: KK2 (6 → 3)
    expect(imp.graduation).toMatchObject({ evaluated: true, poor_earlier: 3, present_later: 2, graduated: 1, fell_in: 1, graduated_still_paid: 1,
      earlier_date: '2025-01-01', later_date: '2025-04-01' });
  });

  it('snapshot effective dates: the forms DOMAIN lists, inside labels too', async () => {
    await ws.run(`CREATE OR REPLACE TEMP TABLE registry AS SELECT * FROM (VALUES
      ('2025-01'), ('Januari 2025'), ('01/2025'), ('2025-03-15'), ('2025-Q2'), ('TRIWULAN II 2025'), ('TW 2 2025'), ('TRIWULAN 2 2025'),
      ('SEMESTER 2 2025'), ('DTSEN TW III 2025'), (NULL), ('tanpa tanggal')) t(snapshot)`);
    await prepareSnapshots(ws);
    const rows = await ws.all<{ raw: string | null; eff: string | null }>(`SELECT raw, strftime(eff, '%Y-%m-%d') AS eff FROM chk_snap ORDER BY raw NULLS FIRST`);
    const m = Object.fromEntries(rows.map((r) => [String(r.raw), r.eff]));
    expect(m).toEqual({
      null: null, '01/2025': '2025-01-01', '2025-01': '2025-01-01', '2025-03-15': '2025-03-15', '2025-Q2': '2025-04-01', 'DTSEN TW III 2025': '2025-07-01',
      'Januari 2025': '2025-01-01', 'SEMESTER 2 2025': '2025-07-01', 'TRIWULAN 2 2025': '2025-04-01', 'TRIWULAN II 2025': '2025-04-01',
      'TW 2 2025': '2025-04-01', 'tanpa tanggal': null,
    });
    await ws.run('DROP TABLE temp.main.registry');
  });
});
