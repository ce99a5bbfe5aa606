import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { Workspace } from '../../src/engine/workspace/workspace';
import { comparePeriods, comparisonRecords } from '../../src/engine/continuity/compare';
import { compareCommand } from '../../src/cli/commands/compare';
import { writeReport } from '../../src/engine/reports';
import { verifyTrail } from '../../src/engine/trail/trail';
import { runCli } from './fixture';

let dir: string;
let w0: string;
let w1: string;

/** One hand-built period: exception rows (check, nik, program, amount) and the checks evaluated. */
async function period(path: string, name: string, rows: [string, string, string, number][], evaluated: string[]): Promise<void> {
  const ws = await Workspace.create(path, { name, period: name });
  try {
    await ws.run(`CREATE TABLE check_results (run_id INTEGER, check_id VARCHAR, family VARCHAR, evaluated BOOLEAN, records BIGINT, recipients BIGINT, amount DECIMAL(18,2), extra JSON, params JSON, sql VARCHAR, inputs JSON, ms INTEGER)`);
    for (const c of evaluated) {
      await ws.run(`CREATE TABLE exc_${c} (check_id VARCHAR, rec_id BIGINT, nik VARCHAR, program VARCHAR, period_key VARCHAR, amount DECIMAL(18,2)${c === 'overpayment' ? ', difference DECIMAL(18,2)' : ''})`);
      await ws.run(`INSERT INTO check_results (run_id, check_id, evaluated) VALUES (1, $c, true)`, { c });
    }
    let rec = 1;
    for (const [c, nik, program, amount] of rows) {
      await ws.run(`INSERT INTO exc_${c} SELECT $c, $r, $n, $p, '2025-01', $a::DECIMAL(18,2)${c === 'overpayment' ? ', 50000' : ''}`, { c, r: rec++, n: nik, p: program, a: String(amount) });
    }
  } finally { await ws.close(); }
}

