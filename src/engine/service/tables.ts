/**
 * Data explorer calls: the table list, grid pages, column profiles, exports, read-only queries, files written.
 */
import { existsSync, renameSync, statSync, unlinkSync } from 'node:fs';
import { dirname } from 'node:path';
import type { CallArgs } from '../../shared/contract';
import { ServiceError } from '../../shared/result';
import type * as T from '../../shared/types';
import { ident, type Workspace } from '../workspace/workspace';
import { prepareOutputDir } from '../output';
import { ReportBook } from '../reports/format';
import { writeQueryTable } from '../reports/common';
import { CANONICAL, num, type HandlersOf, type ServiceCore } from './core';
import { modules } from './modules';
import type { TaskContext } from './tasks';
import { buildView, fromClause, sourceColumns, VIRTUAL_TABLES } from './views';

/** Rows of a raw layer: a table is counted; a view over a source file takes the import log's figure. */
async function rawRows(r: Workspace, name: string): Promise<number> {
  const logged = await r.scalar(`SELECT rows_read FROM import_log WHERE raw_table = $t ORDER BY import_id DESC LIMIT 1`, { t: name });
  if (logged != null && !(await r.tableExists(name))) return Number(logged);
  return Number(await r.scalar(`SELECT count(*) FROM ${ident(name)}`));
}

/** Bookkeeping tables not shown in the data explorer (they have their own screens). */
const SYSTEM_TABLES = new Set(['meta', 'engagement', 'settings', 'mapping_profiles', 'audit_trail', 'import_log', 'rejects']);

/** Tables the engine writes for its own bookkeeping and results (reached from Analisis/Temuan/Evaluasi/Pengawasan, not Data). */
const INTERNAL_TABLE = /^(analysis_runs|check_results|indicator_results|findings|reviews|samples|potential_loss|undistributed_funds|exc_.*|ref_.*|targeting_.*|budget_(breakdown|cost_per_household|summary)|impact_.*|oversight_.*|chk_.*|imp_.*|_.*)$/;

export type TablesCalls = 'listTables' | 'tablePage' | 'columnProfile' | 'exportTable' | 'query' | 'revealFile';

