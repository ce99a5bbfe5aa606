/**
 * What every workbook reads from the workspace: the latest analysis run, check descriptions, review counts, the
 * exception tables (streamed, never loaded whole) and the closing audit-trail sheets.
 */
import type { Params, Workspace } from '../workspace/workspace';
import { ident } from '../workspace/workspace';
import { verifyTrail } from '../trail/trail';
import { HEAD_LABEL, HEAD_SEQ_LABEL } from '../trail/receipt';
import { POTENTIAL_LOSS_CHECKS, getCheck } from '../checks/registry';
import { LATEST_REVIEW_SQL } from '../findings/store';
import {
  type ColumnKind, type ColumnSpec, type ReportBook, type TableOptions, TableWriter,
  HEADER_FILL, HEADER_FONT, appVersion, vocabColumn, writePairs,
} from './format';
import { columnSpec } from '../../shared/vocabulary';
import { preparationSql, sqlUses } from './lhp';

export interface CheckResultRow {
  run_id: unknown;
  check_id: string;
  family: string | null;
  evaluated: boolean;
  records: number;
  recipients: number;
  amount: number;
  extra: string | null;
  params: string | null;
  sql: string | null;
  inputs: string | null;
  ms: number | null;
}

/** Checks whose paid records make up potential state loss (DOMAIN.md "Potential loss"): as their definitions say. */
export const LOSS_CHECKS: ReadonlySet<string> = new Set(POTENTIAL_LOSS_CHECKS);

export interface CheckInfo { title: string; objective: string; procedure: string; kriteria: string; sebab: string; rekomendasi: string }

/** Texts for a check: its definition's title, description (the procedure) and report texts. */
export function checkInfo(id: string): CheckInfo {
  const def = getCheck(id);
  if (def) return { title: def.title.id, procedure: def.description.id, ...def.report };
  return {
    title: id.replace(/_/g, ' '), objective: `Prosedur ${id}.`, procedure: `Prosedur analitis ${id} (lihat SQL).`,
    kriteria: '', sebab: '', rekomendasi: '',
  };
}

const n = (v: unknown): number => (v === null || v === undefined ? 0 : Number(v));

/** The run the workbooks report: the latest finished run in analysis_runs, else the highest run_id. */
export async function latestRunId(ws: Workspace): Promise<unknown> {
  if (!(await ws.tableExists('check_results'))) return null;
  if (await ws.tableExists('analysis_runs')) {
    const r = await ws.one<{ run_id: unknown }>(
      `SELECT run_id FROM analysis_runs WHERE run_id IN (SELECT run_id FROM check_results)
       ORDER BY coalesce(CAST(finished_at AS VARCHAR), CAST(started_at AS VARCHAR)) DESC NULLS LAST, run_id DESC LIMIT 1`).catch(() => undefined);
    if (r) return r.run_id;
  }
  return ws.scalar('SELECT max(run_id) FROM check_results');
}

export async function checkResults(ws: Workspace, runId?: unknown): Promise<CheckResultRow[]> {
  const run = runId ?? (await latestRunId(ws));
  if (run === null || run === undefined) return [];
  const rows = await ws.all<CheckResultRow>(
    `SELECT * FROM check_results WHERE CAST(run_id AS VARCHAR) = CAST($r AS VARCHAR) ORDER BY check_id`, { r: String(run) });
  return rows.map((r) => ({
    ...r, records: n(r.records), recipients: n(r.recipients), amount: n(r.amount), evaluated: !!r.evaluated,
    extra: jsonText(r.extra), params: jsonText(r.params), inputs: jsonText(r.inputs),
  }));
}

function jsonText(v: unknown): string | null {
  if (v === null || v === undefined) return null;
  return typeof v === 'string' ? v : JSON.stringify(v);
}

export async function excTableExists(ws: Workspace, checkId: string): Promise<boolean> {
  return ws.tableExists(`exc_${checkId}`);
}

/**
 * Latest review per (check_id, rec_id). reviews is an append-only history (src/engine/findings/store.ts): the highest
 * review_id wins; a reviews table without review_id (older or hand-made) falls back to reviewed_at.
 */
