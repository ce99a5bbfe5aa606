/**
 * Benchmark phases. Each runs in its own child process (see run.ts) so its peak RSS is its own:
 *   bare      — the engine limit: read_csv into typed tables + straightforward check SQL on a bare DuckDB connection
 *   ours      — Workspace + importFile per kind, runChecks, buildSummary
 *   paging    — 100-row pages of the disbursements table sorted by amount (OFFSET, materialised sorted table, keyset,
 *               the engine's pageTable when it exists), also filtered by a region
 *   workbook  — the BPK workbook through writeReport (1M exception rows) and a bare exceljs streaming baseline
 */
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { existsSync, mkdirSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { runBare } from './bare';
import { loadEngine } from './engine';
import type { GenFiles } from './gen';
import { RssSampler, measure, processMaxRss } from './mem';
import { Workspace } from '../engine/workspace/workspace';
import { EngineService } from '../engine/service';
import * as ExcelJS from 'exceljs';

export interface PhaseSpec {
  phase: 'bare' | 'ours' | 'paging' | 'workbook';
  gen: GenFiles;
  workDir: string;
  repeatIndex: number;
  memoryLimit?: string;
  threads?: number;
  pageRepeat?: number;
  workbookRows?: number;
  /** paging/workbook: the database to read (an ours workspace or a bare database). */
  dbPath?: string;
  dbIsWorkspace?: boolean;
  /** Checks left out of both sides (e.g. one that is pathologically slow today), reported as skipped. */
  skipChecks?: string[];
}

export interface Step { step: string; ms: number; cpu_ms?: number; rows?: number; rows_per_s?: number; peak_rss_bytes?: number; note?: string }

export interface PhaseResult {
  phase: string;
  repeatIndex: number;
  ok: boolean;
  error?: string;
  unavailable?: Record<string, string>;
  steps: Step[];
  peak_rss_bytes: number;
  duckdb_memory_bytes?: number;
  database_size?: Record<string, unknown>;
  extra?: Record<string, unknown>;
}

const log = (m: string) => process.stderr.write(`[bench ${new Date().toISOString().slice(11, 19)}] ${m}\n`);

function freshDb(path: string): void {
  for (const p of [path, `${path}.wal`]) rmSync(p, { force: true });
  rmSync(`${path}.tmp`, { recursive: true, force: true });
}

async function duckMemory(c: DuckDBConnection): Promise<{ bytes: number; size: Record<string, unknown> }> {
  const bytes = Number((await c.runAndReadAll(`SELECT coalesce(sum(memory_usage_bytes), 0)::BIGINT FROM duckdb_memory()`)).getRows()[0][0]);
  const row = (await c.runAndReadAll(`PRAGMA database_size`)).getRowObjectsJS()[0] ?? {};
  const size = Object.fromEntries(Object.entries(row).map(([k, v]) => [k, typeof v === 'bigint' ? Number(v) : v]));
  return { bytes, size };
}

// ---- bare -------------------------------------------------------------------------------------------------------
async function phaseBare(s: PhaseSpec): Promise<PhaseResult> {
  const dbPath = join(s.workDir, `bare-r${s.repeatIndex}.duckdb`);
  freshDb(dbPath);
  const sampler = new RssSampler().start();
  const r = await runBare(s.gen.files, { dbPath, memoryLimit: s.memoryLimit, threads: s.threads, log, skipChecks: s.skipChecks });
  const mem = sampler.stop();
  const steps: Step[] = r.steps.map((x) => {
    const kind = x.step.startsWith('import.') ? x.step.slice(7) : null;
    const rows = kind ? r.rows[kind] : undefined;
    return { ...x, rows, rows_per_s: rows ? Math.round(rows / (x.ms / 1000)) : undefined };
  });
  const imp = steps.filter((x) => x.step.startsWith('import.'));
  steps.push({ step: 'import.total', ms: imp.reduce((a, b) => a + b.ms, 0), cpu_ms: imp.reduce((a, b) => a + (b.cpu_ms ?? 0), 0) });
  return {
    phase: 'bare', repeatIndex: s.repeatIndex, ok: true, steps, peak_rss_bytes: Math.max(mem.peak_rss_bytes, processMaxRss()),
    duckdb_memory_bytes: r.duckdb_memory_bytes, database_size: r.database_size,
    extra: { db_path: dbPath, figures: r.figures, potential_loss: r.potential_loss, rows: r.rows },
  };
}

// ---- ours -------------------------------------------------------------------------------------------------------
async function phaseOurs(s: PhaseSpec): Promise<PhaseResult> {
  const eng = loadEngine();
  const path = join(s.workDir, `ours-r${s.repeatIndex}.duckdb`);
  freshDb(path);
  const steps: Step[] = [];
  const unavailable: Record<string, string> = {};
  const ws = await Workspace.create(path, { name: 'bench' });
  try {
    if (s.memoryLimit) await ws.run(`SET memory_limit = '${s.memoryLimit.replace(/'/g, '')}'`);
    if (s.threads) await ws.run(`SET threads = ${Math.trunc(s.threads)}`);
    if (!eng.importFile) {
      unavailable.importFile = eng.missing.importFile;
      throw new Error(`importFile not available: ${eng.missing.importFile}`);
    }
    let importMs = 0;
    const kinds: Array<[string, string]> = [['registry', s.gen.files.registry], ['disbursements', s.gen.files.disbursements],
      ['deaths', s.gen.files.deaths], ['civil_servants', s.gen.files.civil_servants], ['budget', s.gen.files.budget]];
    const imports: Record<string, unknown>[] = [];
    for (const [kind, file] of kinds) {
      // Sub-phases from the engine's own progress events (first time each phase is reported).
      const seen: Array<[string, number]> = [];
      let t0 = 0;
      const onProgress = (p: { phase: string }) => { if (!seen.some(([ph]) => ph === p.phase)) seen.push([p.phase, performance.now() - t0]); };
      t0 = performance.now();
      const m = await measure(() => eng.importFile!(ws, { kind, path: file, onProgress } as { kind: string; path: string }));
      const rows = Number(m.value.rows_loaded ?? 0);
      importMs += m.ms;
      steps.push({ step: `import.${kind}`, ms: m.ms, cpu_ms: m.cpu_ms, rows, rows_per_s: Math.round(rows / (m.ms / 1000)), peak_rss_bytes: m.peak_rss_bytes });
      // 'read' starts at once; the segment named X lasts from X's first event to the next phase's first event.
      const marks = seen.filter(([ph]) => ph !== 'read');
      let prev: [string, number] = ['read', 0];
      for (const mk of [...marks, ['end', m.ms] as [string, number]]) {
        steps.push({ step: `import.${kind}:${prev[0]}→${mk[0]}`, ms: mk[1] - prev[1] });
        prev = mk;
      }
      imports.push({ kind, rows_read: m.value.rows_read, rows_loaded: m.value.rows_loaded, rows_rejected: m.value.rows_rejected, warnings: m.value.warnings });
      log(`ours import ${kind}: ${(m.ms / 1000).toFixed(2)} s, ${rows} rows`);
    }
    const sumCpu = (pre: string) => steps.filter((x) => x.step.startsWith(pre) && !x.step.includes(':')).reduce((a2, b) => a2 + (b.cpu_ms ?? 0), 0);
    steps.push({ step: 'import.total', ms: importMs, cpu_ms: sumCpu('import.') });
    // Evidence at scale: every disbursement row carries its own line (the generator numbers ID_TRANSAKSI in file
    // order), and the table is in file order. Not timed.
    const order = (await ws.all<{ n: number; wrong_line: number; inversions: number }>(`SELECT count(*)::BIGINT AS n,
        count_if(txn_id <> 'TRX' || lpad((_line - 2)::VARCHAR, 11, '0'))::BIGINT AS wrong_line,
        count_if(_line < prev)::BIGINT AS inversions FROM (SELECT txn_id, _line, lag(_line) OVER () AS prev FROM disbursements)`))[0];
    if (Number(order.wrong_line) || Number(order.inversions)) {
      throw new Error(`disbursements out of file order: ${order.wrong_line} rows with another line's ID_TRANSAKSI, ${order.inversions} inversions`);
    }
    log(`ours file order: ${Number(order.n).toLocaleString('en')} disbursement rows, every line right, no inversion`);
    let auditMs = 0;
    let auditCpu = 0;
    let summary: Record<string, unknown> | undefined;
    if (eng.runChecks) {
      let only: string[] | undefined;
      if (s.skipChecks?.length) {
        // eslint-disable-next-line @typescript-eslint/no-require-imports
        const ids = (require('../engine/checks/registry') as { CHECK_IDS: readonly string[] }).CHECK_IDS;
        only = ids.filter((id) => !s.skipChecks!.includes(id));
      }
      const m = await measure(() => eng.runChecks!(ws, only ? { only } : {}));
      auditMs += m.ms;
      auditCpu += m.cpu_ms;
      steps.push({ step: 'checks.total', ms: m.ms, cpu_ms: m.cpu_ms, peak_rss_bytes: m.peak_rss_bytes });
      log(`ours runChecks: ${(m.ms / 1000).toFixed(2)} s`);
      // Per-check times as the engine recorded them (check_results.ms of the latest run).
      const per = await ws.all<{ check_id: string; ms: number; records: number }>(
        `SELECT check_id, ms, records FROM check_results WHERE run_id = (SELECT max(run_id) FROM check_results) ORDER BY check_id`).catch(() => []);
      for (const p of per) steps.push({ step: `check.${p.check_id}`, ms: Number(p.ms), rows: Number(p.records) });
      // runChecks also builds shared temp tables once (chk_paid, chk_reg_nik, …), the potential-loss union and the
      // targeting/budget indicators: not in any check's ms. The bare side has no shared preparation (each check
      // does its own joins), so per-check ratios are indicative; checks.total and audit.total are the fair comparison.
      if (per.length) steps.push({ step: 'checks.unattributed (prep, loss, indicators)', ms: m.ms - per.reduce((a2, p) => a2 + Number(p.ms), 0) });
    } else unavailable.runChecks = eng.missing.runChecks;
    if (eng.buildSummary) {
      const m = await measure(() => eng.buildSummary!(ws));
      auditMs += m.ms;
      auditCpu += m.cpu_ms;
      summary = m.value;
      steps.push({ step: 'summary', ms: m.ms, cpu_ms: m.cpu_ms, peak_rss_bytes: m.peak_rss_bytes });
    } else unavailable.buildSummary = eng.missing.buildSummary;
    if (eng.runChecks) steps.push({ step: 'audit.total', ms: auditMs, cpu_ms: auditCpu });
    const mem = await duckMemory(ws.conn);
    return {
      phase: 'ours', repeatIndex: s.repeatIndex, ok: true, steps, unavailable, peak_rss_bytes: processMaxRss(),
      duckdb_memory_bytes: mem.bytes, database_size: mem.size,
      extra: { db_path: path, imports, summary_checks: summary?.checks, potential_loss: summary?.potential_loss },
    };
  } finally {
    await ws.close();
  }
}

// ---- paging -----------------------------------------------------------------------------------------------------
const median = (xs: number[]) => { const a = [...xs].sort((x, y) => x - y); const n = a.length; return n ? (n % 2 ? a[(n - 1) / 2] : (a[n / 2 - 1] + a[n / 2]) / 2) : NaN; };

const SLOW_PAGE_MS = 3000;

async function timeQuery(c: DuckDBConnection, sql: string, params: unknown[] | undefined, k: number): Promise<{ first_ms: number; median_ms: number; rows: number }> {
  const times: number[] = [];
  let rows = 0;
  for (let i = 0; i < k + 1; i++) {
    const t = performance.now();
    const r = await c.runAndReadAll(sql, params as never);
    rows = r.currentRowCount;
    times.push(performance.now() - t);
    if (i >= 1 && times[i] > SLOW_PAGE_MS) break; // seconds per page: two runs say enough, and keep 10M runs short
  }
  return { first_ms: times[0], median_ms: median(times.slice(1)), rows };
}

async function phasePaging(s: PhaseSpec): Promise<PhaseResult> {
  if (!s.dbPath || !existsSync(s.dbPath)) throw new Error(`paging: no database at ${s.dbPath}`);
  const k = s.pageRepeat ?? 5;
  // A workspace is opened the way the app opens it (same instance options, macros); a bare database directly.
  let c: DuckDBConnection;
  let close: () => Promise<void>;
  let ws: Workspace | null = null;
  if (s.dbIsWorkspace) {
    ws = await Workspace.open(s.dbPath);
    if (s.memoryLimit) await ws.run(`SET memory_limit = '${s.memoryLimit.replace(/'/g, '')}'`);
    c = ws.conn;
    const w = ws;
    close = () => w.close();
  } else {
    const db = await DuckDBInstance.create(s.dbPath, { temp_directory: `${s.dbPath}.tmp`, ...(s.memoryLimit ? { memory_limit: s.memoryLimit } : {}) });
    const conn = await db.connect();
    c = conn;
    close = async () => { conn.closeSync(); db.closeSync(); };
  }
  const sampler = new RssSampler().start();
  const steps: Step[] = [];
  const results: Array<Record<string, unknown>> = [];
  const order = `amount, rec_id`;
  const filter = `region_code LIKE '32%'`;
  try {
    const n = Number((await c.runAndReadAll(`SELECT count(*) FROM disbursements`)).getRows()[0][0]);
    const nf = Number((await c.runAndReadAll(`SELECT count(*) FROM disbursements WHERE ${filter}`)).getRows()[0][0]);
    const at = (total: number) => [['start', 0], ['middle', Math.floor(total / 2)], ['end', Math.max(0, total - 100)]] as Array<[string, number]>;
    const add = async (method: string, where: string, total: number, sqlFor: (off: number) => [string, unknown[]?]) => {
      for (const [pos, off] of at(total)) {
        const [sql, params] = sqlFor(off);
        const r = await timeQuery(c, sql, params, k);
        results.push({ method, filter: where, position: pos, offset: off, ...r });
        steps.push({ step: `page.${method}.${where}.${pos}`, ms: r.median_ms, rows: r.rows });
        log(`page ${method} ${where} ${pos}: median ${r.median_ms.toFixed(1)} ms (first ${r.first_ms.toFixed(1)})`);
      }
    };
    // 1. LIMIT/OFFSET straight on the table.
    await add('offset', 'all', n, (o) => [`SELECT * FROM disbursements ORDER BY ${order} LIMIT 100 OFFSET ${o}`]);
    await add('offset', 'region', nf, (o) => [`SELECT * FROM disbursements WHERE ${filter} ORDER BY ${order} LIMIT 100 OFFSET ${o}`]);
    // 2. Materialised sorted copy with a position column: a page is a range scan that zone maps prune.
    let t = performance.now();
    await c.run(`CREATE OR REPLACE TEMP TABLE _pg_sorted AS SELECT row_number() OVER (ORDER BY ${order}) AS _pos, * FROM disbursements ORDER BY _pos`);
    steps.push({ step: 'page.sorted.build.all', ms: performance.now() - t, rows: n });
    await add('sorted_table', 'all', n, (o) => [`SELECT * EXCLUDE (_pos) FROM _pg_sorted WHERE _pos > ${o} AND _pos <= ${o + 100} ORDER BY _pos`]);
    t = performance.now();
    await c.run(`CREATE OR REPLACE TEMP TABLE _pg_sorted_f AS SELECT row_number() OVER (ORDER BY ${order}) AS _pos, * FROM disbursements WHERE ${filter} ORDER BY _pos`);
    steps.push({ step: 'page.sorted.build.region', ms: performance.now() - t, rows: nf });
    await add('sorted_table', 'region', nf, (o) => [`SELECT * EXCLUDE (_pos) FROM _pg_sorted_f WHERE _pos > ${o} AND _pos <= ${o + 100} ORDER BY _pos`]);
    // 3. Narrow sorted index (position → rowid) + rowid lookup into the base table: 16 bytes per row instead of a copy.
    t = performance.now();
    await c.run(`CREATE OR REPLACE TEMP TABLE _pg_idx AS SELECT row_number() OVER (ORDER BY ${order}) AS _pos, rowid AS _rid FROM disbursements ORDER BY _pos`);
    steps.push({ step: 'page.rowid_index.build.all', ms: performance.now() - t, rows: n });
    await add('rowid_index', 'all', n, (o) => [`SELECT d.* FROM (SELECT _pos, _rid FROM _pg_idx WHERE _pos > ${o} AND _pos <= ${o + 100}) i
      JOIN disbursements d ON d.rowid = i._rid ORDER BY i._pos`]);
    // 4. Keyset ("next page" after the last row seen): needs the key at the position, so no random jumps.
    for (const [where, cond, total] of [['all', 'true', n], ['region', filter, nf]] as Array<[string, string, number]>) {
      for (const [pos, off] of at(total)) {
        const key = (await c.runAndReadAll(`SELECT amount::DOUBLE, rec_id FROM disbursements WHERE ${cond} ORDER BY ${order} LIMIT 1 OFFSET ${off}`)).getRows()[0];
        if (!key) continue;
        const r = await timeQuery(c, `SELECT * FROM disbursements WHERE ${cond} AND (amount, rec_id) > ($1::DECIMAL(18,2), $2::BIGINT) ORDER BY ${order} LIMIT 100`, [Number(key[0]), key[1]], k);
        results.push({ method: 'keyset', filter: where, position: pos, offset: off, ...r });
        steps.push({ step: `page.keyset.${where}.${pos}`, ms: r.median_ms, rows: r.rows });
        log(`page keyset ${where} ${pos}: median ${r.median_ms.toFixed(1)} ms`);
      }
    }
    // 5. The engine's own page: the service's tablePage call (what the UI waits for per page), on its own
    //    connection after this one is closed (a workspace is opened once per process).
    const mem = await duckMemory(c);
    if (ws) {
      await close();
      close = async () => undefined;
      const note = await enginePage(s, n, nf, k, at, steps, results);
      if (note) steps.push({ step: 'page.engine.unavailable', ms: 0, note });
    }
    const tableBytes = (() => { try { return statSync(s.dbPath!).size; } catch { return null; } })();
    return {
      phase: 'paging', repeatIndex: s.repeatIndex, ok: true, steps, peak_rss_bytes: Math.max(sampler.stop().peak_rss_bytes, processMaxRss()),
      duckdb_memory_bytes: mem.bytes, database_size: mem.size, extra: { rows: n, filtered_rows: nf, filter, results, db_file_bytes: tableBytes },
    };
  } finally {
    await close();
  }
}

async function enginePage(s: PhaseSpec, n: number, nf: number, k: number,
  at: (total: number) => Array<[string, number]>, steps: Step[], results: Array<Record<string, unknown>>): Promise<string | null> {
  const dataDir = join(s.workDir, 'service-data');
  mkdirSync(dataDir, { recursive: true });
  const svc = new EngineService({ dataDir, mode: 'web' });
  try {
    const opened = await svc.invoke('openWorkspace', { path: s.dbPath });
    if (!opened.ok) return `openWorkspace failed: ${opened.error.message}`;
    const filters: Array<[string, unknown[], number]> = [['all', [], n], ['region', [{ column: 'region_code', op: 'starts', value: '32' }], nf]];
    for (const [where, filter, total] of filters) {
      for (const [pos, off] of at(total)) {
        const times: number[] = [];
        let rows = 0;
        for (let i = 0; i < k + 1; i++) {
          const t = performance.now();
          const r = await svc.invoke('tablePage', { table: 'disbursements', offset: off, limit: 100, sort: [{ column: 'amount', dir: 'asc' }], filter, mask: false });
          if (!r.ok) return `tablePage failed: ${r.error.message}`;
          const page = r.value as { total_rows: number; arrow: Uint8Array };
          if (page.total_rows !== total) return `tablePage total_rows ${page.total_rows} ≠ ${total} (${where})`;
          rows = Math.min(100, total - off);
          times.push(performance.now() - t);
          if (i >= 1 && times[i] > SLOW_PAGE_MS) break;
        }
        const med = median(times.slice(1));
        results.push({ method: 'engine_service_page', filter: where, position: pos, offset: off, first_ms: times[0], median_ms: med, rows });
        steps.push({ step: `page.engine_service_page.${where}.${pos}`, ms: med, rows });
        log(`page engine ${where} ${pos}: median ${med.toFixed(1)} ms (first ${times[0].toFixed(1)})`);
      }
    }
    return null;
  } finally {
    await svc.close();
  }
}

// ---- workbook ---------------------------------------------------------------------------------------------------
async function phaseWorkbook(s: PhaseSpec): Promise<PhaseResult> {
  const rowsWanted = s.workbookRows ?? 1_000_000;
  const steps: Step[] = [];
  const extra: Record<string, unknown> = {};
  const unavailable: Record<string, string> = {};
  if (!s.dbPath || !existsSync(s.dbPath)) throw new Error(`workbook: no database at ${s.dbPath}`);
  // Ours first: a step's peak RSS is sampled in this one process, and the bare writer of 1M rows leaves ≈ 1 GB of
  // retained heap behind (at 3M rows ours measured 876 MB after it, 389 MB alone); bare now includes what ours retained.
  if (s.dbIsWorkspace) {
    const eng = loadEngine();
    if (!eng.writeReport) unavailable.writeReport = eng.missing.writeReport;
    else {
      const ws = await Workspace.open(s.dbPath);
      try {
        const exc = await ws.all<{ n: number }>(`SELECT sum(records)::BIGINT AS n FROM check_results WHERE run_id = (SELECT max(run_id) FROM check_results)`).catch(() => []);
        extra.exception_rows = exc[0]?.n ?? null;
        const out = join(s.workDir, 'ours-bpk.xlsx');
        rmSync(out, { force: true });
        const m = await measure(() => eng.writeReport!(ws, { kind: 'bpk', out }));
        const rr = (m.value ?? {}) as Record<string, unknown>;
        steps.push({ step: 'workbook.writeReport_bpk', ms: m.ms, rows: Number(extra.exception_rows ?? 0), peak_rss_bytes: m.peak_rss_bytes });
        extra.ours_result = { bytes: rr.bytes, sheets: Array.isArray(rr.sheets) ? rr.sheets.length : null, ms: rr.ms, details: rr.details };
        extra.ours_bytes = existsSync(out) ? statSync(out).size : null;
      } finally {
        await ws.close();
      }
    }
  }
  // Bare baseline: exceljs streaming writer fed from a DuckDB stream (no styles beyond a header row and number format).
  {
    const db = await DuckDBInstance.create(s.dbPath, { temp_directory: `${s.dbPath}.tmp` });
    const c = await db.connect();
    const out = join(s.workDir, 'bare-workbook.xlsx');
    rmSync(out, { force: true });
    const m = await measure(async () => {
      const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ filename: out, useStyles: true, useSharedStrings: false });
      const cols = ['check_id', 'rec_id', '_line', 'nik', 'name', 'program', 'period_key', 'paid_date', 'amount', 'region_code', 'account', 'status'];
      const sql = `SELECT 'sample' AS check_id, rec_id::VARCHAR, _line::BIGINT, nik, name, program, period_key, strftime(paid_date, '%Y-%m-%d'), amount::DOUBLE,
        region_code, account, status FROM disbursements LIMIT ${rowsWanted}`;
      const res = await c.stream(sql);
      let ws = wb.addWorksheet('Lampiran 1', { views: [{ state: 'frozen', ySplit: 1 }] });
      ws.columns = cols.map((h) => ({ header: h, key: h, width: 16 }));
      ws.getColumn(9).numFmt = '"Rp "#,##0';
      let n = 0; let inSheet = 0; let sheetNo = 1;
      for (;;) {
        const chunk = await res.fetchChunk();
        if (!chunk || chunk.rowCount === 0) break;
        for (const row of chunk.getRows()) {
          if (inSheet >= 1_048_575) {
            ws.commit();
            ws = wb.addWorksheet(`Lampiran 1 (${++sheetNo})`);
            ws.columns = cols.map((h) => ({ header: h, key: h, width: 16 }));
            inSheet = 0;
          }
          ws.addRow(row.map((v) => (typeof v === 'bigint' ? Number(v) : v))).commit();
          n++; inSheet++;
        }
      }
      ws.commit();
      await wb.commit();
      return n;
    });
    c.closeSync(); db.closeSync();
    steps.push({ step: 'workbook.bare_exceljs', ms: m.ms, rows: m.value, peak_rss_bytes: m.peak_rss_bytes });
    extra.bare_bytes = statSync(out).size;
    log(`bare workbook: ${m.value} rows in ${(m.ms / 1000).toFixed(1)} s, peak ${(m.peak_rss_bytes / 1048576).toFixed(0)} MB`);
  }
  return { phase: 'workbook', repeatIndex: s.repeatIndex, ok: true, steps, unavailable, peak_rss_bytes: processMaxRss(), extra };
}

export async function runPhase(s: PhaseSpec): Promise<PhaseResult> {
  mkdirSync(s.workDir, { recursive: true });
  try {
    switch (s.phase) {
      case 'bare': return await phaseBare(s);
      case 'ours': return await phaseOurs(s);
      case 'paging': return await phasePaging(s);
      case 'workbook': return await phaseWorkbook(s);
    }
  } catch (e) {
    return { phase: s.phase, repeatIndex: s.repeatIndex, ok: false, error: String((e as Error).stack ?? e), steps: [], peak_rss_bytes: processMaxRss() };
  }
}
