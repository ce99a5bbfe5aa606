/**
 * Inspektorat working paper (Kertas Kerja Pemeriksaan, KKP) as an APIP reviewer expects it: a cover that prints whole
 * (engagement, tick-mark legend, paraf blocks "disusun oleh" / "direviu oleh" each with its own date, blank until
 * given), one index (A. data and procedures, B. indicators) whose references are the sheet names of the lampiran,
 * and per procedure a block of tujuan, data, prosedur, hasil, kesimpulan and tick marks, wrapped with row heights
 * that print. Then the lampiran, the indicator sheets, the methodology and the audit trail.
 */
import type ExcelJS from 'exceljs';
import type { Workspace } from '../workspace/workspace';
import { type ReportBook, rowHeight, textLines, writePairs } from './format';
import type { PeriodComparison } from '../continuity/compare';
import { writeComparisonSheets } from './comparison-sheet';
import {
  checkInfo, checkResults, existingExcTables, inputsText, intText, latestRunId, reviewCounts, rupiahText,
  writeMethodology, writeQueryTable, writeTrailSheets,
} from './common';
import { indicatorTables, writeIndicatorTable } from './evaluator';
import { lampiranSelect, putValue, styleHeader, styleLabel } from './lhp';
import { LATEST_REVIEW_SQL } from '../findings/store';

export interface KkpOptions {
  preparedBy?: string;
  reviewedBy?: string;
  /** Dates of preparation and review: printed only when given (a paraf block is dated by the one who signs it). */
  preparedAt?: Date;
  reviewedAt?: Date;
  /** Engagement fields for the cover; default: the engagement's own. */
  entity?: string;
  period?: string;
  team?: string;
  /** Period comparison with a previous engagement: sheet "Perbandingan Periode". */
  comparison?: PeriodComparison;
}

/** Tick marks used in the KKP (legend on the cover). */
export const TICK_MARKS: [string, string][] = [
  ['√', 'Dicocokkan dengan data sumber (berkas impor, SHA-256 pada sheet Sumber Data)'],
  ['Σ', 'Dijumlahkan ulang; jumlah lampiran = angka hasil (baris JUMLAH)'],
  ['∧', 'Dihitung ulang dengan SQL pada sheet Metodologi SQL'],
  ['©', 'Dikonfirmasi/diverifikasi lapangan (uji petik) — lihat status reviu'],
  ['⊘', 'Tidak dapat diuji: data yang diperlukan tidak tersedia'],
];

const W = [16, 30, 30, 30]; // label + three text columns of a procedure block
const TEXT_W = W.slice(1).reduce((a, b) => a + b, 0);