export interface ReviewCounts { confirmed: number; cleared: number; open: number }

export async function reviewCounts(ws: Workspace, checkId: string, records: number): Promise<ReviewCounts> {
  if (!(await ws.tableExists('reviews')) || !(await excTableExists(ws, checkId))) return { confirmed: 0, cleared: 0, open: records };
  const r = await ws.one<{ confirmed: number; cleared: number }>(
    `WITH lr AS (${LATEST_REVIEW_SQL})
     SELECT count(*) FILTER (WHERE lr.status = 'confirmed') AS confirmed, count(*) FILTER (WHERE lr.status = 'cleared') AS cleared
     FROM ${ident(`exc_${checkId}`)} e JOIN lr ON lr.check_id = $c AND lr.rec_id = CAST(e.rec_id AS BIGINT)`, { c: checkId });
  const confirmed = n(r?.confirmed);
  const cleared = n(r?.cleared);
  return { confirmed, cleared, open: Math.max(0, records - confirmed - cleared) };
}

/** Indonesian labels for the fixed leading exception columns; evidence columns keep their names. */
export const EXC_LABELS: Record<string, string> = {
  check_id: 'Prosedur', source_table: 'Tabel sumber', rec_id: 'ID catatan', _file: 'File sumber', _line: 'Baris',
  nik: 'NIK', name: 'Nama', program: 'Program', period_key: 'Periode', paid_date: 'Tanggal salur', amount: 'Nilai (Rp)',
  reason: 'Alasan', review_status: 'Status reviu', review_note: 'Catatan reviu', reviewer: 'Reviewer', reviewed_at: 'Tanggal reviu',
};

export function rupiahText(v: number): string {
  return 'Rp ' + Math.round(v).toLocaleString('id-ID');
}
export function intText(v: number): string {
  return Math.round(v).toLocaleString('id-ID');
}

export interface QueryTableOptions extends TableOptions {
  labels?: Record<string, string>;
  kinds?: Record<string, ColumnKind>;
  widths?: Record<string, number>;
  hidden?: string[];
  /** Called with the built column specs before the first row (e.g. for cross-references). */
  onColumns?: (cols: ColumnSpec[]) => void;
}

/**
 * Streams a query into a TableWriter chunk by chunk on a second connection (so the main connection stays free and
 * no more than one DuckDB chunk of rows lives in JS at a time).
 */
export type QueryParams = Params | undefined;

export async function writeQueryTable(book: ReportBook, ws: Workspace, base: string, sql: string,
  params: QueryParams, o: QueryTableOptions = {}): Promise<TableWriter> {
  const conn = await ws.instance.connect();
  try {
    const result = await conn.stream(sql, params);
    const names = result.columnNames();
    const types = result.columnTypes().map((t) => t.toString());
    const cols: ColumnSpec[] = names.map((name, i) => {
      const v = vocabColumn(name, types[i], o.labels?.[name]);
      return { ...v, kind: o.kinds?.[name] ?? v.kind, width: o.widths?.[name] ?? (o.kinds?.[name] ? undefined : v.width), hidden: o.hidden?.includes(name) };
    });
    o.onColumns?.(cols);
    const table = new TableWriter(book, base, cols, o);
    await table.open();
    for await (const rows of result.yieldRowsJs()) {
      for (const r of rows) await table.add(r as unknown[]);
      book.checkAbort();
    }
    await table.close();
    return table;
  } finally {
    conn.closeSync();
  }
}

