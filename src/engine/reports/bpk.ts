/**
 * BPK findings workbook (Kertas Kerja Temuan Pemeriksaan) to LHP standard: cover, summary ranked by potential loss
 * (each finding linked), a recap by kabupaten/kota and by bank/channel, one sheet per finding (classification,
 * kondisi with breakdown tables by programme, kab/kota, period and channel, kriteria with pasal/ayat, sebab, akibat,
 * rekomendasi addressed, tanggapan, figures with the column they sum), one lampiran per finding (region name and
 * channel columns, SUBTOTAL totals row), the methodology an examiner can re-perform and the audit trail.
 */
import type ExcelJS from 'exceljs';
import type { Workspace } from '../workspace/workspace';
import { ident } from '../workspace/workspace';
import { DATETIME_FMT, INT_FMT, RUPIAH_FMT, type ReportBook, appVersion, writePairs } from './format';
import type { PeriodComparison } from '../continuity/compare';
import { writeComparisonSheets } from './comparison-sheet';
import {
  type CheckResultRow, type ReviewCounts, LOSS_CHECKS, checkInfo, checkResults, existingExcTables, intText,
  latestRunId, reviewCounts, rupiahText, writeMethodology, writeQueryTable, writeTrailSheets,
} from './common';
import {
  type Breakdown, type FigureColumn, KAB_CODE, breakdowns, figureColumn, lampiranSelect, putValue, rowHeight, styleHeader,
  styleLabel, textLines,
} from './lhp';
import { CLASSIFICATION_LABEL, type FindingClassification, classificationOf, checkCriteria, kriteriaText } from '../findings/criteria';
import { draftFindingTexts } from '../findings/findings';
import { columnSpec } from '../../shared/vocabulary';
import { LATEST_REVIEW_SQL } from '../findings/store';

export interface FindingText {
  kondisi: string; kriteria: string; sebab: string; akibat: string; rekomendasi: string; tanggapan: string;
}

export interface FindingEntry {
  no: number;
  ref: string;
  check: CheckResultRow;
  title: string;
  text: FindingText;
  classification: FindingClassification;
  /** Potential loss exactly as the contract defines it: the check's amount when it is in the union, else 0. */
  potentialLoss: number;
  /** Σ amount of the exceptions whose latest review is confirmed (loss checks only). */
  potentialLossConfirmed: number;
  /** Σ paid amount of the exceptions (differs from the figure for overpayment/underpayment/realization_mismatch). */
  paidAmount: number;
  figure: FigureColumn | null;
  reviews: ReviewCounts;
}

const n0 = (v: unknown): number => (v === null || v === undefined ? 0 : Number(v));

