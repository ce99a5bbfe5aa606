/**
 * The service core: the open engagement, its read connection, the task queue, events and the plumbing every area's
 * handlers share (pages, masking, the output-path policy, trail entries). The calls themselves live in one module per
 * area (workspace.ts, import.ts, tables.ts, analysis.ts, findings.ts, tools.ts, reports.ts, settings.ts, trail.ts,
 * continuity.ts, tasks.ts), merged into one handler map by handlers.ts.
 *
 * Connections: the Workspace's own connection runs writes and tasks (one at a time, TaskManager queue); a second
 * connection on the same DuckDB instance serves reads (grid pages, lists, tools) so the UI stays live while an
 * import or an analysis runs.
 */
import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { checkArgs, type AnyEvent, type CallArgs, type CallName, type CallReturn, type Events } from '../../shared/contract';
import { ServiceError, type Result } from '../../shared/result';
import type * as T from '../../shared/types';
import { queryArrow } from '../arrow';
import { appendTrail, trailHead } from '../trail/trail';
import { Workspace, ident, type WorkspaceReader } from '../workspace/workspace';
import { UserState, type Prefs } from './state';
import { TaskManager, toAppError, type TaskContext } from './tasks';
import { buildView, fromClause, sourceColumns, VIRTUAL_TABLES, type ViewSpec } from './views';
import { modules } from './modules';
import { checkOutputPath, engagementPolicy } from '../output';

export interface ServiceOptions {
  /** App data folder: recent list, prefs, uploads, demo engagements. */
  dataDir: string;
  mode: 'electron' | 'web';
  version?: string;
  /** Where new engagements go by default (UI suggestion). */
  engagementsDir?: string;
  /** Preferences fixed for this service's life (the CLI: no masking unless asked, no saved prefs). */
  prefs?: Partial<Prefs>;
  /** Who drives this service, as trail entries name it (query.run's `via`): the UI (default) or the command line. */
  client?: 'ui' | 'cli';
}


/** Calls that never change data: they keep the grid count cache. */
/** The contract's calls as one typed map: every area module implements its part (handlers.ts merges them). */
export type Handler<K extends CallName> = (args: CallArgs<K>) => Promise<CallReturn<K>>;
export type Handlers = { [K in CallName]: Handler<K> };
/** An area's handlers: exactly the calls named in N. */
export type HandlersOf<N extends CallName> = { [K in N]: Handler<K> };

const READ_ONLY_CALLS = new Set<CallName>(['tablePage', 'exceptionsPage', 'rejectsPage', 'listTrail', 'getSettings', 'appInfo', 'listDir',
  'workspaceInfo', 'recentWorkspaces', 'listTasks', 'listImports', 'listProfiles', 'importKinds', 'listChecks', 'analysisResults',
  'analysisSummary', 'dashboard', 'getFinding', 'columnProfile', 'benfordRecords', 'impactIndicators', 'oversightSignals']);

export const CANONICAL = ['registry', 'disbursements', 'budget', 'deaths', 'civil_servants', 'complaints', 'flags'] as const;
/** Money columns whose total a grid page carries (first present wins). */
const MONEY_COLUMNS = ['amount', 'realization', 'allocation', 'paid_amount', 'nominal'];

export const num = (v: unknown): number => (v === null || v === undefined ? 0 : Number(v));
export const numOrNull = (v: unknown): number | null => (v === null || v === undefined || Number.isNaN(Number(v)) ? null : Number(v));
export const parseJson = (v: unknown): unknown => {
  if (typeof v !== 'string') return v ?? null;
  try { return JSON.parse(v); } catch { return v; }
};

export class ServiceCore {
  readonly state: UserState;
  ws: Workspace | null = null;
  /** The read side (a real second connection, refusing writes): pages, lists, profiles while a task writes. */
  readWs: WorkspaceReader | null = null;

  /** Interrupts whatever runs on the read connection (a guarded query over its time limit). */
  interruptReads(): void {
    this.readWs?.interrupt();
  }
  readonly listeners = new Set<(e: AnyEvent) => void>();
  readonly tasks: TaskManager;
  /** The merged handler map (handlers.ts), set by EngineService. */
  handlers!: Handlers;
  /** Row counts of grid views: the grid asks one page per block with the same filter; any write clears it. */
  readonly countCache = new Map<string, { n: number; s: number | null }>();
  /** Files this service wrote (exports, workbooks): the only ones `revealFile` and the server's download route serve. */
  readonly written = new Set<string>();
  /** Sorted views' position indexes (temp tables on the read connection), dropped whenever the data may change. */
  readonly positionIndex = new Map<string, string>();
  positionSeq = 0;
  /** Queries run while a task held the workspace: recorded in the trail when it ends. */
  readonly pendingQueries: { path: string; q: Awaited<ReturnType<ReturnType<typeof modules.sqlquery>['prepareQuery']>>; rows: number }[] = [];

