/**
 * Guard for user-written SQL (a data-explorer query box, saved queries): accepts exactly one SELECT over workspace
 * tables and nothing else. DuckDB parses the text itself (json_serialize_sql serialises SELECT statements only, so
 * ATTACH/COPY/SET/PRAGMA/INSTALL/LOAD/CREATE/INSERT/UPDATE/DELETE/DROP/EXPORT/CALL are refused by the parser), and
 * the parse tree is then walked:
 *   - table functions (read_csv, read_parquet, read_json, glob, query, duckdb_settings(), …) are refused;
 *   - every base table must be a workspace table or view of the main schema (or a CTE of the query): a quoted file
 *     path (`FROM '/etc/passwd'`, a replacement scan), another catalog (`other.main.t`) or a system schema is refused;
 *   - functions that read the environment or settings (getenv, current_setting) and catalog-qualified functions are refused.
 * Run the returned `sql` (optionally `limited`) on the workspace's read connection.
 */
import type { Workspace } from './workspace/workspace';
import { TelisikError } from '../shared/errors';

export type SqlGuardCode = 'empty' | 'too_long' | 'parse' | 'not_select' | 'multiple' | 'table_function' | 'table' | 'function' | 'size' | 'timeout';

/** A refused statement: code invalid_input, params.reason `sql_<reason>` (the UI words it in its language). */
export class SqlGuardError extends TelisikError {
  constructor(readonly reason: SqlGuardCode, message: string) { super('invalid_input', message, { reason: `sql_${reason}` }); }
}

export interface GuardOptions {
  /** Tables/views the query may read (case-insensitive). Default: every non-temporary table and view in main. */
  allowed?: string[];
  /** Maximum SQL length in characters (default 100,000). */
  maxLength?: number;
  /**
   * Largest value a size-generating function may be asked for (repeat/lpad/rpad count, printf width), default 1,000,000.
   * Such a call runs as one uninterruptible step in DuckDB (`repeat('x', 2000000000)` took 65 s past an interrupt), so
   * its size is bounded before it runs; the count must be a constant.
   */
  maxGenerated?: number;
}

/** Functions whose output size is set by an argument: name -> index of that argument. */
const SIZE_ARGS: Record<string, number> = { repeat: 1, lpad: 1, rpad: 1, list_resize: 1, array_resize: 1 };
const FORMAT_FUNCTIONS = new Set(['printf', 'format']);

export interface GuardedQuery {
  /** The statement, trailing semicolons removed. */
  sql: string;
  /** Workspace tables it reads (lower case, sorted). */
  tables: string[];
  /** The statement wrapped with a row limit: SELECT * FROM (sql) LIMIT n. */
  limited(n: number): string;
}

const DENIED_FUNCTIONS = new Set(['getenv', 'current_setting', 'read_text', 'read_blob', 'sniff_csv', 'query', 'query_table', 'enable_logging', 'disable_logging']);
const BAD_REF_TYPES = new Set(['TABLE_FUNCTION', 'SHOW_REF', 'COLUMN_DATA', 'DELIM_GET', 'CTE_REF', 'BOUND_TABLE_REF']);

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

async function workspaceTables(ws: Workspace): Promise<string[]> {
  const rows = await ws.all<{ name: string }>(
    `SELECT table_name AS name FROM duckdb_tables() WHERE NOT temporary AND schema_name = 'main' AND database_name = current_database()
     UNION SELECT view_name FROM duckdb_views() WHERE NOT temporary AND NOT internal AND schema_name = 'main' AND database_name = current_database()`);
  return rows.map((r) => r.name);
}

