import type { Workspace } from '../workspace/workspace';

// findings: the first eight columns are the architecture's contract; the rest are ours (figures at draft time,
// which fields the user edited, staleness). reviews: an append-only history; the latest decision per record wins.
const DDL = [
  `CREATE TABLE IF NOT EXISTS findings (
    check_id VARCHAR, kondisi VARCHAR, kriteria VARCHAR, sebab VARCHAR, akibat VARCHAR, rekomendasi VARCHAR,
    tanggapan VARCHAR, updated_at TIMESTAMP,
    title VARCHAR, run_id VARCHAR, records BIGINT, recipients BIGINT, amount DOUBLE, potential_loss BOOLEAN,
    criteria_refs JSON, edited JSON, stale BOOLEAN, active BOOLEAN, drafted_at TIMESTAMP)`,
  `CREATE TABLE IF NOT EXISTS reviews (
    check_id VARCHAR, rec_id BIGINT, status VARCHAR, note VARCHAR, reviewer VARCHAR, reviewed_at TIMESTAMP, review_id BIGINT)`,
];

export async function ensureFindingTables(ws: Workspace): Promise<void> {
  for (const d of DDL) await ws.run(d);
}

/** Latest decision per (check_id, rec_id): highest review_id (reviewed_at is also strictly increasing). */
export const LATEST_REVIEW_SQL = `SELECT check_id, rec_id, arg_max(status, review_id) AS status, arg_max(note, review_id) AS note,
    arg_max(reviewer, review_id) AS reviewer, max(reviewed_at) AS reviewed_at FROM reviews GROUP BY check_id, rec_id`;
