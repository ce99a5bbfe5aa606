/**
 * The read-only query feature (issue 11 item 4): one SELECT over workspace tables, checked by sqlguard, and recorded
 * in the audit trail (the statement, the tables it read, the rows it answered). Shared by the service (`query`
 * call, Data screen's SQL box) and the CLI (`telisik query`).
 */
import { guardSelect, type GuardedQuery } from './sqlguard';
import { appendTrail } from './trail/trail';
import type { Workspace } from './workspace/workspace';

export { SqlGuardError } from './sqlguard';

/** Guards `sql` against the workspace's tables (throws SqlGuardError with a code and a bilingual message). */
export async function prepareQuery(ws: Workspace, sql: string): Promise<GuardedQuery> {
  return guardSelect(ws, sql);
}

/** Rows the statement answers. */
export async function countQuery(ws: Workspace, q: GuardedQuery): Promise<number> {
  return Number(await ws.scalar(`SELECT count(*) FROM (${q.sql}) AS q`));
}

export async function recordQuery(ws: Workspace, q: GuardedQuery, rows: number, opts: { actor?: string; via?: string } = {}): Promise<void> {
  await appendTrail(ws, { action: 'query.run', actor: opts.actor, params: { sql: q.sql, tables: q.tables, via: opts.via ?? 'ui' }, result: { rows } });
}
