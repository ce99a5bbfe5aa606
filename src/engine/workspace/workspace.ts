import { DuckDBConnection, DuckDBInstance, DuckDBScalarFunction, VARCHAR, type DuckDBValue } from '@duckdb/node-api';
import { maskAccountText, maskText } from '../../shared/masking';
import { ServiceError } from '../../shared/result';
import { accessSync, constants, existsSync, readFileSync, readdirSync, chmodSync, realpathSync, statSync, unlinkSync } from 'node:fs';
import { totalmem, userInfo } from 'node:os';
import { basename, dirname, join, resolve } from 'node:path';
import { TelisikError } from '../../shared/errors';
import { reasonMacroSql } from '../../shared/reasons';
import { callSignal, guardStatement, statementHead } from './cancel';

export const SCHEMA_VERSION = 1;

export interface EngagementMeta {
  name: string;
  entity?: string;
  period?: string;
  team?: string;
}

export type Params = DuckDBValue[] | Record<string, DuckDBValue>;
export type Row = Record<string, unknown>;

/**
 * DuckDB's memory limit for every workspace this process opens: TELISIK_MEMORY_LIMIT (e.g. "2GB"; the CLI sets it
 * from --memory-limit). Unset: the product default, an eighth of the machine's RAM between 1 and 3 GiB — DuckDB's own
 * default (80% of RAM) would push everything else on an auditor's 8–16 GB laptop into swap. Past the limit DuckDB
 * spills to `<workspace>.tmp` (measured at 10M + 5M rows on 24 GB: 80% of RAM peaked at 8.4 GB RSS, 3GB at 3.9 GB,
 * 2GB at 3.3 GB for ≈ 17% more time; docs/scaling.md). `TELISIK_MEMORY_LIMIT=duckdb` restores DuckDB's default.
 */
import { isMemoryLimit } from '../../shared/types';
export { isMemoryLimit };

/** The product default: RAM / 8, at least 1 GiB, at most 3 GiB (given to DuckDB in decimal MB). */
export function defaultMemoryLimit(totalBytes = totalmem()): string {
  const bytes = Math.min(3 * 1024 ** 3, Math.max(1024 ** 3, totalBytes / 8));
  return `${Math.floor(bytes / 1e6)}MB`;
}

export function memoryLimit(): string | undefined {
  const v = process.env.TELISIK_MEMORY_LIMIT?.trim();
  if (!v) return defaultMemoryLimit();
  if (v.toLowerCase() === 'duckdb') return undefined;
  if (!isMemoryLimit(v)) {
    throw new WorkspaceError('invalid', `Batas memori tidak sah: "${v}" — contoh 2GB atau 512MB (invalid memory limit TELISIK_MEMORY_LIMIT / --memory-limit; e.g. 2GB)`);
  }
  return v;
}

/**
 * DuckDB's worker threads for every workspace this process opens: TELISIK_THREADS (a whole number ≥ 1). Unset: DuckDB's
 * own default (one per core). The test suite sets 1 (vitest.config.mts): its data are a few hundred rows, two test
 * files already run side by side on two cores, and a second thread per instance only adds scheduling (measured: an
 * import + full audit of a 400-household demo took 20–30% less CPU with one thread on a busy 2-core machine).
 */
export function threadLimit(): number | undefined {
  const v = process.env.TELISIK_THREADS?.trim();
  if (!v) return undefined;
  if (!/^[1-9]\d{0,3}$/.test(v)) {
    throw new WorkspaceError('invalid', `Jumlah thread tidak sah: "${v}" — contoh 1 atau 4 (invalid TELISIK_THREADS; a whole number ≥ 1)`);
  }
  return Number(v);
}

/**
 * Opening or creating a workspace failed: `reason` says why; the contract code follows from it. The reason code
 * (params.reason workspace_*, with the file) is rendered by the UI in its language — except 'invalid' (DuckDB could
 * not open the file, a bad memory limit), which keeps DuckDB's words for the UI's message rules.
 */
