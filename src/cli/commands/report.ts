import type { Command } from '../command';
import { InputError, UsageError, flag, flagList, parseArgs, requireFlag } from '../args';
import { Workspace } from '../../engine/workspace/workspace';
import { CompareError } from '../../engine/continuity/compare';
import { REPORT_KINDS, type ReportKind, ExportCancelled, writeReport } from '../../engine/reports';

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
    const ws = await Workspace.open(requireFlag(args, 'workspace'));
    const ac = new AbortController();
    const onSigint = (): void => ac.abort();
    process.once('SIGINT', onSigint);
    let lastLine = 0;
    try {
      const r = await writeReport(ws, {
        kind, out, maskNik: flag(args, 'mask-nik') === 'true', rowLimit, sample, seed, sampleTable: flag(args, 'sample-table'),
        checks: flagList(args, 'check').length ? flagList(args, 'check') : undefined,
        recIds: flagList(args, 'rec-id').length ? flagList(args, 'rec-id') : undefined,
        preparedBy: flag(args, 'prepared-by'), reviewedBy: flag(args, 'reviewed-by'), previous: flag(args, 'previous'),
        preparedAt: dateFlag(flag(args, 'prepared-date'), 'prepared-date'), reviewedAt: dateFlag(flag(args, 'reviewed-date'), 'reviewed-date'),
        entity: flag(args, 'entity'), period: flag(args, 'period'), team: flag(args, 'team'),
      }, {
        signal: ac.signal,
        onProgress: (p) => {
          if (!process.stderr.isTTY || Date.now() - lastLine < 500) return;
          lastLine = Date.now();
          process.stderr.write(`\r${p.phase}${p.sheet ? ` ${p.sheet}` : ''}: ${p.rows.toLocaleString('id-ID')}${p.totalRows ? ` / ${p.totalRows.toLocaleString('id-ID')}` : ''} baris   `);
        },
      });
      if (process.stderr.isTTY) process.stderr.write('\n');
      if (flag(args, 'json') === 'true') console.log(JSON.stringify(r, null, 2));
      else {
        console.log(`Workbook ${kind} ditulis: ${r.path}`);
        console.log(`  sha256 ${r.sha256}  (${r.bytes.toLocaleString('id-ID')} byte, ${r.sheets.length} sheet, ${(r.ms / 1000).toFixed(1)} s)`);
        console.log(`  sheet: ${r.sheets.join(', ')}`);
      }
      return 0;
    } catch (e) {
      if (e instanceof ExportCancelled) { console.error('Ekspor dibatalkan; berkas sementara dihapus.'); return 130; }
      if (e instanceof Error && /Sample table|no rec_id column/.test(e.message)) throw new InputError(e.message);
      if (e instanceof CompareError) throw new InputError(e.message);
      throw e;
    } finally {
      process.removeListener('SIGINT', onSigint);
      await ws.close();
    }
  },
};
