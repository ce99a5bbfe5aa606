import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { statSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Workspace, WorkspaceError } from '../../src/engine/workspace/workspace';
import { tempDir } from './helpers';

let t: ReturnType<typeof tempDir>;
beforeAll(() => { t = tempDir('telisik-ws-'); });
afterAll(() => t?.remove());

async function code(p: Promise<unknown>): Promise<string | undefined> {
  try { await p; return undefined; } catch (e) { return e instanceof WorkspaceError ? e.reason : `not a WorkspaceError: ${String(e)}`; }
}

describe('workspace open/close safety (same process)', () => {
  it('a second open of an open workspace is refused as in_use (also through a symlink); after close it opens again', async () => {
    const p = join(t.dir, 'a.duckdb');
    const a = await Workspace.create(p, { name: 'a' });
    try {
      expect(await code(Workspace.open(p))).toBe('in_use');
      symlinkSync(p, join(t.dir, 'link.duckdb'));
      expect(await code(Workspace.open(join(t.dir, 'link.duckdb')))).toBe('in_use');
      expect(await code(Workspace.openOrCreate(p, { name: 'a' }))).toBe('in_use');
      expect(await code(Workspace.create(p, { name: 'a' }))).toBe('exists');
    } finally { await a.close(); }
    const b = await Workspace.open(p);
    expect((await b.engagement()).name).toBe('a');
    await b.close();
  });

  it('a file that is not a workspace: clear schema/invalid error, and it is not left registered as open', async () => {
    const junk = join(t.dir, 'junk.duckdb');
    writeFileSync(junk, 'bukan database');
    expect(await code(Workspace.open(junk))).toBe('invalid');
    expect(await code(Workspace.open(join(t.dir, 'missing.duckdb')))).toBe('not_found');
    const other = join(t.dir, 'other.duckdb');
    const { DuckDBInstance } = await import('@duckdb/node-api');
    const db = await DuckDBInstance.create(other);
    db.closeSync();
    expect(await code(Workspace.open(other))).toBe('schema');
    expect(await code(Workspace.open(other))).toBe('schema'); // still not "in use": the failed open released it
  });

  it('the workspace file is created 0600 and re-tightened on open', async () => {
    const p = join(t.dir, 'm.duckdb');
    const ws = await Workspace.create(p, { name: 'm' });
    await ws.close();
    expect(statSync(p).mode & 0o777).toBe(0o600);
    const { chmodSync } = await import('node:fs');
    chmodSync(p, 0o644);
    const again = await Workspace.open(p);
    expect(statSync(p).mode & 0o777).toBe(0o600);
    await again.close();
  });
});
