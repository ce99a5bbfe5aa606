/**
 * TLHP workbook (issue 15.4): the matrix BPK uses to monitor follow-up of its recommendations — finding,
 * recommendation, the entity's action, status in the four categories, value of recoveries — then a recap by status
 * and the audit trail.
 */
import type { Workspace } from '../workspace/workspace';
import { type ColumnSpec, type ReportBook, TableWriter, writePairs } from './format';
import { writeTrailSheets } from './common';
import { TLHP_STATUSES, TLHP_STATUS_LABEL, listRecommendations, syncRecommendations } from '../continuity/tlhp';

export async function writeTlhpWorkbook(book: ReportBook, ws: Workspace): Promise<Record<string, unknown>> {
  await syncRecommendations(ws);
  const recs = await listRecommendations(ws);
  const eng = await ws.engagement();
  const cols: ColumnSpec[] = [
    { key: 'no', header: 'No', kind: 'int', width: 5 }, { key: 'origin', header: 'Asal pemeriksaan', kind: 'text', width: 24 },
    { key: 'ref', header: 'Ref temuan', kind: 'text', width: 10 }, { key: 'finding', header: 'Temuan', kind: 'text', width: 40 },
    { key: 'recommendation', header: 'Rekomendasi', kind: 'text', width: 50 }, { key: 'amount', header: 'Nilai temuan (Rp)', kind: 'rupiah', width: 18 },
    { key: 'action', header: 'Tindak lanjut entitas', kind: 'text', width: 40 }, { key: 'evidence', header: 'Bukti', kind: 'text', width: 24 },
    { key: 'action_date', header: 'Tanggal tindak lanjut', kind: 'text', width: 14 }, { key: 'status', header: 'Status', kind: 'text', width: 34 },
    { key: 'recovered', header: 'Nilai pemulihan (Rp)', kind: 'rupiah', width: 18 }, { key: 'judged_by', header: 'Dinilai oleh', kind: 'text', width: 18 },
    { key: 'judged_at', header: 'Tanggal penilaian', kind: 'text', width: 20 }, { key: 'key', header: 'Kunci rekomendasi', kind: 'text', width: 40 },
    { key: 'carried', header: 'Dibawa dari', kind: 'text', width: 40 },
  ];
  // One-cell lines (column A is the narrow "No"): the text runs over the empty cells to its right.
  const pre: [string, unknown][] = [
    ['MATRIKS PEMANTAUAN TINDAK LANJUT REKOMENDASI HASIL PEMERIKSAAN (TLHP)', ''],
    [`Penugasan: ${[eng.name, eng.period].filter(Boolean).join(' — ')}${eng.entity ? ` · Entitas: ${eng.entity}` : ''}`, ''],
    ['Status menurut empat kategori BPK: sesuai dengan rekomendasi; belum sesuai / dalam proses; belum ditindaklanjuti; tidak dapat ditindaklanjuti dengan alasan yang sah.', ''],
  ];
  const t = new TableWriter(book, 'Matriks TLHP', cols, { phase: 'tlhp', preamble: { rows: pre.length + 1, write: (s) => { writePairs(book, s, 1, pre); } } });
  for (const [i, r] of recs.entries()) {
    await t.add([i + 1, r.origin, r.finding_ref, r.finding_title, r.recommendation, r.finding_amount, r.action, r.evidence, r.action_date,
      TLHP_STATUS_LABEL[r.status] ?? r.status, r.recovered, r.judged_by, r.judged_at, r.rec_key, r.carried_from]);
  }
  await t.close();
  const recap = new TableWriter(book, 'Rekap Status TLHP', [
    { key: 'status', header: 'Status', kind: 'text', width: 44 }, { key: 'n', header: 'Rekomendasi', kind: 'int' },
    { key: 'amount', header: 'Nilai temuan (Rp)', kind: 'rupiah', width: 20 }, { key: 'recovered', header: 'Nilai pemulihan (Rp)', kind: 'rupiah', width: 20 },
  ], { phase: 'tlhp' });
  const byStatus: Record<string, { n: number; amount: number; recovered: number }> = {};
  for (const s of TLHP_STATUSES) byStatus[s] = { n: 0, amount: 0, recovered: 0 };
  for (const r of recs) { const b = byStatus[r.status]; if (b) { b.n++; b.amount += r.finding_amount; b.recovered += r.recovered ?? 0; } }
  for (const s of TLHP_STATUSES) await recap.add([TLHP_STATUS_LABEL[s], byStatus[s].n, byStatus[s].amount, byStatus[s].recovered]);
  await recap.add(['Jumlah', recs.length, recs.reduce((a, r) => a + r.finding_amount, 0), recs.reduce((a, r) => a + (r.recovered ?? 0), 0)]);
  await recap.close();
  const { trail } = await writeTrailSheets(book, ws);
  return { recommendations: recs.length, by_status: Object.fromEntries(TLHP_STATUSES.map((s) => [s, byStatus[s].n])), trail_head: trail.head };
}