/** Findings to report: every evaluated check of the run with exceptions; texts from the findings table, else drafted. */
export async function collectFindings(ws: Workspace, results: CheckResultRow[]): Promise<FindingEntry[]> {
  const stored = new Map<string, Partial<FindingText> & { title?: string }>();
  if (await ws.tableExists('findings')) {
    for (const f of await ws.all<Record<string, unknown>>('SELECT * FROM findings')) {
      if (f.active === false) continue;
      stored.set(String(f.check_id), f as Partial<FindingText>);
    }
  }
  const hasReviews = await ws.tableExists('reviews');
  const lr = hasReviews ? LATEST_REVIEW_SQL : null;
  const list: Omit<FindingEntry, 'no' | 'ref'>[] = [];
  for (const c of results) {
    if (!c.evaluated || (c.records === 0 && !stored.has(c.check_id))) continue;
    const s = stored.get(c.check_id) ?? {};
    const hasExc = await ws.tableExists(`exc_${c.check_id}`);
    const drafted = hasExc || checkCriteria(c.check_id)
      ? await draftFindingTexts(ws, { check_id: c.check_id, evaluated: c.evaluated, records: c.records, recipients: c.recipients, amount: c.amount, extra: c.extra })
      : null;
    const info = checkInfo(c.check_id);
    const pick = (k: keyof FindingText, d: string): string => {
      const v = s[k];
      return typeof v === 'string' && v.trim() !== '' ? v : d;
    };
    const loss = LOSS_CHECKS.has(c.check_id) ? c.amount : 0;
    const figure = hasExc ? await figureColumn(ws, c.check_id) : null;
    let paid = c.amount;
    let confirmed = 0;
    if (hasExc) {
      const t = ident(`exc_${c.check_id}`);
      const hasAmount = (await ws.columns(`exc_${c.check_id}`)).some((col) => col.name === 'amount');
      if (hasAmount) paid = n0(await ws.scalar(`SELECT coalesce(sum(amount), 0)::DOUBLE FROM ${t}`));
      if (lr && LOSS_CHECKS.has(c.check_id) && hasAmount) {
        confirmed = n0(await ws.scalar(`WITH lr AS (${lr}) SELECT coalesce(sum(e.amount), 0)::DOUBLE FROM ${t} e
          JOIN lr ON lr.check_id = $c AND lr.rec_id = CAST(e.rec_id AS BIGINT) WHERE lr.status = 'confirmed'`, { c: c.check_id }));
      }
    }
    list.push({
      check: c,
      title: String(s.title ?? drafted?.title ?? info.title),
      classification: classificationOf(c.check_id),
      potentialLoss: loss,
      potentialLossConfirmed: confirmed,
      paidAmount: paid,
      figure,
      reviews: await reviewCounts(ws, c.check_id, c.records),
      text: {
        kondisi: pick('kondisi', drafted?.kondisi ?? ''), kriteria: pick('kriteria', drafted?.kriteria || kriteriaText(c.check_id) || info.kriteria),
        sebab: pick('sebab', drafted?.sebab || info.sebab), akibat: pick('akibat', drafted?.akibat ?? ''),
        rekomendasi: pick('rekomendasi', drafted?.rekomendasi || info.rekomendasi), tanggapan: pick('tanggapan', ''),
      },
    });
  }
  list.sort((a, b) => b.potentialLoss - a.potentialLoss || b.check.amount - a.check.amount || b.check.records - a.check.records
    || a.check.check_id.localeCompare(b.check.check_id));
  return list.map((f, i) => ({ ...f, no: i + 1, ref: `T${String(i + 1).padStart(2, '0')}` }));
}

/** Potential state loss, each paid record once (DOMAIN.md), with the part confirmed by review. */
export async function potentialLossTotal(ws: Workspace): Promise<{ records: number; recipients: number; amount: number; confirmed: number; source: string }> {
  if (await ws.tableExists('potential_loss')) {
    const own = await ws.one<{ records: number; recipients: number; amount: number }>(
      `SELECT count(*) AS records, count(DISTINCT nik) AS recipients, coalesce(sum(amount), 0)::DOUBLE AS amount FROM potential_loss`).catch(() => undefined);
    let confirmed = 0;
    if (own && (await ws.tableExists('reviews'))) {
      const loss = [...LOSS_CHECKS].map((c) => `'${c}'`).join(', ');
      confirmed = n0(await ws.scalar(`WITH lr AS (${LATEST_REVIEW_SQL})
        SELECT coalesce(sum(p.amount), 0)::DOUBLE FROM potential_loss p
        WHERE EXISTS (SELECT 1 FROM lr WHERE lr.rec_id = CAST(p.rec_id AS BIGINT) AND lr.status = 'confirmed' AND lr.check_id IN (${loss}))`).catch(() => 0));
    }
    if (own) return { records: Number(own.records), recipients: Number(own.recipients), amount: Number(own.amount), confirmed, source: 'potential_loss' };
  }
  // No potential_loss table: no run has computed it, so there is no figure (never a per-finding sum that double counts).
  return { records: 0, recipients: 0, amount: 0, confirmed: 0, source: 'potential_loss' };
}

