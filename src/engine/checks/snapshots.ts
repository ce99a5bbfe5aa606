/** Registry snapshots (contract 2): the macros and the chk_snap table of snapshot.sql, for code outside a check run. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Workspace } from '../workspace/workspace';
import { runScript } from './sql';

export const SNAPSHOT_SQL = readFileSync(join(__dirname, 'snapshot.sql'), 'utf8');

/** (Re)builds the temp table chk_snap (one row per distinct raw snapshot value: key, effective date, order). */
export async function prepareSnapshots(ws: Workspace): Promise<void> {
  await runScript(ws, SNAPSHOT_SQL);
}
