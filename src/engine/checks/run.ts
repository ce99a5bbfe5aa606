/**
 * runChecks: materialises exc_<check_id> for every check of the catalogue (registry.ts), records the run
 * (analysis_runs, check_results, indicator_results), the potential_loss union, the targeting and budget indicator
 * tables, and one audit-trail entry — all in one transaction, so a failed or cancelled run leaves the workspace as
 * it was. Set-based SQL only; parameters are bound, never spliced.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { appendTrail } from '../trail/trail';
import { computeSeal } from '../trail/seal';
import { buildSummary, type Summary } from './summary';
import type { Workspace } from '../workspace/workspace';
import { ident } from '../workspace/workspace';
import { effectiveRules, type ProgrammeRules, type ProgrammeRulesOverride } from '../rules/rules';
import { CHECKS, POTENTIAL_LOSS_CHECKS, getCheck } from './registry';
import type { CheckDefinition, InputKey } from './types';
import { bindFor, runScript, selectBody } from './sql';
import { computeTargeting, prepareTargeting, targetingNotEvaluated } from '../indicators/targeting/targeting';
import { computeBudget, computeUndistributedFunds } from '../indicators/budget/budget';
import { computeImpact, impactSummary, writeImpactTables, POVERTY_LINE_DEFAULT } from '../indicators/impact/impact';
import { computeOversight, oversightSummary } from '../indicators/oversight/oversight';
import { CancelledError, InvalidInputError } from '../../shared/errors';

const PREP_SQL = readFileSync(join(__dirname, 'snapshot.sql'), 'utf8') + '\n' + readFileSync(join(__dirname, 'prep.sql'), 'utf8');

import { INDICATOR_IDS } from '../../shared/types';
export { INDICATOR_IDS };

export interface RunProgress {
  phase: 'prepare' | 'check' | 'potential_loss' | 'targeting' | 'budget' | 'impact' | 'oversight' | 'done';
  check_id?: string;
  index: number;
  total: number;
  status: 'running' | 'done' | 'not_evaluated';
  records?: number;
  ms?: number;
}

export interface RunOptions {
  /** Check ids (and/or 'targeting', 'budget') to run; default all. */
  only?: string[];
  /** Run-level rules override, merged over defaults and the engagement's settings('programme_rules'). */
  rules?: ProgrammeRulesOverride;
  /** Per-check parameter overrides: { identity_duplicate: { min_similarity: 0.95 } }. */
  params?: Record<string, Record<string, unknown>>;
  onProgress?: (p: RunProgress) => void;
  signal?: AbortSignal;
  actor?: string;
  /** Keep the run's shared temp tables (chk_paid, …) on the connection afterwards: for tests and inspection. */
  keepTempTables?: boolean;
}

export interface CheckResult {
  check_id: string;
  family: string;
  evaluated: boolean;
  /** Why not evaluated: the missing inputs. */
  missing?: string[];
  records: number | null;
  recipients: number | null;
  amount: number | null;
  extra: Record<string, unknown>;
  params: Record<string, unknown>;
  ms: number;
}

export interface RunResult {
  run_id: number;
  started_at: string;
  finished_at: string;
  results: CheckResult[];
  potential_loss: { evaluated: boolean; records: number; recipients: number; amount: number };
  indicators: { targeting?: { evaluated: boolean }; budget?: { evaluated: boolean }; impact?: { evaluated: boolean }; oversight?: { evaluated: boolean } };
  /** The telisik.summary/1 of the results just written (built once, for the seal; callers reuse it). */
  summary: Summary;
  ms: number;
}

export class CheckParamError extends InvalidInputError {}
export class RunCancelledError extends CancelledError {
  constructor() { super('Analysis run cancelled (dibatalkan); workspace left unchanged'); }
}