export function tablesHandlers(svc: ServiceCore): HandlersOf<TablesCalls> {
  return {
    listTables: async (a) => {
      const r = svc.reader();
      const rows = await r.all<{ name: string }>(
        `SELECT table_name AS name FROM duckdb_tables() WHERE schema_name = 'main' AND NOT temporary
         UNION ALL SELECT view_name FROM duckdb_views() WHERE schema_name = 'main' AND NOT internal AND NOT temporary ORDER BY 1`);
      // What an auditor explores: the canonical extracts, tables of 'other' imports, samples drawn with the tools and
      // the virtual views. Bookkeeping and result tables (analysis_runs, check_results, exc_*, findings, …) are
      // reached from Analisis/Temuan; include_internal lists them too (the SQL box, the CLI).
      const userTables = new Set((await r.all<{ t: string }>(`SELECT DISTINCT target_table AS t FROM import_log WHERE kind = 'other' AND status = 'completed' AND target_table IS NOT NULL`)).map((x) => x.t));
      const samples = (await r.tableExists('samples'))
        ? new Set((await r.all<{ t: string }>(`SELECT DISTINCT coalesce(result_table, name) AS t FROM samples`)).map((x) => x.t)) : new Set<string>();
      const imports = new Map((await r.all<{ t: string; n: number }>(
        `SELECT target_table AS t, count(*) AS n FROM import_log WHERE status = 'completed' AND target_table IS NOT NULL GROUP BY 1`)).map((x) => [x.t, num(x.n)]));
      const out: T.TableInfo[] = [];
      const kindOf = (n: string): T.Kind | null => ((CANONICAL as readonly string[]).includes(n) ? (n as T.Kind) : null);
      for (const { name } of rows) {
        if (SYSTEM_TABLES.has(name)) continue;
        const group: T.TableInfo['group'] = kindOf(name) ? 'canonical' : name.startsWith('raw_') ? 'raw' : name.startsWith('exc_') ? 'exceptions'
          : samples.has(name) ? 'tool' : 'other';
        if (group === 'raw' && !a.include_raw) continue;
        if (!a.include_internal && group !== 'canonical' && group !== 'raw' && group !== 'tool' && !userTables.has(name) && INTERNAL_TABLE.test(name)) continue;
        const columns = await sourceColumns(r, name);
        // a raw layer that is a view over its source file is counted from the import log (the file may have moved)
        const rows = group === 'raw' ? await rawRows(r, name) : num(await r.scalar(`SELECT count(*) FROM ${ident(name)}`));
        out.push({ name, group, kind: kindOf(name), rows, columns, imports: imports.get(name) ?? 0 });
      }
      for (const [name, v] of Object.entries(VIRTUAL_TABLES)) {
        let ok = true;
        for (const req of v.requires) if (!(await r.tableExists(req))) ok = false;
        if (!ok) continue;
        const columns = await sourceColumns(r, name);
        out.push({ name, group: 'other', kind: null, rows: num(await r.scalar(`SELECT count(*) FROM ${fromClause(name)}`)), columns, imports: 0 });
      }
      return out;
    },
    tablePage: async (a) => svc.page(a.table, a),
    columnProfile: async (a) => {
      const tools = modules.tools();
      await svc.virtualView(a.table);
      const [raw] = await tools.fieldProfile(svc.reader(), { table: a.table, column: a.column, top: 10 });
      const p = svc.state.prefs().masking_default ? tools.maskFieldProfile(raw) : raw;
      return { ...p, mean: p.numeric?.avg ?? null, sum: p.numeric?.sum ?? null } as unknown as T.ColumnProfile;
    },
    exportTable: async (a) => {
      svc.need();
      // A query's result is guarded now (a refused statement answers at once, not as a failed task).
      if (a.sql) await modules.sqlquery().prepareQuery(svc.reader(), a.sql);
      await svc.checkOut(a.out, `.${a.format}`, a.confirm_outside); // refused before any task starts
      return svc.startTask('export', 'exportTable', `Ekspor ${a.table} (${a.format.toUpperCase()})`, async (ctx) => exportView(svc, a, ctx));
    },
    query: async (a) => {
      const r = svc.reader();
      const q = await modules.sqlquery().prepareQuery(r, a.sql);
      const from = `(${q.sql}) AS src`;
      const columns = (await r.all<{ column_name: string; column_type: string }>(`DESCRIBE ${q.sql}`)).map((c) => ({ name: c.column_name, type: c.column_type }));
      // A time bound (issue 14): a statement still running after the limit is interrupted and refused clearly.
      const limitMs = Number(process.env.TELISIK_QUERY_TIMEOUT_MS) > 0 ? Number(process.env.TELISIK_QUERY_TIMEOUT_MS) : 30_000;
      let timedOut = false;
      const timer = setTimeout(() => { timedOut = true; svc.interruptReads(); }, limitMs);
      let page: Awaited<ReturnType<typeof svc.page>>;
      try {
        page = await svc.page('query', a, { query: { from, columns } });
      } catch (e) {
        if (timedOut) throw new ServiceError('invalid_input', `Kueri dihentikan: melebihi batas waktu ${Math.round(limitMs / 1000)} detik (query stopped: over the time limit)`, { reason: 'sql_timeout', seconds: Math.round(limitMs / 1000) });
        throw e;
      } finally { clearTimeout(timer); }
      // The statement goes into the trail once, when it is run (its first page); later pages and sorts are reads.
      if (a.offset === 0 && !a.sort?.length && !a.filter?.length && !a.search) {
        const ws = svc.need();
        // While a task holds the workspace the entry waits for it to end (the trail's chain must not interleave).
        if (!svc.tasks.running().length) await svc.tasks.exclusive(() => modules.sqlquery().recordQuery(ws, q, page.total_rows, { actor: svc.state.prefs().reviewer || undefined, via: svc.opts.client }));
        else svc.pendingQueries.push({ path: ws.path, q, rows: page.total_rows });
      }
      return { ...page, tables: q.tables };
    },
    revealFile: async (a) => {
      const p = svc.downloadable(a.path);
      if (!p) throw new ServiceError('not_found', `Berkas ini tidak ditulis oleh Telisik pada sesi ini: ${a.path}`, { reason: 'not_written' });
      // The Electron main process shows it in its folder (shell.showItemInFolder) when the call succeeds.
      return { path: p, dir: dirname(p), revealed: svc.opts.mode === 'electron' };
    },
  };
}

