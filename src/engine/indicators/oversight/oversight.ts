/**
 * Oversight signals (DOMAIN.md): complaints by channel/category/region with resolution time; complaints naming
 * recipients that checks flagged; disbursement timing — monthly paid amount and new recipients per region against
 * the region's own months, robust z-score spikes, marked near auditor-entered event dates (e.g. a regional election).
 */
import { ident, type Workspace } from '../../workspace/workspace';
import { appendTrail } from '../../trail/trail';
import { writeRows } from '../impact/persist';
import { regionNameSql } from '../../reference/regions';
import { INDICATOR_REASONS } from '../../../shared/reasons';
import type { ComplaintGroup, ComplaintsSummary, EventDate, FlaggedComplaint, FlaggedComplaints, OversightResult, TimingResult, TimingRow } from '../../../shared/indicators';

export type { ComplaintGroup, ComplaintsSummary, EventDate, FlaggedComplaint, FlaggedComplaints, OversightResult, TimingResult, TimingRow };

/**
 * Complaints by channel, category and region (first `regionLength` characters of region_code, default 4 = regency).
 * `regionNames`: each region group also carries the region's name from the region reference (ref_regions).
 */
export async function complaintsSummary(ws: Workspace, opts: { regionLength?: number; regionNames?: boolean } = {}): Promise<ComplaintsSummary> {
  const len = Math.min(Math.max(Math.trunc(opts.regionLength ?? 4), 1), 20);
  const total = Number(await ws.scalar('SELECT count(*) FROM complaints'));
  const empty: ComplaintsSummary = { evaluated: false, reason: INDICATOR_REASONS.complaints_none.id, reason_code: 'complaints_none', total: 0, resolved: 0, open: 0,
    median_days: null, p90_days: null, avg_days: null, by_channel: [], by_category: [], by_region: [] };
  if (!total) return empty;
  // Resolution time = days from received_date to resolved_date; a complaint without resolved_date is open.
  const agg = `count(*) AS count, count(resolved_date) AS resolved, count(*) - count(resolved_date) AS open,
    median(datediff('day', received_date, resolved_date))::DOUBLE AS median_days,
    quantile_cont(datediff('day', received_date, resolved_date), 0.9)::DOUBLE AS p90_days, avg(datediff('day', received_date, resolved_date))::DOUBLE AS avg_days`;
  const group = async (expr: string, named = false) => (await ws.all<ComplaintGroup>(
    `SELECT *${named ? `, ${regionNameSql('key')} AS name` : ''} FROM (SELECT ${expr} AS key, ${agg} FROM complaints GROUP BY 1) ORDER BY count DESC, key NULLS LAST`)).map((r) => ({
    key: r.key, ...(named ? { name: r.name ?? null } : {}), count: Number(r.count), resolved: Number(r.resolved), open: Number(r.open),
    median_days: r.median_days === null ? null : Number(r.median_days), p90_days: r.p90_days === null ? null : Number(r.p90_days),
    avg_days: r.avg_days === null ? null : Number(r.avg_days) }));
  const all = (await ws.one<ComplaintGroup>(`SELECT ${agg} FROM complaints`))!;
  return {
    evaluated: true, total, resolved: Number(all.resolved), open: Number(all.open),
    median_days: all.median_days === null ? null : Number(all.median_days), p90_days: all.p90_days === null ? null : Number(all.p90_days),
    avg_days: all.avg_days === null ? null : Number(all.avg_days),
    by_channel: await group(`nullif(upper(trim(channel)), '')`),
    by_category: await group(`nullif(upper(trim(category)), '')`),
    by_region: await group(`nullif(left(replace(replace(coalesce(region_code, ''), '.', ''), ' ', ''), ${len}), '')`, !!opts.regionNames),
  };
}

/** The exceptions tables present (exc_<check_id> with a nik column). */
async function excTablesWithNik(ws: Workspace): Promise<string[]> {
  const rows = await ws.all<{ t: string }>(`SELECT table_name AS t FROM information_schema.columns
    WHERE table_schema = 'main' AND column_name = 'nik' AND starts_with(table_name, 'exc_') ORDER BY 1`);
  return rows.map((r) => r.t).filter((t) => /^exc_[a-z0-9_]+$/.test(t));
}

