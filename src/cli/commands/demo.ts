import type { Command } from '../command';
import { UsageError, flag, parseArgs, requireFlag } from '../args';
import { generateDemo, TRUTH_MAX_HOUSEHOLDS } from '../../engine/demo';

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
  usage: 'telisik demo --out DIR [--households N (default 2000)] [--seed S (default 42)] [--no-truth] [--quiet]',
  async run(argv) {
    const args = parseArgs(argv, ['no-truth', 'quiet']);
    const outDir = requireFlag(args, 'out');
    const households = positiveInt('households', flag(args, 'households'), 2000);
    const seed = positiveInt('seed', flag(args, 'seed'), 42, 0);
    const quiet = flag(args, 'quiet') === 'true';
    const truth = flag(args, 'no-truth') === 'true' ? false : undefined;
    let last = 0;
    const res = await generateDemo({
      outDir,
      households,
      seed,
      truth,
      onProgress: (p) => {
        if (quiet || !process.stderr.isTTY) return;
        const now = Date.now();
        if (now - last < 500 && p.phase === 'households') return;
        last = now;
        process.stderr.write(`\r${p.phase}: ${p.households.toLocaleString('en')} / ${p.total.toLocaleString('en')} households   `);
      },
    });
    if (!quiet && process.stderr.isTTY) process.stderr.write('\n');
    for (const f of res.files) console.log(`${f.kind.padEnd(14)} ${f.path}  (${res.rows[f.path.split(/[\\/]/).pop()!] ?? 0} rows)`);
    if (res.truthPath) console.log(`truth          ${res.truthPath}`);
    else console.log(`truth.json not written (only for --households <= ${TRUTH_MAX_HOUSEHOLDS}, or --no-truth given)`);
    console.log(`generated ${households.toLocaleString('en')} households (seed ${seed}) in ${(res.ms / 1000).toFixed(1)} s`);
    return 0;
  },
};
