/**
 * End to end: a generated demo set (≈2,000 households) imported with importFile, checked with runChecks, and the
 * telisik.summary/1 from buildSummary compared figure by figure with the generator's independently computed
 * truth.json. A difference names the figure; see the demo report for how disagreements were traced.
 */
import { describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateDemo } from '../../src/engine/demo';
import { Workspace } from '../../src/engine/workspace/workspace';
import { importFile } from '../../src/engine/ingest';
import { runChecks, buildSummary } from '../../src/engine/checks';
import { compareSummary } from './helpers';

describe('demo end to end: summary equals truth.json', () => {
  const cases = [
    { name: 'seed 42, 2,000 households', seed: 42, households: 2000, plantRate: 1 },
    // stress: every plant ~40× as often, so anomalies overlap in the same households and records
    { name: 'seed 1234, 1,000 households, plant rates ×40', seed: 1234, households: 1000, plantRate: 40 },
  ];
  for (const c of cases) {
    it(`${c.name}: every figure of the summary equals truth.json`, async () => {
      const dir = mkdtempSync(join(tmpdir(), `demo-e2e-${c.seed}-`));
      try {
        const demo = await generateDemo({ outDir: join(dir, 'data'), households: c.households, seed: c.seed, plantRate: c.plantRate });
        const ws = await Workspace.create(join(dir, 'audit.duckdb'), { name: 'demo e2e' });
        try {
          for (const f of demo.files) await importFile(ws, { kind: f.kind, path: f.path });
          await runChecks(ws, {});
          const summary = await buildSummary(ws);
          writeFileSync(join(dir, 'summary.json'), JSON.stringify(summary, null, 2));
          const diffs = compareSummary(summary, demo.truth);
          expect(diffs).toEqual([]);
        } finally {
          await ws.close();
        }
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });
  }
});