/** Complaints whose NIK appears in any check's exceptions, with the checks that flagged it. */
export async function flaggedComplaints(ws: Workspace, opts: { limit?: number } = {}): Promise<FlaggedComplaints> {
  const tables = await excTablesWithNik(ws);
  const n = Number(await ws.scalar('SELECT count(*) FROM complaints WHERE nullif(trim(nik), \'\') IS NOT NULL'));
  if (!tables.length || !n) return { evaluated: tables.length > 0 && n > 0, total: 0, by_check: [], rows: [] };
  const limit = Math.min(Math.max(Math.trunc(opts.limit ?? 1000), 1), 1_000_000);
  const flagged = tables.map((t) => `SELECT DISTINCT nik, '${t.slice(4)}' AS check_id FROM ${ident(t)} WHERE nik IS NOT NULL`).join(' UNION ALL ');
  const base = `WITH f AS (${flagged}),
    m AS (SELECT c.rec_id, c.complaint_id, c.received_date, c.channel, c.category, c.region_code, trim(c.nik) AS nik, c.status, c.resolved_date,
            list(DISTINCT f.check_id ORDER BY f.check_id) AS checks
          FROM complaints c JOIN f ON f.nik = trim(c.nik) GROUP BY ALL)`;
  const total = Number(await ws.scalar(`${base} SELECT count(*) FROM m`));
  const byCheck = await ws.all<{ check_id: string; complaints: number }>(`${base}
    SELECT check_id, count(*) AS complaints FROM (SELECT unnest(checks) AS check_id FROM m) GROUP BY 1 ORDER BY 2 DESC, 1`);
  const rows = await ws.all<FlaggedComplaint>(`${base} SELECT * FROM m ORDER BY received_date NULLS LAST, rec_id LIMIT ${limit}`);
  return { evaluated: true, total, by_check: byCheck.map((r) => ({ check_id: r.check_id, complaints: Number(r.complaints) })), rows };
}

async function settingsEvents(ws: Workspace): Promise<EventDate[]> {
  const v = await ws.scalar<unknown>(`SELECT value FROM settings WHERE key = 'event_dates'`).catch(() => undefined);
  try {
    const a = typeof v === 'string' ? JSON.parse(v) : v;
    return Array.isArray(a) ? a.filter((e) => e && /^\d{4}-\d{2}-\d{2}$/.test(e.date)).map((e) => ({ date: e.date, label: String(e.label ?? e.date) })) : [];
  } catch { return []; }
}

/**
 * Disbursement timing. Per region and calendar month (paid records with paid_date; months between the region's
 * first and last paid month, zero-filled): paid amount and new recipients. The baseline of a month is the region's
 * EARLIER months only, and a month is judged only once it has at least `minHistory` (default 6) of them — a
 * programme's first months (every recipient is "new" in its first month) cannot be called spikes without history,
 * and the output says "not judged" instead. A judged month is a spike when |robust z| >= threshold (default 3.5,
 * Iglewicz & Hoaglin), z = 0.6745 (x − median) / MAD of the earlier months. A month is marked near an event when
 * the event date lies within ±windowDays (default 30) of the month.
 */
