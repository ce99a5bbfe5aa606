import type { DuckDBValue } from '@duckdb/node-api';
import type { Workspace } from '../workspace/workspace';

/** Removes `--` comments (the SQL files never put `--` inside string literals). */
export function stripComments(sql: string): string {
  return sql.replace(/--[^\n]*/g, '');
}

/** Names of the $parameters a statement uses (comments ignored). */
export function usedParams(sql: string): string[] {
  const out = new Set<string>();
  for (const m of stripComments(sql).matchAll(/\$([A-Za-z_][A-Za-z0-9_]*)/g)) out.add(m[1]);
  return [...out];
}

/** Binds exactly the parameters a statement uses (DuckDB rejects unused ones); throws when one is missing. */
export function bindFor(sql: string, params: Record<string, unknown>): Record<string, DuckDBValue> | undefined {
  const names = usedParams(sql);
  if (names.length === 0) return undefined;
  const out: Record<string, DuckDBValue> = {};
  for (const n of names) {
    if (!(n in params)) throw new Error(`SQL parameter $${n} has no value`);
    out[n] = params[n] as DuckDBValue;
  }
  return out;
}

/** Splits a script on statement-ending semicolons (end of line) and runs each statement with its own bindings. */
export async function runScript(ws: Workspace, sql: string, params: Record<string, unknown> = {}): Promise<void> {
  for (const stmt of stripComments(sql).split(/;\s*(?:\n|$)/)) {
    if (!stmt.trim()) continue;
    await ws.run(stmt, bindFor(stmt, params));
  }
}

/** A single SELECT from a .sql file, without its header comments and trailing semicolon. */
export function selectBody(sql: string): string {
  return stripComments(sql).trim().replace(/;\s*$/, '');
}
