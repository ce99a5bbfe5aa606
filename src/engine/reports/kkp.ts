/**
 * Inspektorat working paper (Kertas Kerja Pemeriksaan, KKP): one row per procedure (a check, or an indicator
 * family) with objective, data used, procedure performed, result, conclusion, prepared-by / reviewed-by and dates,
 * and cross-references to the lampiran sheets that hold the exceptions.
 */
import type { Workspace } from '../workspace/workspace';
import type { PeriodComparison } from '../continuity/compare';
import { writeComparisonSheets } from './comparison-sheet';
import { type ColumnSpec, type ReportBook, DATE_FMT, TableWriter, writePairs } from './format';
import {
  checkInfo, checkResults, existingExcTables, intText, lampiranSql, latestRunId, reviewCounts, rupiahText,
  writeMethodology, writeQueryTable, writeTrailSheets,
} from './common';
import { indicatorTables, writeIndicatorTable } from './evaluator';

export interface KkpOptions {
  preparedBy?: string;
  reviewedBy?: string;
  /** Dates of preparation and review (default: today for prepared; today for reviewed when a reviewer is named). */
  preparedAt?: Date;
  reviewedAt?: Date;
  /** Period comparison with a previous engagement: sheet "Perbandingan Periode". */
  comparison?: PeriodComparison;
}

function describeInputs(json: string | null): string {
  if (!json) return '';
  try {
    const v = JSON.parse(json) as unknown;
    const item = (x: unknown): string => {
      if (typeof x === 'string') return x;
      if (x && typeof x === 'object') {
        const o = x as Record<string, unknown>;
        const label = [o.kind ?? o.table, o.file, o.rows !== undefined ? `${o.rows} baris` : undefined, o.sha256 ? `SHA-256 ${String(o.sha256).slice(0, 12)}…` : undefined]
          .filter((p) => p !== undefined && p !== null && p !== '').map(String);
        return label.length ? label.join(' · ') : JSON.stringify(o);
      }
      return String(x);
    };
    if (Array.isArray(v)) return v.map(item).join('; ');
    if (v && typeof v === 'object') return Object.entries(v).map(([k, x]) => `${k}: ${typeof x === 'object' ? JSON.stringify(x) : String(x)}`).join('; ');
    return String(v);
  } catch { return json; }
}

function today(): Date {
  const d = new Date();
  return new Date(Date.UTC(d.getFullYear(), d.getMonth(), d.getDate()));
}