const RESULT_DDL = `
CREATE TABLE IF NOT EXISTS analysis_runs (run_id INTEGER PRIMARY KEY, started_at TIMESTAMP, finished_at TIMESTAMP,
  params JSON, inputs JSON, status VARCHAR, actor VARCHAR);
CREATE TABLE IF NOT EXISTS check_results (run_id INTEGER, check_id VARCHAR, family VARCHAR, evaluated BOOLEAN,
  records BIGINT, recipients BIGINT, amount DECIMAL(18,2), extra JSON, params JSON, sql VARCHAR, inputs JSON, ms INTEGER);
CREATE TABLE IF NOT EXISTS indicator_results (run_id INTEGER, indicator_id VARCHAR, evaluated BOOLEAN, result JSON,
  params JSON, sql VARCHAR, ms INTEGER);
`;

export async function ensureResultTables(ws: Workspace): Promise<void> {
  await runScript(ws, RESULT_DDL);
}

const KIND_TABLE: Record<Exclude<InputKey, 'registry.death_date'>, string> = {
  disbursements: 'disbursements', registry: 'registry', deaths: 'deaths', civil_servants: 'civil_servants', budget: 'budget',
  flags: 'flags',
};

const INPUT_LABEL: Record<InputKey, string> = {
  disbursements: 'disbursements', registry: 'registry', deaths: 'deaths', civil_servants: 'civil_servants', budget: 'budget',
  flags: 'flags (comparison lists)', 'registry.death_date': 'registry death_date',
};

/**
 * An input is supplied when a completed import of that kind exists or its canonical table has rows (tests and
 * other tools may fill the tables directly). Registry death dates are supplied when a completed registry import
 * mapped a death_date column or any registry row has a death_date.
 */
export async function inputPresence(ws: Workspace): Promise<Record<InputKey, boolean>> {
  const out = {} as Record<InputKey, boolean>;
  for (const [key, table] of Object.entries(KIND_TABLE)) {
    const v = await ws.scalar<boolean>(
      `SELECT EXISTS (SELECT 1 FROM import_log WHERE kind = $k AND status = 'completed') OR EXISTS (SELECT 1 FROM ${ident(table)})`, { k: key });
    out[key as InputKey] = !!v;
  }
  const rd = await ws.scalar<boolean>(
    `SELECT EXISTS (SELECT 1 FROM registry WHERE death_date IS NOT NULL)
         OR EXISTS (SELECT 1 FROM import_log WHERE kind = 'registry' AND status = 'completed'
                    AND coalesce(mapping::VARCHAR, '') LIKE '%"death_date"%')`);
  out['registry.death_date'] = !!rd;
  return out;
}

export interface InputFingerprint { import_id: number; kind: string; file: string; sha256: string; rows_loaded: number }

/** import_log completed rows (SHA-256 of every source) plus the canonical tables' row counts. */
export async function inputFingerprints(ws: Workspace): Promise<{ imports: InputFingerprint[]; tables: Record<string, number> }> {
  const imports = await ws.all<InputFingerprint>(
    `SELECT import_id, kind, file, sha256, rows_loaded FROM import_log WHERE status = 'completed' ORDER BY import_id`);
  const tables: Record<string, number> = {};
  for (const t of Object.values(KIND_TABLE)) tables[t] = Number(await ws.scalar(`SELECT count(*) FROM ${ident(t)}`));
  return { imports, tables };
}