export class WorkspaceError extends TelisikError {
  constructor(readonly reason: 'in_use' | 'not_found' | 'exists' | 'schema' | 'invalid', message: string, readonly path?: string) {
    super(reason === 'schema' || reason === 'invalid' ? 'invalid_input' : reason, message,
      reason === 'invalid' || path === undefined ? undefined : { reason: `workspace_${reason}`, file: basename(path), path });
  }
}

const schemaSql = readFileSync(join(__dirname, 'schema.sql'), 'utf8');
// The workspace macros plus reason_text (generated from the reason catalogue, src/shared/reasons.ts).
const macrosSql = readFileSync(join(__dirname, 'macros.sql'), 'utf8') + '\n' + reasonMacroSql();

/** Converts DuckDB JS values into plain JSON-friendly values: safe bigints to numbers, DATE to 'YYYY-MM-DD'. */
export function plainValue(v: unknown): unknown {
  if (typeof v === 'bigint') return v >= BigInt(Number.MIN_SAFE_INTEGER) && v <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(v) : v.toString();
  if (v instanceof Date) {
    const iso = v.toISOString();
    return iso.endsWith('T00:00:00.000Z') ? iso.slice(0, 10) : iso.replace('T', ' ').replace(/\.000Z$/, '');
  }
  if (Array.isArray(v)) return v.map(plainValue);
  return v;
}

export function currentActor(): string {
  try { return userInfo().username; } catch { return process.env.USER ?? 'unknown'; }
}

/**
 * Workspaces open in this process, by file identity (device + inode; the real path while the file does not exist
 * yet). DuckDB's file lock only stops other processes: a second DuckDBInstance on the same file in the same process
 * opens without error and the two then overwrite each other's checkpoints — through a hard link or another path just
 * as through the same string (issue 14). So a second open here is refused as 'in_use', like another process would be.
 */
const OPEN = new Map<string, Workspace>();

function realKey(abs: string): string {
  try { return realpathSync(abs); } catch { /* not created yet */ }
  try { return join(realpathSync(dirname(abs)), basename(abs)); } catch { return abs; }
}

/** The identity of a workspace file: `dev:ino` when it exists, else `path:<real path>`. */
export function fileIdentity(path: string): string {
  const abs = resolve(path);
  try {
    const st = statSync(abs);
    return `${st.dev}:${st.ino}`;
  } catch { return `path:${realKey(abs)}`; }
}

/** True when two paths name the same file (hard link, symlink, `..`, another mount of the same inode). */
export function sameFile(a: string, b: string): boolean {
  return fileIdentity(a) === fileIdentity(b);
}

/**
 * One engagement (penugasan) = one DuckDB file. The Workspace owns the instance and one connection; every engine
 * module works through it. Owner-only file permissions: the data is personal data (UU PDP 27/2022).
 */
export class Workspace {
  protected constructor(
    readonly path: string,
    readonly instance: DuckDBInstance,
    readonly conn: DuckDBConnection,
  ) {}

  /**
   * Catalog answers (does a table exist, what are its columns) are asked over and over — ~20 times per analysis run,
   * hundreds of times per screen visit — and each scan of duckdb_tables() or information_schema costs 1.5–8 ms. This
   * connection keeps its answers until a statement that may change the catalog runs on any connection of the
   * instance: such a statement moves the shared generation before it starts and again when it ends, so an answer read
   * while it ran is not kept past it. The read side shares the owner's generation (WorkspaceReader).
   */
  protected catalog: { generation: number } = { generation: 0 };
  private tablesCache?: { generation: number; names: TableNames };
  private tablesLoading?: { generation: number; promise: Promise<TableNames> };
  private readonly columnsCache = new Map<string, { generation: number; columns: { name: string; type: string }[] }>();

  /** Runs a statement's promise, moving the catalog generation around it when the statement may change the catalog. */
  protected tracked<T>(sql: string, run: () => Promise<T>): Promise<T> {
    if (!mayChangeCatalog(sql)) return run();
    this.catalog.generation++;
    return run().finally(() => { this.catalog.generation++; });
  }