/** Parses and checks `sql`; throws SqlGuardError with a bilingual message, or returns the guarded statement. */
export async function guardSelect(ws: Workspace, sql: string, opts: GuardOptions = {}): Promise<GuardedQuery> {
  const text = String(sql ?? '').replace(/[\s;]+$/u, '').trim();
  if (!text) throw new SqlGuardError('empty', 'Kueri kosong (empty query)');
  const max = opts.maxLength ?? 100_000;
  if (text.length > max) throw new SqlGuardError('too_long', `Kueri terlalu panjang: ${text.length} karakter, batas ${max} (query too long)`);

  let parsed: { error: boolean; error_type?: string; error_message?: string; statements?: Json[] };
  try {
    const j = await ws.scalar<string>('SELECT json_serialize_sql($q::VARCHAR)', { q: text });
    parsed = JSON.parse(String(j));
  } catch (e) {
    throw new SqlGuardError('parse', `Kueri tidak dapat diurai (cannot parse query): ${(e as Error).message}`);
  }
  if (parsed.error) {
    if (/only select/i.test(parsed.error_message ?? '')) {
      throw new SqlGuardError('not_select', 'Hanya satu pernyataan SELECT yang diizinkan (only a single SELECT statement is allowed)');
    }
    throw new SqlGuardError('parse', `Kueri tidak dapat diurai (cannot parse query): ${parsed.error_message ?? parsed.error_type ?? 'error'}`);
  }
  const stmts = parsed.statements ?? [];
  if (stmts.length !== 1) throw new SqlGuardError('multiple', `Hanya satu pernyataan SELECT yang diizinkan; ditemukan ${stmts.length} (exactly one statement allowed)`);

  const maxGenerated = opts.maxGenerated ?? 1_000_000;
  const allowed = new Set((opts.allowed ?? (await workspaceTables(ws))).map((t) => t.toLowerCase()));
  const ctes = new Set<string>();
  const used = new Set<string>();
  const refs: { catalog: string; schema: string; table: string }[] = [];

  const walk = (n: Json): void => {
    if (Array.isArray(n)) { for (const x of n) walk(x); return; }
    if (!n || typeof n !== 'object') return;
    const o = n as { [k: string]: Json };
    const type = typeof o.type === 'string' ? o.type : '';
    if (BAD_REF_TYPES.has(type)) {
      const fn = (o.function as { function_name?: string } | undefined)?.function_name;
      throw new SqlGuardError('table_function', `Fungsi tabel tidak diizinkan${fn ? `: ${fn}` : ''} (table functions such as read_csv are not allowed)`);
    }
    if (type === 'BASE_TABLE') refs.push({ catalog: String(o.catalog_name ?? ''), schema: String(o.schema_name ?? ''), table: String(o.table_name ?? '') });
    if (o.class === 'FUNCTION' && typeof o.function_name === 'string') {
      const name = o.function_name.toLowerCase();
      if (DENIED_FUNCTIONS.has(name)) throw new SqlGuardError('function', `Fungsi tidak diizinkan: ${o.function_name} (function not allowed)`);
      const args = Array.isArray(o.children) ? (o.children as { class?: string; value?: { value?: Json } }[]) : [];
      if (name in SIZE_ARGS) {
        const a = args[SIZE_ARGS[name]];
        const v = a?.class === 'CONSTANT' ? Number(a.value?.value) : NaN;
        if (!Number.isFinite(v) || v > maxGenerated) {
          throw new SqlGuardError('size', `${o.function_name}: ukuran harus konstanta ≤ ${maxGenerated.toLocaleString('id-ID')} (size must be a constant ≤ ${maxGenerated})`);
        }
      }
      if (FORMAT_FUNCTIONS.has(name)) {
        const f = args[0];
        const fmt = f?.class === 'CONSTANT' ? String(f.value?.value ?? '') : null;
        const widths = fmt === null ? [] : [...fmt.matchAll(/[{%][^}a-zA-Z%]*?(\d+)/g)].map((m) => Number(m[1]));
        if (fmt === null || widths.some((w) => w > maxGenerated)) {
          throw new SqlGuardError('size', `${o.function_name}: format harus konstanta dengan lebar ≤ ${maxGenerated} (format must be a constant with widths ≤ ${maxGenerated})`);
        }
      }
      if ((typeof o.catalog === 'string' && o.catalog !== '') || (typeof o.schema === 'string' && o.schema !== '' && o.schema.toLowerCase() !== 'main')) {
        throw new SqlGuardError('function', `Fungsi dari katalog/skema lain tidak diizinkan: ${o.function_name} (qualified function not allowed)`);
      }
    }
    const cm = o.cte_map as { map?: { key?: string }[] } | undefined;
    if (cm && Array.isArray(cm.map)) for (const e of cm.map) if (typeof e?.key === 'string') ctes.add(e.key.toLowerCase());
    for (const v of Object.values(o)) walk(v);
  };
  walk(stmts[0]);

  for (const r of refs) {
    const name = r.table.toLowerCase();
    const schemaOk = r.schema === '' || r.schema.toLowerCase() === 'main';
    if (r.catalog !== '' || !schemaOk) {
      throw new SqlGuardError('table', `Hanya tabel ruang kerja yang boleh dibaca: ${[r.catalog, r.schema, r.table].filter(Boolean).join('.')} (only workspace tables)`);
    }
    if (r.schema === '' && ctes.has(name)) continue;
    if (!allowed.has(name)) {
      throw new SqlGuardError('table', `Tabel tidak dikenal atau tidak diizinkan: ${r.table} (unknown or disallowed table; file paths are not allowed)`);
    }
    used.add(name);
  }
  return {
    sql: text,
    tables: [...used].sort(),
    limited: (n: number) => `SELECT * FROM (${text}\n) AS q LIMIT ${Math.max(0, Math.floor(Number(n) || 0))}`,
  };
}

