import { ident, type Workspace } from '../workspace/workspace';
import { appendTrail } from '../trail/trail';
import { excAmountColumn, FindingError } from './findings';
import { ensureFindingTables, LATEST_REVIEW_SQL } from './store';

export type ReviewStatus = 'confirmed' | 'cleared' | 'open';
export const REVIEW_STATUSES: readonly ReviewStatus[] = ['confirmed', 'cleared', 'open'];

export interface ReviewInput {
  check_id: string;
  rec_ids: (number | string | bigint)[];
  status: ReviewStatus;
  note?: string;
  reviewer?: string;
}

const CHECK_ID = /^[a-z][a-z0-9_]{0,62}$/;

/**
 * Records a review decision for exceptions of a check (append-only: the latest decision wins, the history stays).
 * Every rec_id must be an exception of the check. One trail entry per call.
 */
export async function reviewExceptions(ws: Workspace, input: ReviewInput): Promise<{ updated: number; review_ids: [number, number] }> {
  const { check_id, status } = input;
  if (!CHECK_ID.test(check_id ?? '')) throw new FindingError(`check_id tidak sah: ${check_id}`);
  if (!REVIEW_STATUSES.includes(status)) throw new FindingError(`status harus confirmed, cleared atau open`);
  if (!Array.isArray(input.rec_ids) || input.rec_ids.length === 0) throw new FindingError('Pilih minimal satu pengecualian');
  const ids = [...new Set(input.rec_ids.map((r) => String(r)))];
  if (ids.some((r) => !/^\d{1,19}$/.test(r))) throw new FindingError('rec_id harus bilangan bulat');
  const exc = `exc_${check_id}`;
  if (!(await ws.tableExists(exc))) throw new FindingError(`Tidak ada tabel pengecualian ${exc}`);
  await ensureFindingTables(ws);
  const reviewer = input.reviewer ?? ws.actor();
  const note = input.note ?? null;
  return ws.transaction(async () => {
    await ws.run(`CREATE OR REPLACE TEMP TABLE _review_ids AS SELECT DISTINCT unnest(CAST($ids AS BIGINT[])) AS rec_id`, { ids: `[${ids.join(',')}]` });
    const unknown = await ws.all<{ rec_id: number }>(
      `SELECT rec_id FROM _review_ids WHERE rec_id NOT IN (SELECT rec_id FROM ${ident(exc)} WHERE rec_id IS NOT NULL) ORDER BY rec_id LIMIT 5`);
    if (unknown.length) throw new FindingError(`rec_id bukan pengecualian ${check_id}: ${unknown.map((u) => u.rec_id).join(', ')}`);
    const base = Number(await ws.scalar(`SELECT coalesce(max(review_id), 0) FROM reviews`));
    // reviewed_at strictly increases so that readers ordering by time (not review_id) also see the latest decision.
    await ws.run(`INSERT INTO reviews
      SELECT $c, rec_id, $s, $note, $rev,
        greatest(get_current_timestamp()::TIMESTAMP, coalesce((SELECT max(reviewed_at) FROM reviews), TIMESTAMP '1970-01-01') + INTERVAL 1 MICROSECOND),
        $base + row_number() OVER (ORDER BY rec_id)
      FROM _review_ids`, { c: check_id, s: status, note, rev: reviewer, base });
    await ws.run(`DROP TABLE IF EXISTS _review_ids`);
    const range: [number, number] = [base + 1, base + ids.length];
    await appendTrail(ws, { action: 'review.exceptions', actor: reviewer,
      params: { check_id, status, note, reviewer, rec_ids: ids.length <= 1000 ? ids : undefined, rec_id_count: ids.length },
      result: { updated: ids.length, review_ids: range } });
    return { updated: ids.length, review_ids: range };
  });
}

export type { FigureSet, FindingFigures } from '../../shared/types';
import type { FigureSet, FindingFigures } from '../../shared/types';

/** Figures of a finding by latest review status (no review = open). Amount uses the check's amount figure column. */
export async function findingFigures(ws: Workspace, checkId: string): Promise<FindingFigures> {
  if (!CHECK_ID.test(checkId ?? '')) throw new FindingError(`check_id tidak sah: ${checkId}`);
  const exc = `exc_${checkId}`;
  const zero = (): FigureSet => ({ records: 0, recipients: 0, amount: 0 });
  const out: FindingFigures = { check_id: checkId, all: zero(), confirmed: zero(), cleared: zero(), open: zero() };
  if (!(await ws.tableExists(exc))) return out;
  // A read (the service's read connection): no reviews table yet means every exception is open.
  const latest = (await ws.tableExists('reviews')) ? LATEST_REVIEW_SQL
    : 'SELECT NULL::VARCHAR AS check_id, NULL::BIGINT AS rec_id, NULL::VARCHAR AS status WHERE FALSE';
  const amt = await excAmountColumn(ws, checkId);
  const rows = await ws.all<{ st: string; records: number; recipients: number; amount: number | null }>(
    `WITH lr AS (${latest}),
     e AS (SELECT e.nik, ${amt ? `e.${ident(amt)}` : '0'} AS _amt, coalesce(lr.status, 'open') AS st
           FROM ${ident(exc)} e LEFT JOIN (SELECT * FROM lr WHERE check_id = $c) lr ON lr.rec_id = e.rec_id)
     SELECT coalesce(st, 'all') AS st, count(*) AS records, count(DISTINCT nik) AS recipients, coalesce(sum(_amt), 0)::DOUBLE AS amount
     FROM e GROUP BY ROLLUP (st)`, { c: checkId });
  for (const r of rows) {
    const key = r.st as keyof Omit<FindingFigures, 'check_id'>;
    if (key in out) out[key] = { records: Number(r.records), recipients: Number(r.recipients), amount: Number(r.amount ?? 0) };
  }
  return out;
}

/** Review history of one exception, newest first. */
export async function reviewHistory(ws: Workspace, checkId: string, recId: number | string): Promise<Record<string, unknown>[]> {
  if (!(await ws.tableExists('reviews'))) return [];
  return ws.all(`SELECT * FROM reviews WHERE check_id = $c AND rec_id = CAST($r AS BIGINT) ORDER BY review_id DESC`, { c: checkId, r: String(recId) });
}
