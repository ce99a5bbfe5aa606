import type { Command } from '../command';
import { UsageError, flag, flagList, parseArgs, requireFlag } from '../args';
import { REPORT_KINDS, type ReportFileKind as ReportKind } from '../../shared/types';
import { CallFailed, withService } from '../service';
import { wireKind } from './audit';

const FLAGS = ['workspace', 'kind', 'out', 'mask-nik', 'sample', 'seed', 'sample-table', 'check', 'rec-id', 'prepared-by', 'reviewed-by',
  'prepared-date', 'reviewed-date', 'entity', 'period', 'team', 'row-limit', 'json', 'previous'];

/** A date flag: YYYY-MM-DD or DD/MM/YYYY. */
function dateFlag(v: string | undefined, name: string): Date | undefined {
  if (v === undefined) return undefined;
  let m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(v);
  const parts = m ? [+m[1], +m[2], +m[3]] : ((m = /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/.exec(v))) ? [+m[3], +m[2], +m[1]] : null;
  const d = parts ? new Date(Date.UTC(parts[0], parts[1] - 1, parts[2])) : null;
  if (!d || !parts || d.getUTCDate() !== parts[2] || d.getUTCMonth() !== parts[1] - 1) throw new UsageError(`--${name} must be a date (YYYY-MM-DD or DD/MM/YYYY), got ${v}`);
  return d;
}

function intFlag(v: string | undefined, name: string, min: number): number | undefined {
  if (v === undefined) return undefined;
  if (!/^\d+$/.test(v) || Number(v) < min) throw new UsageError(`--${name} must be an integer ≥ ${min}`);
  return Number(v);
}

export const reportCommand: Command = {
  name: 'report',
  summary: 'Write a workbook: BPK findings, Inspektorat KKP, evaluator indicators or a field-verification (uji petik) sheet',
  usage: 'telisik report --workspace W --kind bpk|kkp|evaluator|field-sample|tlhp --out FILE.xlsx [--mask-nik] '
    + '[--sample N --seed S | --sample-table NAME | --rec-id ID ...] [--check ID ...] '
    + '[--entity TEXT --period TEXT --team TEXT --prepared-by NAME --prepared-date DATE --reviewed-by NAME --reviewed-date DATE] [--row-limit N] [--previous W0 (bpk|kkp: sheet Perbandingan Periode)] [--json]',
  async run(argv) {
    const args = parseArgs(argv, ['mask-nik', 'json']);
    for (const k of args.flags.keys()) if (!FLAGS.includes(k)) throw new UsageError(`unknown option --${k}`);
    const kind = requireFlag(args, 'kind') as ReportKind;
    if (!REPORT_KINDS.includes(kind)) throw new UsageError(`--kind must be one of ${REPORT_KINDS.join(', ')}`);
    // The path itself is checked by the one output-path policy inside writeReport (src/engine/output.ts).
    const out = requireFlag(args, 'out');
    const sample = intFlag(flag(args, 'sample'), 'sample', 1);
    const seed = intFlag(flag(args, 'seed'), 'seed', 0);
    const rowLimit = intFlag(flag(args, 'row-limit'), 'row-limit', 1);
    if (flag(args, 'previous') && kind !== 'bpk' && kind !== 'kkp') throw new UsageError('--previous applies to --kind bpk and kkp');
    if ((sample !== undefined || flag(args, 'sample-table') || flag(args, 'rec-id')) && kind !== 'field-sample') throw new UsageError('--sample/--sample-table/--rec-id apply to --kind field-sample');
    for (const id of flagList(args, 'rec-id')) if (!/^\d+$/.test(id)) throw new UsageError(`--rec-id must be an integer, got ${id}`);
    const prepared = dateFlag(flag(args, 'prepared-date'), 'prepared-date');
    const reviewed = dateFlag(flag(args, 'reviewed-date'), 'reviewed-date');
    const recIds = flagList(args, 'rec-id').map(Number);
    return withService(requireFlag(args, 'workspace'), async (c) => {
      const ac = new AbortController();
      const onSigint = (): void => ac.abort();
      process.once('SIGINT', onSigint);
      let lastLine = 0;
      const t0 = Date.now();
      try {
        // The app's workbook call: the one output-path policy (the path on the command line is the user's choice).
        const r = await c.task('writeReport', {
          kind: wireKind(kind), out, mask: flag(args, 'mask-nik') === 'true', confirm_outside: true, row_limit: rowLimit, sample_size: sample, seed,
          sample_table: flag(args, 'sample-table'), checks: flagList(args, 'check').length ? flagList(args, 'check') : undefined,
          rec_ids: recIds.length ? recIds : undefined,
          prepared_by: flag(args, 'prepared-by'), reviewed_by: flag(args, 'reviewed-by'), previous: flag(args, 'previous'),
          prepared_date: prepared?.toISOString().slice(0, 10), reviewed_date: reviewed?.toISOString().slice(0, 10),
          entity: flag(args, 'entity'), period: flag(args, 'period'), team: flag(args, 'team'),
        }, {
          signal: ac.signal,
          onProgress: (p) => {
            if (!process.stderr.isTTY || Date.now() - lastLine < 500) return;
            lastLine = Date.now();
            process.stderr.write(`\r${p.phase}: ${p.done.toLocaleString('id-ID')}${p.total ? ` / ${p.total.toLocaleString('id-ID')}` : ''} baris   `);
          },
        });
        if (process.stderr.isTTY) process.stderr.write('\n');
        const ms = Date.now() - t0;
        if (flag(args, 'json') === 'true') console.log(JSON.stringify({ kind, ...r, ms }, null, 2));
        else {
          console.log(`Workbook ${kind} ditulis: ${r.path}`);
          console.log(`  sha256 ${r.sha256}  (${r.bytes.toLocaleString('id-ID')} byte, ${r.sheets?.length ?? 0} sheet, ${(ms / 1000).toFixed(1)} s)`);
          console.log(`  sheet: ${(r.sheets ?? []).join(', ')}`);
        }
        return 0;
      } catch (e) {
        if (e instanceof CallFailed && e.code === 'cancelled') { console.error('Ekspor dibatalkan; berkas sementara dihapus.'); return 130; }
        throw e;
      } finally {
        process.removeListener('SIGINT', onSigint);
      }
    });
  },
};
