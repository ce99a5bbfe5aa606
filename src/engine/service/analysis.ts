/**
 * Analysis calls: the check catalogue, the run (checks, indicators, findings drafted), its results, the dashboard,
 * impact indicators (Evaluasi) and oversight signals (Pengawasan).
 */
import type * as T from '../../shared/types';
import type { Workspace } from '../workspace/workspace';
import { ident } from '../workspace/workspace';
import { complaintsSummary, disbursementTiming, flaggedComplaints } from '../indicators/oversight/oversight';
import { POVERTY_LINE_DEFAULT, computeImpact } from '../indicators/impact/impact';
import { CANONICAL, num, numOrNull, parseJson, type HandlersOf, type ServiceCore } from './core';
import { modules } from './modules';
import { VIRTUAL_TABLES } from './views';
import { readSettings } from './settings';
import { trailHead } from '../trail/trail';
import { prepareOutputDir, writeAtomic } from '../output';

export type AnalysisCalls = 'listChecks' | 'runAnalysis' | 'analysisResults' | 'analysisSummary' | 'writeSummary' | 'dashboard' | 'impactIndicators' | 'oversightSignals';

export function analysisHandlers(svc: ServiceCore): HandlersOf<AnalysisCalls> {
  return {
    listChecks: async () => {
      const checks = modules.checks();
      const r = svc.ws ? svc.reader() : null;
      const rules = r ? await modules.rules().effectiveRules(r) : modules.rules().defaultRules();
      const present = new Set<string>();
      if (r) {
        for (const t of CANONICAL) if ((await r.tableExists(t)) && num(await r.scalar(`SELECT count(*) FROM ${ident(t)}`)) > 0) present.add(t);
        if (present.has('registry') && num(await r.scalar('SELECT count(death_date) FROM registry')) > 0) present.add('registry.death_date');
      }
      return checks.CHECKS.map((c) => ({
        id: c.id, family: c.family.id, family_label_id: c.family.label.id, family_label_en: c.family.label.en,
        title_id: c.title.id, title_en: c.title.en, description_id: c.description.id, description_en: c.description.en,
        criteria: c.criteria, inputs: c.requires.map((g) => [...g]),
        inputs_ready: c.requires.every((g) => g.some((k) => present.has(k))),
        parameters: c.parameters.map((p) => ({
          name: p.name, type: p.type, default: typeof p.default === 'function' ? p.default(rules) : p.default,
          ...(p.min !== undefined ? { min: p.min } : {}), ...(p.max !== undefined ? { max: p.max } : {}),
          label_id: p.description.id, label_en: p.description.en,
        })),
        in_potential_loss: c.potentialLoss, source_table: c.sourceTable, output_columns: c.outputColumns,
      }));
    },
    runAnalysis: async (a) => {
      const ws = svc.need();
      const checks = modules.checks();
      // Refused before the task starts, like the CLI's --rules file (RulesError names the field).
      const rules = a.rules ? modules.rules().validateRulesOverride(a.rules, 'rules') : undefined;
      return svc.startTask('analysis', 'runAnalysis', a.only ? `Analisis ${a.only.join(', ')}` : 'Jalankan semua analisis', async (ctx) => {
        const run = await checks.runChecks(ws, {
          only: a.only, params: a.params as Record<string, Record<string, unknown>> | undefined, signal: ctx.signal,
          rules,
          actor: svc.state.prefs().reviewer || undefined,
          // done/total count checks: rows: 0 keeps rows/s empty rather than reporting checks per second as rows.
          onProgress: (p) => ctx.progress({ phase: p.check_id ?? p.phase, done: p.index, total: p.total, rows: 0 }),
        });
        // Findings are drafted from the run; the auditor's own edits are kept (findings module).
        ctx.progress({ phase: 'findings', done: 0, total: 1 });
        await modules.findings().draftFindings(ws, { runId: String(run.run_id) });
        await svc.rememberSummary(run.summary);
        const summary = await runSummary(svc, num(run.run_id));
        svc.emit('workspace', { info: await svc.info() });
        return summary;
      });
    },
    analysisResults: async (a) => runSummary(svc, a.run_id),
    analysisSummary: async () => {
      const r = svc.reader();
      if (!(await r.tableExists('check_results'))) return null;
      return svc.summary();
    },
    writeSummary: async (a) => {
      const r = svc.reader();
      const out = await svc.checkOut(a.out, '.json', a.confirm_outside);
      // trail_head: the receipt (`telisik verify --receipt summary.json`); the one key that differs between runs.
      const text = JSON.stringify({ ...(await svc.summary()), trail_head: await trailHead(r) }, null, 2) + '\n';
      prepareOutputDir(out);
      writeAtomic(out, text);
      svc.written.add(out);
      return { path: out, bytes: Buffer.byteLength(text), rows: 0 };
    },
    dashboard: async () => dashboard(svc),
    impactIndicators: async (a) => svc.tasks.exclusive(async () => {
      const ws = svc.need();
      const stored = await latestIndicator(ws, 'impact');
      // The run's poverty line: the published default unless the engagement set its own (then it is the auditor's).
      const storedLine = Number((stored?.params as { poverty_line?: number } | undefined)?.poverty_line) || undefined;
      const detail = await computeImpact(ws, { povertyLine: a.poverty_line ?? (storedLine !== POVERTY_LINE_DEFAULT ? storedLine : undefined) });
      return { run_id: stored?.run_id ?? null, summary: stored?.result ?? null, detail };
    }),
    oversightSignals: async (a) => svc.tasks.exclusive(async () => {
      const ws = svc.need();
      const stored = await latestIndicator(ws, 'oversight');
      const detail = {
        summary: await complaintsSummary(ws, { regionNames: true }),
        flagged: await flaggedComplaints(ws, { limit: 10_000 }),
        timing: await disbursementTiming(ws, { events: a.events, minHistory: a.min_history, threshold: a.threshold, regionNames: true }),
      };
      return { run_id: stored?.run_id ?? null, summary: stored?.result ?? null, detail };
    }),
  };
}