/** Excel dates carry no zone: write the workstation's wall-clock time, not UTC. */
function localNow(): Date {
  const d = new Date();
  return new Date(d.getTime() - d.getTimezoneOffset() * 60_000);
}

/** Finding sheet columns: A label, B text/keys, C–D counts, E–F rupiah. */
const FCOLS = [18, 40, 12, 12, 20, 20];
const TEXT_CHARS = FCOLS.slice(1).reduce((s, w) => s + w, 0);

function classificationText(f: FindingEntry): string {
  const lbl = CLASSIFICATION_LABEL[f.classification];
  if (LOSS_CHECKS.has(f.check.check_id)) {
    return `${lbl} — termasuk potensi kerugian negara menurut definisi analisis (gabungan catatan tersalur yang ditandai uji NIK tidak valid, `
      + `tidak terdaftar, meninggal, pembayaran ganda, ganda dalam keluarga, ASN/TNI/Polri, di atas batas desil dan tumpang tindih BLT Dana Desa; `
      + `tiap catatan dihitung sekali pada ringkasan): ${rupiahText(f.potentialLoss)}.`;
  }
  if (f.check.check_id === 'overpayment') {
    return `${lbl} — kelebihan pembayaran ${rupiahText(f.check.amount)} yang harus disetor kembali; tidak termasuk potensi kerugian menurut definisi `
      + 'analisis (penerimanya tidak ditandai tidak berhak), sehingga kolom potensi kerugian bernilai Rp 0.';
  }
  return `${lbl} — tidak termasuk potensi kerugian negara menurut definisi analisis (Rp 0).`;
}

export interface BpkOptions { title?: string; comparison?: PeriodComparison }

