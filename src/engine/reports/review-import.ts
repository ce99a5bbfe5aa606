/**
 * Imports a filled field-verification workbook back as exception reviews. Each row's HASIL becomes a review status
 * (HASIL_STATUS) for every check named in its hidden check_id cell; rows that match no exception, and rows with an
 * unknown HASIL, are reported back with sheet and row number, never dropped silently.
 */
import ExcelJS from 'exceljs';
import { basename } from 'node:path';
import type { Workspace } from '../workspace/workspace';
import { ident } from '../workspace/workspace';
import { appendTrail, sha256File } from '../trail/trail';
import { ensureFindingTables } from '../findings/store';
import { HASIL_STATUS, HASIL_VALUES, type Hasil } from './field-sample';

export interface ReviewImportRow {
  sheet: string;
  row: number;
  check_id: string;
  rec_id: string;
  hasil: string;
  reason: string;
}

export interface ReviewImportResult {
  file: string;
  sha256: string;
  rows: number;
  /** Rows with a HASIL value. */
  filled: number;
  blank: number;
  /** Reviews written (one per matched check × record). */
  applied: number;
  confirmed: number;
  cleared: number;
  open: number;
  unmatched: ReviewImportRow[];
  invalid: ReviewImportRow[];
  /** Service-layer summary: updated = applied, skipped = blank + unmatched + invalid rows, one message per problem row. */
  updated: number;
  skipped: number;
  messages: string[];
}


function cellText(v: ExcelJS.CellValue): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  if (v instanceof Date) return v.toISOString().slice(0, 10);
  const o = v as unknown as Record<string, unknown>;
  if (Array.isArray(o.richText)) return (o.richText as { text: string }[]).map((t) => t.text).join('');
  if ('result' in o) return o.result === undefined || o.result === null ? '' : String(o.result instanceof Date ? o.result.toISOString().slice(0, 10) : o.result);
  if ('text' in o) return String(o.text);
  return String(v);
}

function cellDate(v: ExcelJS.CellValue): string {
  if (v instanceof Date) return v.toISOString().slice(0, 10);
  if (typeof v === 'number' && v > 0 && v < 2958466) return new Date(Math.round((v - 25569) * 86400000)).toISOString().slice(0, 10);
  return cellText(v).trim();
}

interface Parsed { sheet: string; row: number; check_id: string; rec_id: string; hasil: string; status: string; note: string }

