import type { Command } from '../command';
import { UsageError, flag, parseArgs, requireFlag } from '../args';
import { INDICATOR_IDS } from '../../shared/types';
import { loadRulesFlag, rulesRefused, summaryTable } from './audit';
import { withService } from '../service';

export const runCommand: Command = {
  name: 'run',
  summary: 'Run checks and indicators on a workspace (all, or the CHECK ids given); findings are drafted as in the app',
  usage: `telisik run --workspace W [CHECK…] [--rules rules.json] [--summary summary.json] [--quiet]   CHECK: a check id (\`telisik run\` names them on an unknown one) | ${INDICATOR_IDS.join(' | ')}`,
  async run(argv) {
    const args = parseArgs(argv, ['quiet']);
    for (const k of args.flags.keys()) if (!['workspace', 'rules', 'summary', 'quiet'].includes(k)) throw new UsageError(`unknown option --${k}`);
    const wsPath = requireFlag(args, 'workspace');
    const rules = loadRulesFlag(flag(args, 'rules'));
    const quiet = flag(args, 'quiet') === 'true';
    return withService(wsPath, async (c) => {
      // The checks the service knows (listChecks: the registry's order), and the indicator runs.
      const CHECK_IDS = (await c.call('listChecks', {})).map((x) => x.id);
      const known = [...CHECK_IDS, ...INDICATOR_IDS];
      for (const id of args.positionals) if (!known.includes(id)) throw new UsageError(`unknown check "${id}" (${known.join(' | ')})`);
      const t0 = Date.now();
      // The app's run: checks, indicators, findings drafted, the trail entry with the seal.
      const run = await c.task('runAnalysis', { only: args.positionals.length ? args.positionals : undefined, rules })
        .catch((e) => (rules ? rulesRefused(e) : Promise.reject(e)));
      const ms = Date.now() - t0;
      const order = (id: string) => CHECK_IDS.indexOf(id);
      if (!quiet) for (const r of [...run.checks].sort((a, b) => order(a.check_id) - order(b.check_id))) console.error(`  ${r.check_id}: ${r.evaluated ? `${r.records} records` : 'not evaluated'} (${r.ms ?? 0} ms)`);
      const out = flag(args, 'summary');
      if (out) await c.call('writeSummary', { out, confirm_outside: true });
      if (!quiet) console.log(`run ${run.run_id} (${(ms / 1000).toFixed(1)} s)\n` + summaryTable((await c.call('analysisSummary', {}))!));
      return 0;
    });
  },
};
