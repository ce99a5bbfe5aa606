/**
 * Period comparison (issue 15.3): the exceptions of this engagement against a previous one (last semester), keyed by
 * (check, NIK, programme): new in this period, persisting from the previous one, resolved since. Counts and rupiah
 * per check; the keys are kept in `period_comparison` for drill-down (exc_<check> rows of the key, here or there).
 *
 * The previous engagement is only ATTACHed READ_ONLY, for the duration of the comparison, then detached. It must not
 * be open in this process (DuckDB would hold two instances on one file).
 */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { ident, type Workspace } from '../workspace/workspace';
import { getCheck } from '../checks/registry';
import { appendTrail, trailHead } from '../trail/trail';
import { InvalidInputError } from '../../shared/errors';

export class CompareError extends InvalidInputError {}

// The wire types are the domain types (src/shared/continuity.ts): one declaration.
export type { StatusFigures, CheckComparisonView as CheckComparison, PeriodComparisonView as PeriodComparison } from '../../shared/continuity';
import type { StatusFigures, CheckComparisonView as CheckComparison, PeriodComparisonView as PeriodComparison } from '../../shared/continuity';

const PREV = 'prev_engagement';
const sqlString = (s: string): string => `'${s.replace(/'/g, "''")}'`;

async function excTables(ws: Workspace, db: string): Promise<Map<string, string[]>> {
  const rows = await ws.all<{ t: string; c: string }>(
    `SELECT table_name AS t, column_name AS c FROM duckdb_columns() WHERE database_name = $d AND schema_name = 'main'
       AND starts_with(table_name, 'exc_') ORDER BY table_name, column_index`, { d: db });
  const out = new Map<string, string[]>();
  for (const r of rows) out.set(r.t.slice(4), [...(out.get(r.t.slice(4)) ?? []), r.c]);
  return out;
}

async function evaluated(ws: Workspace, db: string): Promise<{ set: Set<string>; run: number | null }> {
  const has = Number(await ws.scalar(`SELECT count(*) FROM duckdb_tables() WHERE database_name = $d AND table_name = 'check_results'`, { d: db }));
  if (!has) return { set: new Set(), run: null };
  const rows = await ws.all<{ check_id: string; evaluated: boolean; run_id: number }>(
    `SELECT check_id, evaluated, run_id FROM ${ident(db)}.main.check_results QUALIFY row_number() OVER (PARTITION BY check_id ORDER BY run_id DESC) = 1`);
  return { set: new Set(rows.filter((r) => r.evaluated).map((r) => r.check_id)), run: rows.length ? Math.max(...rows.map((r) => Number(r.run_id))) : null };
}

function keyedSelect(db: string, checkId: string, cols: string[]): string {
  const def = getCheck(checkId);
  const amountCol = def?.amountColumn && cols.includes(def.amountColumn) ? def.amountColumn : cols.includes('amount') ? 'amount' : null;
  const nik = cols.includes('nik') ? `coalesce(nik, '')` : `''`;
  const program = cols.includes('program') ? `coalesce(program, '')` : `''`;
  return `SELECT ${sqlString(checkId)} AS check_id, ${nik} AS nik, ${program} AS program, count(*) AS records,
      coalesce(sum(${amountCol ? ident(amountCol) : '0'}), 0)::DECIMAL(18,2) AS amount
    FROM ${ident(db)}.main.${ident(`exc_${checkId}`)} GROUP BY ALL`;
}

/**
 * Compares with the previous engagement and (re)writes `period_comparison` in this workspace, with a trail entry
 * naming the previous engagement and its trail head.
 */