export async function writeBpkWorkbook(book: ReportBook, ws: Workspace, o: BpkOptions = {}): Promise<Record<string, unknown>> {
  const runId = await latestRunId(ws);
  const results = await checkResults(ws, runId);
  const findings = await collectFindings(ws, results);
  const exc = await existingExcTables(ws);
  const eng = await ws.engagement();
  const loss = await potentialLossTotal(ws);
  book.totalRows = findings.reduce((s, f) => s + (exc.has(f.check.check_id) ? f.check.records : 0), 0);
  const reviewsSql = (await ws.tableExists('reviews')) ? LATEST_REVIEW_SQL : null;

  // Sheet names first: the summary links to every finding and every finding links back.
  const coverName = book.names.take('Sampul');
  const summaryName = book.names.take('Ringkasan Temuan');
  const recapName = book.names.take('Rekap Wilayah & Saluran');
  const findingSheet = new Map<string, string>();
  const lampSheet = new Map<string, string>();
  for (const f of findings) {
    findingSheet.set(f.check.check_id, book.names.take(`${f.ref} ${f.check.check_id}`));
    if (exc.has(f.check.check_id)) lampSheet.set(f.check.check_id, book.names.take(`L${f.ref.slice(1)} ${f.check.check_id}`));
  }

  // --- cover
  const cover = await book.sheet(coverName, { landscape: false });
  cover.getColumn(1).width = 32;
  cover.getColumn(2).width = 70;
  const t1 = cover.getRow(1);
  t1.getCell(1).value = book.text('KERTAS KERJA TEMUAN PEMERIKSAAN');
  t1.getCell(1).font = { bold: true, size: 16 };
  t1.commit();
  const t2 = cover.getRow(2);
  t2.getCell(1).value = book.text(book.mask ? 'UNTUK DISTRIBUSI — NIK, KK DAN NOMOR REKENING DISAMARKAN' : 'RAHASIA');
  t2.getCell(1).font = { bold: true, size: 14, color: { argb: book.mask ? 'FF1F4E78' : 'FFC00000' } };
  t2.commit();
  writePairs(book, cover, 4, [
    ['Penugasan', eng.name], ['Entitas', eng.entity ?? ''], ['Periode', eng.period ?? ''], ['Tim', eng.team ?? ''],
    ['Tanggal', localNow(), DATETIME_FMT], ['Aplikasi', `Telisik ${appVersion()}`], ['Run analisis', runId === null || runId === undefined ? '(belum ada)' : String(runId)],
    ['Jumlah temuan', findings.length, INT_FMT],
    ['Potensi kerugian negara (temuan)', loss.amount, RUPIAH_FMT],
    ['Potensi kerugian setelah reviu (terkonfirmasi)', loss.confirmed, RUPIAH_FMT],
    ['Catatan potensi kerugian', `${intText(loss.records)} catatan tersalur, masing-masing dihitung sekali (${loss.source}).`],
    ['Klasifikasi dokumen', book.mask ? 'NIK, KK dan nomor rekening disamarkan (4 digit awal + 4 digit akhir; rekening 4 digit akhir).' : 'Memuat data pribadi (UU 27/2022 PDP): jangan didistribusikan.'],
  ]);

  // --- summary: one row per finding, linked both ways
  const sum = await book.sheet(summaryName, { frozenRows: 3 });
  const scols: [string, string, number][] = [
    ['no', 'No', 5], ['ref', 'Ref (tautan)', 26], ['title', 'Temuan', 44], ['classification', 'Klasifikasi', 20],
    ['records', columnSpec('records').id, 11], ['recipients', columnSpec('recipients').id, 11], ['figure', 'Nilai Temuan (Rp)', 20],
    ['figure_basis', 'Dasar Nilai (kolom lampiran)', 22], ['potential_loss', columnSpec('potential_loss').id, 20],
    ['potential_loss_confirmed', columnSpec('potential_loss_confirmed').id, 22],
    ['confirmed', columnSpec('confirmed').id, 12], ['cleared', columnSpec('cleared').id, 12], ['open', columnSpec('open').id, 12],
  ];
  scols.forEach(([, , w], i) => { sum.getColumn(i + 1).width = w; });
  const st = sum.getRow(1);
  st.getCell(1).value = book.text('RINGKASAN TEMUAN — diurutkan menurut potensi kerugian negara');
  st.getCell(1).font = { bold: true, size: 13 };
  st.commit();
  sum.getRow(2).commit();
  const sh = sum.getRow(3);
  scols.forEach(([, label], i) => { const c = sh.getCell(i + 1); c.value = label; styleHeader(c); });
  sh.height = 32;
  sh.commit();
  sum.autoFilter = { from: { row: 3, column: 1 }, to: { row: 3 + findings.length, column: scols.length } };
  sum.pageSetup.printTitlesRow = '3:3';
  let r = 4;
  for (const f of findings) {
    const row = sum.getRow(r++);
    const vals: Record<string, unknown> = {
      no: f.no, ref: { link: findingSheet.get(f.check.check_id)!, text: findingSheet.get(f.check.check_id)! }, title: f.title,
      classification: CLASSIFICATION_LABEL[f.classification], records: f.check.records, recipients: f.check.recipients || null,
      figure: f.figure ? f.check.amount : null, figure_basis: f.figure ? `Σ ${f.figure.label}` : 'jumlah baris',
      potential_loss: f.potentialLoss, potential_loss_confirmed: f.potentialLossConfirmed, confirmed: f.reviews.confirmed,
      cleared: f.reviews.cleared, open: f.reviews.open,
    };
    scols.forEach(([k], i) => putValue(book, row.getCell(i + 1), vals[k], k === 'figure' ? 'amount' : k === 'no' ? 'count' : k));
    row.height = rowHeight(Math.max(textLines(f.title, 44), textLines(CLASSIFICATION_LABEL[f.classification], 20)));
    row.commit();
  }
  const tot = sum.getRow(r++);
  tot.getCell(3).value = book.text('Potensi kerugian negara (tiap catatan tersalur dihitung sekali)');
  putValue(book, tot.getCell(5), loss.records, 'records');
  if (!Number.isNaN(loss.recipients)) putValue(book, tot.getCell(6), loss.recipients, 'recipients');
  putValue(book, tot.getCell(9), loss.amount, 'potential_loss');
  putValue(book, tot.getCell(10), loss.confirmed, 'potential_loss_confirmed');
  for (let i = 1; i <= scols.length; i++) { tot.getCell(i).font = { bold: true }; tot.getCell(i).border = { top: { style: 'thin' }, bottom: { style: 'double' } }; }
  tot.commit();
  r++;
  const note = sum.getRow(r++);
  note.getCell(1).value = book.text('Nilai Temuan = jumlah kolom lampiran yang disebut pada "Dasar Nilai" (baris JUMLAH pada lampiran). '
    + 'Potensi kerugian per temuan tidak dijumlahkan: satu catatan dapat ditandai beberapa uji; totalnya pada baris di atas.');
  note.getCell(1).alignment = { wrapText: true, vertical: 'top' };
  sum.mergeCells(note.number, 1, note.number, scols.length);
  note.height = 32;
  note.commit();

  // --- recap by kab/kota and by channel: potential-loss records, each once
  await writeRecap(book, ws, recapName, findings);

  // --- one sheet per finding
  for (const f of findings) {
    const name = findingSheet.get(f.check.check_id)!;
    const lamp = lampSheet.get(f.check.check_id);
    const bds = exc.has(f.check.check_id) ? await breakdowns(ws, f.check.check_id) : [];
    await writeFindingSheet(book, name, summaryName, lamp, f, bds);
  }

  // --- lampiran: the exceptions with region name, channel and the totals row
  for (const f of findings) {
    const lamp = lampSheet.get(f.check.check_id);
    if (!lamp) continue;
    const { sql, figure } = await lampiranSelect(ws, f.check.check_id, reviewsSql);
    const back = findingSheet.get(f.check.check_id)!;
    await writeQueryTable(book, ws, lamp, sql, undefined, {
      phase: 'lampiran', reserved: true,
      totals: { label: 'JUMLAH', sum: [...new Set(['amount', ...(figure ? [figure.name] : [])])] },
      preamble: {
        rows: 3,
        write: (s) => {
          const a = s.getRow(1);
          a.getCell(1).value = book.text(`LAMPIRAN ${f.ref}: ${f.title} — ${intText(f.check.records)} catatan`
            + (figure ? `; Nilai Temuan = Σ ${figure.label} = ${rupiahText(f.check.amount)}` : ''));
          a.getCell(1).font = { bold: true };
          a.commit();
          const b = s.getRow(2);
          putValue(book, b.getCell(1), { link: back, text: `← Temuan ${f.ref}` }, 'text');
          b.commit();
        },
      },
    });
  }

  if (o.comparison) await writeComparisonSheets(book, ws, o.comparison);
  await writeMethodology(book, ws, results);

  const { trail } = await writeTrailSheets(book, ws);
  return {
    run_id: runId,
    findings: findings.map((f) => ({ ref: f.ref, check_id: f.check.check_id, records: f.check.records, amount: f.check.amount, figure_column: f.figure?.name ?? null,
      paid_amount: f.paidAmount, potential_loss: f.potentialLoss, potential_loss_confirmed: f.potentialLossConfirmed, classification: f.classification,
      sheet: findingSheet.get(f.check.check_id), lampiran: lampSheet.get(f.check.check_id) ?? null })),
    potential_loss: loss.amount, potential_loss_confirmed: loss.confirmed, trail_head: trail.head,
  };
}

