/**
 * What ingest says about a file never leaks it raw (docs/ingest-requests.md R8, R9): NIKs in error and warning
 * messages are masked (4 first + asterisks + 2 last), control characters are escaped, header lists are bounded, and
 * the CLI prints no control character a file put there.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { writeFileSync } from 'node:fs';
import { Workspace } from '../../src/engine/workspace/workspace';
import { importFile } from '../../src/engine/ingest';
import { H, NIK1, NIK2, makeBadInputs } from '../../scripts/make-bad-inputs';
import { FULL_ID, expectRefusal, tempDir } from './helpers';

let t: ReturnType<typeof tempDir>;
let ws: Workspace;
const f = (name: string) => join(t.dir, name);
// any C0 (but newline) / DEL / C1 character
// eslint-disable-next-line no-control-regex -- control characters are what this pattern removes
const CONTROL = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f]/;

beforeAll(async () => {
  t = tempDir('telisik-msg-');
  await makeBadInputs(t.dir);
  ws = await Workspace.create(join(t.dir, 'w.duckdb'), { name: 'messages' });
});
afterAll(async () => { await ws?.close(); t?.remove(); });

describe('ImportError messages', () => {
  it('headerless file: NIKs masked, and the message says the first line looks like data (R8)', async () => {
    writeFileSync(f('headerless.csv'), `${NIK1},Budi,BPNT,200000\n${NIK2},Ani,BPNT,200000\n`);
    const e = await expectRefusal(ws, f('headerless.csv'), 'disbursements', 'headerless.csv', /Required column nik not found/);
    expect(e.message).not.toMatch(FULL_ID);
    expect(e.message).toContain('kolom yang ada: 3201********0001, Budi, BPNT, 200000');
    expect(e.message).toMatch(/first line looks like data: file has no header\?/);
  });

  it('a --map to a missing header names the headers masked too', async () => {
    writeFileSync(f('headerless2.csv'), `${NIK1};Budi;BPNT;200000\n`);
    await expect(importFile(ws, { kind: 'disbursements', path: f('headerless2.csv'), map: { nik: 'NIK_X' } }))
      .rejects.toThrow(/kolom yang ada: 3201\*{8}0001, Budi/);
  });

  it('a headerless file imported with --map to its first-line NIK: reasons and the CLI summary carry no full NIK', { timeout: 60_000 }, async () => {
    writeFileSync(f('headerless3.csv'), `${NIK1},Budi,BPNT,200000\n,Ani,BPNT,200000\n`);
    const r = await importFile(ws, { kind: 'disbursements', path: f('headerless3.csv'), map: { nik: NIK1, name: 'Budi', program: 'BPNT', amount: '200000' } });
    expect([r.rows_read, r.rows_rejected]).toEqual([1, 1]);
    expect(Object.keys(r.quality.rejects_by_reason)).toEqual(['kolom wajib kosong: nik [3201********0001] (required field empty)']);
    const bin = join(__dirname, '..', '..', 'bin', 'telisik.js');
    const p = spawnSync(process.execPath, [bin, 'import', '--workspace', f('cli3.duckdb'), '--kind', 'disbursements', '--map', `nik=${NIK1}`, '--map', 'program=BPNT', '--map', 'amount=200000', f('headerless3.csv')], { encoding: 'utf8' });
    expect([p.status, p.stderr]).toEqual([0, '']);
    expect(p.stdout).toContain('nik=3201********0001');
    expect(p.stdout + p.stderr).not.toMatch(FULL_ID);
  });

  it('an ANSI escape in a header is escaped in the message (R9)', async () => {
    writeFileSync(f('ansi.csv'), `NAMA,\x1b[31mMERAH\x1b[0m\nBudi,1\n`);
    const e = await expectRefusal(ws, f('ansi.csv'), 'disbursements', 'ansi.csv', /Required column nik not found/);
    expect(e.message).not.toMatch(CONTROL);
    expect(e.message).toContain('\\x1b[31mMERAH\\x1b[0m');
  });

  it('binary garbage: no control character and no full NIK-length digit run in the message', async () => {
    const e = await expectRefusal(ws, f('garbage.csv'), 'disbursements', 'garbage.csv', /Required column nik not found/);
    expect(e.message).not.toMatch(CONTROL);
    expect(e.message).not.toMatch(FULL_ID);
  });

  it('5,000 headers: the list is cut at 20 with a count of the rest', async () => {
    const head = Array.from({ length: 5000 }, (_, i) => `KOLOM_${i + 1}`);
    writeFileSync(f('wide-nonik.csv'), head.join(',') + '\n' + head.map(() => 'x').join(',') + '\n');
    const e = await expectRefusal(ws, f('wide-nonik.csv'), 'disbursements', 'wide-nonik.csv', /and 4,980 more/);
    expect(e.message).toContain('KOLOM_20, … dan 4,980 lainnya');
    expect(e.message).not.toContain('KOLOM_21,');
    expect(e.message.length).toBeLessThan(1200);
  });

  it('warnings carry no full NIK (a hidden sheet named by a NIK)', async () => {
    const ExcelJS = (await import('exceljs')).default;
    const wb = new ExcelJS.Workbook();
    wb.addWorksheet(NIK1, { state: 'hidden' }).addRow(['x']);
    const s = wb.addWorksheet('Data');
    s.addRow(H.split(','));
    s.addRow([NIK2, 'Ani', 'BPNT', 200000, '2025-01', '15/01/2025', 'TERSALUR']);
    await wb.xlsx.writeFile(f('hidden-nik.xlsx'));
    const r = await importFile(ws, { kind: 'disbursements', path: f('hidden-nik.xlsx') });
    expect(r.rows_loaded).toBe(1);
    expect(r.warnings.join(' ')).toContain('3201********0001');
    expect(r.warnings.join(' ')).not.toMatch(FULL_ID);
  });
});

describe('CLI output (R9)', () => {
  it('the import error printed by the CLI holds no control characters', { timeout: 60_000 }, async () => {
    // Enough ordinary rows that the file is text by the import's binary rule (under 10 % control bytes, the rule the
    // app and the CLI share): the control characters in the header reach the import's own error message.
    writeFileSync(f('ansi2.csv'), `NAMA,\x1b]0;judul\x07\x1b[2J\rX\n${'Budi Santoso,1\n'.repeat(8)}`);
    const bin = join(__dirname, '..', '..', 'bin', 'telisik.js');
    const p = spawnSync(process.execPath, [bin, 'import', '--workspace', f('cli.duckdb'), '--kind', 'disbursements', f('ansi2.csv')], { encoding: 'utf8' });
    expect(p.status).toBe(3);
    const out = [p.stdout, p.stderr];
    const text = out.join('\n');
    expect(text).toMatch(/ansi2\.csv/);
    expect(text).not.toMatch(CONTROL);
    expect(text).toContain('\\x1b]0;judul\\x07');
  });
});
