import { ident, type Workspace } from '../workspace/workspace';
import { InvalidInputError } from '../../shared/errors';

/** A tool was asked for something the data cannot answer (unknown table/column, wrong type, bad parameter). */
export class ToolError extends InvalidInputError {}

export type ColumnClass = 'numeric' | 'date' | 'text' | 'boolean' | 'other';

export interface ColumnInfo {
  name: string;
  type: string;
  cls: ColumnClass;
}

export function classify(type: string): ColumnClass {
  const t = type.toUpperCase();
  if (/^(TINYINT|SMALLINT|INTEGER|BIGINT|HUGEINT|UTINYINT|USMALLINT|UINTEGER|UBIGINT|UHUGEINT|FLOAT|REAL|DOUBLE|DECIMAL)/.test(t)) return 'numeric';
  if (/^(DATE|TIMESTAMP)/.test(t)) return 'date';
  if (/^VARCHAR/.test(t)) return 'text';
  if (t === 'BOOLEAN') return 'boolean';
  return 'other';
}

/** Columns of a workspace table or view (schema main). Identifiers used by tools must come from this list. */
export async function tableColumns(ws: Workspace, table: string): Promise<ColumnInfo[]> {
  const rows = await ws.columns(table);
  return rows.map((r) => ({ ...r, cls: classify(r.type) }));
}

/** A validated table: every identifier that reaches SQL is checked against the catalogue first, then quoted. */
export class ToolTable {
  private constructor(readonly name: string, readonly columns: ColumnInfo[]) {}

  static async open(ws: Workspace, table: string): Promise<ToolTable> {
    if (typeof table !== 'string' || !table) throw new ToolError('A table name is required');
    const cols = await tableColumns(ws, table);
    if (cols.length === 0) throw new ToolError(`Tabel tidak ditemukan: ${table}`);
    return new ToolTable(table, cols);
  }

  get sql(): string { return ident(this.name); }

  has(column: string): boolean { return this.columns.some((c) => c.name === column); }

  column(column: string, allowed?: ColumnClass[]): ColumnInfo {
    const c = this.columns.find((x) => x.name === column);
    if (!c) throw new ToolError(`Kolom "${column}" tidak ada di tabel ${this.name} (kolom: ${this.columns.map((x) => x.name).join(', ')})`);
    if (allowed && !allowed.includes(c.cls)) throw new ToolError(`Kolom "${column}" bertipe ${c.type}; alat ini memerlukan kolom ${allowed.join('/')}`);
    return c;
  }

  col(column: string, allowed?: ColumnClass[]): string {
    return ident(this.column(column, allowed).name);
  }

  /** A stable per-row key for tie-breaking and drill-down: rec_id when the table has one, else DuckDB's rowid. */
  get keySql(): string { return this.has('rec_id') ? ident('rec_id') : 'rowid'; }
}

const NAME = /^[A-Za-z][A-Za-z0-9_]{0,59}$/;

/** Name of a materialised result table: `<prefix>_<name>`, name restricted to letters, digits and underscores. */
export function resultTableName(prefix: string, name: string): string {
  if (!NAME.test(name)) throw new ToolError(`Nama tabel hasil tidak sah: "${name}" (huruf, angka, garis bawah; diawali huruf)`);
  return `${prefix}_${name}`.toLowerCase();
}

export function positiveInt(v: unknown, what: string, max = 1e9): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n <= 0 || n > max) throw new ToolError(`${what} harus bilangan bulat positif`);
  return n;
}

export function num(v: unknown): number | null {
  if (v === null || v === undefined) return null;
  const n = Number(v);
  return Number.isFinite(n) ? n : null;
}
