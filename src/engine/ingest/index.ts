/**
 * Ingest: importFile() reads one extract (CSV/TSV/TXT, XLSX, Parquet, JSON/NDJSON) into its canonical table.
 *
 * Two routes, one result (test/ingest/text-readers.test.ts proves them equal):
 *  - direct.ts — a clean UTF-8 CSV of a canonical kind: DuckDB's read_csv feeds the staging SELECT of canonical.ts
 *    while Node hashes and checks the bytes; no raw copy of the file (`raw_<id>` is a view over the source).
 *  - readers.ts — everything else: the line reader (SHA-256, decoding, quote-aware splitting, Appender), read_csv
 *    for clean UTF-8 (loadTextFast), XLSX, Parquet and JSON fill a `raw_<id>` table with every record as text and
 *    its physical line; canonical.ts then infers column styles over it and stages every value.
 * From the stage (canonical.ts) the loaded rows go to the canonical table in file order and the others to `rejects`
 * with their verbatim text and a reason; rows_read = rows_loaded + rows_rejected, always. One transaction per file;
 * the import_log row is committed as 'started' before it and completed/failed/cancelled after.
 */
import type { ImportRecord } from '../../shared/types';
import { existsSync, statSync } from 'node:fs';
import { basename, resolve } from 'node:path';
import { appendTrail, sha256File } from '../trail/trail';
import { ident, type Workspace } from '../workspace/workspace';
import { ensureRegions } from '../reference/regions';
import { KINDS, isKind, normListName, type Kind } from './columns';
import { DuplicateImportError, ImportError, cleanMessage, type EarlierImport } from './errors';
import { readHead, sniffEncoding } from './text';
import { loadProfile } from './tables';
import { AMOUNT_CEILING, type ImportQuality, type LoadCtx, type RawLoad, cancelledError, checkAbort, normaliseMap } from './shared';
import { detectFormat, isEncryptedOoxml, loadColumnar, loadText, loadTextFast, loadXlsx } from './readers';
import { createRawView, loadTextDirect } from './direct';
import { PARSE_SQL } from './parse-macros';
import { type CanonicalResult, finishDirect, inferenceWarnings, loadCanonical, loadOther, otherTableName } from './canonical';

export { DuplicateImportError, ImportError, cleanMessage, type EarlierImport } from './errors';
export { detectKind, detectKindScores, normHeader, matchHeader, KINDS, KIND_SPECS } from './columns';
export type { Kind } from './columns';
export { AMOUNT_CEILING, WIDE_COLUMNS, buildMapping, rawColumnNames, type ColumnQuality, type ImportQuality } from './shared';
export { otherTableName, ReorderingPlan } from './canonical';
export * from './tables';

const withParsers = new WeakSet<Workspace>();

/**
 * Installs the value-parsing macros (tl_date, tl_amount, tl_id, …) on the workspace connection, once: they are TEMP
 * macros of that connection and no import runs inside a caller's transaction that could roll them back.
 */
export async function installParsers(ws: Workspace): Promise<void> {
  if (withParsers.has(ws)) return;
  await ws.run(PARSE_SQL);
  withParsers.add(ws);
}

export interface ImportProgress { phase: string; rows: number; bytes: number; totalBytes: number }

export interface ImportOptions {
  kind: Kind;
  path: string;
  /** canonical column -> source header (keys may be given as `kind.column`) */
  map?: Record<string, string>;
  profile?: string;
  sheet?: string;
  /** for kind 'other': table name (becomes other_<name>) */
  table?: string;
  onProgress?: (p: ImportProgress) => void;
  signal?: AbortSignal;
  /** kind 'flags' without a list column: the list name (default: the file name without extension); normalised */
  list?: string;
  /** delimited text: 'auto' lets DuckDB read a clean UTF-8 file (loadTextFast); 'lines' always uses the line reader */
  textReader?: 'auto' | 'lines';
  /**
   * Import even when the same bytes (SHA-256) were already imported into the same table (DuplicateImportError
   * otherwise); the trail entry records allow_duplicate and the earlier import.
   */
  allowDuplicate?: boolean;
}

/** A completed earlier import of the same bytes into the same table, if any. */
export async function findEarlierImport(ws: Workspace, sha256: string, target: string, sheet: string | null): Promise<EarlierImport | undefined> {
  // A workbook's sheets are different data: the same workbook with another sheet is not a duplicate.
  const r = await ws.one<EarlierImport>(`SELECT import_id, file, path, kind, target_table, strftime(finished_at, '%Y-%m-%d %H:%M:%S') AS finished_at, rows_loaded, sha256
    FROM import_log WHERE status = 'completed' AND sha256 = $h AND target_table = $t AND sheet IS NOT DISTINCT FROM $sh ORDER BY import_id LIMIT 1`, { h: sha256, t: target, sh: sheet });
  return r ? { ...r, import_id: Number(r.import_id), rows_loaded: Number(r.rows_loaded) } : undefined;
}

