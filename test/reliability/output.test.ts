/**
 * Output safety through the real path (CSV import → runChecks → writeReport / service exportTable):
 * formula injection, NIK/KK masking of every part of every masked workbook, owner-only file modes, and no full NIK
 * in CLI output or error messages.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import JSZip from 'jszip';
import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Workspace } from '../../src/engine/workspace/workspace';
import { importFile } from '../../src/engine/ingest';
import { runChecks } from '../../src/engine/checks';
import { REPORT_KINDS, exportXlsx, writeReport, type ReportKind } from '../../src/engine/reports';
import { createEngineService, type EngineService } from '../../src/engine/service';
import type { AnyEvent } from '../../src/shared/contract';
import type { Result } from '../../src/shared/result';
import { NIK1, NIK2, makeBadInputs } from '../../scripts/make-bad-inputs';
import { FULL_ID, tempDir } from './helpers';
import { RecordSplitter } from '../../src/engine/ingest/text';

const ROOT = join(__dirname, '..', '..');
const HYPERLINK = '=HYPERLINK("http://x","klik")';
const FORMULAS = [HYPERLINK, '+SUM(1;2)', '-2+3', '@cmd', '=1+1'];
const INVALID = '3201014101900000'; // serial 0000: structurally invalid, still a 16-digit identifier to mask
const ABSENT = '3273026608750003'; // valid, not in the registry
const KK1 = '3201010101200001';
const KK2 = '3273020202200002';
const ALL_IDS = [NIK1, NIK2, INVALID, ABSENT, KK1, KK2];
/** A standalone 16-digit run (letters or dots next to it mean a hash or a number, not an identifier). */
const UNMASKED = /(?<![0-9A-Za-z.])[0-9]{16}(?![0-9A-Za-z])/;

let t: ReturnType<typeof tempDir>;
let ws: Workspace;

const csvQ = (s: string) => `"${s.replace(/"/g, '""')}"`;

function writeInputs(dir: string): { disb: string; reg: string } {
  const disb = join(dir, 'salur.csv');
  const lines = ['NIK,NO_KK,NAMA,PROGRAM,NOMINAL,PERIODE,TGL_SALUR,STATUS,NO_REKENING'];
  FORMULAS.forEach((name, i) => {
    lines.push([INVALID, KK1, csvQ(name), 'BPNT', '200000', '2025-01', `1${i}/01/2025`, 'TERSALUR', csvQ(`=${i}`)].join(','));
    lines.push([ABSENT, KK2, csvQ(name), 'BPNT', '200000', '2025-01', `2${i}/01/2025`, 'TERSALUR', ''].join(','));
    lines.push([NIK1, KK1, csvQ(name), 'BPNT', '200000', '2025-02', `0${i + 1}/02/2025`, 'TERSALUR', '111'].join(','));
    lines.push([NIK2, KK1, csvQ(name), 'BLT DESA', '300000', '2025-02', `0${i + 1}/02/2025`, 'GAGAL', '111'].join(','));
  });
  writeFileSync(disb, lines.join('\n') + '\n');
  const reg = join(dir, 'dtks.csv');
  writeFileSync(reg, [
    'NIK,NO_KK,NAMA,TGL_LAHIR,JENIS_KELAMIN,DESIL,ALAMAT',
    `${NIK1},${KK1},${csvQ(HYPERLINK)},01/01/1990,P,7,${csvQ(`Rumah NIK ${NIK2} KK ${KK2}`)}`,
    `${NIK2},${KK1},SITI,15/05/1985,P,2,-`,
  ].join('\n') + '\n');
  return { disb, reg };
}

/** Every part of an xlsx as text, by part name. */
async function xlsxParts(path: string): Promise<Record<string, string>> {
  const zip = await JSZip.loadAsync(readFileSync(path));
  const out: Record<string, string> = {};
  for (const [name, entry] of Object.entries(zip.files)) if (!entry.dir) out[name] = await entry.async('string');
  return out;
}

