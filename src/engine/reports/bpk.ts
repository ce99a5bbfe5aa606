/**
 * BPK findings workbook (Kertas Kerja Temuan Pemeriksaan): cover, summary ranked by potential loss, one sheet per
 * finding (kondisi, kriteria, sebab, akibat, rekomendasi, tanggapan, then its lampiran of exceptions), methodology
 * (each check's procedure, parameters and SQL) and the audit trail.
 */
import type ExcelJS from 'exceljs';
import type { Workspace } from '../workspace/workspace';
import {
  type ColumnSpec, type ReportBook, DATETIME_FMT, INT_FMT, LABEL_FILL, RUPIAH_FMT, THIN_BORDER, TableWriter,
  appVersion, writePairs,
} from './format';
import {
  type CheckResultRow, type ReviewCounts, LOSS_CHECKS, checkInfo, checkResults, existingExcTables, intText,
  lampiranSql, latestRunId, reviewCounts, rupiahText, writeMethodology, writeQueryTable, writeTrailSheets,
} from './common';

export interface FindingText {
  kondisi: string; kriteria: string; sebab: string; akibat: string; rekomendasi: string; tanggapan: string;
}

export interface FindingEntry {
  no: number;
  ref: string;
  check: CheckResultRow;
  title: string;
  text: FindingText;
  potentialLoss: number;
  reviews: ReviewCounts;
}

/** Findings to report: every evaluated check of the run with exceptions, texts from the findings table when present. */
export async function collectFindings(ws: Workspace, results: CheckResultRow[]): Promise<FindingEntry[]> {
  const stored = new Map<string, Partial<FindingText>>();
  if (await ws.tableExists('findings')) {
    // The findings module marks findings of checks that no longer have exceptions inactive.
    for (const f of await ws.all<Record<string, unknown>>('SELECT * FROM findings')) {
      if (f.active === false) continue;
      stored.set(String(f.check_id), f as Partial<FindingText>);
    }
  }
  const list: Omit<FindingEntry, 'no' | 'ref'>[] = [];
  for (const c of results) {
    if (!c.evaluated || (c.records === 0 && !stored.has(c.check_id))) continue;
    const info = checkInfo(c.check_id);
    const s = stored.get(c.check_id) ?? {};
    const loss = LOSS_CHECKS.has(c.check_id) ? c.amount : 0;
    const kondisiDefault = `Hasil analisis atas data penyaluran menunjukkan ${intText(c.records)} catatan`
      + (c.recipients ? ` untuk ${intText(c.recipients)} penerima` : '')
      + (c.amount ? ` senilai ${rupiahText(c.amount)}` : '') + `: ${info.title.toLowerCase()}.`;
    const akibatDefault = loss > 0
      ? `Berpotensi merugikan keuangan negara sebesar ${rupiahText(loss)}.`
      : c.amount > 0 ? `Nilai terkait sebesar ${rupiahText(c.amount)} belum dapat diyakini kewajarannya.` : 'Data tidak andal sebagai dasar penetapan penerima.';
    const pick = (k: keyof FindingText, d: string): string => {
      const v = s[k];
      return typeof v === 'string' && v.trim() !== '' ? v : d;
    };
    list.push({
      check: c,
      title: info.title,
      potentialLoss: loss,
      reviews: await reviewCounts(ws, c.check_id, c.records),
      text: {
        kondisi: pick('kondisi', kondisiDefault), kriteria: pick('kriteria', info.kriteria), sebab: pick('sebab', info.sebab),
        akibat: pick('akibat', akibatDefault), rekomendasi: pick('rekomendasi', info.rekomendasi), tanggapan: pick('tanggapan', ''),
      },
    });
  }
  list.sort((a, b) => b.potentialLoss - a.potentialLoss || b.check.amount - a.check.amount || b.check.records - a.check.records
    || a.check.check_id.localeCompare(b.check.check_id));
  return list.map((f, i) => ({ ...f, no: i + 1, ref: `T${String(i + 1).padStart(2, '0')}` }));
}

/** Potential state loss, each paid record once (DOMAIN.md), from the potential_loss table when the checks made it. */
export async function potentialLossTotal(ws: Workspace, findings: FindingEntry[]): Promise<{ records: number; recipients: number; amount: number; source: string }> {
  if (await ws.tableExists('potential_loss')) {
    const own = await ws.one<{ records: number; recipients: number; amount: number }>(
      `SELECT count(*) AS records, count(DISTINCT nik) AS recipients, coalesce(sum(amount), 0)::DOUBLE AS amount FROM potential_loss`).catch(() => undefined);
    if (own) return { records: Number(own.records), recipients: Number(own.recipients), amount: Number(own.amount), source: 'potential_loss' };
    const r = await ws.one<{ records: number; recipients: number; amount: number }>(
      `SELECT count(*) AS records, count(DISTINCT d.nik) AS recipients, coalesce(sum(d.amount), 0)::DOUBLE AS amount
       FROM (SELECT DISTINCT rec_id FROM potential_loss) p JOIN disbursements d ON d.rec_id = p.rec_id`).catch(() => undefined);
    if (r) return { records: Number(r.records), recipients: Number(r.recipients), amount: Number(r.amount), source: 'potential_loss' };
  }
  const l = findings.filter((f) => f.potentialLoss > 0);
  return { records: l.reduce((s, f) => s + f.check.records, 0), recipients: NaN, amount: l.reduce((s, f) => s + f.potentialLoss, 0), source: 'sum (may double count)' };
}

