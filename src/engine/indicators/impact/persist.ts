import { ident, type Workspace } from '../../workspace/workspace';

type Cell = string | number | boolean | null;

/**
 * Writes flat rows to a workspace table (replaced), so indicator results appear in the evaluator workbook and can be
 * re-read with SQL. Column types follow the first non-null value: number -> DOUBLE, boolean -> BOOLEAN, else VARCHAR.
 */
export async function writeRows(ws: Workspace, table: string, rows: Record<string, Cell>[], columns?: string[]): Promise<void> {
  if (!/^[a-z][a-z0-9_]{0,62}$/.test(table)) throw new Error(`invalid table name ${table}`);
  const cols = columns ?? (rows.length ? Object.keys(rows[0]) : []);
  if (!cols.length) { await ws.run(`DROP TABLE IF EXISTS ${ident(table)}`); return; }
  const type = (c: string) => {
    const v = rows.find((r) => r[c] !== null && r[c] !== undefined)?.[c];
    return typeof v === 'number' ? 'DOUBLE' : typeof v === 'boolean' ? 'BOOLEAN' : 'VARCHAR';
  };
  await ws.run(`CREATE OR REPLACE TABLE ${ident(table)} (${cols.map((c) => `${ident(c)} ${type(c)}`).join(', ')})`);
  const chunk = Math.max(1, Math.floor(1000 / cols.length));
  for (let i = 0; i < rows.length; i += chunk) {
    const part = rows.slice(i, i + chunk);
    const params: Cell[] = [];
    const values = part.map((r) => `(${cols.map((c) => { const v = r[c]; params.push(v === undefined ? null : typeof v === 'object' && v !== null ? JSON.stringify(v) : v); return '?'; }).join(', ')})`);
    await ws.run(`INSERT INTO ${ident(table)} VALUES ${values.join(', ')}`, params);
  }
}