/** Resolves and validates a check's parameters (defaults from the definition / the effective rules). */
export function resolveParams(def: CheckDefinition, rules: ProgrammeRules, given: Record<string, unknown> = {}): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const k of Object.keys(given)) {
    if (!def.parameters.some((p) => p.name === k)) {
      throw new CheckParamError(`${def.id}: unknown parameter "${k}"${def.parameters.length ? ` (known: ${def.parameters.map((p) => p.name).join(', ')})` : ' (this check has no parameters)'}`);
    }
  }
  for (const p of def.parameters) {
    let v = given[p.name] !== undefined ? given[p.name] : typeof p.default === 'function' ? p.default(rules) : p.default;
    if (p.type === 'number' || p.type === 'integer') {
      if (typeof v === 'string' && v.trim() !== '' && Number.isFinite(Number(v))) v = Number(v);
      if (typeof v !== 'number' || !Number.isFinite(v)) throw new CheckParamError(`${def.id}.${p.name} must be a number, got ${JSON.stringify(v)}`);
      if (p.type === 'integer' && !Number.isInteger(v)) throw new CheckParamError(`${def.id}.${p.name} must be an integer`);
      if (p.min !== undefined && v < p.min) throw new CheckParamError(`${def.id}.${p.name} must be >= ${p.min}, got ${v}`);
      if (p.max !== undefined && v > p.max) throw new CheckParamError(`${def.id}.${p.name} must be <= ${p.max}, got ${v}`);
    } else if (p.type === 'date') {
      v = v == null ? '' : String(v);
      if (v !== '' && !/^\d{4}-\d{2}-\d{2}$/.test(v as string)) throw new CheckParamError(`${def.id}.${p.name} must be a date YYYY-MM-DD or empty`);
    } else {
      v = v == null ? '' : String(v);
    }
    out[p.name] = v;
  }
  return out;
}

function missingInputs(def: CheckDefinition, present: Record<InputKey, boolean>): string[] {
  const missing: string[] = [];
  for (const group of def.requires) {
    if (!group.some((k) => present[k])) missing.push(group.map((k) => INPUT_LABEL[k]).join(' or '));
  }
  return missing;
}

