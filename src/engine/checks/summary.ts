/**
 * buildSummary: the `telisik.summary/1` JSON of DOMAIN.md "Machine-readable summary", from the latest results.
 * Fixed keys and meanings; extra keys are added beside them. A check that was not evaluated (inputs not supplied, or
 * never run) is exactly {"evaluated": false}; the reason is given under the top-level key `not_evaluated`.
 * No timestamps or run ids: the same inputs give a byte-identical summary.
 */
import type { Workspace } from '../workspace/workspace';
import { CHECKS } from './registry';
import { readTargeting } from '../indicators/targeting/targeting';
import { readBudgetSummary } from '../indicators/budget/budget';

import type { Summary, SummaryCheck, SummaryInput, SummaryTargeting } from '../../shared/summary';

export type { Summary, SummaryCheck, SummaryInput, SummaryTargeting };

const r2 = (x: unknown) => Math.round(Number(x ?? 0) * 100) / 100;
const num = (x: unknown): number | null => (x == null ? null : Number(x));

function parse(v: unknown): Record<string, unknown> {
  if (v == null) return {};
  if (typeof v === 'string') { try { return JSON.parse(v) as Record<string, unknown>; } catch { return {}; } }
  return v as Record<string, unknown>;
}

/** Read-only: no DDL, so it also works on a read-only connection; missing result tables read as "not run". */
export async function buildSummary(ws: Workspace): Promise<Summary> {
  const hasResults = await ws.tableExists('check_results');
  const hasIndicators = await ws.tableExists('indicator_results');
  const inputs = (await ws.all<SummaryInput>(
    `SELECT kind, file, sha256, rows_read, rows_loaded, rows_rejected FROM import_log WHERE status = 'completed' ORDER BY import_id`))
    .map((i) => ({ kind: i.kind, file: i.file, sha256: i.sha256, rows_read: Number(i.rows_read ?? 0), rows_loaded: Number(i.rows_loaded ?? 0), rows_rejected: Number(i.rows_rejected ?? 0) }));

  const latest = !hasResults ? [] : await ws.all<{ check_id: string; evaluated: boolean; records: number; recipients: number | null; amount: number | null; extra: unknown }>(
    `SELECT check_id, evaluated, records, recipients, amount::DOUBLE AS amount, extra::VARCHAR AS extra FROM check_results
     QUALIFY row_number() OVER (PARTITION BY check_id ORDER BY run_id DESC) = 1`);
  const byId = new Map(latest.map((r) => [r.check_id, r]));
  const checks: Record<string, SummaryCheck> = {};
  const notEvaluated: Record<string, string[]> = {};
  for (const def of CHECKS) {
    const r = byId.get(def.id);
    if (!r || !r.evaluated) {
      checks[def.id] = { evaluated: false };
      notEvaluated[def.id] = r ? ((parse(r.extra).missing as string[] | undefined) ?? []).map((m) => `missing input: ${m}`) : ['not run'];
      continue;
    }
    const extra = parse(r.extra);
    const entry: Record<string, unknown> = { evaluated: true, records: Number(r.records) };
    if (def.recipientsFigure) entry.recipients = Number(r.recipients ?? 0);
    if (def.amountColumn) entry.amount = r2(r.amount);
    for (const k of def.summaryKeys ?? []) entry[k] = Number(extra[k] ?? 0);
    for (const [k, v] of Object.entries(extra)) if (!(k in entry)) entry[k] = v;
    checks[def.id] = entry as SummaryCheck;
  }

  const ind = !hasIndicators ? [] : await ws.all<{ indicator_id: string; evaluated: boolean; result: unknown }>(
    `SELECT indicator_id, evaluated, result::VARCHAR AS result FROM indicator_results
     QUALIFY row_number() OVER (PARTITION BY indicator_id ORDER BY run_id DESC) = 1`);
  const indById = new Map(ind.map((r) => [r.indicator_id, r]));

  const targeting: Record<string, SummaryTargeting> = {};
  const tInd = indById.get('targeting');
  for (const row of await readTargeting(ws)) {
    if (!tInd?.evaluated || row.evaluated === false) { targeting[row.program] = { evaluated: false }; continue; }
    const { program: _p, ...rest } = row;
    const out: Record<string, unknown> = {
      evaluated: true,
      beneficiary_households: Number(row.beneficiary_households),
      target_households: num(row.target_households),
      inclusion_error: num(row.inclusion_error),
      exclusion_error: num(row.exclusion_error),
      leakage: num(row.leakage),
      cgh: num(row.cgh),
      targeting_differential: num(row.targeting_differential),
    };
    for (const [k, v] of Object.entries(rest)) if (!(k in out)) out[k] = typeof v === 'bigint' ? Number(v) : v;
    targeting[row.program] = out as SummaryTargeting;
  }
  if (tInd && !tInd.evaluated) notEvaluated.targeting = ['missing input: registry'];

  let budget: Summary['budget'] = { evaluated: false };
  const bInd = indById.get('budget');
  if (bInd?.evaluated) {
    const b = await readBudgetSummary(ws);
    if (b) {
      budget = { evaluated: true, lines: Number(b.lines), allocation: r2(b.allocation), realization: r2(b.realization), absorption: num(b.absorption),
        lines_without_realization: Number(b.lines_without_realization ?? 0) };
    }
  } else notEvaluated.budget = [bInd ? 'missing input: budget' : 'not run'];

  const plInd = indById.get('potential_loss');
  const pl = parse(plInd?.result);
  const plParams = plInd ? await ws.scalar<string>(`SELECT params::VARCHAR FROM indicator_results WHERE indicator_id = 'potential_loss' ORDER BY run_id DESC LIMIT 1`) : undefined;
  const potential_loss = {
    records: Number(pl.records ?? 0), recipients: Number(pl.recipients ?? 0), amount: r2(pl.amount ?? 0),
    evaluated: !!pl.evaluated, checks: (parse(plParams).checks as string[] | undefined) ?? [],
  };

  // contract 2: impact indicators (fixed keys coverage/complementarity/graduation); oversight signals (extra key)
  const impInd = indById.get('impact');
  const impact = (impInd ? parse(impInd.result) : { evaluated: false, reason: 'not run', coverage: {}, complementarity: { pkh: 0, bpnt: 0, both: 0 },
    graduation: { evaluated: false, reason: 'not run' } }) as Summary['impact'];
  const ovInd = indById.get('oversight');
  const oversight = ovInd ? parse(ovInd.result) : { evaluated: false, reason: 'not run' };

  return { schema: 'telisik.summary/1', inputs, checks, targeting, budget, potential_loss, impact, oversight, not_evaluated: notEvaluated };
}
