import type { Command } from '../command';
import { UsageError, InputError, flag, parseArgs, requireFlag } from '../args';
import { trailHead } from '../../engine/trail/trail';
import { Workspace } from '../../engine/workspace/workspace';
import { runChecks, buildSummary, CheckParamError, CHECK_IDS, INDICATOR_IDS } from '../../engine/checks';
import { loadRulesFlag, summaryTable, writeSummaryFile } from './audit';
import { engagementPolicy } from '../../engine/output';

export const runCommand: Command = {
  name: 'run',
  summary: 'Run checks and indicators on a workspace (all, or the CHECK ids given)',
  usage: `telisik run --workspace W [CHECK…] [--rules rules.json] [--summary summary.json] [--quiet]   CHECK: ${[...CHECK_IDS, ...INDICATOR_IDS].join(' | ')}`,
  async run(argv) {
    const args = parseArgs(argv, ['quiet']);
    for (const k of args.flags.keys()) if (!['workspace', 'rules', 'summary', 'quiet'].includes(k)) throw new UsageError(`unknown option --${k}`);
    const wsPath = requireFlag(args, 'workspace');
    for (const id of args.positionals) {
      if (![...CHECK_IDS, ...INDICATOR_IDS].includes(id)) throw new UsageError(`unknown check "${id}"`);
    }
    const rules = loadRulesFlag(flag(args, 'rules'));
    const ws = await Workspace.open(wsPath);
    try {
      const quiet = flag(args, 'quiet') === 'true';
      const r = await runChecks(ws, {
        only: args.positionals.length ? args.positionals : undefined,
        rules,
        onProgress: quiet ? undefined : (p) => {
          if (p.phase === 'check' && p.status !== 'running') console.error(`  ${p.check_id}: ${p.status === 'done' ? `${p.records} records` : 'not evaluated'} (${p.ms} ms)`);
        },
      }).catch((e) => { if (e instanceof CheckParamError) throw new InputError(e.message); throw e; });
      const summary = await buildSummary(ws);
      const out = flag(args, 'summary');
      if (out) writeSummaryFile(out, JSON.stringify({ ...summary, trail_head: await trailHead(ws) }, null, 2) + '\n', await engagementPolicy(ws, '.json'));
      if (!quiet) console.log(`run ${r.run_id} (${(r.ms / 1000).toFixed(1)} s)\n` + summaryTable(summary));
      return 0;
    } finally {
      await ws.close();
    }
  },
};
