/**
 * Issue 14 item 7: the same workspace opened through a hard link (or another path to the same file) in one process
 * was opened twice; one path's changes vanished and verify said OK. Workspaces are now identified by file identity
 * (device + inode): a second open is refused as in_use; the service asked to open the open engagement under another
 * path answers the open one instead of a second instance.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { linkSync, mkdirSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { tempDir } from './helpers';
import { Workspace, WorkspaceError, fileIdentity, sameFile } from '../../src/engine/workspace/workspace';
import { serviceFor } from '../security/svc';

const t = tempDir('telisik-ident-');
afterAll(() => t.remove());

describe('workspaces by file identity', () => {
  it('a hard link, a symlink and a dotted path are the same workspace: the second open is refused', async () => {
    const p = join(t.dir, 'a.duckdb');
    const ws = await Workspace.create(p, { name: 'A' });
    const hard = join(t.dir, 'hard.duckdb');
    linkSync(p, hard);
    mkdirSync(join(t.dir, 'sub'));
    const sym = join(t.dir, 'sub', 'sym.duckdb');
    symlinkSync(p, sym);
    expect(sameFile(p, hard)).toBe(true);
    expect(fileIdentity(p)).toMatch(/^\d+:\d+$/);
    for (const other of [hard, sym, join(t.dir, 'sub', '..', 'a.duckdb')]) {
      const e = await Workspace.open(other).catch((x: unknown) => x);
      expect(e, other).toBeInstanceOf(WorkspaceError);
      expect((e as WorkspaceError).code).toBe('in_use');
    }
    await ws.close();
    // closed: any of the paths opens it again
    const again = await Workspace.open(hard);
    await again.close();
  });

  it('the service reuses the open engagement for another path; a second service in the process is refused; no change is lost', async () => {
    const p = join(t.dir, 'b.duckdb');
    const link = join(t.dir, 'b-link.duckdb');
    const s1 = serviceFor({ dataDir: join(t.dir, 'd1') });
    const s2 = serviceFor({ dataDir: join(t.dir, 'd2') });
    try {
      await s1.call('createWorkspace', { path: p, name: 'B' });
      linkSync(p, link);
      const info = await s1.call<{ path: string }>('openWorkspace', { path: link });
      expect(info.path).toBe(p);
      await s1.call('saveProfile', { name: 'profil-1', kind: 'disbursements', mapping: { nik: 'NO KTP' } });
      const r = await s2.result('openWorkspace', { path: link });
      expect(r.ok).toBe(false);
      if (!r.ok) expect(r.error.code).toBe('in_use');
      await s1.call('closeWorkspace', {});
      await s2.call('openWorkspace', { path: link });
      expect((await s2.call<{ name: string }[]>('listProfiles', {})).map((x) => x.name)).toEqual(['profil-1']);
      const v = await s2.call<{ ok: boolean; entries: number }>('verifyTrail', {});
      expect(v.ok).toBe(true);
      expect(v.entries).toBeGreaterThanOrEqual(3); // create, open, profile.save, open
    } finally {
      await s1.svc.close();
      await s2.svc.close();
    }
  });
});