  constructor(readonly opts: ServiceOptions) {
    this.state = new UserState(opts.dataDir, opts.prefs);
    this.state.removeStaleExports();
    this.tasks = new TaskManager((event, data) => this.emit(event, data));
  }

  // ------------------------------------------------------------------ transport surface
  onEvent(listener: (e: AnyEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  emit<K extends keyof Events>(event: K, data: Events[K]) {
    if (event !== 'progress') this.invalidateViews();
    if ((event === 'completed' || event === 'failed') && this.pendingQueries.length) setImmediate(() => void this.flushQueries());
    for (const l of this.listeners) {
      try { l({ event, data } as AnyEvent); } catch { /* a broken listener must not break the engine */ }
    }
  }

  /** Validates and runs one call. Never throws. */
  async invoke(name: unknown, args: unknown): Promise<Result<unknown>> {
    const checked = checkArgs(name, args);
    if (!checked.ok) return checked;
    if (!READ_ONLY_CALLS.has(checked.value.name)) this.invalidateViews();
    try {
      const h = this.handlers[checked.value.name] as (a: unknown) => Promise<unknown>;
      const value = await h(checked.value.args);
      return { ok: true, value: value === undefined ? null : value };
    } catch (e) {
      return { ok: false, error: toAppError(e) };
    }
  }

  async close(): Promise<void> {
    this.tasks.cancelAll();
    await this.tasks.drain();
    await this.closeWorkspace();
  }

  async flushQueries(): Promise<void> {
    const ws = this.ws;
    if (!ws || this.tasks.running().length || !this.pendingQueries.length) return;
    const list = this.pendingQueries.splice(0).filter((x) => x.path === ws.path);
    await this.tasks.exclusive(async () => {
      for (const x of list) await modules.sqlquery().recordQuery(ws, x.q, x.rows, { actor: this.state.prefs().reviewer || undefined, via: this.opts.client });
    }).catch(() => undefined);
  }

  /** A file this service wrote (resolved path), or null: what the download route and revealFile may serve. */
  downloadable(path: string): string | null {
    const p = resolve(path);
    return this.written.has(p) && existsSync(p) ? p : null;
  }

  /** Virtual tables (disbursements_enriched) as a temp view on the read connection, so tools and profiles read them. */
  async virtualView(table: string): Promise<void> {
    const v = VIRTUAL_TABLES[table];
    if (!v) return;
    const r = this.reader();
    for (const req of v.requires) if (!(await r.tableExists(req))) throw new ServiceError('not_found', `Tabel ${table} memerlukan data ${v.requires.join(' dan ')} — impor dahulu.`, { reason: 'needs_tables', tables: v.requires });
    await r.run(`CREATE OR REPLACE TEMP VIEW ${ident(table)} AS ${v.sql}`);
  }

  // ------------------------------------------------------------------ workspace plumbing
  need(): Workspace {
    if (!this.ws) throw new ServiceError('no_workspace', 'Belum ada penugasan yang dibuka — buat atau buka penugasan dahulu (no engagement open).');
    return this.ws;
  }

  /** Counts and position indexes describe the data as it was: forget them after anything that may change it. */
  invalidateViews(): void {
    this.countCache.clear();
    const stale = [...this.positionIndex.values()];
    this.positionIndex.clear();
    if (stale.length && this.readWs) {
      const r = this.readWs;
      for (const t of stale) r.run(`DROP TABLE IF EXISTS temp.main.${t}`).catch(() => undefined);
    }
  }

  /** The read side of the open workspace (same instance, a connection of its own). */
  reader(): WorkspaceReader {
    this.need();
    return this.readWs!;
  }

  /** `selfTask`: the task doing the switch (openDemo) — never waited on by the close. */
  async attach(ws: Workspace, selfTask?: string) {
    await this.closeWorkspace(selfTask);
    this.state.removeStaleExports();
    // An analysis run that was running when the process died (row committed as 'started', S4) never finished.
    if (await ws.tableExists('analysis_runs')) {
      await ws.run(`UPDATE analysis_runs SET status = 'incomplete' WHERE status = 'started'`).catch(() => undefined);
    }
    this.ws = ws;
    this.readWs = await ws.openReader();
    const info = await this.info();
    if (info) this.state.touchRecent(info.path, info.name);
    this.emit('workspace', { info });
  }

  /**
   * Closes the open engagement from any state: running tasks are cancelled and waited for first. Called from inside a
   * task (`selfTask`, e.g. openDemo switching engagements) it neither cancels nor waits on that task itself.
   */
  async closeWorkspace(selfTask?: string) {
    // Even with nothing open: a demo task may be building its engagement (not attached yet) — it is cancelled too.
    this.tasks.cancelAll(selfTask);
    await this.tasks.drain(selfTask);
    const ws = this.ws;
    if (!ws) return;
    // Reads in flight on the read connection are interrupted and settle before it closes (a read left on a closed
    // connection never answers, and the UI's serialised calls would wait behind it forever).
    const r = this.readWs;
    this.readWs = null;
    await r?.close();
    this.positionIndex.clear(); // its temp tables went with the connection
    this.ws = null;
    await ws.close().catch(() => undefined);
    this.emit('workspace', { info: null });
  }

  async info(): Promise<T.WorkspaceInfo | null> {
    if (!this.ws) return null;
    const r = this.reader();
    const e = await r.engagement();
    const tables: Record<string, number> = {};
    for (const t of CANONICAL) tables[t] = (await r.tableExists(t)) ? num(await r.scalar(`SELECT count(*) FROM ${ident(t)}`)) : 0;
    const imports = num(await r.scalar(`SELECT count(*) FROM import_log WHERE status = 'completed'`));
    let last_run: T.WorkspaceInfo['last_run'] = null;
    if (await r.tableExists('analysis_runs')) {
      const lr = await r.one<{ run_id: number; finished_at: string | null; status: string }>(
        `SELECT run_id, CAST(finished_at AS VARCHAR) AS finished_at, status FROM analysis_runs ORDER BY run_id DESC LIMIT 1`).catch(() => undefined);
      if (lr) last_run = { run_id: num(lr.run_id), finished_at: lr.finished_at ?? null, status: String(lr.status ?? '') };
    }
    const demo = await r.scalar<string>(`SELECT value FROM meta WHERE key = 'demo'`).catch(() => undefined);
    return {
      path: this.ws.path, name: e.name ?? '', entity: e.entity ?? null, period: e.period ?? null, team: e.team ?? null,
      created_at: e.created_at ? String(e.created_at) : null, is_demo: demo !== undefined && demo !== null, tables, imports, last_run,
    };
  }

  /**
   * Folders an export may go to without confirmation: the open engagement's folder (the UI suggests
   * <engagement>/ekspor/…), the default engagements folder and the app data folder.
   */
  allowedRoots(): string[] {
    const roots = [this.opts.dataDir, this.opts.engagementsDir ?? join(homedir(), 'Telisik')];
    if (this.ws) roots.unshift(dirname(this.ws.path));
    return roots;
  }

  /** The one output-path policy (src/engine/output.ts) for a file this service writes. */
  async checkOut(out: string, ext: string, confirmOutside?: boolean): Promise<string> {
    const policy = await engagementPolicy(this.reader(), ext, { allowedRoots: this.allowedRoots(), confirmOutside: !!confirmOutside });
    return checkOutputPath(out, policy);
  }

  async masking(requested: boolean | undefined): Promise<boolean> {
    return requested ?? this.state.prefs().masking_default;
  }

  async trail(action: string, params?: unknown, result?: unknown) {
    await appendTrail(this.need(), { action, params, result });
  }

  startTask<K extends CallName>(kind: T.TaskKind, call: K, label: string, run: (ctx: TaskContext) => Promise<unknown>): T.TaskRef {
    const ws = this.ws;
    const task_id = this.tasks.start(kind, call, label, run, {
      // Cancel also interrupts the running DuckDB statement (the engine checks the signal between statements).
      onAbort: () => { try { ws?.conn.interrupt(); } catch { /* closed */ } },
    });
    return { task_id };
  }

  // ------------------------------------------------------------------ pages
  async page(table: string, a: { offset: number; limit: number; mask?: boolean } & ViewSpec, opts: { extraJoin?: { sql: string; columns: T.ColumnInfo[] }; defaultOrder?: string[]; query?: { from: string; columns: T.ColumnInfo[] } } = {}): Promise<T.TablePage> {
    const r = this.reader();
    const base = opts.query ? opts.query.columns : await sourceColumns(r, table);
    const all = opts.extraJoin ? [...base, ...opts.extraJoin.columns] : base;
    const masked = await this.masking(a.mask);
    const v = buildView(all, a, { defaultOrder: opts.defaultOrder, alwaysOrder: !!opts.extraJoin || !!opts.query || table in VIRTUAL_TABLES, mask: masked });
    const from = opts.query ? opts.query.from : opts.extraJoin ? opts.extraJoin.sql : fromClause(table);
    // The view's rupiah total beside its count: a filtered grid ties to the chart bar it came from.
    const money = all.find((c) => MONEY_COLUMNS.includes(c.name) && /^(DOUBLE|DECIMAL|BIGINT|INTEGER|HUGEINT|FLOAT|REAL)/i.test(c.type));
    const countSql = `SELECT count(*) AS n${money ? `, sum(src.${ident(money.name)})::DOUBLE AS s` : ''} FROM ${from} ${v.where}`;
    const key = JSON.stringify([this.ws?.path, countSql, v.params]);
    let counted = this.countCache.get(key);
    if (counted === undefined) {
      const row = await r.one<{ n: unknown; s?: unknown }>(countSql, v.params);
      counted = { n: num(row?.n), s: money ? numOrNull(row?.s) : null };
      if (this.countCache.size > 500) this.countCache.clear();
      this.countCache.set(key, counted);
    }
    const total = counted.n;
    const sum = money ? { column: money.name, value: counted.s ?? 0 } : null;
    let sql = `SELECT ${v.select.join(', ')} FROM ${from} ${v.where} ${v.orderBy} LIMIT ${a.limit} OFFSET ${a.offset}`;
    let params = v.params;
    if (total >= POSITION_INDEX_MIN_ROWS && v.orderBy && !opts.extraJoin && !opts.query && !(table in VIRTUAL_TABLES)) {
      // A page of a large sorted view: ORDER BY … LIMIT/OFFSET makes DuckDB sort (or top-N) the whole table on every
      // page (0.3 s at 1M rows even for the first page, 2.5 s deep at 10M). Instead the sort is done once into a
      // position index (rowid, position) kept for this view until the data changes; a page is then a range of
      // positions joined back on rowid (≈ 11 ms at 10M, docs/perf-notes.md).
      const pkey = JSON.stringify([this.ws?.path, from, v.where, v.orderBy, v.params]);
      let pos = this.positionIndex.get(pkey);
      if (!pos) {
        pos = `_telisik_pos_${++this.positionSeq}`;
        await r.run(`CREATE OR REPLACE TEMP TABLE ${pos} AS SELECT src.rowid AS __rid, row_number() OVER (${v.orderBy}) AS __pos FROM ${from} ${v.where}`, v.params);
        this.positionIndex.set(pkey, pos);
      }
      sql = `SELECT ${v.select.join(', ')} FROM (SELECT __rid, __pos FROM ${pos} WHERE __pos > ${a.offset} AND __pos <= ${a.offset + a.limit}) AS __p
        JOIN ${from} ON src.rowid = __p.__rid ORDER BY __p.__pos`;
      params = {}; // the filter's values went into the index; DuckDB refuses unused bind parameters
    }
    const res = await r.withConnection(sql, (c) => queryArrow(c, sql, params));
    return { table, offset: a.offset, total_rows: total, columns: v.selectedColumns, masked, arrow: res.arrow, sum };
  }


  /**
   * One tool run: queued with the other writes (after any queued write; `busy` while a task runs) on the write
   * connection — where a tool's scratch and result tables belong — and recorded in the trail in the same turn: what
   * was asked and how many rows answered, never the values.
   */
  toolRun(tool: string, args: object, run: (ws: Workspace) => Promise<T.ToolResult>): Promise<T.ToolResult> {
    return this.tasks.exclusive(async () => {
      const out = await run(this.need());
      await this.trail(`tool.${tool}`, args, { rows: out.rows.length, result_table: out.result_table });
      return out;
    });
  }

  /** A task that may run without an open workspace (demo creates its own). */
  startTaskNoWs(kind: T.TaskKind, call: CallName, label: string, run: (ctx: TaskContext) => Promise<unknown>): T.TaskRef {
    return { task_id: this.tasks.start(kind, call, label, run) };
  }

  /**
   * The telisik.summary/1 of the open engagement, built once per state of its data: keyed by the trail head (every
   * change of the data the summary reads leaves a trail entry). A run hands over the summary it built for its seal.
   */
  async summary(): Promise<T.Summary> {
    const r = this.reader();
    const key = await this.summaryKey();
    if (this.summaryCache?.key === key) return this.summaryCache.summary;
    const summary = await modules.checks().buildSummary(r);
    this.summaryCache = { key, summary };
    return summary;
  }

  async rememberSummary(summary: T.Summary): Promise<void> {
    this.summaryCache = { key: await this.summaryKey(), summary };
  }

  private summaryCache: { key: string; summary: T.Summary } | null = null;

  private async summaryKey(): Promise<string> {
    const head = await trailHead(this.reader());
    return JSON.stringify([this.ws?.path, head.seq, head.hash]);
  }



}

/** Sorted views of at least this many rows are paged through a position index instead of LIMIT/OFFSET. */
const POSITION_INDEX_MIN_ROWS = 20_000;

