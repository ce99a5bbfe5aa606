/**
 * Budget indicators (DOMAIN.md "Budget"): budget_summary, budget_breakdown (by programme, region, year),
 * budget_cost_per_household, undistributed_funds (age of FAILED/RETURNED funds). Runs inside runChecks after the
 * shared preparation (ind_hh) and after the undistributed check (exc_undistributed).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Workspace } from '../../workspace/workspace';
import { runScript } from '../../checks/sql';

export const BUDGET_SQL = readFileSync(join(__dirname, 'budget.sql'), 'utf8');
export const UNDISTRIBUTED_SQL = readFileSync(join(__dirname, 'undistributed.sql'), 'utf8');

export interface BudgetSummaryRow { lines: number; allocation: number; realization: number; absorption: number | null; lines_without_realization: number }

export async function computeBudget(ws: Workspace): Promise<void> {
  await runScript(ws, BUDGET_SQL);
}

export async function computeUndistributedFunds(ws: Workspace): Promise<void> {
  if (await ws.tableExists('exc_undistributed')) await runScript(ws, UNDISTRIBUTED_SQL);
}

export async function readBudgetSummary(ws: Workspace): Promise<BudgetSummaryRow | undefined> {
  if (!(await ws.tableExists('budget_summary'))) return undefined;
  return ws.one<BudgetSummaryRow>('SELECT * FROM budget_summary');
}