async function writeFindingSheet(book: ReportBook, name: string, summaryName: string, lamp: string | undefined, f: FindingEntry, bds: Breakdown[]): Promise<void> {
  const s = await book.sheet(name, { landscape: false });
  FCOLS.forEach((w, i) => { s.getColumn(i + 1).width = w; });
  let r = 1;
  const merged = (text: string, font: Partial<ExcelJS.Font>, height?: number): void => {
    const row = s.getRow(r);
    row.getCell(1).value = book.text(text);
    row.getCell(1).font = font;
    row.getCell(1).alignment = { wrapText: true, vertical: 'top' };
    s.mergeCells(r, 1, r, FCOLS.length);
    row.height = height ?? rowHeight(textLines(text, FCOLS.reduce((a, b) => a + b, 0)));
    row.commit();
    r++;
  };
  merged(`TEMUAN ${f.no}`, { bold: true, size: 13 }, 20);
  merged(f.title, { bold: true, size: 12 });
  const links = s.getRow(r++);
  putValue(book, links.getCell(1), { link: summaryName, text: '← Ringkasan' }, 'text');
  putValue(book, links.getCell(2), lamp ? { link: lamp, text: `Lampiran ${lamp} →` } : '(tanpa lampiran)', 'text');
  links.getCell(4).value = book.text(`Uji ${f.check.check_id} · run ${String(f.check.run_id)}`);
  links.getCell(4).font = { italic: true, color: { argb: 'FF595959' } };
  links.commit();
  r++;
  const element = (label: string, text: string): void => {
    const row = s.getRow(r);
    if (label) {
      const a = row.getCell(1);
      a.value = book.text(label);
      styleLabel(a);
    }
    const b = row.getCell(2);
    b.value = book.text(text);
    b.alignment = { vertical: 'top', wrapText: true };
    s.mergeCells(r, 2, r, FCOLS.length);
    row.height = rowHeight(textLines(text, TEXT_CHARS));
    row.commit();
    r++;
  };
  element('Klasifikasi', classificationText(f));
  element('Kondisi', f.text.kondisi || '(kondisi belum dirumuskan)');
  // Breakdown tables under the kondisi: counts and rupiah by programme, kab/kota, period, channel.
  const figLabel = f.figure ? f.figure.label : 'Nilai (Rp)';
  const showPaid = !!f.figure && f.figure.name !== 'amount';
  for (const b of bds) {
    const h = s.getRow(r++);
    const heads = [b.title, columnSpec('records').id, columnSpec('recipients').id, figLabel, showPaid ? columnSpec('paid_amount').id : ''];
    heads.forEach((t, i) => { if (!t) return; const c = h.getCell(i + 2); c.value = book.text(t); styleHeader(c); });
    h.height = 30;
    h.commit();
    for (const x of b.rows) {
      const row = s.getRow(r++);
      putValue(book, row.getCell(2), x.key, 'text');
      putValue(book, row.getCell(3), x.records, 'records');
      putValue(book, row.getCell(4), Number.isNaN(x.recipients) ? null : x.recipients, 'recipients');
      if (f.figure) putValue(book, row.getCell(5), x.figure, 'amount');
      if (showPaid) putValue(book, row.getCell(6), x.paid, 'amount');
      for (let i = 2; i <= (showPaid ? 6 : 5); i++) row.getCell(i).border = { bottom: { style: 'hair', color: { argb: 'FFBFBFBF' } } };
      row.commit();
    }
    s.getRow(r++).commit();
  }
  // One criterion a row (each with its article and source): a single merged cell would pass Excel's 409-point row cap
  // and print clipped once a finding cites three or four regulations.
  const kriteria = (f.text.kriteria || '(kriteria belum dirumuskan)').split('\n').filter((l) => l.trim() !== '');
  kriteria.forEach((line, i) => element(i === 0 ? 'Kriteria' : '', line));
  element('Sebab', f.text.sebab || '(sebab belum dirumuskan)');
  element('Akibat', f.text.akibat || '(akibat belum dirumuskan)');
  element('Rekomendasi', f.text.rekomendasi || '(rekomendasi belum dirumuskan)');
  element('Tanggapan entitas', f.text.tanggapan || '(belum ada tanggapan entitas)');
  r++;
  const fig: [string, unknown, string][] = [
    [columnSpec('records').id, f.check.records, 'records'],
    [columnSpec('recipients').id, f.check.recipients || null, 'recipients'],
  ];
  if (f.figure) fig.push([`Nilai Temuan = Σ ${f.figure.label} (lampiran)`, f.check.amount, 'amount']);
  if (showPaid) fig.push([`Nilai tersalur = Σ ${columnSpec('amount').id} (lampiran)`, f.paidAmount, 'amount']);
  fig.push([columnSpec('potential_loss').id + ' — definisi analisis', f.potentialLoss, 'potential_loss']);
  fig.push([columnSpec('potential_loss_confirmed').id, f.potentialLossConfirmed, 'potential_loss_confirmed']);
  fig.push([`Reviu: ${columnSpec('confirmed').id} / ${columnSpec('cleared').id} / ${columnSpec('open').id}`,
    `${intText(f.reviews.confirmed)} / ${intText(f.reviews.cleared)} / ${intText(f.reviews.open)}`, 'text']);
  for (const [label, value, col] of fig) {
    const row = s.getRow(r);
    const a = row.getCell(1);
    a.value = book.text(label);
    styleLabel(a);
    s.mergeCells(r, 1, r, 4);
    putValue(book, row.getCell(5), value, col);
    row.getCell(5).border = { top: { style: 'thin' }, bottom: { style: 'thin' }, left: { style: 'thin' }, right: { style: 'thin' } };
    row.height = rowHeight(textLines(label, FCOLS.slice(0, 4).reduce((x, y) => x + y, 0)));
    row.commit();
    r++;
  }
  s.pageSetup.printArea = `A1:F${r}`;
}

