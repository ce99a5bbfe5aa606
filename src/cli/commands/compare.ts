import type { Command } from '../command';
import { UsageError, flag, parseArgs, requireFlag } from '../args';
import type { PeriodComparisonView } from '../../shared/continuity';
import { maskText } from '../../shared/masking';
import { withService } from '../service';

const fmtInt = (n: number) => Math.round(n).toLocaleString('id-ID');
const fmtRp = (n: number) => 'Rp ' + Math.round(n).toLocaleString('id-ID');

export function comparisonTable(c: PeriodComparisonView): string {
  const rows: string[][] = [['check', 'new', 'Rp new', 'persisting', 'Rp persisting', 'resolved', 'Rp resolved']];
  for (const x of c.checks) {
    const ev = !x.evaluated_previous ? ' (not evaluated before)' : !x.evaluated_now ? ' (not evaluated now)' : '';
    rows.push([x.check_id + ev, fmtInt(x.new.keys), fmtRp(x.new.amount), fmtInt(x.persisting.keys), fmtRp(x.persisting.amount), fmtInt(x.resolved.keys), fmtRp(x.resolved.amount)]);
  }
  const t = c.totals;
  rows.push(['total', fmtInt(t.new.keys), fmtRp(t.new.amount), fmtInt(t.persisting.keys), fmtRp(t.persisting.amount), fmtInt(t.resolved.keys), fmtRp(t.resolved.amount)]);
  const w = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
  const line = (r: string[]) => r.map((v, i) => (i === 0 ? v.padEnd(w[i]) : v.padStart(w[i]))).join('  ');
  const sep = w.map((n) => '-'.repeat(n)).join('  ');
  return [
    `Perbandingan periode: ${c.current.name}${c.current.period ? ` (${c.current.period})` : ''} ← ${c.previous.name}${c.previous.period ? ` (${c.previous.period})` : ''}`,
    `  sebelumnya (previous): ${c.previous.path}, run ${c.previous.run_id ?? '-'}, trail head ${c.previous.trail_head.slice(0, 24)}…`,
    '  kunci (key) = (check, NIK, program); new = only now, persisting = both periods, resolved = only before',
    line(rows[0]), sep, ...rows.slice(1, -1).map(line), sep, line(rows[rows.length - 1]),
  ].join('\n');
}

export const compareCommand: Command = {
  name: 'compare',
  summary: 'Compare this engagement\'s exceptions with a previous period\'s: new, persisting, resolved per check (counts, rupiah, records)',
  usage: 'telisik compare --workspace W --previous W0 [--json] [--check ID --status new|persisting|resolved [--nik NIK] [--limit N] [--mask-nik]]',
  async run(argv) {
    const args = parseArgs(argv, ['json', 'mask-nik']);
    for (const k of args.flags.keys()) if (!['workspace', 'previous', 'json', 'check', 'status', 'nik', 'limit', 'mask-nik'].includes(k)) throw new UsageError(`unknown option --${k}`);
    const status = flag(args, 'status');
    if (status && !['new', 'persisting', 'resolved'].includes(status)) throw new UsageError('--status must be new, persisting or resolved');
    if (!!status !== !!flag(args, 'check')) throw new UsageError('--check and --status go together (drill-down)');
    const limit = flag(args, 'limit');
    if (limit !== undefined && !/^\d+$/.test(limit)) throw new UsageError('--limit must be an integer');
    const previous = requireFlag(args, 'previous');
    // The UI's comparison (comparePeriods: the previous engagement attached read-only, a trail entry) and drill-down.
    return withService(requireFlag(args, 'workspace'), async (c) => {
      const cmp = await c.call('comparePeriods', { previous });
      if (flag(args, 'check')) {
        const n = limit ? Number(limit) : 50;
        const rows = await c.call('comparisonRecords', { previous, check_id: flag(args, 'check')!, status: status as 'new', nik: flag(args, 'nik'), limit: n });
        const mask = flag(args, 'mask-nik') === 'true';
        if (flag(args, 'json') === 'true') console.log(JSON.stringify(rows, (_k, v) => (typeof v === 'bigint' ? v.toString() : mask && typeof v === 'string' ? maskText(v) : v), 2));
        else {
          console.log(`${flag(args, 'check')} — ${status}: ${rows.length} record(s)${rows.length === n ? ' (limit reached)' : ''}`);
          for (const r of rows) console.log(`  rec_id ${String(r.rec_id)}  ${mask ? maskText(String(r.nik ?? '')) : String(r.nik ?? '')}  ${String(r.program ?? '')}  ${String(r.period_key ?? '')}  ${r.amount == null ? '' : fmtRp(Number(r.amount))}  ${String(r._file ?? '')}:${String(r._line ?? '')}`);
        }
        return 0;
      }
      if (flag(args, 'json') === 'true') console.log(JSON.stringify(cmp, null, 2));
      else console.log(comparisonTable(cmp));
      return 0;
    });
  },
};