  static async create(path: string, meta: EngagementMeta): Promise<Workspace> {
    const abs = resolve(path);
    if (existsSync(abs)) throw new WorkspaceError('exists', `Workspace already exists: ${abs}`, abs);
    const ws = await Workspace.connect(abs);
    await ws.run(schemaSql);
    await ws.run(`INSERT INTO meta VALUES ('schema_version', $v), ('app', 'telisik') ON CONFLICT DO NOTHING`, { v: String(SCHEMA_VERSION) });
    await ws.run(`INSERT INTO engagement VALUES ($name, $entity, $period, $team, now()::TIMESTAMP, NULL)`, {
      name: meta.name, entity: meta.entity ?? null, period: meta.period ?? null, team: meta.team ?? null,
    });
    await ws.run('CHECKPOINT');
    try { chmodSync(abs, 0o600); } catch { /* not fatal on filesystems without modes */ }
    return ws;
  }

  /**
   * Opens a workspace. A file (or folder) that cannot be written — an archived copy on read-only media, `chmod a-w` —
   * is opened read-only (verify, tables and every read work; writes fail). Otherwise the stale leftovers of a killed
   * process are removed first: DuckDB spill files in `<workspace>.tmp/` and the `.tmp` of exports that never ended.
   * `readOnly: true` forces DuckDB's READ_ONLY access mode (verification).
   */
  static async open(path: string, opts: { readOnly?: boolean } = {}): Promise<Workspace> {
    const abs = resolve(path);
    if (!existsSync(abs)) throw new WorkspaceError('not_found', `Workspace not found: ${abs}`, abs);
    const readOnly = opts.readOnly ?? !writable(abs);
    const ws = await Workspace.connect(abs, readOnly);
    const v = await ws.all<{ value: string }>(`SELECT value FROM meta WHERE key = 'schema_version'`).catch(() => []);
    if (v.length === 0) { await ws.close(); throw new WorkspaceError('schema', `${abs} is not a Telisik workspace`, abs); }
    if (Number(v[0].value) > SCHEMA_VERSION) {
      await ws.close();
      throw new WorkspaceError('schema', `${abs} has schema version ${v[0].value}; this Telisik supports ${SCHEMA_VERSION}`, abs);
    }
    if (readOnly) return ws;
    await ws.run(schemaSql); // idempotent: adds tables introduced since the file was made
    // An import that was running when the process died never committed its rows; say so in the log.
    await ws.run(`UPDATE import_log SET status = 'incomplete', message = 'Import tidak selesai (proses berhenti sebelum commit)' WHERE status = 'started'`);
    // ... and the direct reader's stage of that import (a scratch table in the workspace until its transaction)
    // (One read of the catalog answers this and the analysis_runs question below.)
    for (const t of [...(await ws.tableNames()).own].filter((n) => /^_stg_[0-9]+$/.test(n))) {
      await ws.run(`DROP TABLE IF EXISTS "${t}"`);
    }
    // Likewise an analysis run announced but never committed (runChecks writes its 'started' row first).
    if (await ws.tableExists('analysis_runs')) await ws.run(`UPDATE analysis_runs SET status = 'incomplete' WHERE status = 'started'`);
    await ws.removeStaleExports();
    return ws;
  }

  /** True when opened read-only (an archived copy). */
  readOnly = false;

  /**
   * Exports in flight are journalled in the workspace (meta 'export_pending:<tmp>'): a process killed mid-export
   * (a CLI `report` under SIGKILL) leaves its unmasked `.tmp` behind; the next open of the workspace removes it.
   */
  async exportBegin(tmp: string): Promise<void> {
    if (this.readOnly) return;
    await this.run(`INSERT OR REPLACE INTO meta VALUES ('export_pending:' || $p, $p)`, { p: tmp }).catch(() => undefined);
  }

  async exportEnd(tmp: string): Promise<void> {
    if (this.readOnly) return;
    await this.run(`DELETE FROM meta WHERE key = 'export_pending:' || $p`, { p: tmp }).catch(() => undefined);
  }