export async function importReviewWorkbook(ws: Workspace, path: string, o: { reviewer?: string; signal?: AbortSignal } = {}): Promise<ReviewImportResult> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.readFile(path);
  const sha256 = await sha256File(path);
  const reviewer = o.reviewer ?? ws.actor();
  const parsed: Parsed[] = [];
  const invalid: ReviewImportRow[] = [];
  let rows = 0;
  let blank = 0;
  for (const sheet of wb.worksheets) {
    // The header row is the one naming HASIL and rec_id (a sheet may carry a title above it).
    let headerRow = 0;
    const idx: Record<string, number> = {};
    for (let r = 1; r <= Math.min(20, sheet.rowCount) && !headerRow; r++) {
      const row = sheet.getRow(r);
      const found: Record<string, number> = {};
      row.eachCell((cell, c) => { found[cellText(cell.value).trim().toLowerCase()] = c; });
      if (found.hasil && found.rec_id) { headerRow = r; Object.assign(idx, found); }
    }
    if (!headerRow) continue;
    for (let r = headerRow + 1; r <= sheet.rowCount; r++) {
      if (o.signal?.aborted) throw new Error('Impor dibatalkan');
      const row = sheet.getRow(r);
      const recId = cellText(row.getCell(idx.rec_id).value).trim();
      const checkIds = idx.check_id ? cellText(row.getCell(idx.check_id).value).trim() : '';
      const hasil = cellText(row.getCell(idx.hasil).value).trim().toLowerCase().replace(/\s+/g, ' ');
      if (!recId && !hasil) continue;
      rows++;
      if (!hasil) { blank++; continue; }
      const base = { sheet: sheet.name, row: r, check_id: checkIds, rec_id: recId, hasil };
      if (!(HASIL_VALUES as readonly string[]).includes(hasil)) { invalid.push({ ...base, reason: `HASIL tidak dikenal: "${hasil}" (pilihan: ${HASIL_VALUES.join(', ')})` }); continue; }
      if (!/^\d+$/.test(recId)) { invalid.push({ ...base, reason: 'rec_id kosong atau bukan angka (kolom kunci diubah?)' }); continue; }
      const tanggal = idx.tanggal ? cellDate(row.getCell(idx.tanggal).value) : '';
      const petugas = idx.petugas ? cellText(row.getCell(idx.petugas).value).trim() : '';
      const catatan = idx.catatan ? cellText(row.getCell(idx.catatan).value).trim() : '';
      const note = [`Uji petik: ${hasil}`, tanggal && `tanggal ${tanggal}`, petugas && `petugas ${petugas}`, catatan, `(${basename(path)} ${sheet.name}!${r})`]
        .filter(Boolean).join('; ');
      const status = HASIL_STATUS[hasil as Hasil];
      const ids = checkIds ? checkIds.split(',').map((s) => s.trim()).filter(Boolean) : [''];
      for (const id of ids) parsed.push({ ...base, check_id: id, status, note });
    }
  }

  const unmatched: ReviewImportRow[] = [];
  const counts = { confirmed: 0, cleared: 0, open: 0 };
  let applied = 0;
  await ws.transaction(async () => {
    // Same table as the findings module's reviews (append-only history, latest review_id wins); created if absent.
    await ensureFindingTables(ws);
    const hasId = Number(await ws.scalar(`SELECT count(*) FROM duckdb_columns() WHERE table_name = 'reviews' AND column_name = 'review_id'`)) > 0;
    // Which (check, record) pairs are real exceptions: one query per check over a staging table.
    await ws.run(`CREATE OR REPLACE TEMP TABLE _review_import (i INTEGER, check_id VARCHAR, rec_id BIGINT, status VARCHAR, note VARCHAR, matched BOOLEAN DEFAULT false)`);
    for (let start = 0; start < parsed.length; start += 500) {
      const batch = parsed.slice(start, start + 500);
      const values = batch.map((_, j) => `($${j * 5 + 1}, $${j * 5 + 2}, $${j * 5 + 3}, $${j * 5 + 4}, $${j * 5 + 5}, false)`).join(', ');
      const params = batch.flatMap((p, j) => [start + j, p.check_id, p.rec_id, p.status, p.note]);
      await ws.run(`INSERT INTO _review_import VALUES ${values}`, params);
    }
    const checks = await ws.all<{ check_id: string }>(`SELECT DISTINCT check_id FROM _review_import WHERE check_id <> ''`);
    for (const { check_id } of checks) {
      if (!/^[A-Za-z0-9_]+$/.test(check_id) || !(await ws.tableExists(`exc_${check_id}`))) continue;
      await ws.run(`UPDATE _review_import SET matched = true WHERE check_id = $c AND rec_id IN (SELECT CAST(rec_id AS BIGINT) FROM ${ident(`exc_${check_id}`)})`, { c: check_id });
    }
    for (const u of await ws.all<{ i: number; check_id: string }>(`SELECT i, check_id FROM _review_import WHERE NOT matched ORDER BY i`)) {
      const p = parsed[Number(u.i)];
      unmatched.push({ sheet: p.sheet, row: p.row, check_id: p.check_id, rec_id: p.rec_id, hasil: p.hasil,
        reason: p.check_id ? `tidak ada pengecualian ${p.check_id} dengan rec_id ${p.rec_id}` : `rec_id ${p.rec_id} tidak ada dalam tabel pengecualian mana pun` });
    }
    // Appended, never overwritten: the field result becomes the latest decision and earlier reviews stay in history.
    // reviewed_at strictly increases, as in findings/reviews.ts, for readers that order by time.
    const base = hasId ? Number(await ws.scalar(`SELECT coalesce(max(review_id), 0) FROM reviews`)) : 0;
    await ws.run(`INSERT INTO reviews (check_id, rec_id, status, note, reviewer, reviewed_at${hasId ? ', review_id' : ''})
      SELECT check_id, rec_id, status, note, $rv,
        greatest(get_current_timestamp()::TIMESTAMP, coalesce((SELECT max(reviewed_at) FROM reviews), TIMESTAMP '1970-01-01') + INTERVAL 1 MICROSECOND)
          + to_microseconds(CAST(row_number() OVER (ORDER BY i) AS BIGINT))${hasId ? ', $base + row_number() OVER (ORDER BY i)' : ''}
      FROM (SELECT check_id, rec_id, arg_max(status, i) AS status, arg_max(note, i) AS note, max(i) AS i FROM _review_import WHERE matched GROUP BY check_id, rec_id)`,
      hasId ? { rv: reviewer, base } : { rv: reviewer });
    for (const r of await ws.all<{ status: string; n: number }>(
      `SELECT status, count(*) AS n FROM (SELECT check_id, rec_id, arg_max(status, i) AS status FROM _review_import WHERE matched GROUP BY ALL) GROUP BY status`)) {
      counts[r.status as keyof typeof counts] = Number(r.n);
      applied += Number(r.n);
    }
    await ws.run('DROP TABLE IF EXISTS _review_import');
    await appendTrail(ws, {
      action: 'review.import',
      params: { file: basename(path), reviewer, source: 'field-verification' },
      inputs: [{ file: basename(path), path, sha256 }],
      result: { rows, blank, applied, ...counts, unmatched: unmatched.length, invalid: invalid.length },
    });
  });
  const messages = [
    ...unmatched.map((u) => `${u.sheet}!${u.row}: ${u.reason}`),
    ...invalid.map((u) => `${u.sheet}!${u.row}: ${u.reason}`),
  ];
  const skippedRows = new Set([...unmatched, ...invalid].map((u) => `${u.sheet}!${u.row}`)).size;
  return { file: path, sha256, rows, filled: rows - blank, blank, applied, ...counts, unmatched, invalid, updated: applied, skipped: blank + skippedRows, messages };
}
