/**
 * The engine service: implements every call of src/shared/contract.ts over the engine modules. Transports (HTTP
 * server, Electron utility process) call `invoke(name, args)`, which validates the arguments against the contract
 * and always answers a Result — nothing thrown here crosses a boundary.
 *
 * Connections: the Workspace's own connection runs writes and tasks (one at a time, TaskManager queue); a second
 * connection on the same DuckDB instance serves reads (grid pages, lists, tools) so the UI stays live while an
 * import or an analysis runs.
 */
import { readdirSync, renameSync, statSync, unlinkSync, writeFileSync, existsSync, mkdirSync } from 'node:fs';
import { homedir, platform } from 'node:os';
import { basename, dirname, extname, join, resolve } from 'node:path';
import { checkArgs, type AnyEvent, type CallArgs, type CallName, type CallReturn, type Events } from '../../shared/contract';
import { ServiceError, type Result } from '../../shared/result';
import type * as T from '../../shared/types';
import { queryArrow } from '../arrow';
import { appendTrail, verifyTrail, type TrailEntry } from '../trail/trail';
import { Workspace, ident, plainValue, sameFile, type WorkspaceReader } from '../workspace/workspace';
import { UserState } from './state';
import { TaskManager, toAppError, type TaskContext } from './tasks';
import { buildView, fromClause, sourceColumns, VIRTUAL_TABLES, type ViewSpec } from './views';
import { modules } from './modules';
import { continuityHandlers } from './continuity';
import { disbursementTiming } from '../indicators/oversight/oversight';
import { assertNotBinary, previewFile } from './preview';
import { ReportBook } from '../reports/format';
import { maskDeep, maskText, maskValue } from '../../shared/masking';
import { writeQueryTable } from '../reports/common';
import type { FindingRow } from '../findings';
import type { CheckDefinition as CheckDef } from '../checks/types';
import { checkOutputPath, engagementPolicy, prepareOutputDir } from '../output';

export interface ServiceOptions {
  /** App data folder: recent list, prefs, uploads, demo engagements. */
  dataDir: string;
  mode: 'electron' | 'web';
  version?: string;
  /** Where new engagements go by default (UI suggestion). */
  engagementsDir?: string;
}

type Handler<K extends CallName> = (args: CallArgs<K>) => Promise<CallReturn<K>>;
type Handlers = { [K in CallName]: Handler<K> };

/** Calls that never change data: they keep the grid count cache. */
const READ_ONLY_CALLS = new Set<CallName>(['tablePage', 'exceptionsPage', 'rejectsPage', 'listTrail', 'getSettings', 'appInfo', 'listDir',
  'workspaceInfo', 'recentWorkspaces', 'listTasks', 'listImports', 'listProfiles', 'importKinds', 'listChecks', 'analysisResults',
  'analysisSummary', 'dashboard', 'getFinding', 'columnProfile', 'benfordRecords', 'impactIndicators', 'oversightSignals']);

/** Check ids are code identifiers (checks registry); validated before they name a table or enter SQL. */
const CHECK_ID = /^[a-z][a-z0-9_]{0,62}$/;

const CANONICAL = ['registry', 'disbursements', 'budget', 'deaths', 'civil_servants', 'complaints', 'flags'] as const;
/** Bookkeeping tables not shown in the data explorer (they have their own screens). */
const SYSTEM_TABLES = new Set(['meta', 'engagement', 'settings', 'mapping_profiles', 'audit_trail', 'import_log', 'rejects']);

/** Tables the engine writes for its own bookkeeping and results (reached from Analisis/Temuan/Evaluasi/Pengawasan, not Data). */
const INTERNAL_TABLE = /^(analysis_runs|check_results|indicator_results|findings|reviews|samples|potential_loss|undistributed_funds|exc_.*|ref_.*|targeting_.*|budget_(breakdown|cost_per_household|summary)|impact_.*|oversight_.*|chk_.*|imp_.*|_.*)$/;

/** Money columns whose total a grid page carries (first present wins). */
const MONEY_COLUMNS = ['amount', 'realization', 'allocation', 'paid_amount', 'nominal'];

const num = (v: unknown): number => (v === null || v === undefined ? 0 : Number(v));
const numOrNull = (v: unknown): number | null => (v === null || v === undefined || Number.isNaN(Number(v)) ? null : Number(v));
const parseJson = (v: unknown): unknown => {
  if (typeof v !== 'string') return v ?? null;
  try { return JSON.parse(v); } catch { return v; }
};

export class EngineService {
  readonly state: UserState;
  private ws: Workspace | null = null;
  /** The read side (a real second connection, refusing writes): pages, lists, profiles while a task writes. */
  private readWs: WorkspaceReader | null = null;

  /** Interrupts whatever runs on the read connection (a guarded query over its time limit). */
  interruptReads(): void {
    this.readWs?.interrupt();
  }
  private readonly listeners = new Set<(e: AnyEvent) => void>();
  readonly tasks: TaskManager;
  private readonly handlers: Handlers;
  /** Row counts of grid views: the grid asks one page per block with the same filter; any write clears it. */
  private readonly countCache = new Map<string, { n: number; s: number | null }>();
  /** Files this service wrote (exports, workbooks): the only ones `revealFile` and the server's download route serve. */
  private readonly written = new Set<string>();
  /** Sorted views' position indexes (temp tables on the read connection), dropped whenever the data may change. */
  private readonly positionIndex = new Map<string, string>();
  private positionSeq = 0;
  /** Queries run while a task held the workspace: recorded in the trail when it ends. */
  private readonly pendingQueries: { path: string; q: Awaited<ReturnType<ReturnType<typeof modules.sqlquery>['prepareQuery']>>; rows: number }[] = [];

