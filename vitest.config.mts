import { defineConfig } from 'vitest/config';

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
