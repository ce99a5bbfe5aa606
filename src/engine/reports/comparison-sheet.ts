/**
 * Sheet "Perbandingan Periode" (issue 15.3) of the BPK and KKP workbooks when a previous engagement is given: per
 * check the exceptions new in this period, persisting from the previous one and resolved since (keys (check, NIK,
 * programme), counts and rupiah), then every key with its status (the drill-down list; NIK masked with the book).
 */
import type { Workspace } from '../workspace/workspace';
import type { PeriodComparison } from '../continuity/compare';
import { type ColumnSpec, type ReportBook, TableWriter, writePairs } from './format';
import { checkInfo, writeQueryTable } from './common';

export async function writeComparisonSheets(book: ReportBook, ws: Workspace, c: PeriodComparison): Promise<string[]> {
  const cols: ColumnSpec[] = [
    { key: 'check_id', header: 'Prosedur', kind: 'text', width: 24 }, { key: 'title', header: 'Temuan', kind: 'text', width: 44 },
    { key: 'ev', header: 'Dievaluasi (lalu / kini)', kind: 'text', width: 16 },
    { key: 'new', header: 'Baru (kunci)', kind: 'int' }, { key: 'new_rp', header: 'Baru (Rp)', kind: 'rupiah', width: 18 },
    { key: 'pers', header: 'Berulang (kunci)', kind: 'int' }, { key: 'pers_rp', header: 'Berulang kini (Rp)', kind: 'rupiah', width: 18 },
    { key: 'pers_prev_rp', header: 'Berulang lalu (Rp)', kind: 'rupiah', width: 18 },
    { key: 'res', header: 'Selesai (kunci)', kind: 'int' }, { key: 'res_rp', header: 'Selesai (Rp)', kind: 'rupiah', width: 18 },
  ];
  // One-cell lines (value cell left empty): long text runs over the empty cells to its right instead of wrapping
  // into rows whose height a streamed sheet cannot grow.
  const pre: [string, unknown][] = [
    [`Periode ini: ${c.current.name}${c.current.period ? ` — ${c.current.period}` : ''} (run ${c.current.run_id ?? '-'})`, ''],
    [`Periode sebelumnya: ${c.previous.name}${c.previous.period ? ` — ${c.previous.period}` : ''} (run ${c.previous.run_id ?? '-'})`, ''],
    [`Hash akhir rantai periode sebelumnya: ${c.previous.trail_head}`, ''],
    ['Kunci (prosedur, NIK, program) — baru: hanya periode ini; berulang: kedua periode; selesai: hanya periode sebelumnya.', ''],
  ];
  const t = new TableWriter(book, 'Perbandingan Periode', cols, { phase: 'comparison', preamble: { rows: pre.length + 1, write: (s) => { writePairs(book, s, 1, pre); } } });
  for (const x of c.checks) {
    await t.add([x.check_id, checkInfo(x.check_id).title, `${x.evaluated_previous ? 'ya' : 'tidak'} / ${x.evaluated_now ? 'ya' : 'tidak'}`,
      x.new.keys, x.new.amount, x.persisting.keys, x.persisting.amount, x.persisting.amount_previous, x.resolved.keys, x.resolved.amount]);
  }
  const tt = c.totals;
  await t.add(['Jumlah', '', '', tt.new.keys, tt.new.amount, tt.persisting.keys, tt.persisting.amount, null, tt.resolved.keys, tt.resolved.amount]);
  await t.close();
  const detail = await writeQueryTable(book, ws, 'Perbandingan Rinci',
    `SELECT check_id, status, nik, program, records_now, amount_now, records_previous, amount_previous FROM period_comparison ORDER BY check_id, status, nik, program`,
    undefined, {
      phase: 'comparison',
      labels: { check_id: 'Prosedur', status: 'Status', nik: 'NIK', program: 'Program', records_now: 'Catatan kini', amount_now: 'Nilai kini (Rp)', records_previous: 'Catatan lalu', amount_previous: 'Nilai lalu (Rp)' },
      kinds: { records_now: 'int', records_previous: 'int', amount_now: 'rupiah', amount_previous: 'rupiah' },
    });
  return [...t.sheetNames, ...detail.sheetNames];
}