/** The latest run's stored result of an indicator (indicator_results), or undefined before any run. */
async function latestIndicator(ws: Workspace, id: string): Promise<{ run_id: number; result: Record<string, unknown>; params: unknown } | undefined> {
  if (!(await ws.tableExists('indicator_results'))) return undefined;
  const r = await ws.one<{ run_id: number; result: string; params: string }>(
    `SELECT run_id, result::VARCHAR AS result, params::VARCHAR AS params FROM indicator_results WHERE indicator_id = $id ORDER BY run_id DESC LIMIT 1`, { id });
  if (!r) return undefined;
  return { run_id: Number(r.run_id), result: parseJson(r.result) as Record<string, unknown>, params: parseJson(r.params) };
}


async function dashboard(svc: ServiceCore): Promise<T.Dashboard> {
  const r = svc.reader();
  const settings = await readSettings(svc);
  const has = async (t: string) => r.tableExists(t);
  const run = await runSummary(svc, );
  const paid = (await has('disbursements'))
    ? await r.one<{ amount: number; records: number; recipients: number }>(`SELECT coalesce(sum(amount), 0)::DOUBLE AS amount, count(*) AS records, count(DISTINCT nik) AS recipients FROM disbursements WHERE status = 'PAID'`)
    : undefined;
  let summary: T.Summary | null = null;
  if (run) { try { summary = await svc.summary(); } catch { summary = null; } }
  const checks = modules.checks();
  const title = (id: string) => checks.getCheck(id)?.title.id ?? id;
  const lossIds = new Set(checks.POTENTIAL_LOSS_CHECKS);
  const loss_by_check = (run?.checks ?? []).filter((c) => c.evaluated && lossIds.has(c.check_id))
    .map((c) => ({ check_id: c.check_id, title_id: title(c.check_id), records: c.records, recipients: c.recipients, amount: c.amount }))
    .sort((x, y) => y.amount - x.amount);
  // programmes not evaluated (no registry) carry no figures
  const targeting = Object.entries(summary?.targeting ?? {}).flatMap(([program, f]) => (f.evaluated ? [{ program, ...f, target_households: f.target_households ?? 0 }] : []));
  // Overall inclusion/exclusion: beneficiary-weighted over programmes with a target set.
  let inc: number | null = null;
  let exc: number | null = null;
  {
    const withInc = targeting.filter((t) => t.inclusion_error !== null && t.beneficiary_households > 0);
    const wB = withInc.reduce((s, t) => s + t.beneficiary_households, 0);
    if (wB > 0) inc = withInc.reduce((s, t) => s + (t.inclusion_error as number) * t.beneficiary_households, 0) / wB;
    const withExc = targeting.filter((t) => t.exclusion_error !== null && t.target_households > 0);
    const wT = withExc.reduce((s, t) => s + t.target_households, 0);
    if (wT > 0) exc = withExc.reduce((s, t) => s + (t.exclusion_error as number) * t.target_households, 0) / wT;
  }
  let incidence_by_desil: T.Dashboard['incidence_by_desil'] = [];
  if ((await has('disbursements')) && (await has('registry'))) {
    const rows = await r.all<{ desil: number | null; households: number; records: number; amount: number }>(
      `SELECT desil, count(DISTINCT household_key) AS households, count(*) AS records, coalesce(sum(amount), 0)::DOUBLE AS amount
       FROM (${VIRTUAL_TABLES.disbursements_enriched.sql}) WHERE status = 'PAID' GROUP BY desil ORDER BY desil NULLS LAST`);
    const tot = rows.reduce((s, x) => s + num(x.amount), 0);
    incidence_by_desil = rows.map((x) => ({ desil: numOrNull(x.desil), households: num(x.households), records: num(x.records), amount: num(x.amount), share: tot ? num(x.amount) / tot : 0 }));
  }
  let absorption_by_region: T.Dashboard['absorption_by_region'] = [];
  if (await has('budget')) {
    const rows = await r.all<{ region_code: string; allocation: number; realization: number; region_name: string | null }>(
      `SELECT coalesce(b.region_code, '') AS region_code, max(rr.name) AS region_name,
         coalesce(sum(b.allocation), 0)::DOUBLE AS allocation, coalesce(sum(b.realization), 0)::DOUBLE AS realization
       FROM budget b LEFT JOIN ref_regions rr ON rr.code = b.region_code GROUP BY 1`);
    absorption_by_region = rows.map((x) => ({ region_code: x.region_code, region_name: x.region_name ?? null, allocation: num(x.allocation), realization: num(x.realization), absorption: num(x.allocation) ? num(x.realization) / num(x.allocation) : null }))
      .sort((x, y) => (y.absorption ?? -1) - (x.absorption ?? -1));
  }
  let monthly: T.Dashboard['monthly'] = [];
  if (await has('disbursements')) {
    // Oversight module: per-month paid amount and new recipients, robust z (median/MAD), events within ±30 days.
    const timing = await disbursementTiming(r, { events: settings.event_dates, threshold: settings.thresholds.spike_z });
    monthly = timing.rows.filter((x) => x.region === '*').map((x) => ({
      month: x.month, amount: num(x.amount), records: num(x.records), new_recipients: num(x.new_recipients),
      z: x.z_amount, spike: x.spike_amount, spike_new: x.spike_new, events: x.events,
    }));
  }
  // Potential loss as found and after review (cleared exceptions leave it, confirmed ones are counted apart).
  let reviewed: T.Dashboard['headline']['potential_loss_reviewed'] = null;
  if (run && (await has('potential_loss'))) {
    const lr = (await has('reviews')) ? `(${modules.findings().LATEST_REVIEW_SQL})`
      : `(SELECT NULL::VARCHAR AS check_id, NULL::BIGINT AS rec_id, NULL::VARCHAR AS status WHERE FALSE)`;
    const x = await r.one<{ kr: unknown; ka: unknown; cr: unknown; ca: unknown }>(`
      WITH p AS (SELECT rec_id, amount, unnest(checks) AS check_id FROM potential_loss),
      s AS (SELECT p.rec_id, any_value(p.amount) AS amount, bool_or(coalesce(lr.status, 'open') <> 'cleared') AS kept, bool_or(lr.status = 'confirmed') AS confirmed
            FROM p LEFT JOIN ${lr} lr ON lr.check_id = p.check_id AND lr.rec_id = CAST(p.rec_id AS BIGINT) GROUP BY p.rec_id)
      SELECT count(*) FILTER (WHERE kept) AS kr, coalesce(sum(amount) FILTER (WHERE kept), 0)::DOUBLE AS ka,
             count(*) FILTER (WHERE confirmed) AS cr, coalesce(sum(amount) FILTER (WHERE confirmed), 0)::DOUBLE AS ca FROM s`).catch(() => undefined);
    if (x) reviewed = { after_review: { records: num(x.kr), amount: num(x.ka) }, confirmed: { records: num(x.cr), amount: num(x.ca) } };
  }
  return {
    run_id: run?.run_id ?? null,
    headline: {
      potential_loss_reviewed: reviewed,
      total_disbursed: num(paid?.amount), paid_records: num(paid?.records), recipients: num(paid?.recipients),
      potential_loss: summary?.potential_loss ?? run?.potential_loss ?? { records: 0, recipients: 0, amount: 0 },
      inclusion_error: inc, exclusion_error: exc,
    },
    loss_by_check, targeting, incidence_by_desil, absorption_by_region, monthly, event_dates: settings.event_dates,
  };
}