  /** Removes the `.tmp` files of exports that never ended; answers their paths. */
  async removeStaleExports(): Promise<string[]> {
    const rows = await this.all<{ value: string }>(`SELECT value FROM meta WHERE key LIKE 'export_pending:%'`).catch(() => []);
    const removed: string[] = [];
    for (const { value } of rows) {
      try { if (value.endsWith('.tmp') && existsSync(value) && statSync(value).isFile()) { unlinkSync(value); removed.push(value); } } catch { /* best effort */ }
    }
    if (rows.length) await this.run(`DELETE FROM meta WHERE key LIKE 'export_pending:%'`).catch(() => undefined);
    return removed;
  }

  /** Opens the workspace if it exists, else creates it. */
  static async openOrCreate(path: string, meta: EngagementMeta): Promise<Workspace> {
    return existsSync(resolve(path)) ? Workspace.open(path) : Workspace.create(path, meta);
  }

  private static async connect(abs: string, readOnly = false): Promise<Workspace> {
    const limit = memoryLimit(); // a bad TELISIK_MEMORY_LIMIT is refused before the file is touched
    const threads = threadLimit(); // so is a bad TELISIK_THREADS
    const before = fileIdentity(abs);
    if (OPEN.has(before)) throw new WorkspaceError('in_use', `Workspace sedang dipakai (in use) — sudah terbuka di proses ini (already open in this process, maybe under another path): ${abs}`, abs);
    if (!readOnly) ownerOnlyFiles(abs);
    let instance: DuckDBInstance;
    try {
      instance = await DuckDBInstance.create(abs, {
        temp_directory: `${abs}.tmp`, ...(limit ? { memory_limit: limit } : {}), ...(threads ? { threads: String(threads) } : {}),
        ...(readOnly ? { access_mode: 'READ_ONLY' } : {}),
      });
    } catch (e) {
      const msg = String((e as Error).message ?? e);
      if (/lock/i.test(msg)) throw new WorkspaceError('in_use', `Workspace sedang dipakai proses lain (in use): ${abs}`, abs);
      throw new WorkspaceError('invalid', `Cannot open workspace ${abs}: ${msg}`, abs);
    }
    // DuckDB holds the file lock now: spill files in the temp folder belong to a process that died (this instance has
    // spilled nothing yet). Their descriptors closed with that process; the files themselves are removed here.
    if (!readOnly) removeSpillFiles(`${abs}.tmp`);
    const conn = await instance.connect();
    await conn.run(macrosSql);
    registerMaskFunctions(conn);
    const ws = new Workspace(abs, instance, conn);
    ws.readOnly = readOnly;
    // Registered by the identity the file has now (a new workspace got its inode from DuckDB just above).
    const key = fileIdentity(abs);
    if (OPEN.has(key)) {
      try { conn.closeSync(); instance.closeSync(); } catch { /* closing */ }
      throw new WorkspaceError('in_use', `Workspace sedang dipakai (in use) — sudah terbuka di proses ini: ${abs}`, abs);
    }
    ws.openKey = key;
    OPEN.set(key, ws);
    return ws;
  }

  /** Registry key while open (unset on views that share this instance, e.g. the service's read connection). */
  private openKey?: string;

  /**
   * Every statement of this workspace passes here with its SQL text. The write side runs it on its connection as it
   * comes (the service's write queue orders its callers); a read side (WorkspaceReader) queues it and refuses writes.
   */
  withConnection<T>(sql: string, fn: (conn: DuckDBConnection) => Promise<T>): Promise<T> {
    // A cancellable call's statement obeys its cancel (./cancel.ts); any other runs as it is.
    return this.tracked(sql, () => guardStatement(this.conn, sql, () => fn(this.conn)));
  }

  /** A read connection on this workspace's DuckDB instance: reads while the write connection is busy (a task). */
  async openReader(): Promise<WorkspaceReader> {
    return new WorkspaceReader(this, await this.instance.connect());
  }

  async run(sql: string, params?: Params): Promise<void> {
    await this.withConnection(sql, (c) => c.run(sql, params));
  }