export async function writeKkpWorkbook(book: ReportBook, ws: Workspace, o: KkpOptions = {}): Promise<Record<string, unknown>> {
  const runId = await latestRunId(ws);
  const results = await checkResults(ws, runId);
  const exc = await existingExcTables(ws);
  const eng = await ws.engagement();
  const indicators = await indicatorTables(ws);
  const preparedAt = o.preparedAt ?? today();
  const reviewedAt = o.reviewedAt ?? (o.reviewedBy ? today() : null);

  const mainName = book.names.take('KKP');
  const withExceptions = results.filter((c) => c.evaluated && c.records > 0 && exc.has(c.check_id));
  const lampName = new Map<string, string>();
  withExceptions.forEach((c, i) => lampName.set(c.check_id, book.names.take(`L${String(i + 1).padStart(2, '0')} ${c.check_id}`)));
  const indName = new Map<string, string>();
  for (const t of indicators) indName.set(t.table, book.names.take(t.title));
  book.totalRows = withExceptions.reduce((s, c) => s + c.records, 0);

  const header: [string, unknown, string?][] = [
    ['Entitas', eng.entity ?? ''], ['Penugasan', eng.name], ['Periode', eng.period ?? ''], ['Tim', eng.team ?? ''],
    ['Disusun oleh', o.preparedBy ?? ''], ['Tanggal disusun', preparedAt, DATE_FMT],
    ['Direviu oleh', o.reviewedBy ?? ''], ['Tanggal direviu', reviewedAt ?? '', DATE_FMT],
    ['Run analisis', runId === null || runId === undefined ? '(belum ada)' : String(runId)],
    ['Klasifikasi', book.mask ? 'NIK/KK disamarkan (untuk distribusi)' : 'RAHASIA — memuat data pribadi'],
  ];
  const cols: ColumnSpec[] = [
    { key: 'no', header: 'No', kind: 'int', width: 5 }, { key: 'ref', header: 'Ref KKP', kind: 'text', width: 9 },
    { key: 'procedure_id', header: 'Prosedur', kind: 'text', width: 22 }, { key: 'family', header: 'Famili', kind: 'text', width: 13 },
    { key: 'objective', header: 'Tujuan', kind: 'text', width: 40 }, { key: 'data', header: 'Data yang digunakan', kind: 'text', width: 40 },
    { key: 'performed', header: 'Prosedur yang dilakukan', kind: 'text', width: 50 }, { key: 'result', header: 'Hasil', kind: 'text', width: 36 },
    { key: 'conclusion', header: 'Kesimpulan', kind: 'text', width: 50 },
    { key: 'prepared_by', header: 'Disusun oleh', kind: 'text', width: 16 }, { key: 'prepared_at', header: 'Tgl disusun', kind: 'date' },
    { key: 'reviewed_by', header: 'Direviu oleh', kind: 'text', width: 16 }, { key: 'reviewed_at', header: 'Tgl direviu', kind: 'date' },
    { key: 'xref', header: 'Referensi silang (sheet)', kind: 'text', width: 30 },
  ];
  const table = new TableWriter(book, mainName, cols, {
    reserved: true, phase: 'kkp',
    preamble: {
      rows: header.length + 3,
      write: (s) => {
        const t = s.getRow(1);
        t.getCell(1).value = book.text('KERTAS KERJA PEMERIKSAAN (KKP) — ANALISIS DATA BANSOS');
        t.getCell(1).font = { bold: true, size: 14 };
        t.commit();
        writePairs(book, s, 3, header);
      },
    },
  });
  let no = 0;
  for (const c of results) {
    no++;
    const info = checkInfo(c.check_id);
    const ref = `A.${no}`;
    let result: string;
    let conclusion: string;
    if (!c.evaluated) {
      result = 'Tidak dievaluasi: data yang diperlukan tidak tersedia.';
      conclusion = 'Prosedur tidak dapat dilaksanakan; dilaporkan sebagai keterbatasan (bukan nol pengecualian).';
    } else if (c.records === 0) {
      result = 'Tidak ada pengecualian.';
      conclusion = 'Tidak ditemukan penyimpangan atas prosedur ini.';
    } else {
      const rv = await reviewCounts(ws, c.check_id, c.records);
      result = `${intText(c.records)} catatan` + (c.recipients ? `, ${intText(c.recipients)} penerima` : '') + (c.amount ? `, ${rupiahText(c.amount)}` : '') + '.';
      conclusion = `Terdapat pengecualian (${info.title.toLowerCase()}); dituangkan dalam lampiran dan diusulkan sebagai temuan. `
        + `Reviu: ${intText(rv.confirmed)} terkonfirmasi, ${intText(rv.cleared)} dikecualikan, ${intText(rv.open)} belum direviu.`;
    }
    const params = c.params && c.params !== '{}' && c.params !== 'null' ? ` Parameter: ${c.params}.` : '';
    const xref = lampName.get(c.check_id) ?? '';
    await table.add([no, ref, c.check_id, c.family, info.objective, describeInputs(c.inputs), info.procedure + params + ' SQL dan parameter: sheet Metodologi.',
      result, conclusion, o.preparedBy ?? '', preparedAt, o.reviewedBy ?? '', reviewedAt, xref + (xref && c.records > book.rowLimit ? ' (dan sheet lanjutan)' : '')]);
  }
  for (const t of indicators) {
    no++;
    await table.add([no, `B.${no}`, t.table, t.family, t.objective, `Tabel ${t.table}`, t.procedure, `${intText(t.rows)} baris indikator.`,
      'Lihat sheet indikator untuk nilai per program/wilayah/desil.', o.preparedBy ?? '', preparedAt, o.reviewedBy ?? '', reviewedAt, indName.get(t.table) ?? '']);
  }
  await table.close();

  for (const c of withExceptions) {
    const name = lampName.get(c.check_id)!;
    const info = checkInfo(c.check_id);
    await writeQueryTable(book, ws, name, await lampiranSql(ws, c.check_id), undefined, {
      reserved: true, phase: 'lampiran',
      preamble: {
        rows: 2,
        write: (s) => {
          const r = s.getRow(1);
          r.getCell(1).value = book.text(`Lampiran KKP — ${c.check_id}: ${info.title} (${intText(c.records)} catatan, ${rupiahText(c.amount)})`);
          r.getCell(1).font = { bold: true };
          r.commit();
        },
      },
    });
  }
  for (const t of indicators) await writeIndicatorTable(book, ws, t, indName.get(t.table)!);
  if (o.comparison) await writeComparisonSheets(book, ws, o.comparison);
  await writeMethodology(book, ws, results);
  const { trail } = await writeTrailSheets(book, ws);
  return { run_id: runId, procedures: no, lampiran: [...lampName.values()], trail_head: trail.head };
}
