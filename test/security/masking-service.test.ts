/**
 * Issue 14 item 4, replayed through the service and the CLI: full NIKs in `address` text and in columns named
 * NO KTP / NOMOR_KTP / ID_PENERIMA; `NIK3201…`, spaced, dashed and full-width forms; `nik_damaged` turned into
 * `*****`; `telisik tool …` printing full NIKs. With masking on, no screen, export or printout shows an identifier,
 * and booleans/numbers stay what they are.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import JSZip from 'jszip';
import { tableFromIPC } from 'apache-arrow';
import { tempDir } from '../reliability/helpers';
import { serviceFor, type Svc } from './svc';
import { toolCommand } from '../../src/cli/commands/tool';
import { withSafeConsole } from '../../src/cli/term';

const CLI = join(__dirname, '..', '..', 'bin', 'telisik.js');
const N1 = '3201014508900001';
const N2 = '3201015505850002';
const FW = '３２０１０１４５０８９００００１';
/** Any identifier left whole (a fraction's digits after a dot are not one): 16 digits, grouped 4-4-4-4 with spaces/dashes, full-width, or a 13-digit account. */
const LEAK = /(?<![0-9.])[0-9]{16}(?![0-9])|[0-9]{4}[ -][0-9]{4}[ -][0-9]{4}[ -][0-9]{4}|[０-９]{8}|1234567890123/;
/**
 * SHA-256 hashes (chain links, seals, sources) are not identifiers: a 64-hex string holds a run of exactly 16 decimal
 * digits by chance (about 1 in 40 hashes), so they are set aside before a scan of text that carries them (the trail,
 * the workbooks' Jejak Audit and seal sheets).
 */
const noHashes = (x: string) => x.replace(/\b[0-9a-f]{64}\b/g, '<sha256>');

let t: ReturnType<typeof tempDir>;
let s: Svc;
let ws: string;

beforeAll(async () => {
  t = tempDir('telisik-maskx-');
  mkdirSync(join(t.dir, 'e'));
  ws = join(t.dir, 'e', 'm.duckdb');
  const reg = join(t.dir, 'e', 'dtks.csv');
  writeFileSync(reg, ['NIK,NO_KK,NAMA,TGL_LAHIR,JENIS_KELAMIN,DESIL,ALAMAT',
    `${N1},3201010101200001,SITI,01/01/1990,P,2,"Rumah NIK${N2}, lama 3201 0145 0890 0009, kios 3201-0145-0890-0008, ${FW}"`,
    `${N2},3201010101200001,ANI,15/05/1985,P,3,Jl. Mawar`].join('\n') + '\n');
  const other = join(t.dir, 'e', 'penerima.csv');
  writeFileSync(other, ['NO KTP,NOMOR_KTP,ID_PENERIMA,NO_REKENING,KETERANGAN,JUMLAH',
    `${N1},${N2},${N1},1234567890123,"dulu NIK3201014508900003",200000`,
    `${N1},${N2},${N2},1234567890123,-,300000`].join('\n') + '\n');
  const disb = join(t.dir, 'e', 'salur.csv');
  writeFileSync(disb, ['NIK,NAMA,PROGRAM,NOMINAL,PERIODE,TGL_SALUR,STATUS,NO_REKENING',
    `${N1},SITI,BPNT,200000,2025-01,10/01/2025,TERSALUR,1234567890123`,
    `${N1},SITI,BPNT,200000,2025-01,10/01/2025,TERSALUR,1234567890123`,
    `3.20101E+15,ANI,BPNT,200000,2025-01,11/01/2025,TERSALUR,1234567890123`].join('\n') + '\n');
  s = serviceFor({ dataDir: join(t.dir, 'data') });
  await s.call('createWorkspace', { path: ws, name: 'mask' });
  await s.task('importFiles', { files: [{ path: reg, kind: 'registry' }, { path: disb, kind: 'disbursements' }, { path: other, kind: 'other', table: 'penerima' }] });
  await s.task('runAnalysis', {});
  await s.call('saveProfile', { name: `profil ${N1}`, kind: 'disbursements', mapping: { nik: `KOLOM ${N2}` } });
}, 120_000);
afterAll(async () => { await s?.svc.close(); t?.remove(); });

function strings(page: { arrow: Uint8Array }): { text: string; rows: Record<string, unknown>[] } {
  const rows = tableFromIPC(page.arrow).toArray().map((r) => r.toJSON() as Record<string, unknown>);
  return { text: JSON.stringify(rows), rows };
}