  async all<T = Row>(sql: string, params?: Params): Promise<T[]> {
    const reader = await this.withConnection(sql, (c) => c.runAndReadAll(sql, params));
    return reader.getRowObjectsJS().map((r) => {
      const o: Row = {};
      for (const [k, v] of Object.entries(r)) o[k] = plainValue(v);
      return o as T;
    });
  }

  async one<T = Row>(sql: string, params?: Params): Promise<T | undefined> {
    return (await this.all<T>(sql, params))[0];
  }

  async scalar<T = unknown>(sql: string, params?: Params): Promise<T> {
    const row = await this.one<Row>(sql, params);
    return (row ? Object.values(row)[0] : undefined) as T;
  }

  /** Runs fn inside BEGIN/COMMIT; any throw rolls back, so a failed or cancelled step leaves the workspace as before. */
  async transaction<T>(fn: () => Promise<T>): Promise<T> {
    await this.run('BEGIN TRANSACTION');
    try {
      const out = await fn();
      await this.run('COMMIT');
      return out;
    } catch (e) {
      await this.run('ROLLBACK').catch(() => undefined);
      throw e;
    }
  }

  /** True when a table (not a view, not a TEMP table) of this name exists in any attached database. */
  async tableExists(name: string): Promise<boolean> {
    return (await this.tableNames()).all.has(name);
  }

  /**
   * What the cached catalog already knows of a table of this workspace's own database — undefined when knowing would
   * take a read (the catalog changed since the last one). For a check cheaper to do than to ask about.
   */
  knownOwnTable(name: string): boolean | undefined {
    return this.tablesCache?.generation === this.catalog.generation ? this.tablesCache.names.own.has(name) : undefined;
  }

  /** The non-temporary tables' names, read once per catalog generation (concurrent askers share the read). */
  private async tableNames(): Promise<TableNames> {
    const generation = this.catalog.generation;
    if (this.tablesCache?.generation === generation) return this.tablesCache.names;
    const loading = this.tablesLoading?.generation === generation ? this.tablesLoading.promise : undefined;
    if (loading) {
      try { return await loading; } catch { /* that caller's read was cancelled or failed: read for this one */ }
    }
    // The rows as they are, folded here: a GROUP BY makes DuckDB build a hash table of 262,144 slots (its size for
    // one or two threads) and zero it — 6–12 ms per read against 2–4 ms without, and this read follows every DDL.
    const promise = this.all<{ t: string; own: boolean }>(
      `SELECT table_name AS t, database_name = current_database() AS own FROM duckdb_tables() WHERE NOT temporary`)
      .then((rows) => {
        const names: TableNames = { all: new Set(rows.map((r) => r.t)), own: new Set(rows.filter((r) => r.own).map((r) => r.t)) };
        if (!this.tablesCache || this.tablesCache.generation <= generation) this.tablesCache = { generation, names };
        return names;
      });
    if (!loading) {
      this.tablesLoading = { generation, promise };
      void promise.catch(() => undefined).finally(() => { if (this.tablesLoading?.promise === promise) this.tablesLoading = undefined; });
    }
    return promise;
  }

  /**
   * The columns (name, type) of the table or view named `table` in this workspace's own database (schema main), in
   * order; a TEMP table of that name when the database has none. Empty when there is neither. Read once per catalog
   * generation by preparing `SELECT * FROM <database>.main.<table>` — bound, never run: 0.5 ms, where a read of
   * duckdb_columns() (every column of every table) took 3.5 ms, 11 ms as the first statement after an open — and
   * each call gets its own copy. Types read as duckdb_columns() writes them, JSON included (an alias of VARCHAR).
   */
  async columns(table: string): Promise<{ name: string; type: string }[]> {
    const generation = this.catalog.generation;
    let hit = this.columnsCache.get(table);
    if (hit?.generation !== generation) {
      let columns: { name: string; type: string }[];
      try {
        columns = (await this.boundColumns(`${ident(await this.databaseName())}.main.${ident(table)}`, table))
          ?? (await this.boundColumns(`temp.main.${ident(table)}`, table)) ?? [];
      } catch {
        // A view that cannot be bound now (its source file gone, a table it reads dropped): the catalog keeps its columns.
        columns = await this.catalogColumns(table);
      }
      hit = { generation, columns };
      if (this.columnsCache.size > 500) this.columnsCache.clear();
      this.columnsCache.set(table, hit);
    }
    return hit.columns.map((c) => ({ ...c }));
  }

