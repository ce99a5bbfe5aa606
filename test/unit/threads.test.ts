// DuckDB's worker threads: TELISIK_THREADS bounds every workspace the process opens (the suite runs with 1, see
// vitest.config.mts); unset, DuckDB keeps its own default; a bad value is refused before the file is touched.
import { afterEach, describe, expect, it } from 'vitest';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { Workspace, WorkspaceError, threadLimit } from '../../src/engine/workspace/workspace';

const saved = process.env.TELISIK_THREADS;
afterEach(() => { if (saved === undefined) delete process.env.TELISIK_THREADS; else process.env.TELISIK_THREADS = saved; });

const threads = async (ws: Workspace) => Number(await ws.scalar(`SELECT current_setting('threads')`));

describe('DuckDB threads', () => {
  it('TELISIK_THREADS=1 and =3 set the instance; unset leaves DuckDB\'s default; a bad value is refused', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'telisik-threads-'));
    try {
      process.env.TELISIK_THREADS = '1';
      let ws = await Workspace.create(join(dir, 'a.duckdb'), { name: 'a' });
      expect(await threads(ws)).toBe(1);
      await ws.close();
      process.env.TELISIK_THREADS = '3';
      ws = await Workspace.open(join(dir, 'a.duckdb'));
      expect(await threads(ws)).toBe(3);
      await ws.close();
      delete process.env.TELISIK_THREADS;
      expect(threadLimit()).toBeUndefined();
      const plain = await DuckDBInstance.create(':memory:');
      const conn = await plain.connect();
      const duckdbDefault = Number((await conn.runAndReadAll(`SELECT current_setting('threads')`)).getRows()[0][0]);
      conn.closeSync();
      plain.closeSync();
      ws = await Workspace.open(join(dir, 'a.duckdb'));
      expect(await threads(ws)).toBe(duckdbDefault);
      await ws.close();
      for (const bad of ['0', 'two', '1.5', '-1']) {
        process.env.TELISIK_THREADS = bad;
        const err = await Workspace.create(join(dir, `bad-${bad}.duckdb`), { name: 'b' }).catch((e: unknown) => e);
        expect(err).toBeInstanceOf(WorkspaceError);
        expect((err as Error).message).toMatch(/TELISIK_THREADS/);
        expect(existsSync(join(dir, `bad-${bad}.duckdb`))).toBe(false);
      }
    } finally { rmSync(dir, { recursive: true, force: true }); }
  });
});
