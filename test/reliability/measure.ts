/**
 * Measures what the default suite cannot afford: import time and peak RSS of the XLSX zip bomb, the 50 MB single line
 * and the 5,000-column CSV (figures in docs/reliability.md). Everything is generated into a temp dir and deleted.
 *   npx tsx test/reliability/measure.ts bomb [MB=256] [STRINGS=2000000]
 *   npx tsx test/reliability/measure.ts line [MB=50]
 *   npx tsx test/reliability/measure.ts wide
 * Run one case per process: peak RSS (getrusage maxRSS) is per process.
 */
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Workspace } from '../../src/engine/workspace/workspace';
import { importFile } from '../../src/engine/ingest';
import { makeBadInputs, makeLongLine, makeZipBombAsync } from '../../scripts/make-bad-inputs';

async function main(): Promise<void> {
  const [what = 'bomb', a, b] = process.argv.slice(2);
  const dir = mkdtempSync(join(tmpdir(), 'telisik-measure-'));
  try {
    let path: string;
    let extra: Record<string, unknown> = {};
    const g0 = Date.now();
    if (what === 'bomb') {
      const r = await makeZipBombAsync(dir, Number(a ?? 256), Number(b ?? 2_000_000));
      path = r.path;
      extra = { file_bytes: r.bytes, inflated_bytes: r.inflated };
    } else if (what === 'line') {
      path = makeLongLine(dir, Number(a ?? 50));
    } else if (what === 'wide') {
      const c = join(dir, 'corpus');
      await makeBadInputs(c);
      path = join(dir, 'wide-5000.csv');
      copyFileSync(join(c, 'wide-5000.csv'), path);
    } else throw new Error(`unknown case ${what}`);
    const genMs = Date.now() - g0;
    const rssBefore = process.resourceUsage().maxRSS;
    const ws = await Workspace.create(join(dir, 'w.duckdb'), { name: 'measure' });
    const t0 = Date.now();
    let outcome: Record<string, unknown>;
    try {
      const r = await importFile(ws, { kind: 'disbursements', path });
      outcome = { ok: true, rows_read: r.rows_read, rows_loaded: r.rows_loaded, rows_rejected: r.rows_rejected };
    } catch (e) {
      outcome = { ok: false, error: String((e as Error).message).slice(0, 200) };
    }
    const importMs = Date.now() - t0;
    await ws.close();
    console.log(JSON.stringify({
      case: what, ...extra, generate_ms: genMs, import_ms: importMs, ...outcome,
      peak_rss_mb_before_import: Math.round(rssBefore / 1024), peak_rss_mb: Math.round(process.resourceUsage().maxRSS / 1024),
    }));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((e) => { console.error(e); process.exitCode = 1; });