export async function comparePeriods(ws: Workspace, previousPath: string, opts: { actor?: string } = {}): Promise<PeriodComparison> {
  const prevAbs = resolve(previousPath);
  if (!existsSync(prevAbs)) throw new CompareError(`Penugasan sebelumnya tidak ditemukan (previous engagement not found): ${prevAbs}`);
  if (prevAbs === resolve(ws.path)) throw new CompareError('Penugasan sebelumnya sama dengan penugasan ini (the previous engagement is this one)');
  try {
    await ws.run(`ATTACH ${sqlString(prevAbs)} AS ${PREV} (READ_ONLY)`);
  } catch (e) {
    throw new CompareError(`Tidak dapat membuka penugasan sebelumnya hanya-baca (cannot attach read-only): ${(e as Error).message.split('\n')[0]}`);
  }
  let result: PeriodComparison;
  try {
    const isWs = Number(await ws.scalar(`SELECT count(*) FROM duckdb_tables() WHERE database_name = '${PREV}' AND table_name = 'meta'`));
    if (!isWs) throw new CompareError(`${prevAbs} bukan workspace Telisik (not a Telisik workspace)`);
    const curDb = String(await ws.scalar('SELECT current_database()'));
    const now = await excTables(ws, curDb);
    const before = await excTables(ws, PREV);
    const evNow = await evaluated(ws, curDb);
    const evPrev = await evaluated(ws, PREV);
    const ids = [...new Set([...now.keys(), ...before.keys()])].sort();
    const empty = `SELECT NULL::VARCHAR AS check_id, NULL::VARCHAR AS nik, NULL::VARCHAR AS program, 0::BIGINT AS records, 0::DECIMAL(18,2) AS amount WHERE false`;
    const cur = ids.filter((id) => now.has(id)).map((id) => keyedSelect(curDb, id, now.get(id)!));
    const prv = ids.filter((id) => before.has(id)).map((id) => keyedSelect(PREV, id, before.get(id)!));
    await ws.run(`CREATE OR REPLACE TABLE period_comparison AS
      WITH cur AS (${cur.length ? cur.join(' UNION ALL ') : empty}), prv AS (${prv.length ? prv.join(' UNION ALL ') : empty})
      SELECT coalesce(c.check_id, p.check_id) AS check_id, coalesce(c.nik, p.nik) AS nik, coalesce(c.program, p.program) AS program,
             CASE WHEN p.check_id IS NULL THEN 'new' WHEN c.check_id IS NULL THEN 'resolved' ELSE 'persisting' END AS status,
             coalesce(c.records, 0) AS records_now, coalesce(c.amount, 0) AS amount_now,
             coalesce(p.records, 0) AS records_previous, coalesce(p.amount, 0) AS amount_previous
      FROM cur c FULL OUTER JOIN prv p ON c.check_id = p.check_id AND c.nik = p.nik AND c.program = p.program
      ORDER BY check_id, status, nik, program`);
    const agg = await ws.all<{ check_id: string; status: string; keys: number; rn: number; an: number; rp: number; ap: number }>(
      `SELECT check_id, status, count(*) AS keys, sum(records_now) AS rn, sum(amount_now)::DOUBLE AS an, sum(records_previous) AS rp, sum(amount_previous)::DOUBLE AS ap
       FROM period_comparison GROUP BY ALL`);
    const z = (): StatusFigures => ({ keys: 0, records: 0, amount: 0 });
    const r2 = (x: unknown) => Math.round(Number(x ?? 0) * 100) / 100;
    const checks: CheckComparison[] = ids.map((id) => ({
      check_id: id, evaluated_now: evNow.set.has(id), evaluated_previous: evPrev.set.has(id),
      new: z(), persisting: { ...z(), records_previous: 0, amount_previous: 0 }, resolved: z(),
    }));
    const by = new Map(checks.map((c) => [c.check_id, c]));
    for (const a of agg) {
      const c = by.get(a.check_id);
      if (!c) continue;
      if (a.status === 'new') c.new = { keys: Number(a.keys), records: Number(a.rn), amount: r2(a.an) };
      else if (a.status === 'resolved') c.resolved = { keys: Number(a.keys), records: Number(a.rp), amount: r2(a.ap) };
      else c.persisting = { keys: Number(a.keys), records: Number(a.rn), amount: r2(a.an), records_previous: Number(a.rp), amount_previous: r2(a.ap) };
    }
    const sum = (k: 'new' | 'persisting' | 'resolved'): StatusFigures => checks.reduce((s, c) => ({
      keys: s.keys + c[k].keys, records: s.records + c[k].records, amount: r2(s.amount + c[k].amount) }), z());
    const prevEng = (await ws.one<{ name: string; period: string | null }>(`SELECT name, period FROM ${PREV}.main.engagement LIMIT 1`)) ?? { name: '', period: null };
    const prevHead = await ws.one<{ seq: number; hash: string }>(`SELECT seq, hash FROM ${PREV}.main.audit_trail ORDER BY seq DESC LIMIT 1`).catch(() => undefined);
    const eng = await ws.engagement();
    result = {
      previous: { path: prevAbs, name: prevEng.name, period: prevEng.period ?? null, run_id: evPrev.run, trail_head: prevHead ? `${prevHead.seq}:${prevHead.hash}` : '' },
      current: { name: eng.name, period: eng.period ?? null, run_id: evNow.run },
      checks,
      totals: { new: sum('new'), persisting: sum('persisting'), resolved: sum('resolved') },
    };
  } finally {
    await ws.run(`DETACH ${PREV}`).catch(() => undefined);
  }
  await appendTrail(ws, {
    action: 'compare.periods', actor: opts.actor,
    params: { previous: result.previous },
    result: { totals: result.totals, head_before: (await trailHead(ws)).hash },
  });
  return result;
}

/**
 * Drill-down: the exception records behind the keys of one check and status of the last comparison (optionally one
 * NIK). New and persisting records come from this period's exc_<check>; resolved ones from the previous engagement's
 * (attached read-only for the query).
 */
export async function comparisonRecords(ws: Workspace, o: { checkId: string; status: 'new' | 'persisting' | 'resolved'; nik?: string; previous?: string; limit?: number }):
  Promise<Record<string, unknown>[]> {
  if (!/^[a-z][a-z0-9_]*$/.test(o.checkId)) throw new CompareError(`unknown check ${o.checkId}`);
  if (!(await ws.tableExists('period_comparison'))) throw new CompareError('Belum ada perbandingan periode (run telisik compare first)');
  const limit = Math.max(1, Math.min(o.limit ?? 100, 100_000));
  const p = { check: o.checkId, status: o.status, nik: o.nik ?? null };
  const q = (db: string) => `SELECT pc.status, e.* FROM period_comparison pc JOIN ${db}.${ident(`exc_${o.checkId}`)} e
      ON coalesce(e.nik, '') = pc.nik AND coalesce(e.program, '') = pc.program
      WHERE pc.check_id = $check AND pc.status = $status AND ($nik IS NULL OR pc.nik = $nik) ORDER BY e.rec_id LIMIT ${limit}`;
  if (o.status !== 'resolved') return ws.all(q('main'), p);
  if (!o.previous) throw new CompareError('resolved records live in the previous engagement: give its path');
  await ws.run(`ATTACH ${sqlString(resolve(o.previous))} AS ${PREV} (READ_ONLY)`);
  try {
    return await ws.all(q(`${PREV}.main`), p);
  } finally {
    await ws.run(`DETACH ${PREV}`).catch(() => undefined);
  }
}
