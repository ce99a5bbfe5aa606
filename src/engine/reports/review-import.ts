/**
 * Imports a filled field-verification workbook back as exception reviews — and never drops a filled result without
 * saying so. The import is refused (ReviewImportError, nothing written) when:
 *  - the workbook holds no field sheet (e.g. the BPK workbook imported by mistake);
 *  - a field sheet's result column or record-id column cannot be found (header variants such as "HASIL VERIFIKASI"
 *    are recognised);
 *  - a row is rejected: unknown HASIL, a TANGGAL that is not a date ("kemarin"), a record id that is not a number,
 *    the same record on two rows with different results (both rows named), or a row matching no exception.
 * With `partial`, the valid rows are applied and the rejected ones listed (the caller still exits non-zero).
 * Rows issued in the sheet but deleted from the returned one are reported (hidden key sheet).
 * Each row's HASIL maps to a review status per check family (fieldStatus); a row names every check that flags it.
 */
import type ExcelJS from 'exceljs';
import { excel } from '../exceljs';
import { basename } from 'node:path';
import type { Workspace } from '../workspace/workspace';
import { ident } from '../workspace/workspace';
import { appendTrail, sha256File } from '../trail/trail';
import { ensureFindingTables } from '../findings/store';
import { normHeader } from '../ingest/columns';
import { FIELD_KEY_SHEET, FIELD_SHEET, HASIL_VALUES, type Hasil, fieldStatus } from './field-sample';
import { LOSS_CHECKS } from './common';
import { CancelledError, InvalidInputError } from '../../shared/errors';
import { LATEST_REVIEW_SQL } from '../findings/store';

export type { ReviewImportRow, ReviewImportResult } from '../../shared/types';
import type { ReviewImportRow, ReviewImportResult } from '../../shared/types';