export async function disbursementTiming(ws: Workspace, opts: { events?: EventDate[]; windowDays?: number; threshold?: number;
  regionLength?: number; minHistory?: number; resultTable?: boolean; regionNames?: boolean } = {}): Promise<TimingResult> {
  const regionLength = Math.min(Math.max(Math.trunc(opts.regionLength ?? 4), 1), 20);
  const threshold = opts.threshold ?? 3.5;
  const windowDays = opts.windowDays ?? 30;
  const minHistory = Math.min(Math.max(Math.trunc(opts.minHistory ?? 6), 1), 120);
  const events = opts.events ?? (await settingsEvents(ws));
  for (const e of events) if (!/^\d{4}-\d{2}-\d{2}$/.test(e.date)) throw new Error(`Tanggal peristiwa tidak sah: ${e.date}`);
  const params = { regionLength, threshold, windowDays, minHistory, events };
  const n = Number(await ws.scalar(`SELECT count(*) FROM disbursements WHERE paid_date IS NOT NULL AND coalesce(nullif(upper(trim(status)), ''), 'PAID') = 'PAID'`));
  if (!n) return { evaluated: false, reason: INDICATOR_REASONS.timing_no_paid_dates.id, reason_code: 'timing_no_paid_dates', params, rows: [], spikes: [], spikes_near_events: 0, not_judged: 0 };
  const sql = `
    WITH p AS (
      SELECT rec_id, nik, amount, txn_id, _line, paid_date, date_trunc('month', paid_date)::DATE AS m,
        coalesce(nullif(left(replace(replace(coalesce(region_code, ''), '.', ''), ' ', ''), ${regionLength}), ''), '?') AS region
      FROM disbursements WHERE paid_date IS NOT NULL AND coalesce(nullif(upper(trim(status)), ''), 'PAID') = 'PAID'),
    -- first paid record of each NIK (contract record order: paid_date, txn_id, row), per region; the national
    -- series ('*') takes the earliest of a NIK's regional firsts, and sums the regional month totals (exact DECIMAL
    -- sums): the same figures as grouping a second copy of every record, at half the work
    firsts_r AS (SELECT region, nik, arg_min(m, k) AS m, min(k) AS k
                 FROM (SELECT region, nik, m, (paid_date, coalesce(txn_id, ''), rec_id) AS k FROM p WHERE nik IS NOT NULL) GROUP BY region, nik),
    firsts AS (SELECT region, m, nik FROM firsts_r UNION ALL SELECT '*' AS region, arg_min(m, k) AS m, nik FROM firsts_r GROUP BY nik),
    newr AS (SELECT region, m, count(*) AS new_recipients FROM firsts GROUP BY ALL),
    amt_r AS (SELECT region, m, sum(amount) AS amount, count(*) AS records FROM p GROUP BY ALL),
    amt AS (SELECT region, m, amount::DOUBLE AS amount, records FROM amt_r
            UNION ALL SELECT '*' AS region, m, sum(amount)::DOUBLE AS amount, sum(records)::BIGINT AS records FROM amt_r GROUP BY m),
    span AS (SELECT region, min(m) AS a, max(m) AS b FROM amt GROUP BY region),
    grid AS (SELECT region, unnest(generate_series(a, b, INTERVAL 1 MONTH))::DATE AS m FROM span),
    s AS (SELECT g.region, g.m, coalesce(a.amount, 0) AS amount, coalesce(a.records, 0) AS records, coalesce(n.new_recipients, 0) AS new_recipients
          FROM grid g LEFT JOIN amt a USING (region, m) LEFT JOIN newr n USING (region, m)),
    -- baseline = the region's earlier months only
    hist AS (SELECT *, coalesce(list(amount) OVER w, []) AS ha, coalesce(list(new_recipients) OVER w, []) AS hn
             FROM s WINDOW w AS (PARTITION BY region ORDER BY m ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING)),
    med AS (SELECT *, len(ha) AS history, list_aggregate(ha, 'median')::DOUBLE AS med_a, list_aggregate(hn, 'median')::DOUBLE AS med_n FROM hist),
    mad AS (SELECT *, list_aggregate(list_transform(ha, x -> abs(x - med_a)), 'median')::DOUBLE AS mad_a,
                      list_aggregate(list_transform(hn, x -> abs(x - med_n)), 'median')::DOUBLE AS mad_n FROM med)
    SELECT region, strftime(m, '%Y-%m') AS month, m AS month_start, amount, records, new_recipients, history,
      history >= ${minHistory} AS judged,
      CASE WHEN history >= ${minHistory} AND mad_a > 0 THEN 0.6745 * (amount - med_a) / mad_a END AS z_amount,
      CASE WHEN history >= ${minHistory} AND mad_n > 0 THEN 0.6745 * (new_recipients - med_n) / mad_n END AS z_new
    FROM mad ORDER BY region = '*' DESC, region, m`;
  await ws.run(`CREATE OR REPLACE TEMP TABLE _timing_events (d DATE, label VARCHAR)`);
  for (const e of events) await ws.run(`INSERT INTO _timing_events VALUES (?::DATE, ?)`, [e.date, e.label]);
  // Near an event: the event date lies in [month start − window, month end + window].
  const full = `WITH t AS (${sql})
    SELECT t.region, t.month, t.amount, t.records, t.new_recipients, t.history, t.judged, t.z_amount, t.z_new,
      coalesce(abs(t.z_amount) >= $th, false) AS spike_amount, coalesce(abs(t.z_new) >= $th, false) AS spike_new,
      coalesce((SELECT list(e.label ORDER BY e.d, e.label) FROM _timing_events e
        WHERE e.d BETWEEN t.month_start - to_days($w::INTEGER) AND last_day(t.month_start) + to_days($w::INTEGER)), []) AS events
    FROM t ORDER BY t.region = '*' DESC, t.region, t.month`;
  const p = { th: threshold, w: windowDays };
  const raw = await ws.all<TimingRow>(full, p);
  const rows: TimingRow[] = raw.map((r) => ({ ...r, amount: Number(r.amount), records: Number(r.records), new_recipients: Number(r.new_recipients),
    history: Number(r.history), judged: !!r.judged,
    z_amount: r.z_amount === null ? null : Number(r.z_amount), z_new: r.z_new === null ? null : Number(r.z_new), events: [...(r.events ?? [])] }));
  if (opts.regionNames) {
    // Region names (ref_regions) for the screen: one lookup per distinct region code.
    const codes = [...new Set(rows.map((r) => r.region).filter((c) => c !== '*' && c !== '?'))];
    const names = new Map(codes.length ? (await ws.all<{ code: string; name: string | null }>(
      `SELECT region_key AS code, ${regionNameSql('region_key')} AS name FROM (SELECT unnest(from_json($codes, '["VARCHAR"]')) AS region_key)`, { codes: JSON.stringify(codes) })).map((r) => [r.code, r.name] as const) : []);
    for (const r of rows) r.region_name = names.get(r.region) ?? null;
  }
  const spikes = rows.filter((r) => r.spike_amount || r.spike_new);
  if (opts.resultTable) await ws.run(`CREATE OR REPLACE TABLE oversight_timing AS SELECT * REPLACE (array_to_string(events, '; ') AS events) FROM (${full})`, p);
  return { evaluated: true, params, rows, spikes, spikes_near_events: spikes.filter((s) => s.events.length).length,
    not_judged: rows.filter((r) => !r.judged).length };
}