export async function writeKkpWorkbook(book: ReportBook, ws: Workspace, o: KkpOptions = {}): Promise<Record<string, unknown>> {
  const runId = await latestRunId(ws);
  const results = await checkResults(ws, runId);
  const exc = await existingExcTables(ws);
  const eng = await ws.engagement();
  const indicators = await indicatorTables(ws);
  const reviewsSql = (await ws.tableExists('reviews')) ? LATEST_REVIEW_SQL : null;

  const coverName = book.names.take('Sampul KKP');
  const indexName = book.names.take('Indeks KKP');
  const mainName = book.names.take('KKP');
  // One index: A.n for every check (data and procedures), B.n for every indicator table; lampiran sheets carry the ref.
  const refOf = new Map<string, string>();
  results.forEach((c, i) => refOf.set(c.check_id, `A.${i + 1}`));
  const withExceptions = results.filter((c) => c.evaluated && c.records > 0 && exc.has(c.check_id));
  const lampName = new Map<string, string>();
  for (const c of withExceptions) lampName.set(c.check_id, book.names.take(`${refOf.get(c.check_id)} ${c.check_id}`));
  const indName = new Map<string, string>();
  indicators.forEach((t, i) => indName.set(t.table, book.names.take(`B.${i + 1} ${t.title}`)));
  book.totalRows = withExceptions.reduce((s, c) => s + c.records, 0);

  // --- cover
  const cover = await book.sheet(coverName, { landscape: false });
  cover.getColumn(1).width = 30;
  cover.getColumn(2).width = 62;
  const t = cover.getRow(1);
  t.getCell(1).value = book.text('KERTAS KERJA PEMERIKSAAN (KKP)');
  t.getCell(1).font = { bold: true, size: 15 };
  t.commit();
  const t2 = cover.getRow(2);
  t2.getCell(1).value = book.text('Analisis data penyaluran bantuan sosial');
  t2.getCell(1).font = { italic: true };
  t2.commit();
  let r = writePairs(book, cover, 4, [
    ['Entitas yang diperiksa', o.entity ?? eng.entity ?? ''], ['Penugasan', eng.name], ['Periode yang diperiksa', o.period ?? eng.period ?? ''],
    ['Tim', o.team ?? eng.team ?? ''], ['Run analisis', runId === null || runId === undefined ? '(belum ada)' : String(runId)],
    ['Indeks', `A. Data dan prosedur (A.1–A.${results.length}); B. Indikator (B.1–B.${indicators.length}); lampiran bernama sesuai ref.`],
    ['Klasifikasi dokumen', book.mask ? 'NIK, KK dan nomor rekening disamarkan (untuk distribusi)' : 'RAHASIA — memuat data pribadi'],
  ]);
  r++;
  const th = cover.getRow(r++);
  th.getCell(1).value = book.text('TANDA PENGUJIAN (tick mark)');
  th.getCell(1).font = { bold: true };
  th.commit();
  r = writePairs(book, cover, r, TICK_MARKS.map(([m, d]) => [m, d] as [string, unknown]));
  r++;
  // Paraf blocks: each with its own date; blank until given.
  const ph = cover.getRow(r++);
  ph.getCell(1).value = book.text('PARAF');
  ph.getCell(1).font = { bold: true };
  ph.commit();
  for (const [role, by, at] of [['Disusun oleh', o.preparedBy, o.preparedAt], ['Direviu oleh', o.reviewedBy, o.reviewedAt]] as [string, string | undefined, Date | undefined][]) {
    const rows: [string, unknown, string?][] = [[role, by ?? ''], ['Tanggal', at ?? '', 'dd/mm/yyyy'], ['Paraf', '\n\n']];
    r = writePairs(book, cover, r, rows);
  }
  cover.pageSetup.printArea = `A1:B${r}`;

  // --- index
  const idx = await book.sheet(indexName, { landscape: false, frozenRows: 1 });
  [8, 24, 46, 12, 22].forEach((w, i) => { idx.getColumn(i + 1).width = w; });
  const ih = idx.getRow(1);
  ['Ref', 'Prosedur / Indikator', 'Judul', 'Tanda', 'Lampiran (tautan)'].forEach((x, i) => { const c = ih.getCell(i + 1); c.value = x; styleHeader(c); });
  ih.commit();
  let ir = 2;
  const section = (label: string): void => {
    const row = idx.getRow(ir++);
    row.getCell(1).value = book.text(label);
    row.getCell(1).font = { bold: true };
    idx.mergeCells(row.number, 1, row.number, 5);
    row.commit();
  };
  const ticks = (c: { evaluated: boolean; records: number }): string => (!c.evaluated ? '⊘' : c.records > 0 ? '√ Σ ∧' : '√ ∧');
  section('A. DATA DAN PROSEDUR ANALITIS');
  for (const c of results) {
    const row = idx.getRow(ir++);
    const title = checkInfo(c.check_id).title;
    putValue(book, row.getCell(1), refOf.get(c.check_id), 'ref');
    putValue(book, row.getCell(2), c.check_id, 'check_id');
    putValue(book, row.getCell(3), title, 'text');
    putValue(book, row.getCell(4), ticks(c), 'text');
    const l = lampName.get(c.check_id);
    putValue(book, row.getCell(5), l ? { link: l, text: l } : '—', 'text');
    row.height = rowHeight(textLines(title, 46));
    row.commit();
  }
  section('B. INDIKATOR');
  indicators.forEach((x, i) => {
    const row = idx.getRow(ir++);
    putValue(book, row.getCell(1), `B.${i + 1}`, 'ref');
    putValue(book, row.getCell(2), x.title, 'text');
    putValue(book, row.getCell(3), x.objective, 'text');
    putValue(book, row.getCell(4), '√ ∧', 'text');
    putValue(book, row.getCell(5), { link: indName.get(x.table)!, text: indName.get(x.table)! }, 'text');
    row.height = rowHeight(Math.max(textLines(x.objective, 46), textLines(x.title, 24)));
    row.commit();
  });

  // --- procedures: one block each, printed whole
  const s = await book.sheet(mainName, { landscape: false });
  W.forEach((w, i) => { s.getColumn(i + 1).width = w; });
  let mr = 1;
  const title = s.getRow(mr++);
  title.getCell(1).value = book.text(`KKP — ${o.entity ?? eng.entity ?? eng.name} — ${o.period ?? eng.period ?? ''}`);
  title.getCell(1).font = { bold: true, size: 13 };
  s.mergeCells(1, 1, 1, W.length);
  title.commit();
  mr++;
  const block = (ref: string, head: string, items: [string, string][], link?: string): void => {
    const h = s.getRow(mr);
    h.getCell(1).value = book.text(ref);
    styleHeader(h.getCell(1));
    h.getCell(2).value = book.text(head);
    styleHeader(h.getCell(2));
    s.mergeCells(mr, 2, mr, W.length);
    h.height = rowHeight(textLines(head, TEXT_W));
    h.commit();
    mr++;
    for (const [label, text] of items) {
      const row = s.getRow(mr);
      const a = row.getCell(1);
      a.value = book.text(label);
      styleLabel(a);
      if (label === 'Lampiran' && link) putValue(book, row.getCell(2), { link, text: `${link} (${text})` }, 'text');
      else { row.getCell(2).value = book.text(text); row.getCell(2).alignment = { wrapText: true, vertical: 'top' }; }
      s.mergeCells(mr, 2, mr, W.length);
      row.height = rowHeight(textLines(text, TEXT_W));
      row.commit();
      mr++;
    }
    s.getRow(mr++).commit();
  };
  for (const c of results) {
    const ref = refOf.get(c.check_id)!;
    const info = checkInfo(c.check_id);
    let result: string;
    let conclusion: string;
    if (!c.evaluated) {
      result = 'Tidak dievaluasi: data yang diperlukan tidak tersedia.';
      conclusion = 'Prosedur tidak dapat dilaksanakan; dilaporkan sebagai keterbatasan pemeriksaan (bukan nol pengecualian).';
    } else if (c.records === 0) {
      result = 'Tidak ada pengecualian.';
      conclusion = 'Tidak ditemukan penyimpangan atas prosedur ini.';
    } else {
      const rv = await reviewCounts(ws, c.check_id, c.records);
      result = `${intText(c.records)} catatan` + (c.recipients ? `, ${intText(c.recipients)} penerima` : '') + (c.amount ? `, ${rupiahText(c.amount)}` : '') + '.';
      conclusion = `Terdapat pengecualian (${info.title}); dituangkan dalam lampiran ${lampName.get(c.check_id) ?? ref} dan diusulkan sebagai temuan. `
        + `Reviu: ${intText(rv.confirmed)} terkonfirmasi, ${intText(rv.cleared)} dikecualikan, ${intText(rv.open)} belum direviu.`;
    }
    const params = c.params && c.params !== '{}' && c.params !== 'null' ? ` Parameter: ${c.params}.` : '';
    const items: [string, string][] = [
      ['Tujuan', info.objective],
      ['Data', inputsText(c.inputs) || '(tidak ada data masukan)'],
      ['Prosedur', `${info.procedure}${params} SQL lengkap: sheet Metodologi SQL.`],
      ['Hasil', result],
      ['Kesimpulan', conclusion],
      ['Tanda', `${ticks(c)}  (lihat legenda pada ${coverName})`],
    ];
    const lamp = lampName.get(c.check_id);
    if (lamp) items.push(['Lampiran', `${intText(c.records)} catatan${c.records > book.rowLimit ? ', berlanjut pada sheet bernomor' : ''}`]);
    block(ref, `${c.check_id} — ${info.title}`, items, lamp);
  }
  indicators.forEach((x, i) => {
    block(`B.${i + 1}`, x.title, [
      ['Tujuan', x.objective], ['Data', `Tabel ${x.table} (${intText(x.rows)} baris)`], ['Prosedur', x.procedure],
      ['Hasil', `Lihat sheet ${indName.get(x.table)}.`], ['Kesimpulan', 'Indikator disajikan untuk evaluasi; bukan pengecualian.'], ['Tanda', '√ ∧'],
    ]);
  });
  s.pageSetup.printArea = `A1:D${mr}`;

  for (const c of withExceptions) {
    const name = lampName.get(c.check_id)!;
    const info = checkInfo(c.check_id);
    const { sql, figure } = await lampiranSelect(ws, c.check_id, reviewsSql);
    await writeQueryTable(book, ws, name, sql, undefined, {
      reserved: true, phase: 'lampiran',
      totals: { label: 'JUMLAH', sum: [...new Set(['amount', ...(figure ? [figure.name] : [])])] },
      preamble: {
        rows: 2,
        write: (sh: ExcelJS.Worksheet) => {
          const row = sh.getRow(1);
          row.getCell(1).value = book.text(`Lampiran ${refOf.get(c.check_id)} — ${c.check_id}: ${info.title} (${intText(c.records)} catatan, ${rupiahText(c.amount)})`);
          row.getCell(1).font = { bold: true };
          row.commit();
        },
      },
    });
  }
  for (const x of indicators) await writeIndicatorTable(book, ws, x, indName.get(x.table)!);
  if (o.comparison) await writeComparisonSheets(book, ws, o.comparison);
  await writeMethodology(book, ws, results);
  const { trail } = await writeTrailSheets(book, ws);
  return { run_id: runId, procedures: results.length + indicators.length, index: [...refOf.entries()], lampiran: [...lampName.values()], trail_head: trail.head };
}