  /** The columns of a relation by binding a query over it (nothing runs); undefined when the catalog has no `name`. */
  private async boundColumns(relation: string, name: string): Promise<{ name: string; type: string }[] | undefined> {
    const sql = `SELECT * FROM ${relation} LIMIT 0`;
    try {
      return await this.withConnection(sql, async (c) => {
        const p = await c.prepare(sql);
        try {
          return Array.from({ length: p.columnCount }, (_, i) => {
            const t = p.columnType(i);
            return { name: p.columnName(i), type: t.alias ?? t.toString() };
          });
        } finally { p.destroySync(); }
      });
    } catch (e) {
      const missing = /^Catalog Error: Table with name (.*) does not exist!/.exec(String((e as Error).message ?? e));
      if (missing?.[1] === name) return undefined;
      throw e;
    }
  }

  /** The columns as the catalog lists them (a view's included when it cannot be bound). */
  private async catalogColumns(table: string): Promise<{ name: string; type: string }[]> {
    const rows = await this.all<{ own: boolean; name: string; type: string }>(
      `SELECT database_name = current_database() AS own, column_name AS name, data_type AS type FROM duckdb_columns()
       WHERE schema_name = 'main' AND table_name = $t AND database_name IN (current_database(), 'temp') ORDER BY column_index`,
      { t: table });
    const own = rows.filter((r) => r.own);
    return (own.length ? own : rows).map((r) => ({ name: r.name, type: r.type }));
  }

  /** This workspace's database name in DuckDB's catalog (the file's base name), read once. */
  private dbName?: string;
  protected async databaseName(): Promise<string> {
    return this.dbName ??= String(await this.scalar('SELECT current_database()'));
  }

  async engagement(): Promise<EngagementMeta & { created_at?: string }> {
    return (await this.one<EngagementMeta & { created_at?: string }>('SELECT * FROM engagement LIMIT 1')) ?? { name: '' };
  }

  actor(): string {
    return currentActor();
  }

  async close(): Promise<void> {
    try { if (!this.readOnly) await this.run('CHECKPOINT'); } catch { /* read-only or already closed */ }
    try {
      this.conn.closeSync();
      this.instance.closeSync();
    } finally {
      if (this.openKey && OPEN.get(this.openKey) === this) OPEN.delete(this.openKey);
    }
  }
}

interface TableNames { all: Set<string>; own: Set<string> }

/**
 * Statements that cannot change the catalog: queries, a plain EXPLAIN (EXPLAIN ANALYZE runs its statement), row
 * changes, COPY of a query. Anything else may — DDL, ATTACH, BEGIN/COMMIT/ROLLBACK (a rollback undoes DDL), PRAGMA,
 * a text holding more than one statement, a read_csv that stores its rejects (it creates tables).
 */