/** Computes every oversight signal and writes the oversight_* tables (no transaction of its own: runChecks calls it
 *  inside the run's): oversight_complaints (by channel/category/region), oversight_flagged_complaints, oversight_timing. */
export async function computeOversight(ws: Workspace, opts: { events?: EventDate[]; windowDays?: number; threshold?: number; regionLength?: number; minHistory?: number } = {}): Promise<OversightResult> {
  const summary = await complaintsSummary(ws, { regionLength: opts.regionLength });
  const flagged = await flaggedComplaints(ws, { limit: 1_000_000 });
  const timing = await disbursementTiming(ws, { ...opts, resultTable: true });
  const groups = (dim: string, gs: ComplaintGroup[]) => gs.map((g) => ({ dimension: dim, ...g }));
  await writeRows(ws, 'oversight_complaints', [...groups('channel', summary.by_channel), ...groups('category', summary.by_category), ...groups('region', summary.by_region)],
    ['dimension', 'key', 'count', 'resolved', 'open', 'median_days', 'p90_days', 'avg_days']);
  await writeRows(ws, 'oversight_flagged_complaints', flagged.rows.map((r) => ({ ...r, checks: r.checks.join(', ') })),
    ['rec_id', 'complaint_id', 'received_date', 'channel', 'category', 'region_code', 'nik', 'status', 'resolved_date', 'checks']);
  return { summary, flagged, timing };
}

/** The summary's `oversight` key (extra key of telisik.summary/1): figures only, deterministic. */
export function oversightSummary(r: OversightResult): Record<string, unknown> {
  const grp = (gs: ComplaintGroup[]) => Object.fromEntries(gs.map((g) => [g.key ?? '(kosong)', { count: g.count, resolved: g.resolved, open: g.open,
    median_days: g.median_days, p90_days: g.p90_days }]));
  const c = r.summary;
  return {
    complaints: c.evaluated
      ? { evaluated: true, total: c.total, resolved: c.resolved, open: c.open, median_days: c.median_days, p90_days: c.p90_days,
          by_channel: grp(c.by_channel), by_category: grp(c.by_category), by_region: grp(c.by_region) }
      : { evaluated: false, reason: c.reason },
    flagged_complaints: { evaluated: r.flagged.evaluated, total: r.flagged.total, by_check: Object.fromEntries(r.flagged.by_check.map((b) => [b.check_id, b.complaints])) },
    timing: r.timing.evaluated
      ? { evaluated: true, region_length: r.timing.params.regionLength, threshold: r.timing.params.threshold, min_history: r.timing.params.minHistory,
          window_days: r.timing.params.windowDays, events: r.timing.params.events, region_months: r.timing.rows.length,
          not_judged: r.timing.not_judged, spikes: r.timing.spikes.length, spikes_near_events: r.timing.spikes_near_events,
          spike_months: r.timing.spikes.map((x) => ({ region: x.region, month: x.month, amount: x.amount, new_recipients: x.new_recipients,
            z_amount: x.z_amount, z_new: x.z_new, events: x.events })) }
      : { evaluated: false, reason: r.timing.reason },
  };
}

/** Computes and writes every oversight signal in its own transaction, with one trail entry (standalone use). */
export async function persistOversight(ws: Workspace, opts: { events?: EventDate[]; windowDays?: number; threshold?: number; regionLength?: number; minHistory?: number } = {}) {
  return ws.transaction(async () => {
    const r = await computeOversight(ws, opts);
    await appendTrail(ws, { action: 'indicators.oversight', params: r.timing.params,
      result: { complaints: r.summary.total, flagged: r.flagged.total, spikes: r.timing.spikes.length, spikes_near_events: r.timing.spikes_near_events } });
    return r;
  });
}