async function exportView(svc: ServiceCore, a: CallArgs<'exportTable'>, ctx: TaskContext): Promise<T.FileWritten> {
  const r = svc.reader();
  const q = a.sql ? await modules.sqlquery().prepareQuery(r, a.sql) : null;
  const all = q
    ? (await r.all<{ column_name: string; column_type: string }>(`DESCRIBE ${q.sql}`)).map((c) => ({ name: c.column_name, type: c.column_type }))
    : await sourceColumns(r, a.table);
  const fromSrc = q ? `(${q.sql}) AS src` : fromClause(a.table);
  const mask = await svc.masking(a.mask);
  // CSV: masked inside DuckDB's COPY (tl_mask); xlsx: every cell passes the workbook writer's masking gate anyway.
  const v = buildView(all, a, { mask: mask && a.format === 'csv', wire: false });
  const out = await svc.checkOut(a.out, `.${a.format}`, a.confirm_outside);
  prepareOutputDir(out);
  const total = num(await r.scalar(`SELECT count(*) FROM ${fromSrc} ${v.where}`, v.params));
  ctx.progress({ phase: 'export', done: 0, total });
  const select = `SELECT ${v.select.join(', ')} FROM ${fromSrc} ${v.where} ${v.orderBy}`;
  if (a.format === 'csv') {
    // COPY cannot take bound parameters: materialise the view into a temp table first, then COPY it to out.tmp and
    // rename when complete (S2; a stale out.tmp of a killed export is removed first, S5). Text cells that a
    // spreadsheet would evaluate (= + - @ TAB CR first) get a leading apostrophe (S1, OWASP CSV injection).
    const tmp = `_export_${Date.now().toString(36)}`;
    const part = `${out}.tmp`;
    svc.state.exportStarted(part);
    // The COPY runs on the read connection: a cancel must interrupt that one (the task's onAbort interrupts the
    // write connection only).
    const interrupt = () => r.interrupt();
    ctx.signal.addEventListener('abort', interrupt, { once: true });
    await r.run(`CREATE TEMP TABLE ${ident(tmp)} AS ${select}`, v.params);
    try {
      if (existsSync(part)) unlinkSync(part);
      if (ctx.signal.aborted) throw new ServiceError('cancelled', 'Dibatalkan (cancelled)');
      const types = await r.all<{ column_name: string; column_type: string }>(`DESCRIBE ${ident(tmp)}`);
      const safe = types.map((c) => (/^VARCHAR/i.test(c.column_type)
        ? `CASE WHEN regexp_matches(${ident(c.column_name)}, '^[-=+@\t\r]') THEN '''' || ${ident(c.column_name)} ELSE ${ident(c.column_name)} END AS ${ident(c.column_name)}`
        : ident(c.column_name)));
      await r.run(`COPY (SELECT ${safe.join(', ')} FROM ${ident(tmp)}) TO '${part.replace(/'/g, "''")}' (FORMAT csv, HEADER true)`);
      if (ctx.signal.aborted) throw new ServiceError('cancelled', 'Dibatalkan (cancelled)');
      renameSync(part, out);
    } catch (e) {
      try { if (existsSync(part)) unlinkSync(part); } catch { /* best effort */ }
      throw e;
    } finally {
      ctx.signal.removeEventListener('abort', interrupt);
      svc.state.exportEnded(part);
      await r.run(`DROP TABLE IF EXISTS ${ident(tmp)}`).catch(() => undefined);
    }
  } else {
    svc.state.exportStarted(`${out}.tmp`);
    const book = new ReportBook(out, { maskNik: mask, signal: ctx.signal, onProgress: (p) => ctx.progress({ phase: 'export', done: p.rows, total }) });
    try {
      await writeQueryTable(book, r, a.table.replace(/[^A-Za-z0-9_]/g, '_').slice(0, 25) || 'data', select, v.params);
      await book.finish();
    } catch (e) {
      await book.abort().catch(() => undefined);
      throw e;
    } finally {
      svc.state.exportEnded(`${out}.tmp`);
    }
  }
  ctx.progress({ phase: 'export', done: total, total });
  await svc.trail('export.table', { table: q ? null : a.table, ...(q ? { sql: q.sql, tables: q.tables } : {}), format: a.format, out, filter: a.filter ?? [], search: a.search ?? null, sort: a.sort ?? [], mask }, { rows: total });
  svc.written.add(out);
  return { path: out, bytes: statSync(out).size, rows: total };
}