describe('masking by content everywhere (masking on)', () => {
  it('grid pages: address text, NO KTP/NOMOR_KTP/ID_PENERIMA, accounts; nik_damaged stays boolean', async () => {
    const reg = strings(await s.call('tablePage', { table: 'registry', offset: 0, limit: 10 }));
    expect(reg.text).not.toMatch(LEAK);
    expect(reg.text).toContain('NIK3201********0002');
    expect(reg.text).toContain('3201********0001');
    const other = strings(await s.call('tablePage', { table: 'other_penerima', offset: 0, limit: 10 }));
    expect(other.text).not.toMatch(LEAK);
    expect(other.rows[0]['NO_REKENING']).toBe('*********0123');
    const disb = strings(await s.call('tablePage', { table: 'disbursements', offset: 0, limit: 10 }));
    expect(disb.text).not.toMatch(LEAK);
    expect(disb.rows.map((r) => r.nik_damaged)).toEqual([false, false, true]);
    const exc = strings(await s.call('exceptionsPage', { check_id: 'duplicate_payment', offset: 0, limit: 10 }));
    expect(exc.rows.length).toBeGreaterThan(0);
    expect(exc.text).not.toMatch(LEAK);
  });

  it('CSV and xlsx exports', async () => {
    for (const table of ['registry', 'other_penerima', 'disbursements']) {
      const csv = join(t.dir, 'e', 'ekspor', `${table}.csv`);
      await s.task('exportTable', { table, format: 'csv', out: csv });
      const text = readFileSync(csv, 'utf8');
      expect(text, table).not.toMatch(LEAK);
      if (table === 'disbursements') expect(text).toMatch(/,false,|,true,|false|true/);
      const xlsx = join(t.dir, 'e', 'ekspor', `${table}.xlsx`);
      await s.task('exportTable', { table, format: 'xlsx', out: xlsx });
      const zip = await JSZip.loadAsync(readFileSync(xlsx));
      for (const name of Object.keys(zip.files)) { const x = noHashes(await zip.files[name].async('string')); const m = LEAK.exec(x); expect(m ? x.slice(Math.max(0, m.index - 300), m.index + 40) : null, `${table} ${name}`).toBeNull(); }
    }
    const wb = join(t.dir, 'e', 'ekspor', 'bpk.xlsx');
    await s.task('writeReport', { kind: 'bpk', out: wb, mask: true });
    const zip = await JSZip.loadAsync(readFileSync(wb));
    for (const name of Object.keys(zip.files)) {
      const x = noHashes(await zip.files[name].async('string'));
      const m = LEAK.exec(x);
      expect(m ? x.slice(Math.max(0, m.index - 300), m.index + 40) : null, name).toBeNull();
    }
  }, 120_000);

  it('column profile, import quality, tool results and trail details', async () => {
    for (const column of ['NO KTP', 'ID_PENERIMA', 'NO_REKENING']) {
      expect(JSON.stringify(await s.call('columnProfile', { table: 'other_penerima', column })), column).not.toMatch(LEAK);
    }
    expect(JSON.stringify(await s.call('listImports', {}))).not.toMatch(LEAK);
    expect(JSON.stringify(await s.call('toolDuplicates', { table: 'other_penerima', keys: ['NO KTP'] }))).not.toMatch(LEAK);
    const tp = JSON.stringify(await s.call('toolProfile', { table: 'registry' }));
    const tm = LEAK.exec(tp);
    expect(tm ? tp.slice(Math.max(0, tm.index - 200), tm.index + 40) : null).toBeNull();
    expect(JSON.stringify(await s.call('toolPivot', { table: 'other_penerima', rows: ['ID_PENERIMA'] }))).not.toMatch(LEAK);
    expect(JSON.stringify(await s.call('benfordRecords', { table: 'other_penerima', column: 'JUMLAH', digit: 2, offset: 0, limit: 10 }))).not.toMatch(LEAK);
    const trail = noHashes(JSON.stringify(await s.call('listTrail', { offset: 0, limit: 50 })));
    expect(trail).not.toMatch(LEAK);
    expect(trail).toContain('profil 3201********0001');
  });

  it('CLI tool output (duplicates, profile, gaps, pivot, benford --digit) is masked; --no-mask shows the data', async () => {
    await s.call('closeWorkspace', {});
    const tool = (...a: string[]) => spawnSync(process.execPath, [CLI, 'tool', '--workspace', ws, ...a], { encoding: 'utf8', timeout: 120_000 });
    // The command in this process (its printed lines captured), as the binary runs it; the binary itself is run
    // below, masked and with --no-mask (each start of it costs ~1 s of CPU, eight of them a tenth of this file).
    const inProcess = async (...a: string[]) => {
      const lines: string[] = [];
      const log = vi.spyOn(console, 'log').mockImplementation((...x: unknown[]) => { lines.push(x.join(' ')); });
      const err = vi.spyOn(console, 'error').mockImplementation((...x: unknown[]) => { lines.push(x.join(' ')); });
      try {
        const status = await withSafeConsole(() => toolCommand.run(['--workspace', ws, ...a]));
        return { status, stdout: lines.join('\n') };
      } finally { log.mockRestore(); err.mockRestore(); }
    };
    const binary = tool('duplicates', '--table', 'other_penerima', '--keys', 'NO KTP,NOMOR_KTP');
    expect(binary.status, binary.stderr).toBe(0);
    expect(binary.stdout).not.toMatch(LEAK);
    const runs = [
      ['duplicates', '--table', 'other_penerima', '--keys', 'NO KTP,NOMOR_KTP'],
      ['profile', '--table', 'other_penerima'],
      ['profile', '--table', 'registry', '--column', 'address'],
      ['gaps', '--table', 'disbursements', '--column', 'paid_date'],
      ['pivot', '--table', 'other_penerima', '--by', 'ID_PENERIMA'],
      ['benford', '--table', 'other_penerima', '--column', 'JUMLAH', '--digit', '2'],
      ['duplicates', '--table', 'other_penerima', '--keys', 'NO KTP', '--json'],
    ];
    for (const r of runs) {
      const p = await inProcess(...r);
      expect(p.status, `${r.join(' ')}: ${p.stdout}`).toBe(0);
      expect(p.stdout, r.join(' ')).not.toMatch(LEAK);
      // not vacuous: the identifiers are printed, masked
      if (r[0] === 'duplicates' || r[0] === 'pivot') expect(p.stdout, r.join(' ')).toMatch(/\d{4}\*{8}\d{4}/);
    }
    expect(binary.stdout).toMatch(/\d{4}\*{8}\d{4}/);
    const plain = tool('duplicates', '--table', 'other_penerima', '--keys', 'NO KTP', '--no-mask');
    expect(plain.stdout).toContain(N1);
  }, 240_000);
});
