import { accessSync, constants } from 'node:fs';
import { resolve } from 'node:path';
import type { Command } from '../command';
import { UsageError, flag, parseArgs, requireFlag } from '../args';
import type { ReceiptCheckView, ReperformResult, TrailVerificationView } from '../../shared/types';
import { withService } from '../service';

/** Exit code when the only problem is a source file that cannot be found (nothing to hash): see `usage`. */
export const EXIT_SOURCE_MISSING = 5;

const BOOL = ['json', 'no-sources', 'reperform', 'from-sources', 'read-only'];

function writable(path: string): boolean {
  try { accessSync(path, constants.W_OK); return true; } catch { return false; }
}

function printReperform(r: ReperformResult): void {
  console.log(`Re-performance run ${r.run_id}${r.from_sources ? ' dari berkas sumber (from the source files)' : ' dari tabel kanonik (from the canonical tables)'}: ${r.ok ? 'SAMA (identical)' : 'BERBEDA (differs)'}`);
  for (const s of r.sources) {
    const mark = s.status === 'ok' ? 'ok     ' : s.status === 'changed' ? 'CHANGED' : 'missing';
    const rows = s.rows_loaded !== undefined ? `  rows ${s.rows_loaded}${s.rows_loaded !== s.stored_rows_loaded ? ` (stored ${s.stored_rows_loaded})` : ''}` : '';
    console.log(`  ${mark}  #${s.import_id} ${s.kind} ${s.file}${s.status === 'missing' ? `  (${s.path})` : ''}${rows}`);
  }
  for (const t of r.tables) {
    const same = !t.problem && t.only_stored === 0 && t.only_reperformed === 0;
    console.log(`  ${same ? '=' : '✗'} ${t.table}: ${t.stored_rows ?? '-'} stored, ${t.reperformed_rows} re-performed${same ? '' : ` — ${t.only_stored} only stored, ${t.only_reperformed} only re-performed${t.problem ? ` (${t.problem})` : ''}`}`);
    for (const e of t.examples) console.log(`      ${e.side === 'stored' ? '- stored     ' : '+ reperformed'} ${e.row}`);
  }
  for (const f of r.figures) console.log(`  ✗ ${f.check_id}.${f.field}: stored ${String(f.stored)}, re-performed ${String(f.reperformed)}`);
}

export const verifyCommand: Command = {
  name: 'verify',
  summary: 'Verify the audit trail, the sealed results and every source file; re-perform the last run (--reperform); check a receipt',
  usage: 'telisik verify --workspace W [--json] [--no-sources] [--receipt FILE.xlsx|summary.json] [--reperform [--from-sources]] [--read-only]\n'
    + '  Checks: the trail\'s hash chain and recorded head; an empty trail with data present; each import\'s SHA-256 in\n'
    + '  import_log against its trail entry; the seal (content hashes) of every exceptions table, potential_loss and the\n'
    + '  summary figures of the latest run; the SHA-256 of every source file still on disk.\n'
    + '  --receipt: the chain head printed on a workbook\'s trail sheet or in a summary (trail_head) must be an entry of this\n'
    + '  chain (a chain rewritten after the receipt was issued fails).\n'
    + '  --reperform: re-runs every check of the last run with its stored rules and parameters in a scratch workspace and\n'
    + '  compares every exceptions table row by row; --from-sources re-imports every source from its recorded path first.\n'
    + '  A read-only workspace file (archived copy) is opened read-only; nothing is written by verify.\n'
    + '  Exit: 0 intact; 1 verification failed (break, changed source, seal or re-performance mismatch, receipt not in the\n'
    + `  chain); ${EXIT_SOURCE_MISSING} a source file is missing and nothing else failed; 2 usage; 3 input.`,
  async run(argv) {
    const args = parseArgs(argv, BOOL);
    for (const k of args.flags.keys()) if (![...BOOL, 'workspace', 'receipt'].includes(k)) throw new UsageError(`unknown option --${k}`);
    if (args.positionals.length) throw new UsageError(`unexpected argument: ${args.positionals[0]}`);
    const on = (k: string) => flag(args, k) === 'true';
    if (on('from-sources') && !on('reperform')) throw new UsageError('--from-sources goes with --reperform');
    const path = resolve(requireFlag(args, 'workspace'));
    const receiptPath = flag(args, 'receipt');
    const readOnly = on('read-only') || !writable(path);
    // The service's calls (the UI's verification): the trail and seals, the receipt, the re-performance — in this order.
    const { v, rc, rp } = await withService(path, async (c) => {
      let rc: ReceiptCheckView | undefined;
      if (receiptPath) rc = await c.call('checkReceipt', { path: resolve(receiptPath) });
      const v: TrailVerificationView = await c.call('verifyTrail', { check_sources: !on('no-sources') });
      let rp: ReperformResult | undefined;
      if (on('reperform')) {
        rp = await c.task('reperformRun', { from_sources: on('from-sources') }, {
          onProgress: (p) => { if (!on('json') && p.message && process.stderr.isTTY) process.stderr.write(`  … ${p.message}\n`); },
        });
      }
      return { v, rc, rp };
    }, undefined, { readOnly });
    const changed = v.sources.filter((s) => s.status === 'changed').length;
    const missing = v.sources.filter((s) => s.status === 'missing').length;
    const ok = v.ok && (!rc || rc.ok) && (!rp || rp.ok);
    if (on('json')) {
      console.log(JSON.stringify({ ...v, ...(rc ? { receipt: rc } : {}), ...(rp ? { reperform: rp } : {}), read_only: readOnly }, null, 2));
    } else {
      if (readOnly) console.log('(dibuka hanya-baca / opened read-only)');
      console.log(`Jejak audit (audit trail): ${v.entries} entri — ${v.breaks.length ? `RUSAK (${v.breaks.length} masalah)` : 'rantai utuh (chain intact)'}`);
      console.log(`  head ${v.head_seq}:${v.head}`);
      for (const b of v.breaks) console.log(`  ✗ entri ${b.seq}: ${b.problem}`);
      if (v.results) {
        const r = v.results;
        console.log(`Hasil tersegel (sealed results), run ${r.run_id ?? '-'}: ${!r.sealed ? 'tidak bersegel (run made before sealing)' : r.problems.length ? `RUSAK (${r.problems.length})` : `${r.tables} tabel cocok (match)`}`);
        for (const s of r.stale) console.log(`  ! ${s}`);
      }
      if (!on('no-sources')) {
        console.log(`Berkas sumber (source files): ${v.sources.length}${changed ? `, ${changed} BERUBAH (changed)` : ''}${missing ? `, ${missing} tidak ditemukan (missing)` : ''}`);
        for (const s of v.sources) {
          const mark = s.status === 'ok' ? 'ok     ' : s.status === 'changed' ? 'CHANGED' : 'missing';
          console.log(`  ${mark}  #${s.import_id} ${s.file}  sha256 ${s.expected}${s.status === 'changed' ? ` -> ${s.actual}` : ''}${s.status === 'missing' ? `  (${s.path})` : ''}`);
        }
      }
      if (rc) console.log(`Bukti (receipt) ${receiptPath}: ${rc.ok ? 'ADA DALAM RANTAI (in the chain)' : 'TIDAK ADA (not in the chain)'} — ${rc.message}`);
      if (rp) printReperform(rp);
      console.log(ok ? (missing ? `OK, tetapi ${missing} berkas sumber tidak ditemukan (source file missing: exit ${EXIT_SOURCE_MISSING})` : 'OK') : 'GAGAL (verification failed)');
    }
    if (!ok) return 1;
    return missing ? EXIT_SOURCE_MISSING : 0;
  },
};