/** A run's figures (check_results) and its own potential loss; the latest run when no id is given. */
export async function runSummary(svc: ServiceCore, runId?: number): Promise<T.RunSummary | null> {
  const r = svc.reader();
  if (!(await r.tableExists('check_results'))) return null;
  const id = runId ?? numOrNull(await r.scalar('SELECT max(run_id) FROM check_results'));
  if (id === null) return null;
  const run = (await r.tableExists('analysis_runs'))
    ? await r.one<Record<string, unknown>>(`SELECT CAST(started_at AS VARCHAR) AS started_at, CAST(finished_at AS VARCHAR) AS finished_at, status FROM analysis_runs WHERE run_id = $r`, { r: id })
    : undefined;
  const rows = await r.all<Record<string, unknown>>(`SELECT run_id, check_id, family, evaluated, records, recipients, amount, extra::VARCHAR AS extra, ms FROM check_results WHERE run_id = $r ORDER BY check_id`, { r: id });
  const checks: T.CheckResult[] = rows.map((x) => ({
    run_id: num(x.run_id), check_id: String(x.check_id), family: String(x.family ?? ''), evaluated: !!x.evaluated,
    records: num(x.records), recipients: num(x.recipients), amount: num(x.amount), extra: parseJson(x.extra) as Record<string, unknown> | null, ms: numOrNull(x.ms),
  }));
  // The run's own potential-loss figures (indicator_results), not a rebuilt summary of the latest results.
  const pl = (await r.tableExists('indicator_results'))
    ? parseJson(await r.scalar<string>(`SELECT result::VARCHAR FROM indicator_results WHERE run_id = $r AND indicator_id = 'potential_loss'`, { r: id })) as Record<string, unknown> | null
    : null;
  const potential_loss = { records: num(pl?.records), recipients: num(pl?.recipients), amount: num(pl?.amount) };
  return {
    run_id: id, started_at: String(run?.started_at ?? ''), finished_at: (run?.finished_at as string) ?? null,
    status: String(run?.status ?? 'completed'), checks, potential_loss,
  };
}