const xmlText = (s: string) => s.replace(/_x000([9DA])_/g, (_m, c) => ({ '9': '\t', D: '\r', A: '\n' } as Record<string, string>)[c])
  .replace(/&#(\d+);/g, (_m, d) => String.fromCharCode(Number(d))).replace(/&#x([0-9a-f]+);/gi, (_m, h) => String.fromCharCode(parseInt(h, 16)))
  .replace(/&quot;/g, '"').replace(/&apos;/g, "'").replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');

interface XCell { part: string; ref: string; type: string; text: string; formula: boolean; f: string }

/** Cells of every worksheet part, with the text a spreadsheet would show and whether a formula is present. */
function cells(parts: Record<string, string>): XCell[] {
  const shared = parts['xl/sharedStrings.xml'] ? [...parts['xl/sharedStrings.xml'].matchAll(/<si>([\s\S]*?)<\/si>/g)].map((m) => xmlText([...m[1].matchAll(/<t[^>]*>([\s\S]*?)<\/t>/g)].map((x) => x[1]).join(''))) : [];
  const out: XCell[] = [];
  for (const [part, xml] of Object.entries(parts)) {
    if (!/^xl\/worksheets\/sheet\d+\.xml$/.test(part)) continue;
    for (const m of xml.matchAll(/<c ([^>]*?)(?:\/>|>([\s\S]*?)<\/c>)/g)) {
      const attrs = m[1];
      const body = m[2] ?? '';
      const ref = /r="([A-Z]+\d+)"/.exec(attrs)?.[1] ?? '?';
      const type = /t="([a-zA-Z]+)"/.exec(attrs)?.[1] ?? 'n';
      let text = '';
      if (type === 'inlineStr') text = xmlText([...body.matchAll(/<t[^>]*>([\s\S]*?)<\/t>/g)].map((x) => x[1]).join(''));
      else if (type === 's') text = shared[Number(/<v>(\d+)<\/v>/.exec(body)?.[1])] ?? '';
      else text = xmlText(/<v>([\s\S]*?)<\/v>/.exec(body)?.[1] ?? '');
      out.push({ part, ref, type, text, formula: /<f[\s>]/.test(body), f: xmlText(/<f[^>]*>([\s\S]*?)<\/f>/.exec(body)?.[1] ?? '') });
    }
  }
  return out;
}

beforeAll(async () => {
  t = tempDir('telisik-out-');
  const { disb, reg } = writeInputs(t.dir);
  ws = await Workspace.create(join(t.dir, 'w.duckdb'), { name: 'output' });
  await importFile(ws, { kind: 'disbursements', path: disb });
  await importFile(ws, { kind: 'registry', path: reg });
  await runChecks(ws);
});
afterAll(async () => { await ws?.close(); t?.remove(); });

describe('formula injection: text that starts with = + - @ TAB CR stays literal', () => {
  const kinds: ReportKind[] = REPORT_KINDS;
  it.each(kinds)('%s workbook from a real import: only its own totals and link formulas, every formula-like cell is inline text', async (kind) => {
    const r = await writeReport(ws, { kind, out: join(t.dir, `${kind}.xlsx`), sample: 30, seed: 1, preparedBy: '=cmd|calc', reviewedBy: '@x' });
    const cs = cells(await xlsxParts(r.path));
    // The only formulas are the workbook's own: SUBTOTAL totals over a cell range, HYPERLINK to one of its own sheets,
    // and the row count of a totals label — fixed forms that carry no text from the data.
    const own = /^(SUBTOTAL\(10[39],[A-Z]+\d+:[A-Z]+\d+\)|HYPERLINK\("#'[^'"]+'!A1","[^"]*"\)|"JUMLAH \("&SUBTOTAL\(103,[A-Z]+\d+:[A-Z]+\d+\)&" baris\)")$/;
    expect(cs.filter((c) => c.formula && !own.test(c.f)).map((c) => `${c.part}!${c.ref} ${c.f}`)).toEqual([]);
    expect(cs.filter((c) => c.formula && /evil|cmd|calc/i.test(c.f)).map((c) => `${c.part}!${c.ref} ${c.f}`)).toEqual([]);
    const risky = cs.filter((c) => /^[=+\-@\t\r]/.test(c.text));
    expect(risky.filter((c) => c.type !== 'inlineStr').map((c) => `${c.part}!${c.ref} t=${c.type}: ${c.text.slice(0, 40)}`)).toEqual([]);
    // the evaluator and TLHP workbooks carry no record text (indicators; recommendations), so the payload is not there
    if (kind !== 'evaluator' && kind !== 'tlhp') expect(risky.some((c) => c.text === HYPERLINK)).toBe(true);
  });

  it('exportXlsx (grid/tool views): leading TAB and CR and every formula start stay literal', async () => {
    const r = await exportXlsx(ws, {
      sql: `SELECT * FROM (VALUES (chr(9) || '=1+1', chr(13) || '=2', '=HYPERLINK("http://x","k")', '+1', '-1', '@a')) v(a, b, c, d, e, f)`,
      out: join(t.dir, 'view.xlsx'),
    });
    const cs = cells(await xlsxParts(r.path)).filter((c) => /^[=+\-@\t\r]/.test(c.text));
    expect(cs.map((c) => c.text).sort()).toEqual(['\t=1+1', '\r=2', '+1', '-1', '=HYPERLINK("http://x","k")', '@a'].sort());
    expect(cs.every((c) => c.type === 'inlineStr' && !c.formula)).toBe(true);
  });
});

describe('NIK/KK masking', () => {
  it.each(REPORT_KINDS)('masked %s workbook: no 16-digit identifier in any part (cells, sheet names, properties)', async (kind) => {
    const r = await writeReport(ws, { kind, out: join(t.dir, `masked-${kind}.xlsx`), maskNik: true, sample: 30, seed: 1 });
    const parts = await xlsxParts(r.path);
    const leaks: string[] = [];
    for (const [name, xml] of Object.entries(parts)) {
      const text = xmlText(xml);
      const m = UNMASKED.exec(text);
      if (m) leaks.push(`${name}: …${text.slice(Math.max(0, m.index - 40), m.index + 20)}`);
      for (const id of ALL_IDS) if (text.includes(id)) leaks.push(`${name}: ${id}`);
    }
    expect(leaks).toEqual([]);
  });

  it('unmasked workbooks do carry the identifiers (the scan would see a leak)', async () => {
    const r = await writeReport(ws, { kind: 'bpk', out: join(t.dir, 'unmasked-bpk.xlsx') });
    const cs = cells(await xlsxParts(r.path));
    expect(cs.some((c) => c.text === INVALID)).toBe(true);
    expect(cs.some((c) => UNMASKED.test(c.text))).toBe(true);
  });
});

describe('owner-only files', () => {
  it('workspace, WAL and exported workbooks are 0600', async () => {
    const mode = (p: string) => (statSync(p).mode & 0o777).toString(8);
    expect(mode(ws.path)).toBe('600');
    await ws.run('CREATE OR REPLACE TABLE _mode_probe AS SELECT 1 AS x');
    if (existsSync(`${ws.path}.wal`)) expect(mode(`${ws.path}.wal`)).toBe('600');
    const r = await writeReport(ws, { kind: 'kkp', out: join(t.dir, 'mode-kkp.xlsx') });
    expect(mode(r.path)).toBe('600');
    await ws.run('DROP TABLE _mode_probe');
  });
});

describe('service exportTable (data explorer)', () => {
  let svc: EngineService;
  const events: AnyEvent[] = [];
  const call = async <T>(name: string, args: unknown): Promise<T> => {
    const r = (await svc.invoke(name, args)) as Result<T>;
    if (!r.ok) throw new Error(`${name}: ${r.error.code} ${r.error.message}`);
    return r.value;
  };
  const task = async <T>(name: string, args: unknown): Promise<T> => {
    const { task_id } = await call<{ task_id: string }>(name, args);
    for (let i = 0; i < 1200; i++) {
      const e = events.find((x) => (x.event === 'completed' || x.event === 'failed') && x.data.task_id === task_id);
      if (e) { if ('error' in e.data) throw new Error(`${name}: ${JSON.stringify(e.data.error)}`); return (e.data as { value: T }).value; }
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error(`${name} did not settle`);
  };
  beforeAll(async () => {
    svc = createEngineService({ dataDir: join(t.dir, 'svcdata'), mode: 'web', version: 'test' });
    svc.onEvent((e) => events.push(e));
    await call('createWorkspace', { path: join(t.dir, 'svc.duckdb'), name: 'svc' });
    await task('importFiles', { files: [{ path: join(t.dir, 'salur.csv'), kind: 'disbursements' }] });
  });
  afterAll(async () => { await svc?.close(); });

  it('xlsx export of a view: formula-like names literal, masked export has no identifier, file 0600', async () => {
    const plain = join(t.dir, 'exp', 'view.xlsx');
    await task('exportTable', { table: 'disbursements', format: 'xlsx', out: plain });
    const cs = cells(await xlsxParts(plain));
    expect(cs.filter((c) => c.formula)).toEqual([]);
    const risky = cs.filter((c) => /^[=+\-@\t\r]/.test(c.text));
    expect(risky.length).toBeGreaterThanOrEqual(FORMULAS.length * 4);
    expect(risky.filter((c) => c.type !== 'inlineStr')).toEqual([]);
    expect((statSync(plain).mode & 0o777).toString(8)).toBe('600');
    const masked = join(t.dir, 'exp', 'view-masked.xlsx');
    await task('exportTable', { table: 'disbursements', format: 'xlsx', out: masked, mask: true });
    const text = Object.values(await xlsxParts(masked)).map(xmlText).join('\n');
    expect(UNMASKED.exec(text)).toBeNull();
  });

  it('CSV export: every text cell a spreadsheet would evaluate gets a leading apostrophe, numbers stay numbers (S1)', async () => {
    const out = join(t.dir, 'exp', 'view.csv');
    await task('exportTable', { table: 'disbursements', format: 'csv', out, columns: ['nik', 'name', 'amount', 'account'] });
    const recs: string[][] = [];
    const sp = new RecordSplitter(',', (r) => recs.push(r.fields));
    sp.push(readFileSync(out, 'utf8'), true);
    expect(recs[0]).toEqual(['nik', 'name', 'amount', 'account']);
    const body = recs.slice(1).filter((r) => r.length > 1);
    expect(body.length).toBe(FORMULAS.length * 4);
    const all = body.flat();
    expect(all.filter((x) => /^[=+\-@\t\r]/.test(x))).toEqual([]);
    const names = body.map((r) => r[1]);
    for (const f of FORMULAS) expect(names).toContain(`'${f}`);
    expect(body.map((r) => r[3])).toContain("'=0");
    expect(new Set(body.map((r) => r[2]))).toEqual(new Set(['200000.00', '300000.00']));
    expect(existsSync(`${out}.tmp`)).toBe(false);
  });

  it('CSV export goes through out.tmp and a rename; a stale out.tmp is removed (S2, S5)', async () => {
    const out = join(t.dir, 'exp', 'atomic.csv');
    writeFileSync(`${out}.tmp`, 'stale partial export');
    writeFileSync(out, 'previous good export');
    await task('exportTable', { table: 'disbursements', format: 'csv', out, columns: ['nik'] });
    expect(existsSync(`${out}.tmp`)).toBe(false);
    expect(readFileSync(out, 'utf8').split('\n')[0]).toBe('nik');
  });

  it('a killed export leaves its .tmp in the journal; the next service start removes it (S5)', async () => {
    const dataDir = join(t.dir, 'svcdata-s5');
    const stale = join(t.dir, 'exp', 'killed.xlsx.tmp');
    const first = createEngineService({ dataDir, mode: 'web', version: 'test' });
    writeFileSync(stale, 'partial workbook with personal data');
    first.state.exportStarted(stale); // as an export does before writing; the process "dies" here
    const second = createEngineService({ dataDir, mode: 'web', version: 'test' });
    expect(existsSync(stale)).toBe(false);
    await first.close();
    await second.close();
  });

  it("an analysis run left 'started' by a killed process is marked 'incomplete' when the service opens the workspace (S4)", async () => {
    const path = join(t.dir, 's4.duckdb');
    const w = await Workspace.create(path, { name: 's4' });
    // what checks/run.ts is asked to commit before its transaction (docs/reliability-requests.md S4)
    await w.run(`CREATE TABLE IF NOT EXISTS analysis_runs (run_id INTEGER PRIMARY KEY, started_at TIMESTAMP, finished_at TIMESTAMP,
      params JSON, inputs JSON, status VARCHAR, actor VARCHAR)`); // as checks/run.ts creates it
    await w.run(`INSERT INTO analysis_runs (run_id, started_at, status) VALUES (1, now()::TIMESTAMP, 'started')`);
    await w.close();
    const s4 = createEngineService({ dataDir: join(t.dir, 'svcdata-s4'), mode: 'web', version: 'test' });
    const r = (await s4.invoke('openWorkspace', { path })) as Result<unknown>;
    expect(r.ok).toBe(true);
    await s4.close();
    const w2 = await Workspace.open(path);
    expect(await w2.scalar('SELECT status FROM analysis_runs WHERE run_id = 1')).toBe('incomplete');
    await w2.close();
  });

  it('masked CSV export has no identifier; file 0600', async () => {
    const out = join(t.dir, 'exp', 'view-masked.csv');
    await task('exportTable', { table: 'disbursements', format: 'csv', out, mask: true });
    const text = readFileSync(out, 'utf8');
    expect(text).toContain('3201********0000');
    expect(UNMASKED.exec(text)).toBeNull();
    expect((statSync(out).mode & 0o777).toString(8)).toBe('600');
  });
});

describe('no full NIK in CLI output or error messages', () => {
  it('CLI import of the NIK-heavy corpus files prints counts and reasons, never a full NIK', () => {
    const dir = join(t.dir, 'corpus');
    return makeBadInputs(dir).then(() => {
      const files = ['nik-unicode.csv', 'ragged.csv', 'absurd-amounts.csv', 'title-and-total.csv', 'unterminated-quote.csv', 'mixed-delimiters.csv'].map((f) => join(dir, f));
      const r = spawnSync(process.execPath, ['bin/telisik.js', 'import', '--workspace', join(t.dir, 'cli.duckdb'), '--kind', 'disbursements', ...files], { cwd: ROOT, encoding: 'utf8', timeout: 90_000 });
      expect(r.status).toBe(0);
      expect(r.stdout).toContain('rows read');
      expect(FULL_ID.exec(r.stdout + r.stderr)).toBeNull();
      const bad = spawnSync(process.execPath, ['bin/telisik.js', 'import', '--workspace', join(t.dir, 'cli.duckdb'), '--kind', 'disbursements', join(dir, 'garbage.csv')], { cwd: ROOT, encoding: 'utf8', timeout: 90_000 });
      expect(bad.status).toBe(3);
      expect(bad.stderr).toMatch(/garbage\.csv/);
      expect(FULL_ID.exec(bad.stdout + bad.stderr)).toBeNull();
    });
  });
});
