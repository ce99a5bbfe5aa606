/**
 * Crash and concurrency safety: a child process (test/reliability/child.ts) is SIGKILLed in the middle of an import,
 * an analysis run and a workbook export; the workspace is then reopened and must be consistent, with nothing half
 * done visible. A second process opening a workspace in use gets a clear "in use" error (CLI exit 3).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { Workspace, WorkspaceError } from '../../src/engine/workspace/workspace';
import { importFile } from '../../src/engine/ingest';
import { runChecks } from '../../src/engine/checks';
import { writeReport } from '../../src/engine/reports';
import { sha256File, verifyTrail } from '../../src/engine/trail/trail';
import { makeLargeCsv } from '../../scripts/make-bad-inputs';
import { tempDir } from './helpers';

const ROOT = join(__dirname, '..', '..');
const CHILD = join(__dirname, 'child.ts');
let t: ReturnType<typeof tempDir>;
let wsPath: string;
let small: string;
let large: string;
let report: string;
const timings: Record<string, number> = {};

interface Killed { child: ChildProcess; lines: string[]; startedMs: number; killedAtMs: number; signal: NodeJS.Signals | null; stderr: string }

/** Runs child.ts and SIGKILLs it as soon as a stdout line satisfies `when` (fails if it finishes first). */
function runAndKill(args: string[], when: (line: string) => boolean, timeoutMs = 90_000): Promise<Killed> {
  return new Promise((resolve, reject) => {
    const t0 = Date.now();
    const child = spawn(process.execPath, ['--require', 'tsx/cjs', CHILD, ...args], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    const lines: string[] = [];
    let stderr = '';
    let killedAt = -1;
    let buf = '';
    const timer = setTimeout(() => { child.kill('SIGKILL'); reject(new Error(`child did not reach the kill point in ${timeoutMs} ms: ${lines.slice(-3).join(' | ')} ${stderr}`)); }, timeoutMs);
    child.stderr!.on('data', (d) => { stderr += String(d); });
    child.stdout!.on('data', (d) => {
      buf += String(d);
      let i: number;
      while ((i = buf.indexOf('\n')) >= 0) {
        const line = buf.slice(0, i);
        buf = buf.slice(i + 1);
        lines.push(line);
        if (killedAt < 0 && when(line)) { killedAt = Date.now() - t0; child.kill('SIGKILL'); }
      }
    });
    child.on('exit', (_code, signal) => {
      clearTimeout(timer);
      if (killedAt < 0) reject(new Error(`child ended before the kill point: ${lines.slice(-3).join(' | ')} ${stderr}`));
      else resolve({ child, lines, startedMs: t0, killedAtMs: killedAt, signal, stderr });
    });
  });
}

async function snapshot(ws: Workspace) {
  const n = async (sql: string) => Number(await ws.scalar(sql));
  return {
    disbursements: await n('SELECT count(*) FROM disbursements'),
    rejects: await n('SELECT count(*) FROM rejects'),
    imports: await ws.all<{ import_id: number; status: string }>('SELECT import_id, status FROM import_log ORDER BY import_id'),
    runs: await ws.all<{ run_id: number; status: string }>('SELECT run_id, status FROM analysis_runs ORDER BY run_id'),
    checkResults: await ws.all('SELECT run_id, check_id, evaluated, records, amount FROM check_results ORDER BY run_id, check_id'),
    dupExceptions: await n('SELECT count(*) FROM exc_duplicate_payment'),
    trail: await n('SELECT count(*) FROM audit_trail'),
    rawTables: (await ws.all<{ table_name: string }>(`SELECT table_name FROM duckdb_tables() WHERE table_name LIKE 'raw\\_%' ESCAPE '\\' ORDER BY 1`)).map((r) => r.table_name),
  };
}

beforeAll(async () => {
  t = tempDir('telisik-crash-');
  wsPath = join(t.dir, 'kasus.duckdb');
  small = await makeLargeCsv(join(t.dir, 'small.csv'), 30_000, 10_000); // 20,000 duplicate payments
  large = await makeLargeCsv(join(t.dir, 'large.csv'), 300_000);
  report = join(t.dir, 'temuan.xlsx');
  const ws = await Workspace.create(wsPath, { name: 'crash' });
  let s = Date.now();
  await importFile(ws, { kind: 'disbursements', path: small });
  timings.setup_import_30k_ms = Date.now() - s;
  s = Date.now();
  await runChecks(ws);
  timings.setup_checks_ms = Date.now() - s;
  s = Date.now();
  await writeReport(ws, { kind: 'bpk', out: report });
  timings.setup_report_ms = Date.now() - s;
  await ws.close();
});
afterAll(() => {
  console.log('[reliability] crash timings', JSON.stringify(timings));
  t?.remove();
});

describe('SIGKILL mid-operation, then reopen', () => {
  it('import: no partial rows, no raw table, import_log says incomplete, trail intact', async () => {
    const before = await (async () => { const ws = await Workspace.open(wsPath); try { return await snapshot(ws); } finally { await ws.close(); } })();
    const k = await runAndKill(['import', wsPath, large], (l) => /^PROGRESS read (\d+)/.test(l) && Number(/(\d+)$/.exec(l)![1]) >= 20_000);
    timings.import_killed_after_ms = k.killedAtMs;
    expect(k.signal).toBe('SIGKILL');
    expect(k.lines.some((l) => l.startsWith('DONE'))).toBe(false);
    const s = Date.now();
    const ws = await Workspace.open(wsPath);
    timings.reopen_after_import_kill_ms = Date.now() - s;
    try {
      const after = await snapshot(ws);
      expect(after.disbursements).toBe(before.disbursements);
      expect(after.rejects).toBe(before.rejects);
      expect(after.rawTables).toEqual(before.rawTables);
      expect(after.imports.slice(0, -1)).toEqual(before.imports);
      const last = after.imports[after.imports.length - 1];
      expect(last.import_id).toBe(before.imports.length + 1);
      expect(last.status).toBe('incomplete');
      expect(await ws.scalar('SELECT message FROM import_log WHERE import_id = $id', { id: last.import_id })).toMatch(/tidak selesai/);
      expect(Number(await ws.scalar('SELECT count(*) FROM disbursements WHERE _import_id = $id', { id: last.import_id }))).toBe(0);
      expect(after.trail).toBe(before.trail);
      expect((await verifyTrail(ws)).ok).toBe(true);
      // the workspace still works: a fresh import completes after the crash (the same bytes as the setup import:
      // a deliberate duplicate since issue 14, removed again below)
      const r = await importFile(ws, { kind: 'disbursements', path: small, allowDuplicate: true });
      expect(r.rows_loaded).toBe(30_000);
      await ws.run('DELETE FROM disbursements WHERE _import_id = $id', { id: r.import_id });
    } finally { await ws.close(); }
  });

  it('analysis run: previous results untouched, no half-written run, the run marked incomplete', async () => {
    const before = await (async () => { const ws = await Workspace.open(wsPath); try { return await snapshot(ws); } finally { await ws.close(); } })();
    expect(before.runs).toEqual([{ run_id: 1, status: 'completed' }]);
    expect(before.dupExceptions).toBe(20_000);
    let checksStarted = 0;
    // killed when the third check starts: inside the run's single transaction, after exc_* tables were replaced
    const k = await runAndKill(['checks', wsPath], (l) => /^PROGRESS check \S+/.test(l) && ++checksStarted === 3);
    timings.checks_killed_after_ms = k.killedAtMs;
    expect(k.lines.some((l) => l.startsWith('DONE'))).toBe(false);
    const ws = await Workspace.open(wsPath);
    try {
      const after = await snapshot(ws);
      // the killed run was announced before its transaction: reopening marks it incomplete; its results never landed
      expect(after.runs).toEqual([...before.runs, { run_id: 2, status: 'incomplete' }]);
      expect(after.checkResults).toEqual(before.checkResults);
      expect(after.dupExceptions).toBe(before.dupExceptions);
      expect(after.trail).toBe(before.trail);
      expect((await verifyTrail(ws)).ok).toBe(true);
      // no temp leftovers from the run are visible as tables
      const tmp = await ws.all(`SELECT table_name FROM duckdb_tables() WHERE temporary`);
      expect(tmp).toEqual([]);
    } finally { await ws.close(); }
  });

  it('workbook export: the existing file under the final name is untouched (written to .tmp, renamed when complete)', async () => {
    const hash = await sha256File(report);
    const size = statSync(report).size;
    const before = await (async () => { const ws = await Workspace.open(wsPath); try { return await snapshot(ws); } finally { await ws.close(); } })();
    const k = await runAndKill(['export', wsPath, report], (l) => /^PROGRESS \S+ (\d+)/.test(l) && Number(/(\d+)$/.exec(l)![1]) > 0);
    timings.export_killed_after_ms = k.killedAtMs;
    expect(k.lines.some((l) => l.startsWith('DONE'))).toBe(false);
    expect(existsSync(`${report}.tmp`)).toBe(true); // it really died mid-write
    expect(statSync(report).size).toBe(size);
    expect(await sha256File(report)).toBe(hash);
    // whatever was half written is only ever under the .tmp name
    const names = readdirSync(t.dir).filter((n) => n.startsWith('temuan'));
    expect(names.filter((n) => n !== 'temuan.xlsx' && n !== 'temuan.xlsx.tmp')).toEqual([]);
    const ws = await Workspace.open(wsPath);
    try {
      // issue 14: the killed export's (possibly unmasked) .tmp is removed when the workspace is next opened
      expect(existsSync(`${report}.tmp`)).toBe(false);
      const after = await snapshot(ws);
      expect(after.trail).toBe(before.trail); // no report.export entry for the killed export
      // a new export to the same name completes and replaces the stale .tmp
      const r = await writeReport(ws, { kind: 'bpk', out: report });
      expect(existsSync(`${report}.tmp`)).toBe(false);
      expect(r.sha256).toBe(await sha256File(report));
    } finally { await ws.close(); }
  });
});

describe('a workspace already in use', () => {
  it('a second process gets WorkspaceError in_use (engine) and exit 3 with "in use" (CLI), not a crash', async () => {
    const child = spawn(process.execPath, ['--require', 'tsx/cjs', CHILD, 'hold', wsPath], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    try {
      await new Promise<void>((resolve, reject) => {
        let out = '';
        child.stdout!.on('data', (d) => { out += String(d); if (out.includes('READY')) resolve(); });
        child.on('exit', () => reject(new Error('holder exited')));
      });
      let err: unknown;
      try { await Workspace.open(wsPath); } catch (e) { err = e; }
      expect(err).toBeInstanceOf(WorkspaceError);
      expect((err as WorkspaceError).code).toBe('in_use');
      expect((err as WorkspaceError).message).toMatch(/in use/);
      const s = Date.now();
      const cli = spawnSync(process.execPath, ['bin/telisik.js', 'tables', '--workspace', wsPath], { cwd: ROOT, encoding: 'utf8', timeout: 60_000 });
      timings.cli_in_use_ms = Date.now() - s;
      expect(cli.status).toBe(3);
      expect(cli.stderr).toMatch(/sedang dipakai proses lain \(in use\)/);
      expect(cli.stderr).not.toMatch(/at .*\.ts:\d+/); // no stack trace
    } finally {
      child.kill('SIGKILL');
    }
  });
});