/** The exception list of one check with the latest review of each record. */
export async function lampiranSql(ws: Workspace, checkId: string): Promise<string> {
  const t = ident(`exc_${checkId}`);
  const reviewed = (await ws.tableExists('reviews'))
    && Number(await ws.scalar(`SELECT count(*) FROM reviews WHERE check_id = $c`, { c: checkId })) > 0;
  if (reviewed) {
    return `WITH lr AS (${LATEST_REVIEW_SQL})
      SELECT e.*, coalesce(lr.status, 'open') AS review_status, lr.note AS review_note, lr.reviewer AS reviewer, lr.reviewed_at AS reviewed_at
      FROM ${t} e LEFT JOIN (SELECT * FROM lr WHERE check_id = '${checkId.replace(/'/g, "''")}') lr ON lr.rec_id = CAST(e.rec_id AS BIGINT)
      ORDER BY e.rec_id`;
  }
  // No review to join: a plain scan, which keeps the table's order — runChecks writes every exc_ table ORDER BY
  // rec_id — and streams without DuckDB materialising a sorted copy first (1.29M rows of identity_duplicate at 10M).
  return `SELECT e.*, 'open' AS review_status, NULL::VARCHAR AS review_note, NULL::VARCHAR AS reviewer, NULL::TIMESTAMP AS reviewed_at
    FROM ${t} e`;
}

export interface TrailHead { head: string; entries: number; ok: boolean }