export interface RunOptions extends GuardOptions {
  /** Wall-clock bound: the statement is interrupted past it (default 30 s). */
  timeoutMs?: number;
  /** Rows returned at most (default 10,000): the statement runs wrapped in a LIMIT. */
  maxRows?: number;
  /** Bytes of text returned at most (default 64 MiB): the run stops past it. */
  maxBytes?: number;
}

/**
 * Runs a guarded SELECT with a time and a size bound, on a connection of its own (interrupting it touches nothing
 * else): refused generators (guardSelect), a LIMIT, an interrupt past timeoutMs, and a byte count over the streamed
 * chunks. Answers plain rows.
 */
export async function runGuarded(ws: Workspace, sql: string, opts: RunOptions = {}): Promise<{ columns: string[]; rows: Record<string, unknown>[]; tables: string[] }> {
  const g = await guardSelect(ws, sql, opts);
  const timeoutMs = opts.timeoutMs ?? 30_000;
  const maxBytes = opts.maxBytes ?? 64 * 1024 * 1024;
  const conn = await ws.instance.connect();
  let timedOut = false;
  const timer = setTimeout(() => { timedOut = true; try { conn.interrupt(); } catch { /* done */ } }, timeoutMs);
  try {
    const result = await conn.stream(g.limited(opts.maxRows ?? 10_000));
    const columns = result.columnNames();
    const rows: Record<string, unknown>[] = [];
    let bytes = 0;
    for await (const chunk of result.yieldRowObjectJs()) {
      for (const r of chunk) {
        for (const v of Object.values(r)) bytes += typeof v === 'string' ? v.length : v instanceof Uint8Array ? v.byteLength : 8;
        rows.push(r as Record<string, unknown>);
      }
      if (bytes > maxBytes) throw new SqlGuardError('size', `Hasil kueri melebihi ${Math.round(maxBytes / 1048576)} MiB (result larger than the size bound)`);
    }
    return { columns, rows, tables: g.tables };
  } catch (e) {
    if (timedOut) throw new SqlGuardError('timeout', `Kueri dihentikan setelah ${Math.round(timeoutMs / 1000)} detik (query interrupted at the time bound)`);
    throw e;
  } finally {
    clearTimeout(timer);
    conn.closeSync();
  }
}
