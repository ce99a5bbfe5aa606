/**
 * Targeting indicators per programme (DOMAIN.md "Targeting"). Runs inside runChecks after the shared preparation
 * (chk_paid, chk_reg_hh, chk_rules, ind_hh temp tables). Tables written: targeting_results, targeting_by_region,
 * targeting_by_desil. Not evaluated (no rows written for the metrics) when the registry was not supplied.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Workspace } from '../../workspace/workspace';
import { runScript } from '../../checks/sql';

export const TARGETING_SQL = readFileSync(join(__dirname, 'targeting.sql'), 'utf8');
export const TARGETING_PREP_SQL = readFileSync(join(__dirname, 'targeting_prep.sql'), 'utf8');

/** Temp tables tg_prog, tg_bx, tg_rd (call outside the run transaction: temp tables made inside one have no statistics). */
export async function prepareTargeting(ws: Workspace): Promise<void> {
  await runScript(ws, TARGETING_PREP_SQL);
}

export interface TargetingRow {
  program: string;
  max_desil: number | null;
  beneficiary_households: number;
  target_households: number | null;
  inclusion_error: number | null;
  exclusion_error: number | null;
  leakage: number | null;
  cgh: number | null;
  targeting_differential: number | null;
  coverage: number | null;
  coverage_non_target: number | null;
  [k: string]: unknown;
}

/** Computes the targeting tables (after prepareTargeting). `cgh_max_desil` = desil bound of the CGH numerator/denominator (DOMAIN: 4). */
export async function computeTargeting(ws: Workspace, params: { cgh_max_desil: number }): Promise<void> {
  await runScript(ws, TARGETING_SQL, params);
}

/** Programmes with paid records, not evaluated (registry absent): keeps the table shape with evaluated=false. */
export async function targetingNotEvaluated(ws: Workspace): Promise<void> {
  await ws.run(`CREATE OR REPLACE TABLE targeting_results AS
    SELECT program, count(*) AS beneficiary_households, false AS evaluated FROM ind_hh GROUP BY program ORDER BY program`);
  await ws.run(`DROP TABLE IF EXISTS targeting_by_region`);
  await ws.run(`DROP TABLE IF EXISTS targeting_by_desil`);
}

export async function readTargeting(ws: Workspace): Promise<TargetingRow[]> {
  if (!(await ws.tableExists('targeting_results'))) return [];
  return ws.all<TargetingRow>('SELECT * FROM targeting_results ORDER BY program');
}
