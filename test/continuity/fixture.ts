/** A small demo engagement on disk (generated files, real imports, one real run) for the continuity tests. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { vi } from 'vitest';
import { generateDemo } from '../../src/engine/demo/generate';
import { importFile } from '../../src/engine/ingest';
import { runChecks } from '../../src/engine/checks';
import { Workspace } from '../../src/engine/workspace/workspace';

export interface DemoEngagement { dir: string; wsPath: string; files: { kind: string; path: string }[]; dispose(): void }

export async function demoEngagement(opts: { seed?: number; households?: number; label?: string; period?: string } = {}): Promise<DemoEngagement> {
  const dir = mkdtempSync(join(tmpdir(), `telisik-${opts.label ?? 'cont'}-`));
  const data = join(dir, 'data');
  const res = await generateDemo({ outDir: data, households: opts.households ?? 150, seed: opts.seed ?? 42, truth: false });
  const wsPath = join(dir, 'ws.duckdb');
  const ws = await Workspace.create(wsPath, { name: `demo ${opts.seed ?? 42}`, period: opts.period });
  try {
    for (const f of res.files) await importFile(ws, { kind: f.kind, path: f.path });
    await runChecks(ws, {});
  } finally { await ws.close(); }
  return { dir, wsPath, files: res.files.map((f) => ({ kind: f.kind, path: f.path })), dispose: () => rmSync(dir, { recursive: true, force: true }) };
}

/** Runs a CLI command object, capturing console output. */
export async function runCli(cmd: { run(argv: string[]): Promise<number> }, argv: string[]): Promise<{ code: number; out: string }> {
  const lines: string[] = [];
  const log = vi.spyOn(console, 'log').mockImplementation((...a: unknown[]) => { lines.push(a.join(' ')); });
  const err = vi.spyOn(console, 'error').mockImplementation((...a: unknown[]) => { lines.push(a.join(' ')); });
  try { return { code: await cmd.run(argv), out: lines.join('\n') }; } finally { log.mockRestore(); err.mockRestore(); }
}

/** Opens, runs fn, closes. */
export async function withWs<T>(path: string, fn: (ws: Workspace) => Promise<T>): Promise<T> {
  const ws = await Workspace.open(path);
  try { return await fn(ws); } finally { await ws.close(); }
}