/** Closing sheets of every workbook: source files with hashes and row counts, then every trail entry. */
export async function writeTrailSheets(book: ReportBook, ws: Workspace): Promise<{ sheets: string[]; trail: TrailHead }> {
  const sheets: string[] = [];
  const v = await verifyTrail(ws, { checkSources: false });
  const trail = { head: v.head, entries: v.entries, ok: v.ok };
  if (await ws.tableExists('import_log')) {
    const t = await writeQueryTable(book, ws, 'Sumber Data',
      `SELECT import_id, kind, file, sha256, size_bytes, format, encoding, sheet, rows_read, rows_loaded, rows_rejected,
              status, started_at, finished_at, actor, path
       FROM import_log ORDER BY import_id`, undefined, {
        phase: 'trail',
        labels: { import_id: 'ID impor', kind: 'Jenis', file: 'File', sha256: 'SHA-256', size_bytes: 'Ukuran (byte)', rows_read: 'Baris dibaca', rows_loaded: 'Baris dimuat', rows_rejected: 'Baris ditolak', started_at: 'Mulai', finished_at: 'Selesai' },
        kinds: { size_bytes: 'int', rows_read: 'int', rows_loaded: 'int', rows_rejected: 'int', import_id: 'int' },
        widths: { sha256: 68, path: 50 },
      });
    sheets.push(...t.sheetNames);
  }
  const pre: [string, unknown][] = [
    ['Jejak audit (audit trail)', 'Setiap impor, analisis, perubahan pengaturan, reviu dan ekspor, berantai hash SHA-256.'],
    [HEAD_LABEL, v.head],
    [HEAD_SEQ_LABEL, String(v.head_seq)],
    ['Jumlah entri', String(v.entries)],
    ['Bukti (receipt)', 'telisik verify --workspace W --receipt <berkas ini>'],
    ['Rantai utuh', v.ok ? 'ya — hash dihitung ulang dan cocok' : `TIDAK — ${v.breaks.map((b) => `#${b.seq}: ${b.problem}`).join('; ')}`],
    ['Versi aplikasi', `Telisik ${appVersion()}`],
  ];
  const t = await writeQueryTable(book, ws, 'Jejak Audit',
    `SELECT seq, "at", actor, "action", params, inputs, "result", prev_hash, "hash" FROM audit_trail ORDER BY seq`, undefined, {
      phase: 'trail',
      labels: { seq: 'No', at: 'Waktu (UTC)', actor: 'Pelaku', action: 'Tindakan', params: 'Parameter', inputs: 'Input', result: 'Hasil', prev_hash: 'Hash sebelumnya', hash: 'Hash' },
      kinds: { seq: 'int', at: 'text', params: 'json', inputs: 'json', result: 'json' },
      widths: { at: 24, prev_hash: 68, hash: 68, params: 50, inputs: 40, result: 50 },
      preamble: { rows: pre.length + 1, write: (s) => { writePairs(book, s, 1, pre); } },
    });
  sheets.push(...t.sheetNames);
  return { sheets, trail };
}

/** "file (kind, rows, SHA-256 …)" for each input of a check or run. */
export function inputsText(json: string | null): string {
  if (!json) return '';
  try {
    const v = JSON.parse(json) as unknown;
    const list = Array.isArray(v) ? v : (v && typeof v === 'object' && Array.isArray((v as { imports?: unknown[] }).imports)) ? (v as { imports: unknown[] }).imports : null;
    if (!list) return json;
    return list.map((x) => {
      const o = (x ?? {}) as Record<string, unknown>;
      return `${String(o.file ?? o.table ?? '?')} (${String(o.kind ?? '')}${o.rows_loaded !== undefined ? `, ${intText(Number(o.rows_loaded))} baris` : ''}${o.sha256 ? `, SHA-256 ${String(o.sha256)}` : ''})`;
    }).join('\n');
  } catch { return json; }
}

/**
 * Methodology an examiner can re-perform: sheet "Metodologi" — each check's procedure, parameters, inputs with
 * SHA-256, the prepared tables and macros its SQL uses; sheet "Metodologi SQL" — the complete SQL, one line per row:
 * the workspace macros, the shared preparation (chk_paid, …), the run's programme rules, then every check's SELECT.
 * Indicator computations of the run follow on the first sheet.
 */
export async function writeMethodology(book: ReportBook, ws: Workspace, results?: CheckResultRow[]): Promise<string[]> {
  const runId = await latestRunId(ws);
  const rows = results ?? (await checkResults(ws, runId));
  const runParams = runId === null || runId === undefined || !(await ws.tableExists('analysis_runs')) ? null
    : await ws.scalar<unknown>(`SELECT CAST(params AS VARCHAR) FROM analysis_runs WHERE CAST(run_id AS VARCHAR) = $r`, { r: String(runId) }).catch(() => null);
  const sqlName = book.names.take('Metodologi SQL');
  // Lines of the SQL sheet, so the first sheet can say where each check's SQL starts.
  const lines: { part: string; text: string; bold?: boolean }[] = [];
  const at = new Map<string, number>();
  const add = (part: string, sql: string, title: string): void => {
    at.set(part, lines.length + 2);
    lines.push({ part, text: `-- ${title}`, bold: true });
    for (const l of sql.replace(/\r\n/g, '\n').split('\n')) lines.push({ part, text: l });
    lines.push({ part, text: '' });
  };
  for (const p of preparationSql(runParams)) add('persiapan', p.sql, p.title);
  for (const c of rows) if (c.sql) add(c.check_id, c.sql, `Uji ${c.check_id}: ${checkInfo(c.check_id).title} — parameter ${c.params ?? '{}'}`);

  const cols: ColumnSpec[] = [
    { key: 'check_id', header: columnSpec('check_id').id, kind: 'id', width: 20 }, { key: 'family', header: columnSpec('family').id, kind: 'id', width: 13 },
    { key: 'title', header: 'Judul', kind: 'text', width: 30 }, { key: 'procedure', header: 'Uraian Prosedur', kind: 'text', width: 50 },
    { key: 'evaluated', header: columnSpec('evaluated').id, kind: 'text', width: 14 }, { key: 'records', header: columnSpec('records').id, kind: 'int' },
    { key: 'recipients', header: columnSpec('recipients').id, kind: 'int' }, { key: 'amount', header: columnSpec('amount').id, kind: 'rupiah' },
    { key: 'params', header: columnSpec('params').id, kind: 'text', width: 30 }, { key: 'inputs', header: 'Masukan (berkas, baris, SHA-256)', kind: 'text', width: 60 },
    { key: 'uses', header: 'Tabel/Makro Persiapan yang Dipakai', kind: 'text', width: 28 }, { key: 'sql_ref', header: 'SQL Lengkap', kind: 'text', width: 26 },
    { key: 'ms', header: columnSpec('ms').id, kind: 'int' }, { key: 'run_id', header: 'Run', kind: 'id', width: 8 },
  ];
  const t = new TableWriter(book, 'Metodologi', cols, { phase: 'methodology' });
  for (const c of rows) {
    const info = checkInfo(c.check_id);
    const uses = c.sql ? sqlUses(c.sql).join(', ') : '';
    await t.add([c.check_id, c.family, info.title, info.procedure, c.evaluated ? 'ya' : 'tidak (input tidak tersedia)',
      c.evaluated ? c.records : null, c.evaluated ? c.recipients : null, c.evaluated ? c.amount : null,
      c.params, inputsText(c.inputs), uses, at.has(c.check_id) ? `${sqlName} baris ${at.get(c.check_id)} (persiapan: baris 2)` : '', c.ms, c.run_id]);
  }
  if (runId !== null && runId !== undefined && (await ws.tableExists('indicator_results'))) {
    const ind = await ws.all<Record<string, unknown>>(
      `SELECT * FROM indicator_results WHERE CAST(run_id AS VARCHAR) = $r ORDER BY indicator_id`, { r: String(runId) }).catch(() => []);
    for (const i of ind) {
      const j = (v: unknown): string | null => (v === null || v === undefined ? null : typeof v === 'string' ? v : JSON.stringify(v));
      await t.add([String(i.indicator_id), 'indikator', String(i.indicator_id), 'Indikator dihitung pada run yang sama (lihat sheet indikator).',
        i.evaluated ? 'ya' : 'tidak (input tidak tersedia)', null, null, null, j(i.params), null, null, j(i.sql) ? 'SQL tersimpan pada indicator_results' : '', i.ms, i.run_id]);
    }
  }
  // How an examiner re-performs (issue 15.1): the commands, as the last procedures of the table.
  const howTo: [string, string][] = [
    ['uji_ulang', 'Pemeriksa mengulang seluruh analisis: `telisik verify --workspace <penugasan>.duckdb --reperform` menjalankan ulang setiap prosedur run terakhir dengan parameter dan aturan program yang tersimpan (kolom Parameter) di workspace sementara, lalu membandingkan setiap tabel pengecualian baris demi baris; keluar 1 dan menampilkan perbedaannya bila tidak sama.'],
    ['uji_ulang_sumber', 'Dengan `--from-sources` setiap berkas sumber diimpor ulang dari lokasi tercatat setelah SHA-256-nya dicocokkan dengan jejak audit (sheet Sumber Data), lalu prosedur diulang seperti di atas.'],
    ['segel_hasil', '`telisik verify` menghitung ulang hash isi setiap tabel pengecualian, potential_loss dan angka ringkasan yang disegel pada entri jejak run: baris yang dihapus, ditambah atau diubah terdeteksi dengan nama tabelnya. `--receipt <workbook ini>` membuktikan hash akhir rantai pada sheet Jejak Audit ada dalam rantai.'],
  ];
  for (const [id, text] of howTo) {
    await t.add([id, 'verifikasi', 'Cara pemeriksa mengulang analisis (re-performance)', text, 'ya', null, null, null, null, null, null, null, null, runId == null ? null : String(runId)]);
  }
  const names = await t.close();
  // The SQL, one line per row, in a fixed-width font so it prints and copies as written.
  const s = await book.sheet(sqlName, { frozenRows: 1, landscape: true });
  s.getColumn(1).width = 16;
  s.getColumn(2).width = 140;
  const h = s.getRow(1);
  ['Bagian', 'SQL (DuckDB) — jalankan berurutan: persiapan, lalu SELECT uji'].forEach((x, i) => { const c = h.getCell(i + 1); c.value = x; c.font = HEADER_FONT; c.fill = HEADER_FILL; });
  h.commit();
  let r = 2;
  for (const l of lines) {
    const row = s.getRow(r++);
    row.getCell(1).value = book.text(l.part);
    const c = row.getCell(2);
    c.value = book.text(l.text.replace(/\t/g, '  '));
    c.font = { name: 'Courier New', size: 9, bold: !!l.bold };
    c.alignment = { wrapText: true, vertical: 'top' };
    row.commit();
    if ((r & 1023) === 0) await book.tick(1024, 'methodology', sqlName);
  }
  return [...names, sqlName];
}

/** Which exception tables exist for checks in the run (a finding without its table is still reported). */
export async function existingExcTables(ws: Workspace): Promise<Set<string>> {
  const rows = await ws.all<{ table_name: string }>(`SELECT table_name FROM duckdb_tables() WHERE table_name LIKE 'exc\\_%' ESCAPE '\\' AND NOT temporary`);
  return new Set(rows.map((r) => r.table_name.slice(4)));
}