/**
 * The duplicate check every import entry point shares (CLI import/audit, service importFiles): hashes the file only
 * when an earlier completed import into the same table has the same size (cheap), answers that import.
 */
export async function duplicateOf(ws: Workspace, path: string, kind: Kind, table?: string, sheet?: string): Promise<EarlierImport | undefined> {
  const abs = resolve(path);
  // A workbook without a chosen sheet: which sheet is read is known only once it is opened (the load-time check).
  if (sheet === undefined && /\.xls[xm]$/i.test(abs)) return undefined;
  let size: number;
  try { size = statSync(abs).size; } catch { return undefined; }
  const target = kind === 'other' ? otherTableName(table ?? basename(abs)) : kind;
  const n = Number(await ws.scalar(`SELECT count(*) FROM import_log WHERE status = 'completed' AND target_table = $t AND size_bytes = $s`, { t: target, s: size }));
  if (!n) return undefined;
  return findEarlierImport(ws, await sha256File(abs), target, sheet ?? null);
}


/** The fields an import shares with its import_log row (the contract's ImportRecord), plus what only the run knows. */
export interface ImportResult extends Pick<ImportRecord, 'import_id' | 'file' | 'path' | 'sha256' | 'size_bytes' | 'format'
  | 'encoding' | 'delimiter' | 'sheet' | 'rows_read' | 'rows_loaded' | 'rows_rejected' | 'mapping' | 'warnings'> {
  kind: Kind;
  header_line: number | null;
  headers: string[];
  quality: ImportQuality;
  target_table: string;
  raw_table: string;
}

// ---------------------------------------------------------------------------------------------------------------

/** Imports one file into the workspace. Throws ImportError for input problems (the workspace is then unchanged
 *  apart from the import_log row, which says failed/cancelled). */