const ELEMENTS: [keyof FindingText, string][] = [
  ['kondisi', 'Kondisi'], ['kriteria', 'Kriteria'], ['sebab', 'Sebab'], ['akibat', 'Akibat'], ['rekomendasi', 'Rekomendasi'], ['tanggapan', 'Tanggapan entitas'],
];

function lines(text: string, widthChars: number): number {
  return text.split('\n').reduce((s, l) => s + Math.max(1, Math.ceil(l.length / Math.max(20, widthChars))), 0);
}

/** Excel dates carry no zone: write the workstation's wall-clock time, not UTC. */
function localNow(): Date {
  const d = new Date();
  return new Date(d.getTime() - d.getTimezoneOffset() * 60_000);
}

export interface BpkOptions { title?: string }

export async function writeBpkWorkbook(book: ReportBook, ws: Workspace, _o: BpkOptions = {}): Promise<Record<string, unknown>> {
  const runId = await latestRunId(ws);
  const results = await checkResults(ws, runId);
  const findings = await collectFindings(ws, results);
  const exc = await existingExcTables(ws);
  const eng = await ws.engagement();
  const loss = await potentialLossTotal(ws, findings);
  book.totalRows = findings.reduce((s, f) => s + (exc.has(f.check.check_id) ? f.check.records : 0), 0);

  // Reserve sheet names first so the summary can cross-reference finding sheets.
  const coverName = book.names.take('Sampul');
  const summaryName = book.names.take('Ringkasan Temuan');
  const findingSheet = new Map<string, string>();
  for (const f of findings) findingSheet.set(f.check.check_id, book.names.take(`${f.ref} ${f.check.check_id}`));

  // --- cover
  const cover = await book.sheet(coverName, { landscape: false });
  cover.getColumn(1).width = 30;
  cover.getColumn(2).width = 80;
  const t1 = cover.getRow(1);
  t1.getCell(1).value = book.text('KERTAS KERJA TEMUAN PEMERIKSAAN');
  t1.getCell(1).font = { bold: true, size: 16 };
  t1.commit();
  const t2 = cover.getRow(2);
  t2.getCell(1).value = book.text(book.mask ? 'UNTUK DISTRIBUSI — NIK/KK DISAMARKAN' : 'RAHASIA');
  t2.getCell(1).font = { bold: true, size: 14, color: { argb: book.mask ? 'FF1F4E78' : 'FFC00000' } };
  t2.commit();
  writePairs(book, cover, 4, [
    ['Penugasan', eng.name], ['Entitas', eng.entity ?? ''], ['Periode', eng.period ?? ''], ['Tim', eng.team ?? ''],
    ['Tanggal', localNow(), DATETIME_FMT], ['Aplikasi', `Telisik ${appVersion()}`], ['Run analisis', runId === null || runId === undefined ? '(belum ada)' : String(runId)],
    ['Jumlah temuan', findings.length, INT_FMT],
    ['Potensi kerugian negara', loss.amount, RUPIAH_FMT],
    ['Catatan potensi kerugian', `${intText(loss.records)} catatan tersalur, masing-masing dihitung sekali (${loss.source}).`],
    ['Klasifikasi', book.mask ? 'NIK, KK dan nomor rekening disamarkan (4 digit awal + 4 digit akhir; rekening 4 digit akhir).' : 'Memuat data pribadi (UU 27/2022 PDP): jangan didistribusikan.'],
  ]);

  // --- summary
  const cols: ColumnSpec[] = [
    { key: 'no', header: 'No', kind: 'int', width: 5 }, { key: 'ref', header: 'Ref (sheet)', kind: 'text', width: 28 },
    { key: 'check_id', header: 'Prosedur', kind: 'text', width: 22 }, { key: 'title', header: 'Temuan', kind: 'text', width: 50 },
    { key: 'records', header: 'Catatan', kind: 'int' }, { key: 'recipients', header: 'Penerima', kind: 'int' },
    { key: 'amount', header: 'Nilai (Rp)', kind: 'rupiah', width: 20 }, { key: 'loss', header: 'Potensi kerugian (Rp)', kind: 'rupiah', width: 20 },
    { key: 'confirmed', header: 'Terkonfirmasi', kind: 'int', width: 14 }, { key: 'cleared', header: 'Dikecualikan', kind: 'int', width: 14 }, { key: 'open', header: 'Belum direviu', kind: 'int', width: 14 },
  ];
  const summary = new TableWriter(book, summaryName, cols, { phase: 'summary', reserved: true });
  await summary.open();
  for (const f of findings) {
    await summary.add([f.no, findingSheet.get(f.check.check_id), f.check.check_id, f.title, f.check.records, f.check.recipients,
      f.check.amount, f.potentialLoss, f.reviews.confirmed, f.reviews.cleared, f.reviews.open]);
  }
  await summary.add([null, null, null, 'Potensi kerugian negara (tiap catatan sekali)', loss.records, Number.isNaN(loss.recipients) ? null : loss.recipients, null, loss.amount, null, null, null]);
  await summary.close();

  // --- one sheet per finding, followed by its lampiran
  for (const f of findings) {
    const name = findingSheet.get(f.check.check_id)!;
    const pre = {
      rows: 3 + ELEMENTS.length + 4,
      write: (s: ExcelJS.Worksheet, ncols: number) => {
        const last = Math.max(ncols, 8);
        let r = 1;
        const title = s.getRow(r);
        title.getCell(1).value = book.text(`TEMUAN ${f.no}: ${f.title}`);
        title.getCell(1).font = { bold: true, size: 13 };
        s.mergeCells(r, 1, r, last);
        title.commit();
        r++;
        const ref = s.getRow(r);
        ref.getCell(1).value = book.text(`Ref: ${f.ref} · prosedur ${f.check.check_id} · run ${String(f.check.run_id)}`);
        ref.getCell(1).font = { italic: true, color: { argb: 'FF595959' } };
        s.mergeCells(r, 1, r, last);
        ref.commit();
        r++;
        s.getRow(r++).commit();
        let widthChars = 0;
        for (let c = 2; c <= last; c++) widthChars += (s.getColumn(c).width ?? 12);
        for (const [key, label] of ELEMENTS) {
          const row = s.getRow(r);
          const a = row.getCell(1);
          a.value = book.text(label);
          a.font = { bold: true };
          a.fill = LABEL_FILL;
          a.border = THIN_BORDER;
          a.alignment = { vertical: 'top' };
          const text = f.text[key] || (key === 'tanggapan' ? '(belum ada tanggapan entitas)' : '');
          const b = row.getCell(2);
          b.value = book.text(text);
          b.alignment = { vertical: 'top', wrapText: true };
          b.border = THIN_BORDER;
          row.height = Math.min(409, 15 * Math.min(10, lines(text, widthChars)) + 3);
          s.mergeCells(r, 2, r, last);
          row.commit();
          r++;
        }
        const figures: [string, number, string][] = [
          ['Catatan', f.check.records, INT_FMT], ['Penerima', f.check.recipients, INT_FMT], ['Nilai (Rp)', f.check.amount, RUPIAH_FMT], ['Potensi kerugian (Rp)', f.potentialLoss, RUPIAH_FMT],
        ];
        const reviews: [string, number, string][] = [
          ['Terkonfirmasi', f.reviews.confirmed, INT_FMT], ['Dikecualikan', f.reviews.cleared, INT_FMT], ['Belum direviu', f.reviews.open, INT_FMT],
        ];
        for (const set of [figures, reviews]) {
          const row = s.getRow(r++);
          set.forEach(([label, value, fmt], i) => {
            const l = row.getCell(i * 2 + 1);
            l.value = book.text(label);
            l.font = { bold: true };
            l.fill = LABEL_FILL;
            const v = row.getCell(i * 2 + 2);
            v.value = value;
            v.numFmt = fmt;
          });
          row.commit();
        }
        s.getRow(r++).commit();
        const lamp = s.getRow(r++);
        lamp.getCell(1).value = book.text(`LAMPIRAN ${f.ref}: daftar pengecualian (${intText(f.check.records)} catatan)`);
        lamp.getCell(1).font = { bold: true };
        lamp.commit();
      },
    };
    if (exc.has(f.check.check_id)) {
      const sql = await lampiranSql(ws, f.check.check_id);
      await writeQueryTable(book, ws, name, sql, undefined, { phase: 'lampiran', preamble: pre, reserved: true });
    } else {
      const t = new TableWriter(book, name, [{ key: 'note', header: 'Lampiran', kind: 'text', width: 60 }], { preamble: pre, reserved: true });
      await t.add(['Tabel pengecualian tidak tersedia di workspace.']);
      await t.close();
    }
  }

  await writeMethodology(book, ws, results);

  const { trail } = await writeTrailSheets(book, ws);
  return { run_id: runId, findings: findings.map((f) => ({ ref: f.ref, check_id: f.check.check_id, records: f.check.records, amount: f.check.amount })), potential_loss: loss.amount, trail_head: trail.head };
}
