import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Workspace } from '../../src/engine/workspace/workspace';

/** A fresh workspace in a temp folder; call dispose() in afterAll/afterEach. */
export async function tempWorkspace(label = 'tools'): Promise<{ ws: Workspace; dir: string; dispose: () => Promise<void> }> {
  const dir = mkdtempSync(join(tmpdir(), `telisik-${label}-`));
  const ws = await Workspace.create(join(dir, 'ws.duckdb'), { name: `test ${label}` });
  return { ws, dir, dispose: async () => { await ws.close().catch(() => undefined); rmSync(dir, { recursive: true, force: true }); } };
}
