import type { Command } from '../command';
import { UsageError, flag, parseArgs, requireFlag } from '../args';
import type { Summary } from '../../shared/summary';
import { withService } from '../service';
import { fmtInt, fmtRp, impactLines, pct } from './audit';

/** Before any run: the summary's impact and oversight keys say so (as buildSummary does). */
const NOT_RUN = { impact: { evaluated: false, reason: 'not run' }, oversight: { evaluated: false, reason: 'not run' } } as unknown as Summary;

const days = (x: number | null | undefined) => (x == null ? '-' : x.toFixed(1) + ' d');

/**
 * `telisik indicators`: the impact indicators and oversight signals of the latest run (the summary's `impact` and
 * `oversight` keys) with the full tables recomputed on the same data — what the Evaluasi and Pengawasan screens and
 * the evaluator workbook show.
 */
export const indicatorsCommand: Command = {
  name: 'indicators',
  summary: 'Impact indicators (coverage, incidence, complementarity, adequacy, graduation) and oversight signals',
  usage: 'telisik indicators --workspace W [--json] [--poverty-line RUPIAH] [--min-history MONTHS]',
  async run(argv) {
    const args = parseArgs(argv, ['json']);
    for (const k of args.flags.keys()) if (!['workspace', 'json', 'poverty-line', 'min-history'].includes(k)) throw new UsageError(`unknown option --${k}`);
    if (args.positionals.length) throw new UsageError(`unexpected argument: ${args.positionals[0]}`);
    const wsPath = requireFlag(args, 'workspace');
    const pl = flag(args, 'poverty-line');
    const povertyLine = pl === undefined ? undefined : Number(pl);
    if (povertyLine !== undefined && !(Number.isFinite(povertyLine) && povertyLine > 0)) throw new UsageError('--poverty-line must be a positive number (rupiah per capita per month)');
    const mh = flag(args, 'min-history');
    const minHistory = mh === undefined ? undefined : Number(mh);
    if (minHistory !== undefined && !(Number.isInteger(minHistory) && minHistory >= 1)) throw new UsageError('--min-history must be a positive integer (months)');
    return withService(wsPath, async (client) => {
      // The Evaluasi and Pengawasan screens' calls: the latest run's summary figures, the full tables on the same data.
      const summary = (await client.call('analysisSummary', {})) ?? NOT_RUN;
      const impact = (await client.call('impactIndicators', { poverty_line: povertyLine })).detail;
      const o = (await client.call('oversightSignals', { min_history: minHistory })).detail;
      const oversight = { complaints: o.summary, flagged: o.flagged, timing: o.timing };
      if (flag(args, 'json') === 'true') {
        console.log(JSON.stringify({ impact: summary.impact, oversight: summary.oversight, detail: { impact, oversight } }, null, 2));
        return 0;
      }
      const out: string[] = [];
      out.push(...impactLines(summary).slice(1));
      out.push('', `benefit incidence (share of paid amount by household desil):`);
      for (const r of impact.incidence.filter((x) => x.program === 'ALL')) out.push(`  desil ${r.desil ?? 'not in registry'}: ${fmtRp(r.amount)} (${pct(r.share)}), ${fmtInt(r.households)} households`);
      out.push('', `adequacy (annual benefit / poverty line Rp ${fmtInt(impact.params.poverty_line)} per capita per month × household size × 12; ${impact.params.poverty_line_source}):`);
      for (const a of impact.adequacy) out.push(`  ${a.program} ${a.year}: aggregate ${pct(a.aggregate_ratio)}, median ${pct(a.median_ratio)}, ${fmtInt(a.households)} households`);
      const c = oversight.complaints;
      out.push('', c.evaluated
        ? `complaints: ${fmtInt(c.total)} (${fmtInt(c.open)} open), resolution median ${days(c.median_days)}, p90 ${days(c.p90_days)}`
        : `complaints: not evaluated (${c.reason})`);
      if (c.evaluated) {
        for (const [dim, gs] of [['channel', c.by_channel], ['category', c.by_category], ['region', c.by_region]] as const) {
          out.push(`  by ${dim}: ${gs.map((g) => `${g.key ?? '(empty)'} ${fmtInt(g.count)}`).join(', ')}`);
        }
      }
      out.push(`complaints naming flagged recipients: ${fmtInt(oversight.flagged.total)}${oversight.flagged.by_check.length ? ` (${oversight.flagged.by_check.map((b) => `${b.check_id} ${b.complaints}`).join(', ')})` : ''}`);
      const t = oversight.timing;
      if (!t.evaluated) out.push(`disbursement timing: not evaluated (${t.reason})`);
      else {
        out.push(`disbursement timing: ${fmtInt(t.rows.length)} region-months, ${fmtInt(t.not_judged)} not judged (fewer than ${t.params.minHistory} earlier months), ` +
          `${fmtInt(t.spikes.length)} spikes (|robust z| >= ${t.params.threshold}), ${fmtInt(t.spikes_near_events)} near an event date`);
        for (const sp of t.spikes.slice(0, 50)) {
          out.push(`  ${sp.region === '*' ? 'all regions' : sp.region} ${sp.month}: ${fmtRp(sp.amount)}, ${fmtInt(sp.new_recipients)} new recipients, z ${sp.z_amount?.toFixed(1) ?? '-'} / ${sp.z_new?.toFixed(1) ?? '-'}${sp.events.length ? `, near ${sp.events.join(', ')}` : ''}`);
        }
      }
      console.log(out.join('\n'));
      return 0;
    });
  },
};