  constructor(readonly opts: ServiceOptions) {
    this.state = new UserState(opts.dataDir);
    this.state.removeStaleExports();
    this.tasks = new TaskManager((event, data) => this.emit(event, data));
    this.handlers = this.buildHandlers();
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

  private async flushQueries(): Promise<void> {
    const ws = this.ws;
    if (!ws || this.tasks.running().length || !this.pendingQueries.length) return;
    const list = this.pendingQueries.splice(0).filter((x) => x.path === ws.path);
    await this.tasks.exclusive(async () => {
      for (const x of list) await modules.sqlquery().recordQuery(ws, x.q, x.rows, { actor: this.state.prefs().reviewer || undefined });
    }).catch(() => undefined);
  }

  /** A file this service wrote (resolved path), or null: what the download route and revealFile may serve. */
  downloadable(path: string): string | null {
    const p = resolve(path);
    return this.written.has(p) && existsSync(p) ? p : null;
  }

  /** Virtual tables (disbursements_enriched) as a temp view on the read connection, so tools and profiles read them. */
  private async virtualView(table: string): Promise<void> {
    const v = VIRTUAL_TABLES[table];
    if (!v) return;
    const r = this.reader();
    for (const req of v.requires) if (!(await r.tableExists(req))) throw new ServiceError('not_found', `Tabel ${table} memerlukan data ${v.requires.join(' dan ')} — impor dahulu.`, { reason: 'needs_tables', tables: v.requires });
    await r.run(`CREATE OR REPLACE TEMP VIEW ${ident(table)} AS ${v.sql}`);
  }

  // ------------------------------------------------------------------ workspace plumbing
  private need(): Workspace {
    if (!this.ws) throw new ServiceError('no_workspace', 'Belum ada penugasan yang dibuka — buat atau buka penugasan dahulu (no engagement open).');
    return this.ws;
  }

  /** Counts and position indexes describe the data as it was: forget them after anything that may change it. */
  private invalidateViews(): void {
    this.countCache.clear();
    const stale = [...this.positionIndex.values()];
    this.positionIndex.clear();
    if (stale.length && this.readWs) {
      const r = this.readWs;
      for (const t of stale) r.run(`DROP TABLE IF EXISTS temp.main.${t}`).catch(() => undefined);
    }
  }

  /** The read side of the open workspace (same instance, a connection of its own). */
  private reader(): WorkspaceReader {
    this.need();
    return this.readWs!;
  }

  /** `selfTask`: the task doing the switch (openDemo) — never waited on by the close. */
  private async attach(ws: Workspace, selfTask?: string) {
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
  private async closeWorkspace(selfTask?: string) {
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

  private async info(): Promise<T.WorkspaceInfo | null> {
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

  private async masking(requested: boolean | undefined): Promise<boolean> {
    return requested ?? this.state.prefs().masking_default;
  }

  private async trail(action: string, params?: unknown, result?: unknown) {
    await appendTrail(this.need(), { action, params, result });
  }

  private startTask<K extends CallName>(kind: T.TaskKind, call: K, label: string, run: (ctx: TaskContext) => Promise<unknown>): T.TaskRef {
    const ws = this.ws;
    const task_id = this.tasks.start(kind, call, label, run, {
      // Cancel also interrupts the running DuckDB statement (the engine checks the signal between statements).
      onAbort: () => { try { ws?.conn.interrupt(); } catch { /* closed */ } },
    });
    return { task_id };
  }

  // ------------------------------------------------------------------ pages
  private async page(table: string, a: { offset: number; limit: number; mask?: boolean } & ViewSpec, opts: { extraJoin?: { sql: string; columns: T.ColumnInfo[] }; defaultOrder?: string[]; query?: { from: string; columns: T.ColumnInfo[] } } = {}): Promise<T.TablePage> {
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

  // ------------------------------------------------------------------ handlers
  private buildHandlers(): Handlers {
    const svc = this;
    const h: Handlers = {
      ...continuityHandlers({
        need: () => svc.need(), exclusive: (fn) => svc.tasks.exclusive(fn), version: svc.opts.version ?? '0.0.0',
        reviewer: () => svc.state.prefs().reviewer || svc.need().actor(),
        checkOut: (out, ext, confirmOutside) => svc.checkOut(out, ext, confirmOutside),
      }),
      // ---------------- app & workspace
      appInfo: async () => ({
        name: 'telisik', version: svc.opts.version ?? '0.0.0', mode: svc.opts.mode, platform: platform(),
        default_dir: svc.opts.engagementsDir ?? join(homedir(), 'Telisik'), home_dir: homedir(),
      }),
      listDir: async (a) => {
        const dir = resolve(a.path ?? homedir());
        let st;
        try { st = statSync(dir); } catch { throw new ServiceError('not_found', `Folder tidak ditemukan: ${dir}`); }
        if (!st.isDirectory()) throw new ServiceError('invalid_input', `Bukan folder: ${dir}`);
        const exts = a.extensions?.map((e) => (e.startsWith('.') ? e : `.${e}`).toLowerCase());
        const entries: T.DirEntry[] = [];
        for (const name of readdirSync(dir)) {
          if (name.startsWith('.')) continue;
          try {
            const s = statSync(join(dir, name));
            const isDir = s.isDirectory();
            if (!isDir && exts && !exts.includes(extname(name).toLowerCase())) continue;
            entries.push({ name, path: join(dir, name), dir: isDir, size: isDir ? 0 : s.size, mtime: s.mtime.toISOString() });
          } catch { /* unreadable entry */ }
          if (entries.length >= 5000) break;
        }
        entries.sort((x, y) => (x.dir === y.dir ? x.name.localeCompare(y.name) : x.dir ? -1 : 1));
        const parent = dirname(dir);
        return { path: dir, parent: parent === dir ? null : parent, entries };
      },
      createWorkspace: async (a) => {
        let p = resolve(a.path);
        if (!/\.(duckdb|telisik)$/i.test(p)) p += '.duckdb';
        mkdirSync(dirname(p), { recursive: true });
        // Create first: if it fails (exists, unwritable) the open engagement stays open. A running task (import,
        // analysis, demo) is cancelled and waited for by the switch (attach -> closeWorkspace).
        const ws = await Workspace.create(p, { name: a.name, entity: a.entity, period: a.period, team: a.team });
        await appendTrail(ws, { action: 'workspace.create', params: { name: a.name, entity: a.entity ?? null, period: a.period ?? null, team: a.team ?? null } });
        await svc.attach(ws);
        return (await svc.info())!;
      },
      openWorkspace: async (a) => {
        const p = resolve(a.path);
        // The same file under another path (hard link, symlink): the open engagement, not a second instance.
        if (svc.ws && (svc.ws.path === p || sameFile(svc.ws.path, p))) return (await svc.info())!;
        // A running task of the current engagement is cancelled by attach() before the switch (never a hang or 'busy').
        // Open first: a file that is not a workspace, or locked by another process, leaves the current one open.
        const ws = await Workspace.open(p);
        await appendTrail(ws, { action: 'workspace.open', params: { path: ws.path } });
        await svc.attach(ws);
        return (await svc.info())!;
      },
      closeWorkspace: async () => { await svc.closeWorkspace(); return null; },
      recentWorkspaces: async () => svc.state.recent(),
      workspaceInfo: async () => svc.info(),

      openDemo: async (a) => {
        const demo = modules.demo();
        const ingest = modules.ingest();
        // The output-path policy for the demo's writer (issue 14): its extracts and workspace go into a new or empty
        // folder only, so they can never overwrite an engagement or a source file.
        if (a.dir) {
          const d = resolve(a.dir);
          if (existsSync(d) && (!statSync(d).isDirectory() || readdirSync(d).length > 0)) {
            throw new ServiceError('invalid_args', `Folder contoh harus baru atau kosong (demo folder must be new or empty): ${d}`, { reason: 'demo_dir_not_empty' });
          }
        }
        // Switching to the demo engagement: whatever runs now (import, analysis, an earlier demo) is cancelled, so the
        // demo does not queue behind it.
        svc.tasks.cancelAll();
        return svc.startTaskNoWs('demo', 'openDemo', 'Membuka penugasan contoh', async (ctx) => {
          const stamp = new Date().toISOString().replace(/[-:]/g, '').replace(/\..*/, '').replace('T', '-');
          const dir = resolve(a.dir ?? join(svc.opts.dataDir, 'demo', `demo-${stamp}`));
          mkdirSync(dir, { recursive: true });
          ctx.progress({ phase: 'generate' });
          const households = a.scale === 'large' ? 200_000 : a.scale === 'medium' ? 20_000 : 2_000;
          const gen = await demo.generateDemo({
            outDir: dir, households, seed: a.seed ?? 42, signal: ctx.signal,
            onProgress: (p) => ctx.progress({ phase: `generate:${p.phase}`, done: p.households, total: p.total }),
          });
          if (ctx.signal.aborted) throw new ServiceError('cancelled', 'Dibatalkan (cancelled)');
          await svc.closeWorkspace(ctx.task_id);
          const ws = await Workspace.create(join(dir, 'penugasan-contoh.duckdb'), {
            name: 'Penugasan Contoh (data sintetis)', entity: 'Dinas Sosial Kabupaten Contoh', period: '2025', team: 'Demo',
          });
          try {
            await ws.run(`INSERT OR REPLACE INTO meta VALUES ('demo', $d)`, { d: dir });
            await appendTrail(ws, { action: 'demo.generate', params: { scale: a.scale ?? 'small', households, seed: a.seed ?? 42, dir }, result: { rows: gen.rows, truth: gen.truthPath } });
            const files = gen.files as { kind: T.Kind; path: string }[];
            let i = 0;
            for (const f of files) {
              i++;
              ctx.progress({ phase: `import:${basename(f.path)}`, done: i - 1, total: files.length });
              await ingest.importFile(ws, {
                kind: f.kind, path: f.path, signal: ctx.signal,
                onProgress: (p: { phase: string; rows: number; bytes: number; totalBytes: number }) =>
                  ctx.progress({ phase: `import:${basename(f.path)}`, done: p.bytes, total: p.totalBytes, rows: p.rows }),
              });
            }
          } catch (e) {
            await ws.close().catch(() => undefined);
            throw e;
          }
          if (ctx.signal.aborted) { await ws.close().catch(() => undefined); throw new ServiceError('cancelled', 'Dibatalkan (cancelled)'); }
          await svc.attach(ws, ctx.task_id);
          ctx.progress({ phase: 'done', done: 1, total: 1 });
          return svc.info();
        });
      },

      // ---------------- tasks
      cancelTask: async (a) => ({ cancelled: svc.tasks.cancel(a.task_id) }),
      listTasks: async () => svc.tasks.list(),

      // ---------------- import
      importKinds: async () => {
        const specs = modules.ingest().KIND_SPECS as Record<string, { kind: T.Kind; columns: { name: string; type: string; required?: boolean; synonyms: Set<string> }[] }>;
        const out: T.KindSpec[] = Object.values(specs).map((k) => ({
          kind: k.kind, label_id: KIND_LABELS[k.kind]?.id ?? k.kind, label_en: KIND_LABELS[k.kind]?.en ?? k.kind,
          columns: k.columns.map((c) => ({ name: c.name, required: !!c.required, type: c.type, headers: [...c.synonyms] })),
        }));
        out.push({ kind: 'other', label_id: KIND_LABELS.other.id, label_en: KIND_LABELS.other.en, columns: [] });
        return out;
      },
      previewFile: async (a) => {
        const p = resolve(a.path);
        if (!existsSync(p)) throw new ServiceError('not_found', `Berkas tidak ditemukan: ${p}`);
        await assertNotBinary(p);
        const pv = await previewFile({ path: p, kind: a.kind, sheet: a.sheet, rows: a.rows ?? 20 });
        if (svc.state.prefs().masking_default) pv.rows = pv.rows.map((r) => r.map(maskText));
        return pv;
      },
      importFiles: async (a) => {
        const ws = svc.need();
        const ingest = modules.ingest();
        for (const f of a.files) if (!existsSync(resolve(f.path))) throw new ServiceError('not_found', `Berkas tidak ditemukan: ${f.path}`);
        for (const f of a.files) await assertNotBinary(resolve(f.path));
        // Duplicate imports (same SHA-256 into the same table) are refused before the task starts, naming the
        // earlier import (code confirm_required, details.earlier); the wizard asks and sends allow_duplicate.
        if (!a.allow_duplicate) {
          for (const f of a.files) {
            const earlier = await ingest.duplicateOf(svc.reader(), resolve(f.path), f.kind, f.table, f.sheet);
            if (earlier) throw new ingest.DuplicateImportError(basename(f.path), earlier);
          }
        }
        return svc.startTask('import', 'importFiles', `Impor ${a.files.length} berkas`, async (ctx) => {
          const out: T.ImportRecord[] = [];
          let i = 0;
          for (const f of a.files) {
            i++;
            const label = basename(f.path);
            const r = await ingest.importFile(ws, {
              kind: f.kind, path: resolve(f.path), map: f.map, profile: f.profile, sheet: f.sheet, table: f.table, list: f.list, signal: ctx.signal,
              allowDuplicate: !!a.allow_duplicate,
              onProgress: (p: { phase: string; rows: number; bytes: number; totalBytes: number }) =>
                ctx.progress({ phase: `${label}: ${p.phase}`, done: p.totalBytes ? p.bytes : p.rows, total: p.totalBytes || 0, rows: p.rows, message: `${i}/${a.files.length}` }),
            });
            out.push(...(await svc.importRecords(num(r.import_id))));
          }
          svc.emit('workspace', { info: await svc.info() });
          return out;
        });
      },
      listImports: async () => (await svc.importRecords()).filter((x) => x.status !== 'removed'),
      removeImport: async (a) => { return svc.tasks.exclusive(async () => {
        const ws = svc.need();
        const res = await modules.remove().removeImport(ws, a.import_id, a.reason, { actor: svc.state.prefs().reviewer || undefined });
        svc.emit('workspace', { info: await svc.info() });
        return res;
      }); },
      rejectsPage: async (a) => {
        const r = svc.reader();
        const total = num(await r.scalar('SELECT count(*) FROM rejects WHERE import_id = $i', { i: a.import_id }));
        const rows = await r.all<T.RejectRow>(
          `SELECT import_id, file, line, reason, column_name, raw_text FROM rejects WHERE import_id = $i ORDER BY line LIMIT ${a.limit} OFFSET ${a.offset}`, { i: a.import_id });
        const masked = svc.state.prefs().masking_default;
        return { offset: a.offset, total, rows: rows.map((x) => ({ ...x, import_id: num(x.import_id), line: num(x.line), raw_text: masked && x.raw_text ? maskText(x.raw_text) : x.raw_text })) };
      },
      listProfiles: async (a) => {
        const r = svc.reader();
        const rows = await r.all<{ name: string; kind: T.Kind; mapping: unknown; saved_at: string | null }>(
          `SELECT name, kind, mapping::VARCHAR AS mapping, CAST(saved_at AS VARCHAR) AS saved_at FROM mapping_profiles ${a.kind ? 'WHERE kind = $k' : ''} ORDER BY name`,
          a.kind ? { k: a.kind } : undefined);
        return rows.map((x) => ({ name: x.name, kind: x.kind, mapping: (parseJson(x.mapping) ?? {}) as Record<string, string>, saved_at: x.saved_at }));
      },
      saveProfile: async (a) => { return svc.tasks.exclusive(async () => {
        const ws = svc.need();
        await ws.run(`INSERT OR REPLACE INTO mapping_profiles VALUES ($n, $k, $m::JSON, now()::TIMESTAMP)`, { n: a.name, k: a.kind, m: JSON.stringify(a.mapping) });
        await svc.trail('profile.save', { name: a.name, kind: a.kind, mapping: a.mapping });
        return { name: a.name, kind: a.kind, mapping: a.mapping, saved_at: new Date().toISOString() };
      }); },
      deleteProfile: async (a) => { return svc.tasks.exclusive(async () => {
        const ws = svc.need();
        const n = num(await ws.scalar('SELECT count(*) FROM mapping_profiles WHERE name = $n', { n: a.name }));
        if (n) { await ws.run('DELETE FROM mapping_profiles WHERE name = $n', { n: a.name }); await svc.trail('profile.delete', { name: a.name }); }
        return { deleted: n > 0 };
      }); },

      // ---------------- tables
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
        const out: T.TableInfo[] = [];
        const kindOf = (n: string): T.Kind | null => ((CANONICAL as readonly string[]).includes(n) ? (n as T.Kind) : null);
        for (const { name } of rows) {
          if (SYSTEM_TABLES.has(name)) continue;
          const group: T.TableInfo['group'] = kindOf(name) ? 'canonical' : name.startsWith('raw_') ? 'raw' : name.startsWith('exc_') ? 'exceptions'
            : samples.has(name) ? 'tool' : 'other';
          if (group === 'raw' && !a.include_raw) continue;
          if (!a.include_internal && group !== 'canonical' && group !== 'raw' && group !== 'tool' && !userTables.has(name) && INTERNAL_TABLE.test(name)) continue;
          const columns = await sourceColumns(r, name);
          out.push({ name, group, kind: kindOf(name), rows: num(await r.scalar(`SELECT count(*) FROM ${ident(name)}`)), columns });
        }
        for (const [name, v] of Object.entries(VIRTUAL_TABLES)) {
          let ok = true;
          for (const req of v.requires) if (!(await r.tableExists(req))) ok = false;
          if (!ok) continue;
          const columns = await sourceColumns(r, name);
          out.push({ name, group: 'other', kind: null, rows: num(await r.scalar(`SELECT count(*) FROM ${fromClause(name)}`)), columns });
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
        return svc.startTask('export', 'exportTable', `Ekspor ${a.table} (${a.format.toUpperCase()})`, async (ctx) => svc.exportView(a, ctx));
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
          if (!svc.tasks.running().length) await svc.tasks.exclusive(() => modules.sqlquery().recordQuery(ws, q, page.total_rows, { actor: svc.state.prefs().reviewer || undefined }));
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

      // ---------------- analyses
      listChecks: async () => {
        const checks = modules.checks();
        const r = svc.ws ? svc.reader() : null;
        const rules = r ? await modules.rules().effectiveRules(r) : modules.rules().defaultRules();
        const present = new Set<string>();
        if (r) {
          for (const t of CANONICAL) if ((await r.tableExists(t)) && num(await r.scalar(`SELECT count(*) FROM ${ident(t)}`)) > 0) present.add(t);
          if (present.has('registry') && num(await r.scalar('SELECT count(death_date) FROM registry')) > 0) present.add('registry.death_date');
        }
        return checks.CHECKS.map((c: CheckDef) => ({
          id: c.id, family: c.family,
          family_label_id: checks.FAMILY_LABELS[c.family]?.id ?? c.family, family_label_en: checks.FAMILY_LABELS[c.family]?.en ?? c.family,
          title_id: c.title.id, title_en: c.title.en, description_id: c.description.id, description_en: c.description.en,
          criteria: c.criteria, inputs: c.requires.map((g) => [...g]),
          inputs_ready: c.requires.every((g) => g.some((k) => present.has(k))),
          parameters: c.parameters.map((p) => ({
            name: p.name, type: p.type, default: typeof p.default === 'function' ? p.default(rules) : p.default,
            ...(p.min !== undefined ? { min: p.min } : {}), ...(p.max !== undefined ? { max: p.max } : {}),
            label_id: p.description.id, label_en: p.description.en,
          })),
          in_potential_loss: c.potentialLoss, source_table: c.sourceTable, output_columns: c.outputColumns,
        }));
      },
      runAnalysis: async (a) => {
        const ws = svc.need();
        const checks = modules.checks();
        return svc.startTask('analysis', 'runAnalysis', a.only ? `Analisis ${a.only.join(', ')}` : 'Jalankan semua analisis', async (ctx) => {
          const run = await checks.runChecks(ws, {
            only: a.only, params: a.params as Record<string, Record<string, unknown>> | undefined, signal: ctx.signal,
            actor: svc.state.prefs().reviewer || undefined,
            // done/total count checks: rows: 0 keeps rows/s empty rather than reporting checks per second as rows.
            onProgress: (p) => ctx.progress({ phase: p.check_id ?? p.phase, done: p.index, total: p.total, rows: 0 }),
          });
          // Findings are drafted from the run; the auditor's own edits are kept (findings module).
          ctx.progress({ phase: 'findings', done: 0, total: 1 });
          await modules.findings().draftFindings(ws, { runId: String(run.run_id) });
          const summary = await svc.runSummary(num(run.run_id));
          svc.emit('workspace', { info: await svc.info() });
          return summary;
        });
      },
      analysisResults: async (a) => svc.runSummary(a.run_id),
      analysisSummary: async () => {
        const r = svc.reader();
        if (!(await r.tableExists('check_results'))) return null;
        return (await modules.checks().buildSummary(r));
      },
      dashboard: async () => svc.dashboard(),
      impactIndicators: async (a) => svc.tasks.exclusive(async () => {
        const ws = svc.need();
        const stored = await latestIndicator(ws, 'impact');
        const storedLine = Number((stored?.params as { poverty_line?: number } | undefined)?.poverty_line) || undefined;
        const { computeImpact } = await import('../indicators/impact/impact');
        const detail = await computeImpact(ws, { povertyLine: a.poverty_line ?? storedLine });
        return { run_id: stored?.run_id ?? null, summary: stored?.result ?? null, detail };
      }),
      oversightSignals: async (a) => svc.tasks.exclusive(async () => {
        const ws = svc.need();
        const stored = await latestIndicator(ws, 'oversight');
        const { complaintsSummary, flaggedComplaints, disbursementTiming } = await import('../indicators/oversight/oversight');
        const detail = {
          summary: await complaintsSummary(ws),
          flagged: await flaggedComplaints(ws, { limit: 10_000 }),
          timing: await disbursementTiming(ws, { events: a.events, minHistory: a.min_history, threshold: a.threshold }),
        };
        return { run_id: stored?.run_id ?? null, summary: stored?.result ?? null, detail };
      }),

      // ---------------- findings
      listFindings: async () => (await modules.findings().listFindings(svc.reader())).map(toFindingSummary),
      getFinding: async (a) => {
        const f = await modules.findings().getFinding(svc.reader(), a.check_id);
        if (!f) throw new ServiceError('not_found', `Temuan ${a.check_id} tidak ada — jalankan analisis dahulu.`);
        return toFinding(f);
      },
      updateFinding: async (a) => { return svc.tasks.exclusive(async () => {
        const ws = svc.need();
        const actor = svc.state.prefs().reviewer || ws.actor();
        return toFinding(await modules.findings().updateFinding(ws, a.check_id, a.text, { actor }));
      }); },
      exceptionsPage: async (a) => {
        const r = svc.reader();
        if (!CHECK_ID.test(a.check_id)) throw new ServiceError('invalid_args', `check_id tidak sah: ${a.check_id}`);
        const table = `exc_${a.check_id}`;
        if (!(await r.tableExists(table))) throw new ServiceError('not_found', `Belum ada hasil analisis ${a.check_id} — jalankan analisis dahulu.`);
        const base = await sourceColumns(r, table);
        const reviewCols: T.ColumnInfo[] = [
          { name: 'review_status', type: 'VARCHAR' }, { name: 'review_note', type: 'VARCHAR' },
          { name: 'reviewer', type: 'VARCHAR' }, { name: 'reviewed_at', type: 'VARCHAR' },
        ];
        const hasReviews = await r.tableExists('reviews');
        const lr = hasReviews ? `(${modules.findings().LATEST_REVIEW_SQL})` : `(SELECT NULL::VARCHAR AS check_id, NULL::BIGINT AS rec_id, NULL::VARCHAR AS status, NULL::VARCHAR AS note, NULL::VARCHAR AS reviewer, NULL::VARCHAR AS reviewed_at WHERE FALSE)`;
        const sql = `(SELECT e.*, coalesce(lr.status, 'open') AS review_status, lr.note AS review_note, lr.reviewer AS reviewer, CAST(lr.reviewed_at AS VARCHAR) AS reviewed_at
          FROM ${ident(table)} e LEFT JOIN ${lr} lr ON lr.check_id = '${a.check_id}' AND lr.rec_id = CAST(e.rec_id AS BIGINT)) AS src`;
        const filter = [...(a.filter ?? [])];
        if (a.status) filter.push({ column: 'review_status', op: 'eq', value: a.status });
        const cols = base.filter((c) => !reviewCols.some((x) => x.name === c.name));
        return svc.page(table, { ...a, filter }, { extraJoin: { sql, columns: reviewCols }, defaultOrder: ['rec_id'] }).then((p) => ({ ...p, columns: p.columns.length ? p.columns : cols }));
      },
      reviewExceptions: async (a) => { return svc.tasks.exclusive(async () => {
        const ws = svc.need();
        const reviewer = svc.state.prefs().reviewer || ws.actor();
        const res = await modules.findings().reviewExceptions(ws, { check_id: a.check_id, rec_ids: a.rec_ids, status: a.status, note: a.note, reviewer });
        return { updated: num(res.updated) };
      }); },
      reviewAll: async (a) => { return svc.tasks.exclusive(async () => {
        const ws = svc.need();
        const r = svc.reader();
        const table = `exc_${a.check_id}`;
        if (!(await r.tableExists(table))) throw new ServiceError('not_found', `Belum ada hasil analisis ${a.check_id}.`);
        // Resolve the view to rec_ids with the same builder the grid uses, so "review all shown" means exactly that.
        const p = await h.exceptionsPage({ check_id: a.check_id, offset: 0, limit: 1, filter: a.filter, search: a.search, status: a.only_status, columns: ['rec_id'] }) as T.TablePage;
        const all = await svc.viewRecIds(a, p.total_rows);
        if (all.length === 0) return { updated: 0 };
        const reviewer = svc.state.prefs().reviewer || ws.actor();
        const res = await modules.findings().reviewExceptions(ws, { check_id: a.check_id, rec_ids: all, status: a.status, note: a.note, reviewer });
        return { updated: num(res.updated) };
      }); },

      // ---------------- tools: each run in the write queue on the write connection, with its trail entry
      toolBenford: async (a) => svc.toolRun('benford', a, async (ws) => {
        const res = await modules.tools().benford(ws, { table: a.table, column: a.column, test: a.digits === 'first_two' ? 2 : 1, minValue: a.min_value });
        return toolResult(svc.state.prefs().masking_default, 'benford', a.table, `Hukum Benford — ${a.column}`, res, res.digits ?? [], null);
      }),
      benfordRecords: async (a) => {
        const t = modules.tools();
        const res = await t.benfordDrill(svc.reader(), { table: a.table, column: a.column, test: a.digits === 'first_two' ? 2 : 1, digit: a.digit, limit: a.limit, offset: a.offset });
        const masked = svc.state.prefs().masking_default;
        return { offset: a.offset, total: num(res.total), rows: res.rows.map((row: Record<string, unknown>) => maskRow(row, masked)) };
      },
      toolDuplicates: async (a) => svc.toolRun('duplicates', a, async (ws) => {
        const t = modules.tools();
        if (a.fuzzy) {
          const res = await t.fuzzyDuplicates(ws, { table: a.table, nameColumn: a.fuzzy.name_column, blockKeys: a.keys, threshold: a.fuzzy.threshold });
          return toolResult(svc.state.prefs().masking_default, 'duplicates', a.table, `Duplikat samar — ${a.fuzzy.name_column}`, res, res.top ?? [], res.result_table ?? null);
        }
        const res = await t.duplicates(ws, { table: a.table, keys: a.keys, amountColumn: a.amount_column });
        return toolResult(svc.state.prefs().masking_default, 'duplicates', a.table, `Duplikat — ${a.keys.join(', ')}`, res, res.top ?? [], res.result_table ?? null);
      }),
      toolGaps: async (a) => svc.toolRun('gaps', a, async (ws) => {
        const res = await modules.tools().gaps(ws, { table: a.table, column: a.column, step: a.step });
        return toolResult(svc.state.prefs().masking_default, 'gaps', a.table, `Celah urutan — ${a.column}`, res, res.top ?? [], res.result_table ?? null);
      }),
      toolStratify: async (a) => svc.toolRun('stratify', a, async (ws) => {
        const res = await modules.tools().stratify(ws, { table: a.table, column: a.column, bounds: a.bounds, quantiles: a.strata });
        return toolResult(svc.state.prefs().masking_default, 'stratify', a.table, `Stratifikasi — ${a.column}`, res, res.strata ?? [], res.result_table ?? null);
      }),
      toolAgeing: async (a) => {
        const asOf = a.as_of ?? new Date().toISOString().slice(0, 10);
        return svc.toolRun('ageing', { ...a, as_of: asOf }, async (ws) => {
          const res = await modules.tools().ageing(ws, { table: a.table, column: a.column, asOf, amountColumn: a.amount_column });
          return toolResult(svc.state.prefs().masking_default, 'ageing', a.table, `Umur — ${a.column} per ${asOf}`, res, res.buckets ?? [], res.result_table ?? null);
        });
      },
      toolPivot: async (a) => svc.toolRun('pivot', a, async (ws) => {
        const res = await modules.tools().pivot(ws, { table: a.table, groupBy: a.rows, value: a.value });
        return toolResult(svc.state.prefs().masking_default, 'pivot', a.table, `Ringkasan — ${a.rows.join(' × ')}`, res, res.rows ?? [], res.result_table ?? null);
      }),
      // The sample's trail entry (sample.random / sample.mus, with its parameters and result) is written by the
      // sampling module itself, beside its `samples` row: one entry per sample, whoever draws it.
      toolSample: async (a) => { return svc.tasks.exclusive(async () => {
        const t = modules.tools();
        const name = a.name ?? `${a.method}_${Date.now().toString(36)}`;
        const ws = svc.need();
        const res = a.method === 'mus'
          ? await t.sampleMus(ws, { name, table: a.table, amountColumn: a.amount_column ?? 'amount', size: a.size, seed: a.seed })
          : await t.sampleRandom(ws, { name, table: a.table, size: a.size, seed: a.seed, amountColumn: a.amount_column });
        return toolResult(svc.state.prefs().masking_default, 'sample', a.table, `Uji petik (${a.method === 'mus' ? 'MUS' : 'acak'}) — ${a.table}`, res, [], res.result_table ?? null);
      }); },
      toolProfile: async (a) => svc.toolRun('profile', a, async (ws) => {
        const raw = await modules.tools().fieldProfile(ws, { table: a.table, column: a.column, top: 10 });
        const res = svc.state.prefs().masking_default ? raw.map(modules.tools().maskFieldProfile) : raw;
        return toolResult(svc.state.prefs().masking_default, 'profile', a.table, `Profil kolom — ${a.table}`, { columns: res }, (res as unknown as Record<string, unknown>[]).map((p) => ({ ...p, top: JSON.stringify(p.top), length: JSON.stringify(p.length), numeric: p.numeric ? JSON.stringify(p.numeric) : null })), null);
      }),

      // ---------------- reports
      writeReport: async (a) => {
        const ws = svc.need();
        const reports = modules.reports();
        const mask = await svc.masking(a.mask);
        const out = await svc.checkOut(a.out, '.xlsx', a.confirm_outside);
        return svc.startTask('export', 'writeReport', `Kertas kerja ${a.kind.toUpperCase()}`, async (ctx) => {
          let rowsWritten = 0;
          svc.state.exportStarted(`${out}.tmp`);
          const res = await reports.writeReport(ws, {
            kind: a.kind === 'field_sample' ? 'field-sample' : a.kind, out, maskNik: mask, preparedBy: a.prepared_by, reviewedBy: a.reviewed_by, previous: a.previous,
            sample: a.sample_size, seed: a.seed, output: { allowedRoots: svc.allowedRoots(), confirmOutside: a.confirm_outside },
          }, {
            signal: ctx.signal,
            onProgress: (p) => { rowsWritten = Math.max(rowsWritten, num(p.rows)); ctx.progress({ phase: p.sheet ?? p.phase, done: p.rows, total: p.totalRows ?? 0 }); },
          }).finally(() => svc.state.exportEnded(`${out}.tmp`));
          svc.written.add(resolve(res.path));
          return { path: res.path, bytes: res.bytes, rows: rowsWritten, sheets: res.sheets };
        });
      },
      importReviewWorkbook: async (a) => { return svc.tasks.exclusive(async () => {
        const ws = svc.need();
        const p = resolve(a.path);
        if (!existsSync(p)) throw new ServiceError('not_found', `Berkas tidak ditemukan: ${p}`);
        const reviewer = svc.state.prefs().reviewer || ws.actor();
        const res = await modules.reports().importReviewWorkbook(ws, p, { reviewer }).catch((e: unknown) => {
          // A refused import (not a field sheet, a missing column, rejected rows) names file, sheet and rows.
          if (e instanceof Error && e.name === 'ReviewImportError') throw new ServiceError('invalid_input', e.message);
          throw e;
        });
        const messages = [
          `${res.rows} baris dibaca, ${res.filled} berisi HASIL, ${res.applied} reviu diterapkan (${res.confirmed} terkonfirmasi, ${res.cleared} dikecualikan, ${res.open} belum direviu).`,
          ...res.unmatched.slice(0, 50).map((r) => `Tidak cocok: ${JSON.stringify(r)}`),
          ...res.invalid.slice(0, 50).map((r) => `Tidak sah: ${JSON.stringify(r)}`),
        ];
        return { updated: res.applied, skipped: res.unmatched.length + res.invalid.length, messages };
      }); },

      // ---------------- trail
      listTrail: async (a) => {
        const r = svc.reader();
        if (!(await r.tableExists('audit_trail'))) return { offset: a.offset, total: 0, rows: [] };
        const total = num(await r.scalar('SELECT count(*) FROM audit_trail'));
        const rows = await r.all<TrailEntry>(`SELECT * FROM audit_trail ORDER BY seq DESC LIMIT ${a.limit} OFFSET ${a.offset}`);
        const out = rows.map((e) => ({ ...e, seq: num(e.seq), params: parseJson(e.params), inputs: parseJson(e.inputs), result: parseJson(e.result) }));
        // Trail details may quote identifiers (a finding text, a review note): masked like every other screen.
        if (!svc.state.prefs().masking_default) return { offset: a.offset, total, rows: out };
        return { offset: a.offset, total, rows: out.map((e) => ({ ...e, params: maskDeep(e.params), inputs: maskDeep(e.inputs), result: maskDeep(e.result) })) };
      },
      verifyTrail: async (a) => {
        const res = await verifyTrail(svc.reader(), { checkSources: a.check_sources });
        return res as T.TrailVerificationView;
      },

      // ---------------- settings
      getSettings: async () => svc.settings(),
      updateSettings: async (a) => {
        const prefsPatch: Partial<{ language: T.Language; masking_default: boolean; reviewer: string }> = {};
        if (a.language) prefsPatch.language = a.language;
        if (a.masking_default !== undefined) prefsPatch.masking_default = a.masking_default;
        if (a.reviewer !== undefined) prefsPatch.reviewer = a.reviewer;
        if (Object.keys(prefsPatch).length) svc.state.savePrefs(prefsPatch);
        if (a.programme_rules || a.thresholds || a.event_dates) await svc.tasks.exclusive(async () => {
          const ws = svc.need();
          const rules = modules.rules();
          if (a.programme_rules || a.thresholds) {
            const cur = (await rules.engagementRules(ws)) ?? {};
            const programmes: Record<string, unknown> = { ...(cur.programmes ?? {}) };
            for (const [k, v] of Object.entries(a.programme_rules ?? {})) {
              if (v === null) delete programmes[k];
              else programmes[k] = { ...((programmes[k] as object) ?? {}), ...v };
            }
            const thresholds: Record<string, number> = { ...(cur.thresholds ?? {}) };
            for (const [k, v] of Object.entries(a.thresholds ?? {})) if (k !== 'spike_z') thresholds[k] = v;
            if (a.thresholds?.spike_z !== undefined) await ws.run(`INSERT OR REPLACE INTO settings VALUES ('spike_z', $v::JSON)`, { v: JSON.stringify(a.thresholds.spike_z) });
            try {
              await rules.saveEngagementRules(ws, { ...cur, programmes, thresholds } as never);
            } catch (e) {
              throw new ServiceError('invalid_args', String((e as Error).message));
            }
          }
          if (a.event_dates) await ws.run(`INSERT OR REPLACE INTO settings VALUES ('event_dates', $v::JSON)`, { v: JSON.stringify(a.event_dates) });
          await svc.trail('settings.update', a);
        });
        return svc.settings();
      },
      resetProgrammeRules: async () => { return svc.tasks.exclusive(async () => {
        const ws = svc.need();
        await ws.run(`DELETE FROM settings WHERE key = 'programme_rules'`);
        await svc.trail('settings.reset_programme_rules', {});
        return svc.settings();
      }); },
    };
    return h;
  }

  /**
   * One tool run: queued with the other writes (after any queued write; `busy` while a task runs) on the write
   * connection — where a tool's scratch and result tables belong — and recorded in the trail in the same turn: what
   * was asked and how many rows answered, never the values.
   */
  private toolRun(tool: string, args: object, run: (ws: Workspace) => Promise<T.ToolResult>): Promise<T.ToolResult> {
    return this.tasks.exclusive(async () => {
      const out = await run(this.need());
      await this.trail(`tool.${tool}`, args, { rows: out.rows.length, result_table: out.result_table });
      return out;
    });
  }

  /** A task that may run without an open workspace (demo creates its own). */
  private startTaskNoWs(kind: T.TaskKind, call: CallName, label: string, run: (ctx: TaskContext) => Promise<unknown>): T.TaskRef {
    return { task_id: this.tasks.start(kind, call, label, run) };
  }

  private async viewRecIds(a: { check_id: string; filter?: CallArgs<'reviewAll'>['filter']; search?: string; only_status?: T.ReviewStatus }, expected: number): Promise<number[]> {
    const out: number[] = [];
    const step = 50_000;
    for (let off = 0; off < expected; off += step) {
      const p = (await this.handlers.exceptionsPage({ check_id: a.check_id, offset: off, limit: step, filter: a.filter, search: a.search, status: a.only_status, columns: ['rec_id'], mask: false })) as T.TablePage;
      const { tableFromIPC } = await import('apache-arrow');
      const col = tableFromIPC(p.arrow).getChild('rec_id');
      if (!col) break;
      for (const v of col.toArray() as Float64Array) out.push(Number(v));
    }
    return out;
  }

  async importRecords(importId?: number): Promise<T.ImportRecord[]> {
    const r = this.reader();
    const rows = await r.all<Record<string, unknown>>(
      `SELECT import_id, kind, file, path, sha256, size_bytes, format, encoding, delimiter, sheet, rows_read, rows_loaded, rows_rejected,
        mapping::VARCHAR AS mapping, quality::VARCHAR AS quality, target_table, status, message,
        CAST(started_at AS VARCHAR) AS started_at, CAST(finished_at AS VARCHAR) AS finished_at
       FROM import_log ${importId !== undefined ? 'WHERE import_id = $i' : ''} ORDER BY import_id`, importId !== undefined ? { i: importId } : undefined);
    const masked = this.state.prefs().masking_default;
    return rows.map((x) => {
      // The import quality report quotes values (column min/max): masked like every other screen.
      const quality = (masked ? maskDeep(parseJson(x.quality)) : parseJson(x.quality)) as Record<string, unknown> | null;
      const warnings = quality && Array.isArray((quality as { warnings?: unknown }).warnings) ? ((quality as { warnings: string[] }).warnings) : [];
      return {
        import_id: num(x.import_id), kind: x.kind as T.Kind, file: String(x.file ?? ''), path: String(x.path ?? ''), sha256: String(x.sha256 ?? ''),
        size_bytes: num(x.size_bytes), format: String(x.format ?? ''), encoding: (x.encoding as string) ?? null, delimiter: (x.delimiter as string) ?? null,
        sheet: (x.sheet as string) ?? null, rows_read: num(x.rows_read), rows_loaded: num(x.rows_loaded), rows_rejected: num(x.rows_rejected),
        mapping: (parseJson(x.mapping) ?? {}) as Record<string, string>, quality, target_table: (x.target_table as string) ?? null,
        status: String(x.status ?? ''), message: (x.message as string) ?? null, started_at: (x.started_at as string) ?? null,
        finished_at: (x.finished_at as string) ?? null, warnings,
      };
    });
  }

  async runSummary(runId?: number): Promise<T.RunSummary | null> {
    const r = this.reader();
    if (!(await r.tableExists('check_results'))) return null;
    const id = runId ?? numOrNull(await r.scalar('SELECT max(run_id) FROM check_results'));
    if (id === null) return null;
    const run = (await r.tableExists('analysis_runs'))
      ? await r.one<Record<string, unknown>>(`SELECT CAST(started_at AS VARCHAR) AS started_at, CAST(finished_at AS VARCHAR) AS finished_at, status FROM analysis_runs WHERE run_id = $r`, { r: id })
      : undefined;
    const rows = await r.all<Record<string, unknown>>(`SELECT run_id, check_id, family, evaluated, records, recipients, amount, extra::VARCHAR AS extra, ms FROM check_results WHERE run_id = $r ORDER BY check_id`, { r: id });
    const checks: T.CheckResult[] = rows.map((x) => ({
      run_id: num(x.run_id), check_id: String(x.check_id), family: String(x.family ?? ''), evaluated: !!x.evaluated,
      records: num(x.records), recipients: num(x.recipients), amount: num(x.amount), extra: parseJson(x.extra) as Record<string, unknown> | null, ms: numOrNull(x.ms),
    }));
    let potential_loss = { records: 0, recipients: 0, amount: 0 };
    try {
      const s = (await modules.checks().buildSummary(r));
      potential_loss = s.potential_loss;
    } catch { /* summary not available: leave zeros */ }
    return {
      run_id: id, started_at: String(run?.started_at ?? ''), finished_at: (run?.finished_at as string) ?? null,
      status: String(run?.status ?? 'completed'), checks, potential_loss,
    };
  }

  async settings(): Promise<T.Settings> {
    const prefs = this.state.prefs();
    const rulesMod = modules.rules();
    const r = this.ws ? this.reader() : null;
    const rules = r ? await rulesMod.effectiveRules(r) : rulesMod.defaultRules();
    let event_dates: T.Settings['event_dates'] = [];
    let spike_z = 3.5;
    if (r) {
      const ev = await r.scalar<string>(`SELECT value::VARCHAR FROM settings WHERE key = 'event_dates'`);
      if (ev) event_dates = parseJson(ev) as T.Settings['event_dates'];
      const z = await r.scalar<string>(`SELECT value::VARCHAR FROM settings WHERE key = 'spike_z'`);
      if (z) spike_z = Number(parseJson(z));
    }
    return {
      language: prefs.language, masking_default: prefs.masking_default, reviewer: prefs.reviewer,
      programme_rules: rules.programmes as Record<string, T.ProgrammeRule>,
      thresholds: { ...rules.thresholds, spike_z },
      event_dates,
    };
  }

  private async exportView(a: CallArgs<'exportTable'>, ctx: TaskContext): Promise<T.FileWritten> {
    const r = this.reader();
    const q = a.sql ? await modules.sqlquery().prepareQuery(r, a.sql) : null;
    const all = q
      ? (await r.all<{ column_name: string; column_type: string }>(`DESCRIBE ${q.sql}`)).map((c) => ({ name: c.column_name, type: c.column_type }))
      : await sourceColumns(r, a.table);
    const fromSrc = q ? `(${q.sql}) AS src` : fromClause(a.table);
    const mask = await this.masking(a.mask);
    // CSV: masked inside DuckDB's COPY (tl_mask); xlsx: every cell passes the workbook writer's masking gate anyway.
    const v = buildView(all, a, { mask: mask && a.format === 'csv', wire: false });
    const out = await this.checkOut(a.out, `.${a.format}`, a.confirm_outside);
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
      this.state.exportStarted(part);
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
        this.state.exportEnded(part);
        await r.run(`DROP TABLE IF EXISTS ${ident(tmp)}`).catch(() => undefined);
      }
    } else {
      this.state.exportStarted(`${out}.tmp`);
      const book = new ReportBook(out, { maskNik: mask, signal: ctx.signal, onProgress: (p) => ctx.progress({ phase: 'export', done: p.rows, total }) });
      try {
        await writeQueryTable(book, r, a.table.replace(/[^A-Za-z0-9_]/g, '_').slice(0, 25) || 'data', select, v.params);
        await book.finish();
      } catch (e) {
        await book.abort().catch(() => undefined);
        throw e;
      } finally {
        this.state.exportEnded(`${out}.tmp`);
      }
    }
    ctx.progress({ phase: 'export', done: total, total });
    await this.trail('export.table', { table: q ? null : a.table, ...(q ? { sql: q.sql, tables: q.tables } : {}), format: a.format, out, filter: a.filter ?? [], search: a.search ?? null, sort: a.sort ?? [], mask }, { rows: total });
    this.written.add(out);
    return { path: out, bytes: statSync(out).size, rows: total };
  }

  async dashboard(): Promise<T.Dashboard> {
    const r = this.reader();
    const settings = await this.settings();
    const has = async (t: string) => r.tableExists(t);
    const run = await this.runSummary();
    const paid = (await has('disbursements'))
      ? await r.one<{ amount: number; records: number; recipients: number }>(`SELECT coalesce(sum(amount), 0)::DOUBLE AS amount, count(*) AS records, count(DISTINCT nik) AS recipients FROM disbursements WHERE status = 'PAID'`)
      : undefined;
    let summary: T.Summary | null = null;
    if (run) { try { summary = (await modules.checks().buildSummary(r)); } catch { summary = null; } }
    const defs = modules.checksOptional()?.CHECKS as readonly CheckDef[] | undefined;
    const title = (id: string) => defs?.find((d) => d.id === id)?.title.id ?? id;
    const lossIds = new Set((defs ?? []).filter((d) => d.potentialLoss).map((d) => d.id));
    const loss_by_check = (run?.checks ?? []).filter((c) => c.evaluated && (lossIds.size === 0 || lossIds.has(c.check_id)))
      .map((c) => ({ check_id: c.check_id, title_id: title(c.check_id), records: c.records, recipients: c.recipients, amount: c.amount }))
      .sort((x, y) => y.amount - x.amount);
    // programmes not evaluated (no registry) carry no figures
    const targeting = Object.entries(summary?.targeting ?? {}).flatMap(([program, f]) => (f.evaluated ? [{ program, ...f, target_households: f.target_households ?? 0 }] : []));
    // Overall inclusion/exclusion: beneficiary-weighted over programmes with a target set.
    let inc: number | null = null;
    let exc: number | null = null;
    {
      const withInc = targeting.filter((t) => t.inclusion_error !== null && t.beneficiary_households > 0);
      const wB = withInc.reduce((s, t) => s + t.beneficiary_households, 0);
      if (wB > 0) inc = withInc.reduce((s, t) => s + (t.inclusion_error as number) * t.beneficiary_households, 0) / wB;
      const withExc = targeting.filter((t) => t.exclusion_error !== null && t.target_households > 0);
      const wT = withExc.reduce((s, t) => s + t.target_households, 0);
      if (wT > 0) exc = withExc.reduce((s, t) => s + (t.exclusion_error as number) * t.target_households, 0) / wT;
    }
    let incidence_by_desil: T.Dashboard['incidence_by_desil'] = [];
    if ((await has('disbursements')) && (await has('registry'))) {
      const rows = await r.all<{ desil: number | null; households: number; records: number; amount: number }>(
        `SELECT desil, count(DISTINCT household_key) AS households, count(*) AS records, coalesce(sum(amount), 0)::DOUBLE AS amount
         FROM (${VIRTUAL_TABLES.disbursements_enriched.sql}) WHERE status = 'PAID' GROUP BY desil ORDER BY desil NULLS LAST`);
      const tot = rows.reduce((s, x) => s + num(x.amount), 0);
      incidence_by_desil = rows.map((x) => ({ desil: numOrNull(x.desil), households: num(x.households), records: num(x.records), amount: num(x.amount), share: tot ? num(x.amount) / tot : 0 }));
    }
    let absorption_by_region: T.Dashboard['absorption_by_region'] = [];
    if (await has('budget')) {
      const rows = await r.all<{ region_code: string; allocation: number; realization: number; region_name: string | null }>(
        `SELECT coalesce(b.region_code, '') AS region_code, max(rr.name) AS region_name,
           coalesce(sum(b.allocation), 0)::DOUBLE AS allocation, coalesce(sum(b.realization), 0)::DOUBLE AS realization
         FROM budget b LEFT JOIN ref_regions rr ON rr.code = b.region_code GROUP BY 1`);
      absorption_by_region = rows.map((x) => ({ region_code: x.region_code, region_name: x.region_name ?? null, allocation: num(x.allocation), realization: num(x.realization), absorption: num(x.allocation) ? num(x.realization) / num(x.allocation) : null }))
        .sort((x, y) => (y.absorption ?? -1) - (x.absorption ?? -1));
    }
    let monthly: T.Dashboard['monthly'] = [];
    if (await has('disbursements')) {
      // Oversight module: per-month paid amount and new recipients, robust z (median/MAD), events within ±30 days.
      const timing = await disbursementTiming(r, { events: settings.event_dates, threshold: settings.thresholds.spike_z });
      monthly = timing.rows.filter((x) => x.region === '*').map((x) => ({
        month: x.month, amount: num(x.amount), records: num(x.records), new_recipients: num(x.new_recipients),
        z: x.z_amount, spike: x.spike_amount, spike_new: x.spike_new, events: x.events,
      }));
    }
    // Potential loss as found and after review (cleared exceptions leave it, confirmed ones are counted apart).
    let reviewed: T.Dashboard['headline']['potential_loss_reviewed'] = null;
    if (run && (await has('potential_loss'))) {
      const lr = (await has('reviews')) ? `(${modules.findings().LATEST_REVIEW_SQL})`
        : `(SELECT NULL::VARCHAR AS check_id, NULL::BIGINT AS rec_id, NULL::VARCHAR AS status WHERE FALSE)`;
      const x = await r.one<{ kr: unknown; ka: unknown; cr: unknown; ca: unknown }>(`
        WITH p AS (SELECT rec_id, amount, unnest(checks) AS check_id FROM potential_loss),
        s AS (SELECT p.rec_id, any_value(p.amount) AS amount, bool_or(coalesce(lr.status, 'open') <> 'cleared') AS kept, bool_or(lr.status = 'confirmed') AS confirmed
              FROM p LEFT JOIN ${lr} lr ON lr.check_id = p.check_id AND lr.rec_id = CAST(p.rec_id AS BIGINT) GROUP BY p.rec_id)
        SELECT count(*) FILTER (WHERE kept) AS kr, coalesce(sum(amount) FILTER (WHERE kept), 0)::DOUBLE AS ka,
               count(*) FILTER (WHERE confirmed) AS cr, coalesce(sum(amount) FILTER (WHERE confirmed), 0)::DOUBLE AS ca FROM s`).catch(() => undefined);
      if (x) reviewed = { after_review: { records: num(x.kr), amount: num(x.ka) }, confirmed: { records: num(x.cr), amount: num(x.ca) } };
    }
    return {
      run_id: run?.run_id ?? null,
      headline: {
        potential_loss_reviewed: reviewed,
        total_disbursed: num(paid?.amount), paid_records: num(paid?.records), recipients: num(paid?.recipients),
        potential_loss: summary?.potential_loss ?? run?.potential_loss ?? { records: 0, recipients: 0, amount: 0 },
        inclusion_error: inc, exclusion_error: exc,
      },
      loss_by_check, targeting, incidence_by_desil, absorption_by_region, monthly, event_dates: settings.event_dates,
    };
  }
}



function maskRow(row: Record<string, unknown>, masked: boolean): Record<string, unknown> {
  const o: Record<string, unknown> = {};
  const flat: [string, unknown][] = [];
  for (const [k, v] of Object.entries(row)) {
    // Nested objects (duplicate-group keys, fuzzy blocks) become columns of their own for the grid.
    if (v && typeof v === 'object' && !Array.isArray(v) && !(v instanceof Date) && Object.getPrototypeOf(v) === Object.prototype) {
      for (const [sk, sv] of Object.entries(v as Record<string, unknown>)) flat.push([k === 'keys' ? sk : `${k}_${sk}`, sv]);
    } else flat.push([k, v]);
  }
  for (const [k, v] of flat) {
    const pv = plainValue(v);
    o[k] = masked ? maskValue(pv, k) : pv;
  }
  return o;
}

/** The one masking function (src/shared/masking.ts), deeply: every string by content, identifier columns by name. */
const deepMask = (v: unknown): unknown => maskDeep(v);

function toolResult(masked: boolean, tool: string, table: string, title: string, data: unknown, rows: unknown[], resultTable: string | null): T.ToolResult {
  const plain = (rows as Record<string, unknown>[]).slice(0, 5000).map((r) => (r && typeof r === 'object' ? maskRow(r, masked) : { value: r }))
    .map((r) => (masked ? (deepMask(r) as Record<string, unknown>) : r));
  const columns = plain.length ? Object.keys(plain[0]).map((name) => ({ name, type: typeof plain[0][name] === 'number' ? 'DOUBLE' : 'VARCHAR' })) : [];
  const summary: Record<string, unknown> = {};
  if (data && typeof data === 'object') {
    for (const [k, v] of Object.entries(data as Record<string, unknown>)) if (v === null || typeof v !== 'object') summary[k] = plainValue(v);
  }
  const notes = data && typeof data === 'object' && Array.isArray((data as { notes?: unknown }).notes) ? ((data as { notes: string[] }).notes) : [];
  const plainData = JSON.parse(JSON.stringify(data, (_k, v) => (typeof v === 'bigint' ? Number(v) : v)));
  return { tool, table, title, summary, columns, rows: plain, result_table: resultTable, notes, data: masked ? deepMask(plainData) : plainData };
}

export function createEngineService(opts: ServiceOptions): EngineService {
  return new EngineService(opts);
}

/** Writes a file atomically-ish for uploads (browser mode). */
export function saveUpload(state: UserState, name: string, bytes: Uint8Array): string {
  const safe = basename(name).replace(/[^A-Za-z0-9._ -]/g, '_').slice(0, 120) || 'upload';
  const dir = join(state.uploadsDir(), new Date().toISOString().replace(/[-:.]/g, '').slice(0, 15));
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const p = join(dir, safe);
  writeFileSync(p, bytes, { mode: 0o600 });
  return p;
}

const KIND_LABELS: Record<string, { id: string; en: string }> = {
  registry: { id: 'Registri (DTKS/DTSEN)', en: 'Registry (DTKS/DTSEN)' },
  disbursements: { id: 'Penyaluran', en: 'Disbursements' },
  budget: { id: 'Anggaran (pagu/realisasi)', en: 'Budget (allocation/realisation)' },
  deaths: { id: 'Data kematian (Dukcapil)', en: 'Deaths (Dukcapil)' },
  civil_servants: { id: 'ASN/TNI/Polri', en: 'Civil servants' },
  complaints: { id: 'Pengaduan', en: 'Complaints' },
  flags: { id: 'Daftar pembanding (mis. pekerja di atas UMR, pemilik kendaraan)', en: 'Comparison lists (e.g. wage earners, vehicle owners)' },
  other: { id: 'Lainnya (data sektoral)', en: 'Other (sectoral data)' },
};

/** The latest run's stored result of an indicator (indicator_results), or undefined before any run. */
async function latestIndicator(ws: Workspace, id: string): Promise<{ run_id: number; result: Record<string, unknown>; params: unknown } | undefined> {
  if (!(await ws.tableExists('indicator_results'))) return undefined;
  const r = await ws.one<{ run_id: number; result: string; params: string }>(
    `SELECT run_id, result::VARCHAR AS result, params::VARCHAR AS params FROM indicator_results WHERE indicator_id = $id ORDER BY run_id DESC LIMIT 1`, { id });
  if (!r) return undefined;
  return { run_id: Number(r.run_id), result: parseJson(r.result) as Record<string, unknown>, params: parseJson(r.params) };
}

function toFindingSummary(f: FindingRow): T.FindingSummary {
  const def = modules.checks().getCheck(f.check_id);
  return {
    check_id: f.check_id, title_id: f.title || def?.title.id || f.check_id, title_en: def?.title.en ?? f.check_id, family: def?.family ?? '',
    records: num(f.records), recipients: num(f.recipients), amount: num(f.amount), in_potential_loss: !!f.potential_loss,
    reviews: { confirmed: num(f.reviews?.confirmed), cleared: num(f.reviews?.cleared), open: num(f.reviews?.open) },
  };
}

function toFinding(f: FindingRow): T.Finding {
  return {
    ...toFindingSummary(f),
    kondisi: f.kondisi ?? '', kriteria: f.kriteria ?? '', sebab: f.sebab ?? '', akibat: f.akibat ?? '', rekomendasi: f.rekomendasi ?? '', tanggapan: f.tanggapan ?? '',
    updated_at: f.updated_at ?? null, criteria_refs: f.criteria_refs ?? [],
  };
}

/** Sorted views of at least this many rows are paged through a position index instead of LIMIT/OFFSET. */
const POSITION_INDEX_MIN_ROWS = 20_000;

