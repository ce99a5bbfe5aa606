import { join } from 'node:path';
import type { Command } from '../command';
import { UsageError, flag, parseArgs, requireFlag } from '../args';
import { compareSummary, generateDemo, TRUTH_MAX_HOUSEHOLDS } from '../../engine/demo';
import { Workspace } from '../../engine/workspace/workspace';
import { importFile } from '../../engine/ingest';
import { runChecks, buildSummary } from '../../engine/checks';

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
    '  --verify  import the set into DIR/verify.duckdb, run every check and compare the summary with truth.json (exit 1 on a difference)',
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
    const res = await generateDemo({
      outDir,
      households,
      seed,
      truth: noTruth ? false : undefined,
      onProgress: (p) => {
        if (quiet || !process.stderr.isTTY) return;
        const now = Date.now();
        if (now - last < 500 && p.phase === 'households') return;
        last = now;
        process.stderr.write(`\r${p.phase}: ${p.households.toLocaleString('en')} / ${p.total.toLocaleString('en')} households   `);
      },
    });
    if (!quiet && process.stderr.isTTY) process.stderr.write('\n');
    if (!quiet) {
      for (const f of res.files) console.log(`${f.kind.padEnd(14)} ${f.path}  (${res.rows[f.path.split(/[\\/]/).pop()!] ?? 0} rows)`);
      if (res.truthPath) console.log(`truth          ${res.truthPath}`);
      else console.log(`truth.json not written (only for --households <= ${TRUTH_MAX_HOUSEHOLDS}, or --no-truth given)`);
      console.log(`generated ${households.toLocaleString('en')} households (seed ${seed}) in ${(res.ms / 1000).toFixed(1)} s`);
    }
    if (!verify) return 0;
    const ws = await Workspace.create(join(outDir, 'verify.duckdb'), { name: `telisik demo verify (seed ${seed})` });
    let diffs: string[];
    try {
      for (const f of res.files) await importFile(ws, { kind: f.kind, path: f.path });
      await runChecks(ws, {});
      diffs = compareSummary(await buildSummary(ws), res.truth);
    } finally {
      await ws.close();
    }
    if (diffs.length) {
      console.error(`verify: ${diffs.length} figure(s) differ from truth.json:\n  ${diffs.join('\n  ')}`);
      return 1;
    }
    if (!quiet) console.log('verify: every summary figure equals truth.json');
    return 0;
  },
};