function parseJsonish(v: unknown): unknown {
  if (typeof v === 'string' && /^[[{]/.test(v)) { try { return JSON.parse(v); } catch { return v; } }
  return v;
}

const round2 = (x: unknown) => (x == null ? null : Math.round(Number(x) * 100) / 100);

async function loadRules(ws: Workspace, rules: ProgrammeRules): Promise<void> {
  await ws.run(`CREATE OR REPLACE TEMP TABLE chk_rules (program VARCHAR, unit VARCHAR, expected_amount DECIMAL(18,2), max_desil INTEGER, months_per_stage INTEGER)`);
  await ws.run(`CREATE OR REPLACE TEMP TABLE chk_overlap (program VARCHAR, other_program VARCHAR)`);
  for (const [program, r] of Object.entries(rules.programmes)) {
    await ws.run(`INSERT INTO chk_rules VALUES ($p, $u, $e::DECIMAL(18,2), $m::INTEGER, $s::INTEGER)`,
      { p: program, u: r.unit, e: r.expected_amount == null ? null : String(r.expected_amount), m: r.max_desil, s: r.months_per_stage });
    for (const o of r.forbidden_overlap) await ws.run(`INSERT INTO chk_overlap VALUES ($p, $o)`, { p: program, o });
  }
}

/** A numeric engagement setting (settings table), or null when absent or not a number. */
async function settingNumber(ws: Workspace, key: string): Promise<number | null> {
  const v = await ws.scalar<unknown>(`SELECT value::VARCHAR FROM settings WHERE key = $k`, { k: key }).catch(() => null);
  const n = v == null ? NaN : Number(String(v).replace(/^"|"$/g, ''));
  return Number.isFinite(n) && n > 0 ? n : null;
}

/** Runs the checks (and indicators) on the workspace's canonical tables. */
export async function runChecks(ws: Workspace, opts: RunOptions = {}): Promise<RunResult> {
  const t0 = Date.now();
  const startedAt = new Date().toISOString();
  await ensureResultTables(ws);
  const only = opts.only?.length ? opts.only : undefined;
  for (const id of only ?? []) {
    if (!getCheck(id) && !(INDICATOR_IDS as readonly string[]).includes(id)) {
      throw new CheckParamError(`unknown check "${id}" (known: ${[...CHECKS.map((c) => c.id), ...INDICATOR_IDS].join(', ')})`);
    }
  }
  for (const id of Object.keys(opts.params ?? {})) if (!getCheck(id)) throw new CheckParamError(`parameters given for unknown check "${id}"`);
  const rules = await effectiveRules(ws, opts.rules);
  const selected = CHECKS.filter((c) => !only || only.includes(c.id));
  const resolved = new Map(selected.map((c) => [c.id, resolveParams(c, rules, opts.params?.[c.id])]));
  const doTargeting = !only || only.includes('targeting');
  const doBudget = !only || only.includes('budget');
  const doImpact = !only || only.includes('impact');
  const doOversight = !only || only.includes('oversight');
  const present = await inputPresence(ws);
  const fingerprints = await inputFingerprints(ws);
  const total = selected.length + 5;
  const signal = opts.signal;
  const progress = (p: RunProgress) => { try { opts.onProgress?.(p); } catch { /* a UI callback never breaks a run */ } };
  const checkAbort = () => { if (signal?.aborted) throw new RunCancelledError(); };
  const onAbort = () => { try { ws.conn.interrupt(); } catch { /* nothing running */ } };
  checkAbort();
  signal?.addEventListener('abort', onAbort);

  const results: CheckResult[] = [];
  let potentialLoss: RunResult['potential_loss'] = { evaluated: false, records: 0, recipients: 0, amount: 0 };
  let summary: Summary | undefined;
  const indicators: RunResult['indicators'] = {};
  let runId = 0;
  try {
    // Preparation outside the transaction: temp tables only (nothing persistent), and DuckDB has no statistics for
    // temp tables created inside an open transaction, which led the planner into pathological join orders.
    progress({ phase: 'prepare', index: 0, total, status: 'running' });
    await loadRules(ws, rules);
    await runScript(ws, PREP_SQL);
    await ws.run(`CREATE OR REPLACE TEMP TABLE ind_hh AS
      SELECT program, household_key, sum(amount)::DOUBLE AS amt, count(*) AS records FROM chk_paid GROUP BY program, household_key`);
    if (doTargeting && present.registry && present.disbursements) await prepareTargeting(ws);
    progress({ phase: 'prepare', index: 0, total, status: 'done', ms: Date.now() - t0 });
    checkAbort();
    // The run is announced (committed) before its transaction, so a run killed mid-way leaves a 'started' row that
    // the next open marks 'incomplete' — as imports do in import_log.
    runId = Number(await ws.scalar('SELECT coalesce(max(run_id), 0) + 1 FROM analysis_runs'));
    await ws.run(`INSERT INTO analysis_runs (run_id, started_at, status, actor) VALUES ($run, $s::TIMESTAMP, 'started', $a)`, {
      run: runId, s: startedAt.replace('T', ' ').replace('Z', ''), a: opts.actor ?? ws.actor(),
    });
    await ws.transaction(async () => {
      let index = 0;
      for (const def of selected) {
        index++;
        checkAbort();
        const s = Date.now();
        const params = resolved.get(def.id)!;
        const missing = missingInputs(def, present);
        const evaluated = missing.length === 0;
        progress({ phase: 'check', check_id: def.id, index, total, status: 'running' });
        const body = selectBody(def.sql);
        const table = ident(`exc_${def.id}`);
        // Not evaluated: the table keeps its columns but no rows (never a misleading zero in the figures).
        const ctas = evaluated
          ? `CREATE OR REPLACE TABLE ${table} AS SELECT * FROM (${body}) ORDER BY rec_id`
          : `CREATE OR REPLACE TABLE ${table} AS SELECT * FROM (${body}) LIMIT 0`;
        await ws.run(ctas, bindFor(body, params));
        let records: number | null = null;
        let recipients: number | null = null;
        let amount: number | null = null;
        let extra: Record<string, unknown> = {};
        if (evaluated) {
          const amountExpr = def.amountColumn ? `round(coalesce(sum(${ident(def.amountColumn)}), 0)::DOUBLE, 2)` : 'NULL::DOUBLE';
          const f = await ws.one<{ records: number; recipients: number; amount: number | null }>(
            `SELECT count(*) AS records, count(DISTINCT nik) AS recipients, ${amountExpr} AS amount FROM ${table}`);
          records = Number(f?.records ?? 0);
          recipients = Number(f?.recipients ?? 0);
          amount = def.amountColumn ? round2(f?.amount ?? 0) : null;
          if (def.extraSql) {
            const row = await ws.one<Record<string, unknown>>(def.extraSql, bindFor(def.extraSql, params));
            for (const [k, v] of Object.entries(row ?? {})) extra[k] = parseJsonish(v);
          }
          if (!def.recipientsFigure) { extra.distinct_niks = recipients; recipients = null; }
        } else {
          extra = { missing };
        }
        const ms = Date.now() - s;
        const checkInputs = fingerprints.imports.filter((i) => def.requires.some((g) => g.some((k) => k.split('.')[0] === i.kind)));
        await ws.run(`INSERT INTO check_results VALUES ($run, $id, $family, $ev, $records, $recipients, $amount::DECIMAL(18,2),
            $extra::JSON, $params::JSON, $sql, $inputs::JSON, $ms)`, {
          run: runId, id: def.id, family: def.family.id, ev: evaluated, records, recipients,
          amount: amount == null ? null : amount.toFixed(2), extra: JSON.stringify(extra), params: JSON.stringify(params),
          sql: def.sql, inputs: JSON.stringify(checkInputs), ms,
        });
        results.push({ check_id: def.id, family: def.family.id, evaluated, ...(evaluated ? {} : { missing }), records, recipients, amount, extra, params, ms });
        progress({ phase: 'check', check_id: def.id, index, total, status: evaluated ? 'done' : 'not_evaluated', records: records ?? undefined, ms });
      }

      // Potential loss: the union of the latest evaluated exceptions of the eight contract checks, each record once.
      checkAbort();
      progress({ phase: 'potential_loss', index: ++index, total, status: 'running' });
      const latest = await ws.all<{ check_id: string; evaluated: boolean }>(
        `SELECT check_id, evaluated FROM check_results QUALIFY row_number() OVER (PARTITION BY check_id ORDER BY run_id DESC) = 1 ORDER BY check_id`);
      const plEvaluated = latest.filter((r) => r.evaluated && POTENTIAL_LOSS_CHECKS.includes(r.check_id));
      const plTables: string[] = [];
      for (const r of plEvaluated) if (await ws.tableExists(`exc_${r.check_id}`)) plTables.push(r.check_id);
      const cols = 'check_id, rec_id, _file, _line, nik, name, program, period_key, paid_date, amount';
      const union = plTables.length
        ? plTables.map((id) => `SELECT ${cols} FROM ${ident(`exc_${id}`)}`).join(' UNION ALL ')
        : `SELECT NULL::VARCHAR AS check_id, NULL::BIGINT AS rec_id, NULL::VARCHAR AS _file, NULL::BIGINT AS _line, NULL::VARCHAR AS nik,
             NULL::VARCHAR AS name, NULL::VARCHAR AS program, NULL::VARCHAR AS period_key, NULL::DATE AS paid_date,
             NULL::DECIMAL(18,2) AS amount WHERE false`;
      await ws.run(`CREATE OR REPLACE TABLE potential_loss AS
        SELECT rec_id, any_value(_file) AS _file, any_value(_line) AS _line, any_value(nik) AS nik, any_value(name) AS name,
               any_value(program) AS program, any_value(period_key) AS period_key, any_value(paid_date) AS paid_date,
               any_value(amount) AS amount, list_sort(list(DISTINCT check_id)) AS checks, count(DISTINCT check_id) AS n_checks
        FROM (${union}) GROUP BY rec_id ORDER BY rec_id`);
      const pl = await ws.one<{ records: number; recipients: number; amount: number }>(
        `SELECT count(*) AS records, count(DISTINCT nik) AS recipients, round(coalesce(sum(amount), 0)::DOUBLE, 2) AS amount FROM potential_loss`);
      potentialLoss = { evaluated: plTables.length > 0, records: Number(pl?.records ?? 0), recipients: Number(pl?.recipients ?? 0), amount: round2(pl?.amount ?? 0) ?? 0 };
      await ws.run(`INSERT INTO indicator_results VALUES ($run, 'potential_loss', $ev, $res::JSON, $params::JSON, NULL, 0)`,
        { run: runId, ev: potentialLoss.evaluated, res: JSON.stringify(potentialLoss), params: JSON.stringify({ checks: plTables }) });

      if (doTargeting) {
        checkAbort();
        const s = Date.now();
        progress({ phase: 'targeting', index: ++index, total, status: 'running' });
        const ev = present.registry && present.disbursements;
        const params = { cgh_max_desil: rules.thresholds.cgh_max_desil };
        if (ev) await computeTargeting(ws, params); else await targetingNotEvaluated(ws);
        await ws.run(`INSERT INTO indicator_results VALUES ($run, 'targeting', $ev, '{}'::JSON, $params::JSON, NULL, $ms)`,
          { run: runId, ev, params: JSON.stringify({ ...params, rules: rules.programmes }), ms: Date.now() - s });
        indicators.targeting = { evaluated: ev };
        progress({ phase: 'targeting', index, total, status: ev ? 'done' : 'not_evaluated', ms: Date.now() - s });
      }
      if (doBudget) {
        checkAbort();
        const s = Date.now();
        progress({ phase: 'budget', index: ++index, total, status: 'running' });
        const ev = present.budget;
        if (ev) await computeBudget(ws);
        else for (const t of ['budget_summary', 'budget_breakdown', 'budget_cost_per_household']) await ws.run(`DROP TABLE IF EXISTS ${t}`);
        if (present.disbursements) await computeUndistributedFunds(ws);
        await ws.run(`INSERT INTO indicator_results VALUES ($run, 'budget', $ev, '{}'::JSON, '{}'::JSON, NULL, $ms)`,
          { run: runId, ev, ms: Date.now() - s });
        indicators.budget = { evaluated: ev };
        progress({ phase: 'budget', index, total, status: ev ? 'done' : 'not_evaluated', ms: Date.now() - s });
      }

      if (doImpact) {
        checkAbort();
        const s = Date.now();
        progress({ phase: 'impact', index: ++index, total, status: 'running' });
        const povertyLine = await settingNumber(ws, 'poverty_line');
        const householdPrograms = Object.entries(rules.programmes).filter(([, r]) => r.unit === 'household').map(([p]) => p);
        const params = { poverty_line: povertyLine ?? POVERTY_LINE_DEFAULT, household_programs: householdPrograms };
        const imp = await computeImpact(ws, { povertyLine: povertyLine ?? undefined, householdPrograms, fromCheckPrep: true });
        await writeImpactTables(ws, imp);
        await ws.run(`INSERT INTO indicator_results VALUES ($run, 'impact', $ev, $res::JSON, $params::JSON, NULL, $ms)`,
          { run: runId, ev: imp.evaluated, res: JSON.stringify(impactSummary(imp)), params: JSON.stringify(params), ms: Date.now() - s });
        indicators.impact = { evaluated: imp.evaluated };
        progress({ phase: 'impact', index, total, status: imp.evaluated ? 'done' : 'not_evaluated', ms: Date.now() - s });
      }
      if (doOversight) {
        checkAbort();
        const s = Date.now();
        progress({ phase: 'oversight', index: ++index, total, status: 'running' });
        const ov = await computeOversight(ws, {});
        const ev = ov.summary.evaluated || ov.timing.evaluated;
        await ws.run(`INSERT INTO indicator_results VALUES ($run, 'oversight', $ev, $res::JSON, $params::JSON, NULL, $ms)`,
          { run: runId, ev, res: JSON.stringify(oversightSummary(ov)), params: JSON.stringify(ov.timing.params), ms: Date.now() - s });
        indicators.oversight = { evaluated: ev };
        progress({ phase: 'oversight', index, total, status: ev ? 'done' : 'not_evaluated', ms: Date.now() - s });
      }

      checkAbort();
      const finishedAt = new Date().toISOString();
      const runParams = { only: only ?? null, rules, params: Object.fromEntries(resolved) };
      await ws.run(`UPDATE analysis_runs SET finished_at = $f::TIMESTAMP, params = $p::JSON, inputs = $i::JSON, status = 'completed'
        WHERE run_id = $run`, {
        run: runId, f: finishedAt.replace('T', ' ').replace('Z', ''),
        p: JSON.stringify(runParams), i: JSON.stringify(fingerprints),
      });
      // Seal the results (every exc_* table, potential_loss, the summary figures): verify recomputes them.
      summary = await buildSummary(ws);
      const seal = await computeSeal(ws, summary as unknown as Record<string, unknown>);
      await appendTrail(ws, {
        action: 'run_checks',
        actor: opts.actor,
        params: runParams,
        inputs: fingerprints.imports,
        result: {
          run_id: runId,
          checks: Object.fromEntries(results.map((r) => [r.check_id, r.evaluated ? { records: r.records, recipients: r.recipients, amount: r.amount } : { evaluated: false }])),
          potential_loss: potentialLoss,
          seal,
        },
      });
    });
  } catch (e) {
    if (runId > 0) {
      await ws.run(`UPDATE analysis_runs SET status = $st, finished_at = now()::TIMESTAMP WHERE run_id = $run AND status = 'started'`,
        { st: signal?.aborted ? 'cancelled' : 'failed', run: runId }).catch(() => undefined);
    }
    if (signal?.aborted) {
      await appendTrail(ws, { action: 'run_checks_cancelled', actor: opts.actor, params: { only: only ?? null } }).catch(() => undefined);
      throw new RunCancelledError();
    }
    throw e;
  } finally {
    signal?.removeEventListener('abort', onAbort);
    if (!opts.keepTempTables) await dropRunTempTables(ws);
  }
  const finishedAt = new Date().toISOString();
  progress({ phase: 'done', index: total, total, status: 'done', ms: Date.now() - t0 });
  return { run_id: runId, started_at: startedAt, finished_at: finishedAt, results, potential_loss: potentialLoss, indicators, summary: summary!, ms: Date.now() - t0 };
}

/**
 * The run's shared temp tables (chk_*, ind_*, tg_*) live in DuckDB's memory until the connection closes: dropped
 * after every run, or a 10M-row audit keeps ~4 GB resident for nothing (docs/perf-notes.md).
 */
async function dropRunTempTables(ws: Workspace): Promise<void> {
  const temps = await ws.all<{ table_name: string }>(
    `SELECT table_name FROM duckdb_tables() WHERE temporary AND regexp_matches(table_name, '^(chk|ind|tg|imp)_')`).catch(() => []);
  for (const t of temps) await ws.run(`DROP TABLE IF EXISTS temp.main.${ident(t.table_name)}`).catch(() => undefined);
  const views = await ws.all<{ view_name: string }>(
    `SELECT view_name FROM duckdb_views() WHERE temporary AND regexp_matches(view_name, '^(chk|ind|tg|imp)_')`).catch(() => []);
  for (const v of views) await ws.run(`DROP VIEW IF EXISTS temp.main.${ident(v.view_name)}`).catch(() => undefined);
}
