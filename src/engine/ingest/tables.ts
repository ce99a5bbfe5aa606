/** Mapping profiles, and the engine-level table list and pager (the CLI and tests; the service has its own). */
import { appendTrail } from '../trail/trail';
import { ident, type Row, type Workspace } from '../workspace/workspace';
import { type Kind } from './columns';
import { normaliseMap, sqlStr } from './shared';
import { TelisikError } from '../../shared/errors';

export async function saveProfile(ws: Workspace, name: string, kind: Kind, mapping: Record<string, string>): Promise<void> {
  await ws.run(`INSERT OR REPLACE INTO mapping_profiles VALUES ($n, $k, $m, now()::TIMESTAMP)`, { n: name, k: kind, m: JSON.stringify(normaliseMap(kind, mapping)) });
  await appendTrail(ws, { action: 'mapping_profile.save', params: { name, kind, mapping } });
}

export async function loadProfile(ws: Workspace, name: string): Promise<{ name: string; kind: Kind; mapping: Record<string, string> } | undefined> {
  const r = await ws.one<{ name: string; kind: Kind; mapping: string }>(`SELECT name, kind, mapping::VARCHAR AS mapping FROM mapping_profiles WHERE name = $n`, { n: name });
  return r ? { name: r.name, kind: r.kind, mapping: JSON.parse(r.mapping) } : undefined;
}

export async function listProfiles(ws: Workspace): Promise<{ name: string; kind: Kind; mapping: Record<string, string>; saved_at: string }[]> {
  const rows = await ws.all<{ name: string; kind: Kind; mapping: string; saved_at: string }>(`SELECT name, kind, mapping::VARCHAR AS mapping, saved_at FROM mapping_profiles ORDER BY name`);
  return rows.map((r) => ({ ...r, mapping: JSON.parse(r.mapping) }));
}

// ---------------------------------------------------------------------------------------------------------------
// Tables and paging

export const CANONICAL_TABLES = ['registry', 'disbursements', 'budget', 'deaths', 'civil_servants', 'complaints'] as const;

export interface TableInfo { table: string; kind: Kind; rows: number; columns: number; imports: number }

export async function listTables(ws: Workspace): Promise<TableInfo[]> {
  const tables = await ws.all<{ table_name: string; ncol: number }>(
    `SELECT t.table_name, count(c.column_name) AS ncol FROM duckdb_tables() t JOIN duckdb_columns() c ON c.table_oid = t.table_oid
      WHERE NOT t.temporary AND t.database_name <> 'temp' AND t.schema_name = 'main' AND (t.table_name IN (${CANONICAL_TABLES.map(sqlStr).join(', ')}) OR t.table_name LIKE 'other\\_%' ESCAPE '\\')
      GROUP BY t.table_name`);
  const out: TableInfo[] = [];
  for (const t of tables) {
    const rows = Number(await ws.scalar(`SELECT count(*) FROM ${ident(t.table_name)}`));
    const imports = Number(await ws.scalar(`SELECT count(*) FROM import_log WHERE target_table = $t AND status = 'completed'`, { t: t.table_name }));
    out.push({ table: t.table_name, kind: (CANONICAL_TABLES as readonly string[]).includes(t.table_name) ? t.table_name as Kind : 'other', rows, columns: Number(t.ncol), imports });
  }
  const order = (n: string) => { const i = (CANONICAL_TABLES as readonly string[]).indexOf(n); return i < 0 ? 100 : i; };
  return out.sort((a, b) => order(a.table) - order(b.table) || a.table.localeCompare(b.table));
}

export type FilterOp = '=' | '!=' | '<' | '<=' | '>' | '>=' | 'contains' | 'starts_with' | 'is_null' | 'not_null' | 'in';
export interface PageRequest {
  table: string;
  offset?: number;
  limit?: number;
  sort?: { column: string; dir?: 'asc' | 'desc' }[];
  filter?: { column: string; op: FilterOp; value?: unknown }[];
}
export interface PageResult { table: string; columns: { name: string; type: string }[]; rows: Row[]; total: number; offset: number; limit: number }

export class TableError extends TelisikError { constructor(message: string) { super('invalid_input', message); } }

/** One page of any workspace table; sort and filter run in SQL (identifiers checked against the table, values bound). */
export async function pageTable(ws: Workspace, req: PageRequest): Promise<PageResult> {
  const cols = await ws.all<{ name: string; type: string }>(
    `SELECT column_name AS name, data_type AS type FROM duckdb_columns() WHERE table_name = $t AND database_name <> 'temp' AND schema_name = 'main' ORDER BY column_index`, { t: req.table });
  if (cols.length === 0) throw new TableError(`Tabel tidak ditemukan: ${req.table} (table not found)`);
  const byName = new Map(cols.map((c) => [c.name, c]));
  const col = (n: string) => {
    const c = byName.get(n) ?? cols.find((x) => x.name.toLowerCase() === String(n).toLowerCase());
    if (!c) throw new TableError(`Kolom tidak ada di ${req.table}: ${n} (unknown column)`);
    return c;
  };
  const params: Record<string, unknown> = {};
  const where: string[] = [];
  (req.filter ?? []).forEach((f, i) => {
    const c = col(f.column);
    const id = ident(c.name);
    const p = `p${i}`;
    const castTo = /^(VARCHAR|JSON)$/i.test(c.type) ? 'VARCHAR' : c.type;
    switch (f.op) {
      case 'is_null': where.push(`${id} IS NULL`); return;
      case 'not_null': where.push(`${id} IS NOT NULL`); return;
      case 'contains': params[p] = String(f.value ?? ''); where.push(`contains(lower(${id}::VARCHAR), lower($${p}))`); return;
      case 'starts_with': params[p] = String(f.value ?? ''); where.push(`starts_with(${id}::VARCHAR, $${p})`); return;
      case 'in': {
        const vals = Array.isArray(f.value) ? f.value : [f.value];
        const names = vals.map((v, j) => { params[`${p}_${j}`] = v === null || v === undefined ? null : String(v); return `TRY_CAST($${p}_${j} AS ${castTo})`; });
        where.push(names.length ? `${id} IN (${names.join(', ')})` : 'false');
        return;
      }
      case '=': case '!=': case '<': case '<=': case '>': case '>=':
        params[p] = f.value === null || f.value === undefined ? null : String(f.value);
        where.push(`${id} ${f.op} TRY_CAST($${p} AS ${castTo})`);
        return;
      default: throw new TableError(`Operator filter tidak dikenal: ${String(f.op)} (unknown filter op)`);
    }
  });
  const order = (req.sort ?? []).map((s) => `${ident(col(s.column).name)} ${s.dir === 'desc' ? 'DESC' : 'ASC'} NULLS LAST`);
  if (byName.has('_line') && byName.has('_import_id')) order.push('_import_id', '_line');
  const limit = Math.max(0, Math.min(Number(req.limit ?? 100) | 0, 100_000));
  const offset = Math.max(0, Number(req.offset ?? 0) | 0);
  const w = where.length ? `WHERE ${where.join(' AND ')}` : '';
  const total = Number(await ws.scalar(`SELECT count(*) FROM ${ident(req.table)} ${w}`, params as never));
  const rows = await ws.all(`SELECT * FROM ${ident(req.table)} ${w} ${order.length ? 'ORDER BY ' + order.join(', ') : ''} LIMIT ${limit} OFFSET ${offset}`, params as never);
  return { table: req.table, columns: cols, rows, total, offset, limit };
}
