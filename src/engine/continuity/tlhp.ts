/**
 * Recommendation follow-up (TLHP, issue 15.4). Each finding's recommendations (the lines of its Rekomendasi) get a
 * follow-up status in BPK's four categories, the entity's action, an evidence reference, a date, the value recovered
 * and the auditor who judged it. Recommendations still open in a previous engagement are carried into the new one.
 * Every change is a trail entry.
 */
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { Workspace } from '../workspace/workspace';
import { appendTrail } from '../trail/trail';
import { collectFindings } from '../reports/bpk';
import { checkResults, latestRunId } from '../reports/common';
import { InvalidInputError } from '../../shared/errors';

const DDL = readFileSync(join(__dirname, 'tlhp.sql'), 'utf8');

/** BPK's four categories (IHPS: status pemantauan tindak lanjut rekomendasi). */
// Declared once in src/shared/continuity.ts (the UI and the CLI word them too).
import { TLHP_STATUSES, TLHP_STATUS_LABEL, type TlhpStatus } from '../../shared/continuity';
export { TLHP_STATUSES, TLHP_STATUS_LABEL, type TlhpStatus };
/** Statuses that end the follow-up: not carried into the next engagement. */
const CLOSED: TlhpStatus[] = ['sesuai', 'tidak_dapat'];

export class TlhpError extends InvalidInputError {}

export interface TlhpRecommendation {
  rec_key: string; origin: string; check_id: string; finding_ref: string; finding_title: string; kondisi: string;
  recommendation: string; finding_amount: number; status: TlhpStatus; action: string | null; evidence: string | null;
  action_date: string | null; recovered: number | null; judged_by: string | null; judged_at: string | null;
  carried_from: string | null; created_at: string | null;
}

export async function ensureTlhp(ws: Workspace): Promise<void> {
  await ws.run(DDL);
}

/** The engagement as recommendations name it: label for people, id unique across engagements (created_at). */
async function originOf(ws: Workspace): Promise<{ label: string; id: string }> {
  const e = await ws.engagement();
  const created = String(e.created_at ?? '');
  const label = `${[e.name, e.period].filter((x) => x && String(x).trim()).join(' — ') || 'penugasan'}${created ? ` (${created.slice(0, 10)})` : ''}`;
  return { label, id: `${e.name}@${created}` };
}

/** One recommendation per line of the Rekomendasi text (numbering "1." / "a)" / "-" removed). */
export function splitRecommendations(text: string): string[] {
  const lines = text.split(/\r?\n/).map((l) => l.replace(/^\s*(?:\d+[.)]|[a-z][.)]|[-•*])\s*/i, '').trim()).filter(Boolean);
  return lines.length ? lines : [];
}

/** The recommendations this engagement's findings make now (not stored). */
export async function currentRecommendations(ws: Workspace): Promise<Omit<TlhpRecommendation, 'status' | 'action' | 'evidence' | 'action_date' | 'recovered' | 'judged_by' | 'judged_at' | 'carried_from' | 'created_at'>[]> {
  if (!(await ws.tableExists('check_results'))) return [];
  const findings = await collectFindings(ws, await checkResults(ws, await latestRunId(ws)));
  const origin = await originOf(ws);
  const out = [];
  for (const f of findings) {
    const recs = splitRecommendations(f.text.rekomendasi);
    for (const [i, r] of recs.entries()) {
      out.push({
        rec_key: `${origin.id}|${f.check.check_id}|R${i + 1}`, origin: origin.label, check_id: f.check.check_id, finding_ref: f.ref, finding_title: f.title,
        kondisi: f.text.kondisi, recommendation: r, finding_amount: f.potentialLoss || f.check.amount || 0,
      });
    }
  }
  return out;
}