const A = '3201010101900001'; const B = '3201010101900002'; const C = '3201010101900003'; const D = '3201010101900004'; const E = '3201010101900005';

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'telisik-compare-'));
  w0 = join(dir, 'semester1.duckdb');
  w1 = join(dir, 'semester2.duckdb');
  // previous: deceased A/BPNT (2 records), B/BPNT, C/PKH; overpayment D/BPNT
  await period(w0, 'Semester I 2025', [
    ['deceased', A, 'BPNT', 200000], ['deceased', A, 'BPNT', 200000], ['deceased', B, 'BPNT', 200000], ['deceased', C, 'PKH', 750000],
    ['overpayment', D, 'BPNT', 250000],
  ], ['deceased', 'overpayment']);
  // now: deceased A/BPNT persists (1 record), B/PKH is new (other programme), C resolved, E new; D overpayment persists (2 records)
  await period(w1, 'Semester II 2025', [
    ['deceased', A, 'BPNT', 200000], ['deceased', B, 'PKH', 750000], ['deceased', E, 'BLT', 600000],
    ['overpayment', D, 'BPNT', 250000], ['overpayment', D, 'BPNT', 250000],
    ['civil_servant', E, 'BLT', 600000],
  ], ['deceased', 'overpayment', 'civil_servant']);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('period comparison', () => {
  it('new / persisting / resolved keyed by (check, NIK, programme), with counts and rupiah', async () => {
    const ws = await Workspace.open(w1);
    try {
      const c = await comparePeriods(ws, w0);
      const by = Object.fromEntries(c.checks.map((x) => [x.check_id, x]));
      expect(by.deceased.new).toEqual({ keys: 2, records: 2, amount: 1_350_000 });          // B/PKH, E/BLT
      expect(by.deceased.persisting).toEqual({ keys: 1, records: 1, amount: 200_000, records_previous: 2, amount_previous: 400_000 }); // A/BPNT
      expect(by.deceased.resolved).toEqual({ keys: 2, records: 2, amount: 950_000 });      // B/BPNT, C/PKH
      // overpayment: the amount figure is the excess (difference column), as in the check's own figures
      expect(by.overpayment.persisting).toMatchObject({ keys: 1, records: 2, amount: 100_000, records_previous: 1, amount_previous: 50_000 });
      expect(by.civil_servant).toMatchObject({ evaluated_now: true, evaluated_previous: false, new: { keys: 1, records: 1, amount: 600_000 } });
      expect(c.totals).toEqual({ new: { keys: 3, records: 3, amount: 1_950_000 }, persisting: { keys: 2, records: 3, amount: 300_000 }, resolved: { keys: 2, records: 2, amount: 950_000 } });
      expect(c.previous).toMatchObject({ name: 'Semester I 2025', period: 'Semester I 2025' });
      // drill-down to the records, both sides
      const res = await comparisonRecords(ws, { checkId: 'deceased', status: 'resolved', previous: w0 });
      expect(res.map((r) => [r.nik, r.program]).sort()).toEqual([[B, 'BPNT'], [C, 'PKH']]);
      const pers = await comparisonRecords(ws, { checkId: 'deceased', status: 'persisting' });
      expect(pers.map((r) => r.nik)).toEqual([A]);
      // the previous engagement was attached read-only and detached; the comparison is in the trail
      expect(Number(await ws.scalar(`SELECT count(*) FROM duckdb_databases() WHERE database_name = 'prev_engagement'`))).toBe(0);
      const last = await ws.one<{ action: string }>('SELECT "action" FROM audit_trail ORDER BY seq DESC LIMIT 1');
      expect(last?.action).toBe('compare.periods');
      expect((await verifyTrail(ws, { checkSources: false })).breaks).toEqual([]);
    } finally { await ws.close(); }
  });

  it('telisik compare prints the table and drills down; an unknown previous path is an input error', async () => {
    const r = await runCli(compareCommand, ['--workspace', w1, '--previous', w0]);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/deceased\s+2\s+Rp 1\.350\.000\s+1\s+Rp 200\.000\s+2\s+Rp 950\.000/);
    expect(r.out).toMatch(/total\s+3\s+Rp 1\.950\.000\s+2\s+Rp 300\.000\s+2\s+Rp 950\.000/);
    const d = await runCli(compareCommand, ['--workspace', w1, '--previous', w0, '--check', 'deceased', '--status', 'new', '--mask-nik']);
    expect(d.out).toMatch(/deceased — new: 2 record\(s\)/);
    expect(d.out).toContain('3201********0005');
    await expect(compareCommand.run(['--workspace', w1, '--previous', join(dir, 'nope.duckdb')])).rejects.toThrow(/tidak ditemukan/);
  });

  it('BPK and KKP workbooks carry "Perbandingan Periode" when a previous engagement is given', async () => {
    const ws = await Workspace.open(w1);
    try {
      for (const kind of ['bpk', 'kkp'] as const) {
        const out = join(dir, `${kind}.xlsx`);
        const r = await writeReport(ws, { kind, out, previous: w0 });
        expect(r.sheets).toContain('Perbandingan Periode');
        const wb = new ExcelJS.Workbook();
        await wb.xlsx.readFile(out);
        const s = wb.getWorksheet('Perbandingan Periode')!;
        let header = 0;
        s.eachRow((row, n) => { if (row.getCell(1).value === 'Prosedur') header = n; });
        expect(header).toBeGreaterThan(0);
        const rows: Record<string, unknown>[] = [];
        for (let n = header + 1; n <= s.rowCount; n++) {
          const row = s.getRow(n);
          rows.push({ id: row.getCell(1).value, nw: row.getCell(4).value, nwRp: row.getCell(5).value, pers: row.getCell(6).value, res: row.getCell(9).value, resRp: row.getCell(10).value });
        }
        expect(rows.find((x) => x.id === 'deceased')).toEqual({ id: 'deceased', nw: 2, nwRp: 1_350_000, pers: 1, res: 2, resRp: 950_000 });
        expect(rows.find((x) => x.id === 'Jumlah')).toMatchObject({ nw: 3, pers: 2, res: 2 });
        const noPrev = await writeReport(ws, { kind, out: join(dir, `${kind}-plain.xlsx`) });
        expect(noPrev.sheets).not.toContain('Perbandingan Periode');
      }
    } finally { await ws.close(); }
  }, 60_000);
});
