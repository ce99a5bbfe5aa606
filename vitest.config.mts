import { readFileSync } from 'node:fs';
import { relative, sep } from 'node:path';
import { defineConfig } from 'vitest/config';
import { BaseSequencer, type TestSpecification } from 'vitest/node';

/**
 * Longest file first, so neither worker is left with a long file at the end. Vitest orders by the durations of the
 * last run on this machine (node_modules/.vite); a clean clone has none and ordered by file size, which started
 * print.test (38 s) and seal.test (30 s) midway. There, test/durations.json — seconds per file measured on an idle
 * run, regenerated with `node scripts/test-durations.mjs` — stands in. An unlisted file counts as 0 s.
 */
const MEASURED: Record<string, number> = JSON.parse(readFileSync(new URL('./test/durations.json', import.meta.url), 'utf8'));
class LongestFirst extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const seconds = (f: TestSpecification): number => {
      const path = relative(this.ctx.config.root, f.moduleId).split(sep).join('/');
      const last = this.ctx.cache.getFileTestResults(`${f.project.name}:${path}`);
      return last ? last.duration / 1000 : MEASURED[path] ?? 0;
    };
    return [...files].sort((a, b) => seconds(b) - seconds(a));
  }
}

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Generous bounds, to catch a hang rather than time a test: the suite must hold with a second `npm test` running
    // beside it on two cores (each test then runs 2–4× slower than alone).
    testTimeout: 240_000,
    hookTimeout: 300_000,
    // expect.poll waits on a condition; its default 1 s is a timing assumption that fails on a loaded machine (a
    // UI list re-rendering after a removal took longer with load 12). 30 s, like the e2e waitForSelector bounds.
    expect: { poll: { timeout: 30_000 } },
    // DuckDB instances are heavy; two cores here.
    maxWorkers: 2,
    pool: 'forks',
    sequence: { sequencer: LongestFirst },
    // A worker process runs file after file and keeps its loaded modules: the engine's import graph (DuckDB's
    // binding, exceljs, apache-arrow, ~150 src modules) is evaluated once per worker, not once per file — 41% less
    // CPU measured on a 26-file group. Every file still works in its own temp folders and closes what it opens; the
    // one module double (test/electron/preload.test.ts mocks 'electron') is the only importer of its module.
    isolate: false,
    // One DuckDB thread per workspace (src/engine/workspace: TELISIK_THREADS): the suite's data are small, two files
    // already share the two cores, and a second thread per instance only adds scheduling (20–30% less CPU measured).
    // Child processes the tests start (CLI, engine host, bench) inherit it. An outer TELISIK_THREADS wins.
    env: { TELISIK_THREADS: process.env.TELISIK_THREADS ?? '1' },
  },
});