/** Potential-loss records (each once) by kabupaten/kota and by bank/channel; exceptions per check by kab/kota. */
async function writeRecap(book: ReportBook, ws: Workspace, name: string, findings: FindingEntry[]): Promise<void> {
  const s = await book.sheet(name, { landscape: false });
  [44, 14, 14, 22, 22].forEach((w, i) => { s.getColumn(i + 1).width = w; });
  let r = 1;
  const title = s.getRow(r++);
  title.getCell(1).value = book.text('REKAP POTENSI KERUGIAN NEGARA MENURUT WILAYAH DAN BANK/SALURAN');
  title.getCell(1).font = { bold: true, size: 13 };
  title.commit();
  const sub = s.getRow(r++);
  sub.getCell(1).value = book.text('Catatan tersalur dalam potensi kerugian (tiap catatan sekali); nama kabupaten/kota dari referensi wilayah Kemendagri.');
  sub.getCell(1).font = { italic: true, color: { argb: 'FF595959' } };
  sub.commit();
  r++;
  const canRegion = (await ws.tableExists('potential_loss')) && (await ws.tableExists('disbursements'));
  if (!canRegion) {
    const row = s.getRow(r++);
    row.getCell(1).value = book.text('Tidak ada data potensi kerugian (jalankan analisis).');
    row.commit();
    return;
  }
  const hasRef = await ws.tableExists('ref_regions');
  const plCols = new Set((await ws.columns('potential_loss')).map((x) => x.name));
  if (!plCols.has('rec_id') || !plCols.has('amount')) {
    const row = s.getRow(r++);
    row.getCell(1).value = book.text('Tabel potensi kerugian tidak lengkap (jalankan ulang analisis).');
    row.commit();
    return;
  }
  const lr = (await ws.tableExists('reviews')) ? LATEST_REVIEW_SQL : null;
  const loss = [...LOSS_CHECKS].map((c) => `'${c}'`).join(', ');
  const base = `SELECT p.rec_id, ${plCols.has('nik') ? 'p.nik' : 'd.nik'} AS nik, p.amount, d.channel, ${KAB_CODE('d.region_code')} AS kab,
      ${hasRef ? 'rr.name' : 'NULL'} AS kab_name,
      ${lr ? `EXISTS (SELECT 1 FROM lr WHERE lr.rec_id = CAST(p.rec_id AS BIGINT) AND lr.status = 'confirmed' AND lr.check_id IN (${loss}))` : 'false'} AS confirmed
    FROM potential_loss p LEFT JOIN disbursements d ON d.rec_id = p.rec_id
    ${hasRef ? `LEFT JOIN ref_regions rr ON rr.level = 'regency' AND rr.code = ${KAB_CODE('d.region_code')}` : ''}`;
  const withLr = lr ? `WITH lr AS (${lr}) ` : '';
  const table = async (title: string, keyExpr: string): Promise<void> => {
    const rows = await ws.all<{ k: string | null; records: number; recipients: number; amount: number; confirmed: number }>(
      `${withLr}SELECT ${keyExpr} AS k, count(*) AS records, count(DISTINCT nik) AS recipients, coalesce(sum(amount), 0)::DOUBLE AS amount,
         coalesce(sum(amount) FILTER (WHERE confirmed), 0)::DOUBLE AS confirmed
       FROM (${base}) GROUP BY 1 ORDER BY amount DESC, k NULLS LAST`);
    const h = s.getRow(r++);
    [title, columnSpec('records').id, columnSpec('recipients').id, columnSpec('potential_loss').id, columnSpec('potential_loss_confirmed').id]
      .forEach((t, i) => { const c = h.getCell(i + 1); c.value = book.text(t); styleHeader(c); });
    h.height = 32;
    h.commit();
    const first = r;
    let tr = 0; let ta = 0; let tc = 0;
    for (const x of rows) {
      const row = s.getRow(r++);
      putValue(book, row.getCell(1), x.k ?? '(tidak tercatat)', 'text');
      putValue(book, row.getCell(2), Number(x.records), 'records');
      putValue(book, row.getCell(3), Number(x.recipients), 'recipients');
      putValue(book, row.getCell(4), Number(x.amount), 'potential_loss');
      putValue(book, row.getCell(5), Number(x.confirmed), 'potential_loss_confirmed');
      tr += Number(x.records); ta += Number(x.amount); tc += Number(x.confirmed);
      row.commit();
    }
    const last = r - 1;
    const t = s.getRow(r++);
    t.getCell(1).value = book.text('JUMLAH');
    const sub = (col: string, v: number): ExcelJS.CellValue => (rows.length ? { formula: `SUBTOTAL(109,${col}${first}:${col}${last})`, result: v } as ExcelJS.CellValue : 0);
    t.getCell(2).value = sub('B', tr); t.getCell(2).numFmt = INT_FMT;
    t.getCell(4).value = sub('D', ta); t.getCell(4).numFmt = RUPIAH_FMT;
    t.getCell(5).value = sub('E', tc); t.getCell(5).numFmt = RUPIAH_FMT;
    for (let i = 1; i <= 5; i++) { t.getCell(i).font = { bold: true }; t.getCell(i).border = { top: { style: 'thin' }, bottom: { style: 'double' } }; }
    t.commit();
    r++;
  };
  await table('Kabupaten/Kota', `coalesce(kab_name || ' (' || kab || ')', kab)`);
  await table('Bank/Saluran Penyalur', 'channel');
  // Exceptions of every finding by kab/kota (counts): where each finding sits.
  const h = s.getRow(r++);
  h.getCell(1).value = book.text(`Temuan menurut kabupaten/kota: lihat tabel "Menurut kabupaten/kota" pada sheet tiap temuan (${findings.length} temuan).`);
  h.getCell(1).font = { italic: true };
  h.commit();
}