const CATALOG_SAFE = /^(SELECT|WITH|FROM|VALUES|DESCRIBE|SUMMARIZE|SHOW|EXPLAIN(?!\s+ANALY[SZ]E)|INSERT|UPDATE|DELETE|COPY\s*\()/i;
export function mayChangeCatalog(sql: string): boolean {
  const head = statementHead(sql);
  return !CATALOG_SAFE.test(head) || /;\s*\S/.test(head) || /store_rejects/i.test(head);
}

/** A statement the read side may run: queries, and scratch objects of its own connection (TEMP), file COPYs. */
const READ_STATEMENT = /^(SELECT|WITH|FROM|VALUES|DESCRIBE|SUMMARIZE|SHOW|EXPLAIN|PRAGMA\s+(table_info|show|database_size|storage_info)\b|COPY\s*\(|CREATE\s+(OR\s+REPLACE\s+)?TEMP(ORARY)?\s+(TABLE|VIEW)\s|DROP\s+(TABLE|VIEW)\s+(IF\s+EXISTS\s+)?temp\.)/i;
const CREATE_TEMP = /^CREATE\s+(?:OR\s+REPLACE\s+)?TEMP(?:ORARY)?\s+(?:TABLE|VIEW)\s+(?:IF\s+NOT\s+EXISTS\s+)?("(?:[^"]|"")+"|[\w$]+)/i;
const DROP_NAMED = /^DROP\s+(?:TABLE|VIEW)\s+(?:IF\s+EXISTS\s+)?("(?:[^"]|"")+"|[\w$]+)\s*;?\s*$/i;
const CHANGE_NAMED = /^(?:INSERT\s+(?:OR\s+(?:REPLACE|IGNORE)\s+)?INTO|DELETE\s+FROM|UPDATE)\s+("(?:[^"]|"")+"|[\w$]+)[\s(]/i;

export class ReadOnlyConnectionError extends Error {}

/**
 * The read side of a workspace: a second connection on the same DuckDB instance, so grids, lists and profiles stay
 * live while a task holds the write connection. It is a Workspace for everything that reads (same methods, same
 * values) and refuses any statement that would change the workspace — those go through the service's write queue and
 * the trail. It may keep scratch objects of its own connection (TEMP tables and views: position indexes, a view's
 * rows before a CSV COPY) and drop them again.
 *
 * One statement at a time: DuckDB invalidates a pending result when another query starts on the same connection,
 * and every concurrent UI call shares this connection. Results are materialised, so each statement holds the
 * connection only for its own run. Closed, it refuses new statements at once (a query on a closed connection would
 * never settle, and the calls queued behind it would wait forever).
 */
export class WorkspaceReader extends Workspace {
  private chain: Promise<unknown> = Promise.resolve();
  private closed = false;
  /** TEMP objects this connection created: the only tables it may fill, change or drop (by their bare name). */
  private readonly scratch = new Set<string>();

  constructor(readonly owner: Workspace, conn: DuckDBConnection) {
    super(owner.path, owner.instance, conn);
    // One catalog, one generation: a table the write side creates or drops ends this side's cached answers too.
    this.catalog = (owner as WorkspaceReader).catalog;
  }

  override async openReader(): Promise<WorkspaceReader> {
    return this.owner.openReader();
  }

  override withConnection<T>(sql: string, fn: (conn: DuckDBConnection) => Promise<T>): Promise<T> {
    // The call's signal is taken now: a statement cancelled while it waits for its turn never starts, and one that
    // runs is interrupted (./cancel.ts) — only this statement, since this connection runs one at a time.
    const signal = callSignal();
    const step = async (): Promise<T> => {
      if (this.closed) throw new ServiceError('no_workspace', 'Penugasan sudah ditutup (engagement closed).');
      this.admit(sql);
      return this.tracked(sql, () => guardStatement(this.conn, sql, () => fn(this.conn), signal));
    };
    const p = this.chain.then(step, step);
    this.chain = p.catch(() => undefined);
    return p;
  }

