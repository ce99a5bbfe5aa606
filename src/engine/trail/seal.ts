/**
 * Sealed results (issue 15.1): every analysis run's trail entry carries a content hash of every exceptions table
 * (exc_*, found generically — a new check's table is sealed without a change here), of the potential-loss union and
 * of the summary figures. `verifyTrail` recomputes them, so a deleted, added or edited exception row breaks the chain
 * with a message naming the table.
 *
 * Table hash: SHA-256 over the sorted MD5s of every row's JSON (column names and values): independent of the
 * physical row order, sensitive to every value, and a duplicated row counts (a multiset, not a set).
 */
import { createHash } from 'node:crypto';
import type { Workspace } from '../workspace/workspace';
import { ident } from '../workspace/workspace';
import { canonicalJson } from './trail';

export interface TableSeal { rows: number; sha256: string }

export interface ResultSeal {
  /** Format of the seal (bump when the hashing changes). */
  version: 1;
  /** exc_<check> and potential_loss, by table name. */
  tables: Record<string, TableSeal>;
  /** SHA-256 of the canonical JSON of the summary's result keys (checks, targeting, budget, potential_loss). */
  summary: string;
  /** Row counts of the data tables the run read (a change without a later import means the data was edited). */
  data_rows: Record<string, number>;
}

/** Data tables whose row counts are sealed (the canonical kinds; `flags` when present). */
export const SEALED_DATA_TABLES = ['registry', 'disbursements', 'budget', 'deaths', 'civil_servants', 'complaints', 'flags'];

/** The result tables to seal: every exc_* table plus potential_loss (schema main, persistent). */
export async function sealedTableNames(ws: Workspace, schema = 'main', catalog?: string): Promise<string[]> {
  const rows = await ws.all<{ t: string }>(
    `SELECT table_name AS t FROM duckdb_tables() WHERE NOT temporary AND schema_name = $s
       AND database_name = coalesce($c, current_database())
       AND (starts_with(table_name, 'exc_') OR table_name = 'potential_loss') ORDER BY 1`, { s: schema, c: catalog ?? null });
  return rows.map((r) => r.t);
}

/** Content hash of one table (qualified name given already quoted, or a plain name). */
export async function tableSeal(ws: Workspace, qualified: string): Promise<TableSeal> {
  const r = await ws.one<{ n: number; h: string }>(
    `WITH h AS (SELECT md5(to_json(_r)::VARCHAR) AS m FROM ${qualified} _r)
     SELECT count(*) AS n, sha256(coalesce(string_agg(m, '' ORDER BY m), '')) AS h FROM h`);
  return { rows: Number(r?.n ?? 0), sha256: String(r?.h ?? '') };
}

/** The summary's result part (inputs and extra keys excluded: a later import does not change what the run found). */
export function summaryDigest(summary: Record<string, unknown>): string {
  const part = { checks: summary.checks, targeting: summary.targeting, budget: summary.budget, potential_loss: summary.potential_loss };
  return createHash('sha256').update(canonicalJson(part), 'utf8').digest('hex');
}

async function dataRows(ws: Workspace): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const t of SEALED_DATA_TABLES) if (await ws.tableExists(t)) out[t] = Number(await ws.scalar(`SELECT count(*) FROM ${ident(t)}`));
  return out;
}

/** Computes the seal of the workspace's current results (call at the end of a run, inside its transaction). */
export async function computeSeal(ws: Workspace, summary: Record<string, unknown>): Promise<ResultSeal> {
  const tables: Record<string, TableSeal> = {};
  for (const t of await sealedTableNames(ws)) tables[t] = await tableSeal(ws, ident(t));
  return { version: 1, tables, summary: summaryDigest(summary), data_rows: await dataRows(ws) };
}

export interface SealProblem { table: string; problem: string }

/**
 * Compares the current results with a seal. `dataChangedByImport`: an import (or import.remove) entry follows the run in the trail, so
 * data row counts may legitimately differ (the results are then stale, not tampered with).
 */
export async function checkSeal(ws: Workspace, seal: ResultSeal, summary: Record<string, unknown>, dataChangedByImport: boolean):
  Promise<{ problems: SealProblem[]; stale: string[] }> {
  const problems: SealProblem[] = [];
  const stale: string[] = [];
  const now = new Set(await sealedTableNames(ws));
  for (const [t, s] of Object.entries(seal.tables)) {
    if (!now.has(t)) { problems.push({ table: t, problem: `table ${t} was dropped after the run (sealed: ${s.rows} rows)` }); continue; }
    const cur = await tableSeal(ws, ident(t));
    if (cur.sha256 === s.sha256) continue;
    const what = cur.rows < s.rows ? `${s.rows - cur.rows} row(s) deleted` : cur.rows > s.rows ? `${cur.rows - s.rows} row(s) added` : 'row(s) edited';
    problems.push({ table: t, problem: `${t} differs from its seal: ${what} (sealed ${s.rows} rows, now ${cur.rows}; sha256 ${s.sha256.slice(0, 12)}… → ${cur.sha256.slice(0, 12)}…)` });
  }
  for (const t of now) if (!(t in seal.tables)) problems.push({ table: t, problem: `table ${t} is not in the run's seal (created after the run)` });
  if (summaryDigest(summary) !== seal.summary) problems.push({ table: 'summary', problem: 'the summary figures (check_results / indicator_results) differ from the run\'s seal' });
  for (const [t, n] of Object.entries(seal.data_rows ?? {})) {
    if (!(await ws.tableExists(t))) { problems.push({ table: t, problem: `data table ${t} is gone (sealed ${n} rows)` }); continue; }
    const cur = Number(await ws.scalar(`SELECT count(*) FROM ${ident(t)}`));
    if (cur === n) continue;
    if (dataChangedByImport) stale.push(`${t}: ${n} → ${cur} rows after a later import or removal (results predate it: re-run)`);
    else problems.push({ table: t, problem: `data table ${t} has ${cur} rows, ${n} at the run, and no import or removal since` });
  }
  return { problems, stale };
}