export async function importFile(ws: Workspace, opts: ImportOptions): Promise<ImportResult> {
  const kind = opts.kind;
  if (!isKind(kind)) throw new ImportError(`Jenis data tidak dikenal: ${kind} (unknown kind; one of ${KINDS.join(', ')})`, opts.path);
  const abs = resolve(opts.path);
  const file = basename(abs);
  if (!existsSync(abs) || !statSync(abs).isFile()) throw new ImportError(`Berkas tidak ditemukan: ${abs} (file not found)`, file);
  const before = statSync(abs);
  const size = before.size;
  if (size === 0) throw new ImportError(`Berkas ${file} kosong (empty file, 0 bytes)`, file);
  checkAbort(opts.signal, file);
  // Same bytes already imported into the same table: refused before any work (the check inside the load below
  // catches what this size-filtered pre-check cannot, e.g. an earlier size_bytes recorded differently).
  if (!opts.allowDuplicate) {
    const earlier = await duplicateOf(ws, abs, kind, opts.table, opts.sheet);
    if (earlier) throw new DuplicateImportError(file, earlier);
  }

  let override = normaliseMap(kind, opts.map);
  if (opts.profile) {
    const p = await loadProfile(ws, opts.profile);
    if (!p) throw new ImportError(`Profil pemetaan "${opts.profile}" tidak ditemukan (mapping profile not found)`, file);
    override = { ...normaliseMap(kind, p.mapping), ...override };
  }

  await ensureRegions(ws);
  await installParsers(ws);
  const head = await readHead(abs);
  if (head.length >= 4 && head[0] === 0xd0 && head[1] === 0xcf && head[2] === 0x11 && head[3] === 0xe0) {
    if (await isEncryptedOoxml(abs, head)) {
      throw new ImportError(`Berkas XLSX ${file} terenkripsi/dilindungi kata sandi (password-protected) — buka di Excel, simpan tanpa sandi, lalu impor ulang (encrypted workbook: open it in Excel, save it without a password, import again)`, file);
    }
    throw new ImportError(`Berkas ${file} berformat Excel lama (.xls) yang tidak didukung — simpan ulang sebagai .xlsx atau CSV (legacy .xls is not supported; save as .xlsx or CSV)`, file);
  }
  const format = detectFormat(abs, head);
  const importId = Number(await ws.scalar<number>('SELECT coalesce(max(import_id), 0) + 1 FROM import_log'));
  const rawTable = `raw_${importId}`;
  const target = kind === 'other' ? otherTableName(opts.table ?? file) : kind;
  await ws.run(`INSERT INTO import_log (import_id, kind, file, path, size_bytes, format, sheet, raw_table, target_table, status, started_at, actor)
    VALUES ($id, $kind, $file, $path, $size, $format, $sheet, $raw, $target, 'started', now()::TIMESTAMP, $actor)`, {
    id: importId, kind, file, path: abs, size, format, sheet: opts.sheet ?? null, raw: rawTable, target, actor: ws.actor(),
  });

  const t0 = Date.now();
  let lastProgress = 0;
  const ctx: LoadCtx = {
    ws, kind, file, abs, size, rawTable, override, sheet: opts.sheet, signal: opts.signal,
    listName: normListName(opts.list?.trim() ? opts.list : file.replace(/\.[^.]*$/, '')),
    progress: (phase, rows, bytes) => {
      if (!opts.onProgress) return;
      const now = Date.now();
      if (phase === 'read' && now - lastProgress < 100 && bytes < size) return;
      lastProgress = now;
      opts.onProgress({ phase, rows, bytes, totalBytes: size });
    },
  };
  const warnings: string[] = [];
  // a cancel while DuckDB is busy interrupts the running statement; the transaction then rolls back
  const onAbort = () => { try { ws.conn.interrupt(); } catch { /* nothing running */ } };
  opts.signal?.addEventListener('abort', onAbort);
  try {
    // The direct reader stages the canonical values as it reads (no raw table). Its stage is a scratch table built
    // before the transaction: committed, it has statistics and row ids in file order (rows appended inside a
    // transaction get transaction-local ids). The transaction below makes it part of the canonical table.
    const direct = format === 'csv' && opts.textReader !== 'lines' ? await loadTextDirect(ctx, sniffEncoding(head), head, importId) : null;
    const result = await ws.transaction(async () => {
      let raw: RawLoad;
      if (direct) {
        raw = direct.raw;
        await createRawView(ctx, raw);
      } else if (format === 'csv') {
        const enc = sniffEncoding(head);
        raw = (opts.textReader !== 'lines' ? await loadTextFast(ctx, enc, head) : null) ?? await loadText(ctx, enc, head);
        const tr = raw.transcoded ?? 0;
        if (tr > 0 && raw.encoding === 'windows-1252') {
          warnings.push(`Berkas bukan UTF-8 yang sah; dibaca sebagai Windows-1252 (not valid UTF-8; read as Windows-1252; ${tr} lines transcoded)`);
        } else if (tr > 0) {
          warnings.push(`${tr} baris bukan UTF-8 yang sah; baris itu dibaca sebagai Windows-1252, baris lain tetap UTF-8 (${tr} lines not valid UTF-8, decoded as Windows-1252)`);
        }
      } else if (format === 'xlsx') { raw = await loadXlsx(ctx); warnings.push(...(raw.notes ?? [])); }
      else raw = await loadColumnar(ctx, format, head);
      if (raw.compact) {
        warnings.push(`Berkas sangat lebar (${raw.headers.length.toLocaleString('en-US')} kolom): tabel ${rawTable} menyimpan baris verbatim (_raw) dan kolom yang dipetakan saja (wide file: raw table keeps the verbatim line and the mapped columns)`);
      }
      checkAbort(opts.signal, file);
      const earlier = await findEarlierImport(ws, raw.sha256, target, raw.sheet ?? null);
      if (earlier && !opts.allowDuplicate) throw new DuplicateImportError(file, earlier);
      // size_bytes and sha256 must describe the same bytes: a file that changed while it was read is refused.
      const after = statSync(abs);
      if (after.size !== before.size || after.mtimeMs !== before.mtimeMs) {
        throw new ImportError(`Berkas ${file} berubah selama impor (${before.size} → ${after.size} byte) — impor ulang setelah berkas selesai ditulis (the file changed while it was imported; import it again once it is complete)`, file);
      }
      ctx.progress('parse', raw.rows, size);

      const mapping: Record<string, string> = {};
      for (const [c, i] of Object.entries(raw.idx)) mapping[c] = raw.headers[i] || raw.rawCols[i];
      let loadRes: { loaded: number; rejected: number; quality: ImportQuality };
      if (kind === 'other') loadRes = await loadOther(ctx, importId, raw, target);
      else {
        let r: CanonicalResult;
        if (direct) { inferenceWarnings(direct.inf, warnings); r = await finishDirect(ctx, importId, raw, direct.inf, direct.prep); }
        else r = await loadCanonical(ctx, importId, raw, warnings);
        r.quality.inference = { month_first: r.inference.mdy, comma_thousands: r.inference.us };
        loadRes = r;
      }
      const quality = loadRes.quality;
      if (quality.rows_read !== loadRes.loaded + loadRes.rejected || quality.rows_read !== raw.rows) {
        throw new ImportError(`Invarian gagal: rows_read ${raw.rows} ≠ loaded ${loadRes.loaded} + rejected ${loadRes.rejected} (nothing-lost invariant broken)`, file);
      }
      if (raw.transcoded) quality.transcoded_lines = raw.transcoded;
      // implausible values are loaded (they are evidence) and pointed out (R10)
      for (const [c, cq] of Object.entries(quality.columns)) {
        const ceil = kind === 'budget' ? AMOUNT_CEILING.budget : AMOUNT_CEILING.default;
        if (cq.negative) warnings.push(`Kolom ${c}: ${cq.negative} nilai negatif (negative amounts; loaded, check them)`);
        if (cq.above_ceiling) warnings.push(`Kolom ${c}: ${cq.above_ceiling} nilai di atas Rp ${ceil.toLocaleString('id-ID')} (amounts above the plausibility ceiling; loaded, check them)`);
        if (cq.before_1900) warnings.push(`Kolom ${c}: ${cq.before_1900} tanggal sebelum 1900 (dates before 1900; loaded, check them)`);
        if (cq.after_next_year) warnings.push(`Kolom ${c}: ${cq.after_next_year} tanggal lebih dari setahun ke depan (dates after today + 1 year; loaded, check them)`);
      }
      if (quality.total_rows) warnings.push(`${quality.total_rows} baris total ditolak (total rows rejected)`);
      if (quality.nik?.damaged) warnings.push(`${quality.nik.damaged} NIK rusak oleh spreadsheet (damaged by spreadsheet)`);
      for (let i = 0; i < warnings.length; i++) warnings[i] = cleanMessage(warnings[i]);
      const res: ImportResult = {
        import_id: importId, kind, file, path: abs, sha256: raw.sha256, size_bytes: size, format: raw.format,
        encoding: raw.encoding, delimiter: raw.delimiter, sheet: raw.sheet, header_line: raw.headerLine,
        rows_read: raw.rows, rows_loaded: loadRes.loaded, rows_rejected: loadRes.rejected, mapping, headers: raw.headers,
        quality, warnings, target_table: target, raw_table: rawTable,
      };
      await ws.run(`UPDATE import_log SET sha256 = $sha, encoding = $enc, delimiter = $delim, sheet = $sheet, header_line = $hl,
          rows_read = $rr, rows_loaded = $rl, rows_rejected = $rj, mapping = $mapping, headers = $headers, quality = $quality,
          status = 'completed', message = $msg, finished_at = now()::TIMESTAMP WHERE import_id = $id`, {
        sha: res.sha256, enc: res.encoding, delim: res.delimiter, sheet: res.sheet, hl: res.header_line,
        rr: res.rows_read, rl: res.rows_loaded, rj: res.rows_rejected, mapping: JSON.stringify(mapping),
        headers: JSON.stringify(res.headers), quality: JSON.stringify(quality), msg: warnings.join('; ') || null, id: importId,
      });
      await appendTrail(ws, {
        action: 'import',
        params: { kind, mapping, sheet: res.sheet, table: target, profile: opts.profile ?? null, ...(kind === 'flags' ? { list: opts.list ?? null } : {}),
          ...(earlier ? { allow_duplicate: true, duplicate_of: earlier.import_id } : {}) },
        inputs: [{ file, path: abs, sha256: res.sha256, size_bytes: size }],
        result: { import_id: importId, raw_layer: direct ? 'view' : 'table', reader: raw.verbatimFromFile ? 'duckdb_read_csv' : raw.format === 'csv' ? 'lines' : raw.format, rows_read: res.rows_read, rows_loaded: res.rows_loaded, rows_rejected: res.rows_rejected, format: res.format, encoding: res.encoding, delimiter: res.delimiter, header_line: res.header_line, ms: Date.now() - t0 },
      });
      return res;
    });
    ctx.progress('done', result.rows_read, size);
    return result;
  } catch (e) {
    const cancelled = (e instanceof ImportError && e.cancelled) || !!opts.signal?.aborted;
    const err = e instanceof ImportError ? e
      : cancelled ? cancelledError(file)
      : new ImportError(`Impor ${file} gagal (import failed): ${(e as Error).message}`, file);
    await ws.run(`UPDATE import_log SET status = $s, message = $m, finished_at = now()::TIMESTAMP WHERE import_id = $id`,
      { s: cancelled ? 'cancelled' : 'failed', m: err.message, id: importId }).catch(() => undefined);
    await ws.run(`DROP TABLE IF EXISTS ${ident(`_stg_${importId}`)}`).catch(() => undefined);
    await ws.run(`DROP TABLE IF EXISTS ${ident(`_tl_rej_${importId}`)}`).catch(() => undefined);
    await ws.run(`DROP TABLE IF EXISTS ${ident(`_json_${rawTable}`)}`).catch(() => undefined);
    throw err;
  } finally {
    opts.signal?.removeEventListener('abort', onAbort);
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Mapping profiles
