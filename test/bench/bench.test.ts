// Smoke test of the benchmark harness at a tiny size: every phase runs, outputs are written, and the bare-DuckDB
// SQL finds the same exceptions as the engine (otherwise the ours/bare ratios would compare different work).
// No timing assertions: timings on a shared machine are not a test.
import { describe, expect, it } from 'vitest';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runBench } from '../../src/bench/run';
import { generate } from '../../src/bench/gen';

describe('bench harness (tiny)', () => {
  it('generates realistic extracts deterministically', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'telisik-bench-gen-'));
    try {
      const a = await generate({ disbursementRows: 3000, seed: 7, cacheDir: dir });
      const text = readFileSync(a.files.disbursements, 'utf8');
      const lines = text.trim().split('\n');
      expect(lines).toHaveLength(3001);
      expect(lines[0]).toBe('NIK_PENERIMA;NO_KK;NAMA_PENERIMA;KODE_WILAYAH;JENIS_BANSOS;NOMINAL;PERIODE;TGL_SALUR;BANK_PENYALUR;NO_REKENING;STATUS_SALUR;ID_TRANSAKSI');
      expect(text).toMatch(/;Rp 200\.000;/);
      expect(text).toMatch(/;\d{2}\/\d{2}\/2025;/);
      expect(text).toMatch(/\n'?\d{16};/);
      const reg = readFileSync(a.files.registry, 'utf8').trim().split('\n');
      expect(reg).toHaveLength(1501);
      // Same seed and size: served from the cache, same bytes.
      const b = await generate({ disbursementRows: 3000, seed: 7, cacheDir: dir });
      expect(b.generated_ms).toBeNull();
      expect(readFileSync(b.files.disbursements, 'utf8')).toBe(text);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('runs every phase and the bare SQL agrees with the engine', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'telisik-bench-run-'));
    try {
      const r = await runBench({
        disbursementRows: 6000, seed: 3, repeat: 1, out: join(dir, 'out'), cacheDir: join(dir, 'cache'), workDir: join(dir, 'work'),
        workbookRows: 2000, pageRepeat: 1, writeDocs: false, childOutput: 'ignore', log: () => undefined,
      });
      for (const p of r.phases) expect({ phase: p.phase, ok: p.ok, error: p.error }).toEqual({ phase: p.phase, ok: true, error: undefined });
      const step = (k: string) => r.steps.find((s) => s.step === k);
      expect(step('import.disbursements')?.bare_ms).toBeGreaterThan(0);
      expect(step('import.disbursements')?.ours_ms).toBeGreaterThan(0);
      expect(step('import.disbursements')?.rows).toBe(6000);
      expect(step('audit.total')?.ratio).toBeGreaterThan(0);
      expect(r.paging.some((p) => p.method === 'offset')).toBe(true);
      // the engine's own page goes through the service's tablePage (position index), for both views
      expect(r.phases.find((p) => p.phase === 'paging')!.steps.find((s) => s.step === 'page.engine.unavailable')).toBeUndefined();
      expect(r.paging.filter((p) => p.method === 'engine_service_page').map((p) => p.filter).sort()).toEqual(['all', 'all', 'all', 'region', 'region', 'region']);
      expect(r.budgets.map((b) => b.budget)).toContain('import + full audit');
      expect(existsSync(join(dir, 'out', 'latest.md'))).toBe(true);
      expect(readFileSync(join(dir, 'out', 'latest.md'), 'utf8')).toContain('## Budgets');
      // Equivalence of the work: records per check, ours (buildSummary) vs bare.
      const ours = r.phases.find((p) => p.phase === 'ours')!.extra!.summary_checks as Record<string, { records: number }>;
      const bare = r.phases.find((p) => p.phase === 'bare')!.extra!.figures as Array<{ check_id: string; records: number }>;
      expect(bare.length).toBeGreaterThan(10);
      for (const b of bare) expect({ check: b.check_id, records: ours[b.check_id]?.records }).toEqual({ check: b.check_id, records: b.records });
      expect(bare.find((b) => b.check_id === 'ineligible_desil')!.records).toBeGreaterThan(0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
