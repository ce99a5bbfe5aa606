// DuckDB's memory limit: TELISIK_MEMORY_LIMIT / the CLI's --memory-limit bound every workspace the process opens.
import { afterEach, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Workspace, WorkspaceError, defaultMemoryLimit } from '../../src/engine/workspace/workspace';

const saved = process.env.TELISIK_MEMORY_LIMIT;
afterEach(() => { if (saved === undefined) delete process.env.TELISIK_MEMORY_LIMIT; else process.env.TELISIK_MEMORY_LIMIT = saved; });

const setting = async (ws: Workspace) => String(await ws.scalar(`SELECT current_setting('memory_limit')`));
const mib = (s: string) => { const m = /([\d.]+)\s*(KiB|MiB|GiB|TiB)/.exec(s)!; return Number(m[1]) * { KiB: 1 / 1024, MiB: 1, GiB: 1024, TiB: 1024 * 1024 }[m[2] as 'MiB']; };

describe('memory limit', () => {
  it('the product default: RAM / 8 between 1 and 3 GiB (a laptop keeps its memory)', () => {
    const GiB = 1024 ** 3;
    expect(defaultMemoryLimit(8 * GiB)).toBe('1073MB');
    expect(defaultMemoryLimit(16 * GiB)).toBe('2147MB');
    expect(defaultMemoryLimit(24 * GiB)).toBe('3221MB');
    expect(defaultMemoryLimit(256 * GiB)).toBe('3221MB');
    expect(defaultMemoryLimit(4 * GiB)).toBe('1073MB');
  });

  it('unset: the product default; "duckdb": DuckDB\'s own (80% of RAM)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'telisik-mem-d-'));
    try {
      delete process.env.TELISIK_MEMORY_LIMIT;
      let ws = await Workspace.create(join(dir, 'a.duckdb'), { name: 'a' });
      const want = Number(defaultMemoryLimit().replace('MB', '')) * 1e6 / 1048576; // MiB
      expect(Math.abs(mib(await setting(ws)) - want) / want).toBeLessThan(0.02);
      await ws.close();
      process.env.TELISIK_MEMORY_LIMIT = 'duckdb';
      ws = await Workspace.open(join(dir, 'a.duckdb'));
      expect(mib(await setting(ws))).toBeGreaterThan(want * 1.5);
      await ws.close();
    } finally { rmSync(dir, { recursive: true, force: true }); }
  });

  it('TELISIK_MEMORY_LIMIT=1GB: about 954 MiB; a bad value is refused before the file is opened', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'telisik-mem-'));
    try {
      process.env.TELISIK_MEMORY_LIMIT = 'duckdb';
      let ws = await Workspace.create(join(dir, 'a.duckdb'), { name: 'a' });
      const dflt = mib(await setting(ws));
      await ws.close();
      process.env.TELISIK_MEMORY_LIMIT = '1GB';
      ws = await Workspace.open(join(dir, 'a.duckdb'));
      expect(mib(await setting(ws))).toBeCloseTo(953.6, 0);
      expect(dflt).toBeGreaterThan(953.6);
      await ws.close();
      process.env.TELISIK_MEMORY_LIMIT = 'lots';
      await expect(Workspace.open(join(dir, 'a.duckdb'))).rejects.toThrow(WorkspaceError);
      await expect(Workspace.open(join(dir, 'a.duckdb'))).rejects.toThrow(/invalid memory limit/);
    } finally { rmSync(dir, { recursive: true, force: true }); }
  });

  it('telisik --memory-limit: any command, exit 2 for a bad size', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'telisik-mem-cli-'));
    const bin = resolve(__dirname, '../../bin/telisik.js');
    const env = { ...process.env };
    delete env.TELISIK_MEMORY_LIMIT;
    const run = (args: string[]) => spawnSync('node', [bin, ...args], { encoding: 'utf8', env });
    try {
      const ws = await Workspace.create(join(dir, 'b.duckdb'), { name: 'b' });
      await ws.close();
      const ok = run(['tables', '--memory-limit', '512MB', '--workspace', join(dir, 'b.duckdb')]);
      expect({ code: ok.status, err: ok.stderr }).toEqual({ code: 0, err: '' });
      const bad = run(['tables', '--workspace', join(dir, 'b.duckdb'), '--memory-limit=lots']);
      expect(bad.status).toBe(2);
      expect(bad.stderr).toMatch(/invalid --memory-limit "lots"/);
      expect(run(['tables', '--workspace', join(dir, 'b.duckdb'), '--memory-limit']).status).toBe(2);
      env.TELISIK_MEMORY_LIMIT = 'lots';
      const envBad = run(['tables', '--workspace', join(dir, 'b.duckdb')]);
      expect(envBad.status).toBe(3);
      expect(envBad.stderr).toMatch(/invalid memory limit/);
    } finally { rmSync(dir, { recursive: true, force: true }); }
  });
});