  /** Throws unless `sql` is one statement the read side may run; remembers the TEMP objects it creates. */
  private admit(sql: string): void {
    const head = statementHead(sql);
    const rest = head.replace(/;\s*$/, '');
    // One statement only: a `;` followed by more text (outside quotes) would smuggle a second one past the check.
    const bare = rest.replace(/'(?:[^']|'')*'|"(?:[^"]|"")*"/g, '').replace(/--[^\n]*/g, '').replace(/\/\*[\s\S]*?\*\//g, '');
    if (/;\s*\S/.test(bare)) throw new ReadOnlyConnectionError(`The read connection runs one statement at a time: ${head.slice(0, 80)}`);
    const created = CREATE_TEMP.exec(head);
    if (created) { this.scratch.add(created[1].replace(/^"|"$/g, '').replace(/""/g, '"')); return; }
    const named = DROP_NAMED.exec(head) ?? CHANGE_NAMED.exec(head);
    if (named && this.scratch.has(named[1].replace(/^"|"$/g, '').replace(/""/g, '"'))) return;
    if (!READ_STATEMENT.test(head)) {
      throw new ReadOnlyConnectionError(`Changes to the workspace go through the write queue, not the read connection: ${head.slice(0, 60)}`);
    }
  }

  override transaction<T>(_fn: () => Promise<T>): Promise<T> {
    return Promise.reject(new ReadOnlyConnectionError('The read connection has no write transactions'));
  }

  override async exportBegin(): Promise<void> { /* exports are journalled by the write side */ }
  override async exportEnd(): Promise<void> { /* idem */ }
  override async removeStaleExports(): Promise<string[]> { return []; }

  /** Interrupts the statement running on this connection (a guarded query over its time limit, a cancelled export). */
  interrupt(): void {
    try { this.conn.interrupt(); } catch { /* idle or closed */ }
  }

  /** Interrupts the running read, lets the queued ones fail fast, then closes this connection (never the instance). */
  override async close(): Promise<void> {
    this.closed = true;
    this.interrupt();
    await this.chain.catch(() => undefined);
    try { this.conn.closeSync(); } catch { /* already closed */ }
  }
}

/**
 * Owner-only files (UU PDP 27/2022): DuckDB creates the `.wal`, the temp directory and its spill files itself, with no
 * mode option, and exports (exceljs, COPY … TO) are written by other code. So the first workspace opened in a
 * process tightens the process umask to owner-only (077 added to whatever it was), and an existing workspace file
 * and WAL are chmod'ed to 0600. Worker threads cannot change the umask: there only the chmod applies.
 */
export function ownerOnlyFiles(abs?: string): void {
  try {
    const old = process.umask(0o077);
    process.umask(old | 0o077);
  } catch { /* worker thread: umask is process-wide and read-only here */ }
  if (!abs) return;
  for (const p of [abs, `${abs}.wal`]) {
    try { if (existsSync(p)) chmodSync(p, 0o600); } catch { /* not ours to change, or no modes on this filesystem */ }
  }
}

/** A workspace is opened read-write only when the file and its folder (WAL, temp) can be written. */
function writable(abs: string): boolean {
  try {
    accessSync(abs, constants.W_OK);
    accessSync(dirname(abs), constants.W_OK);
    return true;
  } catch { return false; }
}

/** Deletes DuckDB's stale spill files (`*.block`, `duckdb_temp_*`) from a workspace's temp folder. */
export function removeSpillFiles(dir: string): string[] {
  const removed: string[] = [];
  let names: string[] = [];
  try { names = readdirSync(dir); } catch { return removed; }
  for (const n of names) {
    const p = join(dir, n);
    try { if (statSync(p).isFile()) { unlinkSync(p); removed.push(p); } } catch { /* best effort */ }
  }
  return removed;
}

/**
 * `tl_mask(text)` and `tl_mask_account(text)`: the one masking function (src/shared/masking.ts) as DuckDB scalar
 * functions, so a masked CSV export is masked inside DuckDB's COPY (no rows through JS). Registered on the
 * workspace's connection; the catalogue entry is visible to every connection of the instance.
 */
export function registerMaskFunctions(conn: DuckDBConnection): void {
  const make = (name: string, fn: (s: string) => string) => DuckDBScalarFunction.create({
    name, returnType: VARCHAR, parameterTypes: [VARCHAR],
    mainFunction: (_info, input, output) => {
      const v = input.getColumnVector(0);
      for (let i = 0; i < input.rowCount; i++) {
        const x = v.getItem(i) as string | null;
        output.setItem(i, x === null ? null : fn(x));
      }
      output.flush();
    },
  });
  conn.registerScalarFunction(make('tl_mask', maskText));
  conn.registerScalarFunction(make('tl_mask_account', maskAccountText));
}

/** Quotes an identifier for SQL (table/column names come from files and users). */
export function ident(name: string): string {
  return '"' + name.replace(/"/g, '""') + '"';
}