/** The import is refused: message names the file, the sheet and what is missing or wrong. */
export class ReviewImportError extends InvalidInputError {
  // A refusal says so in its params (review_refused), with the read-back when there is one (which rows, why): the CLI
  // exits 1 on it and prints the read-back with --json.
  constructor(message: string, readonly result?: ReviewImportResult) { super(message, result ? { review_refused: true, result } : { review_refused: true }); }
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

/** A date cell, an Excel serial, or text dd/mm/yyyy, dd-mm-yyyy, yyyy-mm-dd → 'YYYY-MM-DD'; null when not a date. */
export function parseFieldDate(v: ExcelJS.CellValue): string | null | undefined {
  if (v === null || v === undefined || (typeof v === 'string' && v.trim() === '')) return undefined;
  if (v instanceof Date) return Number.isNaN(v.getTime()) ? null : v.toISOString().slice(0, 10);
  if (typeof v === 'number') return v > 0 && v < 2958466 ? new Date(Math.round((v - 25569) * 86400000)).toISOString().slice(0, 10) : null;
  const t = cellText(v).trim();
  let y: number; let m: number; let d: number;
  let x = /^(\d{4})-(\d{1,2})-(\d{1,2})$/.exec(t);
  if (x) { y = +x[1]; m = +x[2]; d = +x[3]; } else {
    x = /^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$/.exec(t);
    if (!x) return null;
    d = +x[1]; m = +x[2]; y = +x[3];
  }
  const dt = new Date(Date.UTC(y, m - 1, d));
  if (dt.getUTCFullYear() !== y || dt.getUTCMonth() !== m - 1 || dt.getUTCDate() !== d || y < 2000 || y > 2100) return null;
  return dt.toISOString().slice(0, 10);
}

/** Header variants per field column (normalised: upper-case, letters and digits only). */
const HEADERS: Record<'hasil' | 'rec_id' | 'check_id' | 'tanggal' | 'petugas' | 'catatan' | 'seq', string[]> = {
  hasil: ['HASIL', 'HASILVERIFIKASI', 'HASILVERIFIKASILAPANGAN', 'HASILUJIPETIK', 'HASILKUNJUNGAN', 'HASILLAPANGAN', 'RESULT', 'FIELDRESULT', 'STATUSVERIFIKASI'],
  rec_id: ['RECID', 'IDREKAMAN', 'KUNCIIDREKAMAN', 'IDCATATAN', 'RECORDID', 'IDRECORD'],
  check_id: ['CHECKID', 'KODEUJI', 'KUNCIKODEUJI', 'CHECKIDS', 'UJI'],
  tanggal: ['TANGGAL', 'TANGGALVERIFIKASI', 'TANGGALKUNJUNGAN', 'TGL', 'TGLVERIFIKASI', 'TGLKUNJUNGAN', 'DATE'],
  petugas: ['PETUGAS', 'NAMAPETUGAS', 'PETUGASVERIFIKASI', 'OFFICER'],
  catatan: ['CATATAN', 'KETERANGAN', 'CATATANLAPANGAN', 'NOTE'],
  seq: ['NO', 'NOMOR', 'SEQ'],
};
const ALL_KNOWN = new Set([...Object.values(HEADERS).flat(), 'NIK', 'NAMA', 'NOKK', 'ALAMAT', 'PROGRAM', 'KODEWILAYAH', 'NILAIRP', 'TEMUAN', 'TEMUANUJI', 'ALASAN', 'PERIODE', 'KUNCIPERIODE', 'TANGGALSALUR']);

type Col = keyof typeof HEADERS;

function headerIndex(sheet: ExcelJS.Worksheet): { row: number; idx: Partial<Record<Col, number>>; headers: string[] } | null {
  let best: { row: number; score: number; cells: Map<number, string> } | null = null;
  for (let r = 1; r <= Math.min(25, sheet.rowCount); r++) {
    const cells = new Map<number, string>();
    sheet.getRow(r).eachCell((cell, c) => { const t = cellText(cell.value).trim(); if (t) cells.set(c, t); });
    const score = [...cells.values()].filter((t) => ALL_KNOWN.has(normHeader(t))).length;
    if (score >= 2 && (!best || score > best.score)) best = { row: r, score, cells };
  }
  if (!best) return null;
  const idx: Partial<Record<Col, number>> = {};
  for (const [c, t] of best.cells) {
    const n = normHeader(t);
    for (const k of Object.keys(HEADERS) as Col[]) if (idx[k] === undefined && HEADERS[k].includes(n)) idx[k] = c;
  }
  return { row: best.row, idx, headers: [...best.cells.values()] };
}

interface Parsed { sheet: string; row: number; check_id: string; rec_id: string; hasil: string; status: string; note: string }

export async function importReviewWorkbook(ws: Workspace, path: string,
  o: { reviewer?: string; signal?: AbortSignal; partial?: boolean } = {}): Promise<ReviewImportResult> {
  const wb = new (excel().Workbook)();
  await wb.xlsx.readFile(path);
  const sha256 = await sha256File(path);
  const file = basename(path);
  const reviewer = o.reviewer ?? ws.actor();
  const parsed: Parsed[] = [];
  const invalid: ReviewImportRow[] = [];
  let rows = 0;
  let blank = 0;

  // Field sheets: "Uji Petik" and its continuations; else any sheet whose header names a result and a record id.
  const named = wb.worksheets.filter((s) => s.name === FIELD_SHEET || s.name.startsWith(`${FIELD_SHEET} (`));
  const candidates = named.length ? named : wb.worksheets.filter((s) => {
    const h = headerIndex(s);
    return !!h && h.idx.hasil !== undefined && h.idx.rec_id !== undefined;
  });
  if (candidates.length === 0) {
    throw new ReviewImportError(`${file}: bukan lembar uji petik Telisik — tidak ada sheet "${FIELD_SHEET}" dan tidak ada sheet dengan kolom HASIL dan ID Rekaman (rec_id) `
      + `(sheet dalam berkas: ${wb.worksheets.map((s) => s.name).join(', ') || '-'}). Tidak ada yang diimpor.`);
  }
  const seenRec = new Map<string, { sheet: string; row: number; hasil: string }>();
  const present = new Set<string>();
  for (const sheet of candidates) {
    const h = headerIndex(sheet);
    if (!h) throw new ReviewImportError(`${file}, sheet "${sheet.name}": baris judul kolom tidak ditemukan (kolom HASIL dan rec_id hilang). Tidak ada yang diimpor.`);
    if (h.idx.hasil === undefined) {
      throw new ReviewImportError(`${file}, sheet "${sheet.name}": kolom hasil tidak ditemukan (dicari: HASIL, HASIL VERIFIKASI, HASIL UJI PETIK, …; `
        + `judul kolom baris ${h.row}: ${h.headers.join(', ')}). Kolom diganti nama atau dihapus? Tidak ada yang diimpor.`);
    }
    if (h.idx.rec_id === undefined) {
      throw new ReviewImportError(`${file}, sheet "${sheet.name}": kolom kunci ID Rekaman (rec_id) tidak ditemukan (kolom tersembunyi dihapus?; `
        + `judul kolom baris ${h.row}: ${h.headers.join(', ')}). Tanpa rec_id hasil tidak dapat dicocokkan. Tidak ada yang diimpor.`);
    }
    const idx = h.idx as Record<Col, number | undefined>;
    for (let r = h.row + 1; r <= sheet.rowCount; r++) {
      if (o.signal?.aborted) throw new CancelledError('Impor dibatalkan (cancelled)');
      const row = sheet.getRow(r);
      const recId = cellText(row.getCell(idx.rec_id!).value).trim();
      const checkIds = idx.check_id ? cellText(row.getCell(idx.check_id).value).trim() : '';
      const hasilRaw = cellText(row.getCell(idx.hasil!).value).trim();
      const hasil = hasilRaw.toLowerCase().replace(/\s+/g, ' ');
      if (!recId && !hasil) continue;
      rows++;
      if (recId) present.add(recId);
      const base = { sheet: sheet.name, row: r, check_id: checkIds, rec_id: recId, hasil: hasilRaw };
      if (!hasil) { blank++; continue; }
      if (!(HASIL_VALUES as readonly string[]).includes(hasil)) { invalid.push({ ...base, reason: `HASIL tidak dikenal: "${hasilRaw}" (pilihan: ${HASIL_VALUES.join(', ')})` }); continue; }
      if (!/^\d+$/.test(recId)) { invalid.push({ ...base, reason: 'rec_id kosong atau bukan angka (kolom kunci diubah?)' }); continue; }
      const tRaw = idx.tanggal ? row.getCell(idx.tanggal).value : null;
      const tanggal = parseFieldDate(tRaw);
      if (tanggal === null) { invalid.push({ ...base, reason: `TANGGAL "${cellText(tRaw).trim()}" bukan tanggal (isi dd/mm/yyyy)` }); continue; }
      const prev = seenRec.get(recId);
      if (prev && prev.hasil !== hasil) {
        invalid.push({ ...base, reason: `rec_id ${recId} juga ada di ${prev.sheet}!baris ${prev.row} dengan HASIL "${prev.hasil}" — hasil bertentangan (baris ${prev.row} dan ${r})` });
        continue;
      }
      if (prev) continue; // the same result twice: one review
      seenRec.set(recId, { sheet: sheet.name, row: r, hasil });
      const petugas = idx.petugas ? cellText(row.getCell(idx.petugas).value).trim() : '';
      const catatan = idx.catatan ? cellText(row.getCell(idx.catatan).value).trim() : '';
      const ids = checkIds ? checkIds.split(',').map((s) => s.trim()).filter(Boolean) : [''];
      for (const id of ids) {
        const st = fieldStatus(id, hasil as Hasil);
        const note = [`Uji petik: ${hasil}`, st.note, tanggal && `tanggal ${tanggal}`, petugas && `petugas ${petugas}`, catatan, `(${file} ${sheet.name}!${r})`]
          .filter(Boolean).join('; ');
        parsed.push({ ...base, hasil, check_id: id, status: st.status, note });
      }
    }
  }
  // A conflict invalidates the first row too: drop its parsed entries and name it.
  for (const c of invalid.filter((x) => /hasil bertentangan/.test(x.reason))) {
    const first = seenRec.get(c.rec_id);
    if (first && !invalid.some((x) => x.sheet === first.sheet && x.row === first.row)) {
      invalid.push({ sheet: first.sheet, row: first.row, check_id: c.check_id, rec_id: c.rec_id, hasil: first.hasil,
        reason: `rec_id ${c.rec_id} juga ada di ${c.sheet}!baris ${c.row} dengan HASIL "${c.hasil}" — hasil bertentangan (baris ${first.row} dan ${c.row})` });
      for (let i = parsed.length - 1; i >= 0; i--) if (parsed[i].rec_id === c.rec_id) parsed.splice(i, 1);
    }
  }
  // Rows issued (hidden key sheet) but missing from the returned sheet.
  const deleted: { seq: number; rec_id: string; check_id: string }[] = [];
  const key = wb.getWorksheet(FIELD_KEY_SHEET);
  if (key) {
    for (let r = 2; r <= key.rowCount; r++) {
      const row = key.getRow(r);
      const rec = cellText(row.getCell(2).value).trim();
      if (rec && !present.has(rec)) deleted.push({ seq: Number(cellText(row.getCell(1).value)), rec_id: rec, check_id: cellText(row.getCell(3).value).trim() });
    }
  }

  const unmatched: ReviewImportRow[] = [];
  const counts = { confirmed: 0, cleared: 0, open: 0 };
  let applied = 0;
  let written = false;
  let lossFound = 0;
  let lossConfirmed = 0;
  await ws.transaction(async () => {
    await ensureFindingTables(ws);
    const hasId = Number(await ws.scalar(`SELECT count(*) FROM duckdb_columns() WHERE table_name = 'reviews' AND column_name = 'review_id'`)) > 0;
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
    for (const u of await ws.all<{ i: number }>(`SELECT i FROM _review_import WHERE NOT matched ORDER BY i`)) {
      const p = parsed[Number(u.i)];
      unmatched.push({ sheet: p.sheet, row: p.row, check_id: p.check_id, rec_id: p.rec_id, hasil: p.hasil,
        reason: p.check_id ? `tidak ada pengecualian ${p.check_id} dengan rec_id ${p.rec_id}` : `rec_id ${p.rec_id} tidak ada dalam tabel pengecualian mana pun` });
    }
    const rejected = invalid.length + unmatched.length;
    const refuse = rejected > 0 && !o.partial;
    if (!refuse) {
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
      written = true;
    }
    // Potential loss of the sample's records: as found, and confirmed (latest review) after this import.
    if (await ws.tableExists('potential_loss')) {
      const loss = [...LOSS_CHECKS].map((c) => `'${c}'`).join(', ');
      const r = await ws.one<{ found: number; confirmed: number }>(`
        WITH s AS (SELECT DISTINCT rec_id FROM _review_import),
        lr AS (${LATEST_REVIEW_SQL})
        SELECT coalesce(sum(p.amount), 0)::DOUBLE AS found,
          coalesce(sum(p.amount) FILTER (WHERE EXISTS (SELECT 1 FROM lr WHERE lr.rec_id = p.rec_id AND lr.status = 'confirmed' AND lr.check_id IN (${loss}))), 0)::DOUBLE AS confirmed
        FROM potential_loss p WHERE p.rec_id IN (SELECT rec_id FROM s)`).catch(() => undefined);
      lossFound = Number(r?.found ?? 0);
      lossConfirmed = Number(r?.confirmed ?? 0);
    }
    await ws.run('DROP TABLE IF EXISTS _review_import');
    if (written) {
      await appendTrail(ws, {
        action: 'review.import',
        params: { file, reviewer, source: 'field-verification', partial: !!o.partial },
        inputs: [{ file, path, sha256 }],
        result: { rows, blank, applied, ...counts, unmatched: unmatched.length, invalid: invalid.length, deleted: deleted.length },
      });
    }
  });
  const messages = [
    ...invalid.map((u) => `${file}, ${u.sheet}!baris ${u.row}: ${u.reason}`),
    ...unmatched.map((u) => `${file}, ${u.sheet}!baris ${u.row}: ${u.reason}`),
    ...deleted.map((d) => `${file}: baris No ${d.seq} (rec_id ${d.rec_id}, ${d.check_id}) dihapus dari lembar yang dikembalikan`),
  ];
  const rejected = invalid.length + unmatched.length;
  const skippedRows = new Set([...unmatched, ...invalid].map((u) => `${u.sheet}!${u.row}`)).size;
  const result: ReviewImportResult = {
    file: path, sha256, rows, filled: rows - blank, blank, applied, ...counts, unmatched, invalid, deleted, rejected, written,
    potential_loss: { found: lossFound, confirmed: lossConfirmed },
    updated: applied, skipped: blank + skippedRows, messages,
  };
  if (rejected > 0 && !o.partial) {
    throw new ReviewImportError(`${file}: ${rejected} baris ditolak — tidak ada hasil yang diimpor (perbaiki lalu impor ulang, atau gunakan --partial):\n`
      + messages.map((m) => `  ${m}`).join('\n'), result);
  }
  return result;
}
