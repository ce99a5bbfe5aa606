import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Workspace } from '../../src/engine/workspace/workspace';

export interface Ctx { dir: string; ws: Workspace; file(name: string, content: string | Buffer): string; close(): Promise<void> }

/** A fresh workspace in a temp dir; files are written there by the tests themselves. */
export async function setup(prefix = 'telisik-ingest-'): Promise<Ctx> {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  const ws = await Workspace.create(join(dir, 'w.duckdb'), { name: 'test' });
  return {
    dir, ws,
    file(name, content) { const p = join(dir, name); writeFileSync(p, content); return p; },
    async close() { await ws.close(); rmSync(dir, { recursive: true, force: true }); },
  };
}

export const H = 'NIK,NAMA,PROGRAM,NOMINAL,PERIODE,TGL_SALUR,STATUS';
export const NIK1 = '3201014101900001';
export const NIK2 = '3201015505850002';
