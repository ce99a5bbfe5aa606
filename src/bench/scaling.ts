/**
 * Scaling table from several bench result files (`node bin/bench.js --scaling a.json b.json …`): per size, the
 * import/audit wall and CPU time of ours and bare, per-million-row rates, peak RSS and database size, plus a linear
 * extrapolation to a given row count (national BPNT year: 225M).
 */
import { readFileSync } from 'node:fs';
import type { BenchResult } from './run';

const sec = (ms: number | null | undefined) => (ms == null ? '—' : (ms / 1000).toFixed(1));
const gb = (b: number | null | undefined) => (b == null ? '—' : (b / 1024 ** 3).toFixed(2));

export function scalingMarkdown(files: string[], target = 225_000_000): string {
  const rs = files.map((f) => JSON.parse(readFileSync(f, 'utf8')) as BenchResult).sort((a, b) => a.data.disbursementRows - b.data.disbursementRows);
  const get = (r: BenchResult, step: string) => r.steps.find((s) => s.step === step);
  const L: string[] = [];
  L.push('| disbursement rows | registry rows | ours import s (CPU s) | ours audit s (CPU s) | bare import s (CPU s) | bare audit s (CPU s) | ours import+audit s | ratio wall | ratio CPU | ours peak RSS GB | bare peak RSS GB | ours DB size | load avg | skipped checks |');
  L.push('|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|---|---|');
  for (const r of rs) {
    const oi = get(r, 'import.total'); const oa = get(r, 'audit.total');
    const ot = oi?.ours_ms != null && oa?.ours_ms != null ? oi.ours_ms + oa.ours_ms : null;
    const bt = oi?.bare_ms != null && oa?.bare_ms != null ? oi.bare_ms + oa.bare_ms : null;
    const oc = (oi?.ours_cpu_ms ?? 0) + (oa?.ours_cpu_ms ?? 0); const bc = (oi?.bare_cpu_ms ?? 0) + (oa?.bare_cpu_ms ?? 0);
    const ds = r.memory.ours_database_size as Record<string, unknown> | null;
    L.push(`| ${r.data.disbursementRows.toLocaleString('en')} | ${r.data.registryRows.toLocaleString('en')} | ${sec(oi?.ours_ms)} (${sec(oi?.ours_cpu_ms)}) | ${sec(oa?.ours_ms)} (${sec(oa?.ours_cpu_ms)}) | ` +
      `${sec(oi?.bare_ms)} (${sec(oi?.bare_cpu_ms)}) | ${sec(oa?.bare_ms)} (${sec(oa?.bare_cpu_ms)}) | ${sec(ot)} | ${ot && bt ? (ot / bt).toFixed(2) + '×' : '—'} | ${oc && bc ? (oc / bc).toFixed(2) + '×' : '—'} | ` +
      `${gb(r.memory.ours_peak_rss_bytes as number)} | ${gb(r.memory.bare_peak_rss_bytes as number)} | ${ds?.database_size ?? '—'} | ${r.machine.loadavg_start?.[0]?.toFixed(1) ?? '?'}→${r.machine.loadavg_end?.[0]?.toFixed(1) ?? '?'} | ${r.options.skipChecks?.join(', ') || '—'} |`);
  }
  const big = rs[rs.length - 1];
  if (big) {
    const f = target / big.data.disbursementRows;
    const oi = get(big, 'import.total'); const oa = get(big, 'audit.total');
    L.push('');
    L.push(`Linear extrapolation from ${big.data.disbursementRows.toLocaleString('en')} rows to ${target.toLocaleString('en')} (×${f.toFixed(1)}; a lower bound for the steps that sort or self-join):` +
      ` ours import ≈ ${sec((oi?.ours_ms ?? NaN) * f)} s wall / ${sec((oi?.ours_cpu_ms ?? NaN) * f)} s CPU, ours audit ≈ ${sec((oa?.ours_ms ?? NaN) * f)} s / ${sec((oa?.ours_cpu_ms ?? NaN) * f)} s CPU;` +
      ` bare import ≈ ${sec((oi?.bare_ms ?? NaN) * f)} s, bare audit ≈ ${sec((oa?.bare_ms ?? NaN) * f)} s.`);
  }
  return L.join('\n');
}