/** Adds this engagement's recommendations not yet in the register (texts of open ones refreshed). Trail: tlhp.sync. */
export async function syncRecommendations(ws: Workspace, opts: { actor?: string } = {}): Promise<{ added: number; updated: number }> {
  await ensureTlhp(ws);
  const recs = await currentRecommendations(ws);
  let added = 0;
  let updated = 0;
  await ws.transaction(async () => {
    for (const r of recs) {
      const had = await ws.one<{ recommendation: string; finding_amount: number; kondisi: string; finding_ref: string }>(
        'SELECT recommendation, finding_amount::DOUBLE AS finding_amount, kondisi, finding_ref FROM tlhp_recommendations WHERE rec_key = $k', { k: r.rec_key });
      if (!had) {
        await ws.run(`INSERT INTO tlhp_recommendations (rec_key, origin, check_id, finding_ref, finding_title, kondisi, recommendation, finding_amount, status, created_at)
          VALUES ($k, $o, $c, $ref, $t, $kon, $rec, $amt::DECIMAL(18,2), 'belum_ditindaklanjuti', now()::TIMESTAMP)`,
        { k: r.rec_key, o: r.origin, c: r.check_id, ref: r.finding_ref, t: r.finding_title, kon: r.kondisi, rec: r.recommendation, amt: String(r.finding_amount) });
        added++;
      } else if (had.recommendation !== r.recommendation || Number(had.finding_amount) !== Number(r.finding_amount) || had.kondisi !== r.kondisi || had.finding_ref !== r.finding_ref) {
        await ws.run(`UPDATE tlhp_recommendations SET recommendation = $rec, finding_amount = $amt::DECIMAL(18,2), kondisi = $kon, finding_ref = $ref WHERE rec_key = $k`,
          { k: r.rec_key, rec: r.recommendation, amt: String(r.finding_amount), kon: r.kondisi, ref: r.finding_ref });
        updated++;
      }
    }
    if (added || updated) await appendTrail(ws, { action: 'tlhp.sync', actor: opts.actor, result: { added, updated, total: recs.length } });
  });
  return { added, updated };
}

export async function listRecommendations(ws: Workspace): Promise<TlhpRecommendation[]> {
  if (!(await ws.tableExists('tlhp_recommendations'))) return [];
  const rows = await ws.all<TlhpRecommendation>(`SELECT * REPLACE (finding_amount::DOUBLE AS finding_amount, recovered::DOUBLE AS recovered,
      CAST(action_date AS VARCHAR) AS action_date, CAST(judged_at AS VARCHAR) AS judged_at, CAST(created_at AS VARCHAR) AS created_at)
    FROM tlhp_recommendations ORDER BY carried_from IS NULL, origin, finding_ref, rec_key`);
  return rows.map((r) => ({ ...r, finding_amount: Number(r.finding_amount ?? 0), recovered: r.recovered == null ? null : Number(r.recovered) }));
}

export interface TlhpUpdate {
  status?: TlhpStatus; action?: string | null; evidence?: string | null; action_date?: string | null; recovered?: number | null;
  /** The auditor judging the follow-up (required with a status). */
  judged_by?: string;
}

/** Records the entity's follow-up and/or the auditor's judgement of one recommendation. Trail: tlhp.update. */
export async function updateRecommendation(ws: Workspace, recKey: string, u: TlhpUpdate): Promise<TlhpRecommendation> {
  await ensureTlhp(ws);
  if (u.status !== undefined && !TLHP_STATUSES.includes(u.status)) throw new TlhpError(`status tidak dikenal: ${String(u.status)} (${TLHP_STATUSES.join(', ')})`);
  if (u.status !== undefined && !u.judged_by?.trim()) throw new TlhpError('status TLHP dinilai oleh auditor: sebutkan namanya (judged_by / --by)');
  if (u.action_date != null && !/^\d{4}-\d{2}-\d{2}$/.test(u.action_date)) throw new TlhpError('tanggal tindak lanjut: YYYY-MM-DD');
  if (u.recovered != null && (!Number.isFinite(u.recovered) || u.recovered < 0)) throw new TlhpError('nilai pemulihan harus ≥ 0');
  const before = await ws.one<Record<string, unknown>>('SELECT * FROM tlhp_recommendations WHERE rec_key = $k', { k: recKey });
  if (!before) throw new TlhpError(`rekomendasi tidak ditemukan: ${recKey}`);
  const sets: string[] = [];
  const p: Record<string, string | number | null> = { k: recKey };
  const field = (col: string, v: unknown, cast = '') => { sets.push(`${col} = $${col}${cast}`); p[col] = v === undefined ? null : (v as string | number | null); };
  if (u.status !== undefined) { field('status', u.status); field('judged_by', u.judged_by!.trim()); sets.push('judged_at = now()::TIMESTAMP'); }
  if (u.action !== undefined) field('action', u.action);
  if (u.evidence !== undefined) field('evidence', u.evidence);
  if (u.action_date !== undefined) field('action_date', u.action_date, '::DATE');
  if (u.recovered !== undefined) field('recovered', u.recovered == null ? null : String(u.recovered), '::DECIMAL(18,2)');
  if (!sets.length) throw new TlhpError('tidak ada yang diubah (nothing to change)');
  await ws.transaction(async () => {
    await ws.run(`UPDATE tlhp_recommendations SET ${sets.join(', ')} WHERE rec_key = $k`, p);
    await appendTrail(ws, { action: 'tlhp.update', actor: u.judged_by?.trim() || undefined, params: { rec_key: recKey, ...u },
      result: { status_before: before.status ?? null, status: u.status ?? before.status ?? null } });
  });
  return (await listRecommendations(ws)).find((r) => r.rec_key === recKey)!;
}

