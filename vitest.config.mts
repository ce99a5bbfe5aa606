import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 120_000,
    hookTimeout: 180_000,
    // DuckDB instances are heavy; two cores here.
    maxWorkers: 2,
    pool: 'forks',
  },
});
