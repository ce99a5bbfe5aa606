import { rmSync } from 'node:fs';
import { join } from 'node:path';
import type { Command } from '../command';
import { UsageError, flag, parseArgs, requireFlag } from '../args';
import { DEMO_TRUTH_MAX_HOUSEHOLDS as TRUTH_MAX_HOUSEHOLDS } from '../../shared/types';
import { withoutWorkspace } from '../service';
import { auditCommand } from './audit';

function positiveInt(name: string, v: string | undefined, dflt: number, min = 1): number {
  if (v === undefined) return dflt;
  if (!/^\d+$/.test(v.replace(/_/g, ''))) throw new UsageError(`--${name} must be a whole number, got "${v}"`);
  const n = Number(v.replace(/_/g, ''));
  if (n < min) throw new UsageError(`--${name} must be at least ${min}`);
  return n;
}

export const demoCommand: Command = {
  name: 'demo',
  summary: 'Generate synthetic bansos extracts with planted anomalies and truth.json (the expected summary)',
  usage:
    'telisik demo --out DIR [--households N (default 2000)] [--seed S (default 42)] [--no-truth] [--verify] [--quiet]\n' +
    '  --verify  audit the set as a user would (telisik audit --workspace DIR/verify.duckdb --registry … --flags …\n' +
    '            --summary DIR/verify-summary.json) and compare the summary with truth.json figure by figure (exit 1 on a difference)',
  async run(argv) {
    const args = parseArgs(argv, ['no-truth', 'quiet', 'verify']);
    const outDir = requireFlag(args, 'out');
    const households = positiveInt('households', flag(args, 'households'), 2000);
    const seed = positiveInt('seed', flag(args, 'seed'), 42, 0);
    const quiet = flag(args, 'quiet') === 'true';
    const verify = flag(args, 'verify') === 'true';
    const noTruth = flag(args, 'no-truth') === 'true';
    if (verify && (noTruth || households > TRUTH_MAX_HOUSEHOLDS))
      throw new UsageError(`--verify needs truth.json (households <= ${TRUTH_MAX_HOUSEHOLDS}, without --no-truth)`);
    let last = 0;
    // The service's generateDemo task (no engagement): the files, their rows, truth.json.
    const res = await withoutWorkspace((c) => c.task('generateDemo', { out: outDir, households, seed, truth: noTruth ? false : undefined }, {
      onProgress: (p) => {
        if (quiet || !process.stderr.isTTY) return;
        const now = Date.now();
        if (now - last < 500 && p.phase === 'households') return;
        last = now;
        process.stderr.write(`\r${p.phase}: ${(p.done ?? 0).toLocaleString('en')} / ${(p.total ?? 0).toLocaleString('en')} households   `);
      },
    }));
    if (!quiet && process.stderr.isTTY) process.stderr.write('\n');
    if (!quiet) {
      for (const f of res.files) console.log(`${f.kind.padEnd(14)} ${f.path}  (${res.rows[f.path.split(/[\\/]/).pop()!] ?? 0} rows)`);
      if (res.truth_path) console.log(`truth          ${res.truth_path}`);
      else console.log(`truth.json not written (only for --households <= ${TRUTH_MAX_HOUSEHOLDS}, or --no-truth given)`);
      console.log(`generated ${households.toLocaleString('en')} households (seed ${seed}) in ${(res.ms / 1000).toFixed(1)} s`);
    }
    if (!verify) return 0;
    // the user's path: `telisik audit` with one file flag per kind (comparison lists through --flags, their list
    // names from the list column or, for a file without one, from the file name)
    const dbPath = join(outDir, 'verify.duckdb');
    const summaryPath = join(outDir, 'verify-summary.json');
    for (const f of [dbPath, `${dbPath}.wal`, summaryPath]) rmSync(f, { force: true });
    const byKind = new Map<string, string[]>();
    for (const f of res.files) byKind.set(f.kind, [...(byKind.get(f.kind) ?? []), f.path]);
    const auditArgs = ['--workspace', dbPath, '--summary', summaryPath, ...(quiet ? ['--quiet'] : [])];
    for (const [kind, paths] of byKind) auditArgs.push(`--${kind.replace(/_/g, '-')}`, ...paths);
    const code = await auditCommand.run(auditArgs);
    if (code !== 0) return code;
    const diffs = (await withoutWorkspace((c) => c.call('compareDemoTruth', { summary: summaryPath, truth: res.truth_path! }))).differences;
    if (diffs.length) {
      console.error(`verify: ${diffs.length} figure(s) differ from truth.json:\n  ${diffs.join('\n  ')}`);
      return 1;
    }
    if (!quiet) console.log('verify: every summary figure equals truth.json');
    return 0;
  },
};