/**
 * Carries the previous engagement's open recommendations (status not `sesuai` / `tidak_dapat`) into this one, with
 * their follow-up so far. The previous engagement is opened read-only; when it kept no TLHP register, its findings'
 * recommendations are taken as they stand (all `belum_ditindaklanjuti`). Trail: tlhp.carry.
 */
export async function carryRecommendations(ws: Workspace, previousPath: string, opts: { actor?: string } = {}): Promise<{ carried: number; skipped_closed: number; already: number }> {
  const prevAbs = resolve(previousPath);
  if (prevAbs === resolve(ws.path)) throw new TlhpError('penugasan sebelumnya sama dengan penugasan ini');
  const prev = await Workspace.open(prevAbs, { readOnly: true });
  let rows: TlhpRecommendation[];
  let head = '';
  try {
    rows = await listRecommendations(prev);
    if (!rows.length) {
      rows = (await currentRecommendations(prev)).map((r) => ({ ...r, status: 'belum_ditindaklanjuti' as TlhpStatus, action: null, evidence: null, action_date: null,
        recovered: null, judged_by: null, judged_at: null, carried_from: null, created_at: null }));
    }
    const h = await prev.one<{ seq: number; hash: string }>('SELECT seq, hash FROM audit_trail ORDER BY seq DESC LIMIT 1').catch(() => undefined);
    head = h ? `${h.seq}:${h.hash}` : '';
  } finally {
    await prev.close();
  }
  await ensureTlhp(ws);
  let carried = 0;
  let skipped = 0;
  let already = 0;
  await ws.transaction(async () => {
    for (const r of rows) {
      if (CLOSED.includes(r.status)) { skipped++; continue; }
      if (await ws.one('SELECT 1 FROM tlhp_recommendations WHERE rec_key = $k', { k: r.rec_key })) { already++; continue; }
      await ws.run(`INSERT INTO tlhp_recommendations VALUES ($k, $o, $c, $ref, $t, $kon, $rec, $amt::DECIMAL(18,2), $st, $act, $ev, $ad::DATE,
          $recov::DECIMAL(18,2), $jb, $ja::TIMESTAMP, $from, now()::TIMESTAMP)`, {
        k: r.rec_key, o: r.origin, c: r.check_id, ref: r.finding_ref, t: r.finding_title, kon: r.kondisi, rec: r.recommendation,
        amt: String(r.finding_amount ?? 0), st: r.status, act: r.action, ev: r.evidence, ad: r.action_date, recov: r.recovered == null ? null : String(r.recovered),
        jb: r.judged_by, ja: r.judged_at, from: r.carried_from ?? `${prevAbs} @ ${head}`,
      });
      carried++;
    }
    await appendTrail(ws, { action: 'tlhp.carry', actor: opts.actor, params: { previous: prevAbs, previous_trail_head: head }, result: { carried, skipped_closed: skipped, already } });
  });
  return { carried, skipped_closed: skipped, already };
}
