// Ctrl+C in the CLI: a real SIGINT while a cancellable call's SQL runs (through withService, the CLI's in-process
// client) interrupts the SQL, the call answers `cancelled` (exit 130), and the workspace is closed cleanly — the next
// process opens it and reads it at once.
import { describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Workspace } from '../../src/engine/workspace/workspace';

const ROOT = resolve(__dirname, '../..');

describe('CLI Ctrl+C', () => {
  it('interrupts a long profile mid-flight: exit 130, workspace closed and usable', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'telisik-cancel-cli-'));
    try {
      const path = join(dir, 'cli.duckdb');
      const ws = await Workspace.create(path, { name: 'Uji Ctrl+C' });
      await ws.run(`CREATE VIEW big AS SELECT i AS rec_id, 'NAMA ' || (i % 50000) AS name FROM range(4000000000) t(i)`);
      await ws.close();
      const child = spawn(process.execPath, ['--require', 'tsx/cjs', join(__dirname, 'cancel-child.ts'), path], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
      let out = '';
      let err = '';
      child.stderr.on('data', (c) => { err += String(c); });
      const code = await new Promise<number | null>((res) => {
        child.stdout.on('data', (c) => {
          out += String(c);
          if (out.includes('RUNNING') && !child.killed) child.kill('SIGINT');
        });
        child.on('exit', (c) => res(c));
      });
      expect({ code, out: out.trim().split('\n'), err }).toEqual({ code: 130, out: ['RUNNING', 'CANCELLED cancelled'], err: '' });
      // Closed cleanly: the file lock is gone and the data reads.
      const again = await Workspace.open(path);
      expect(await again.scalar(`SELECT count(*) FROM big WHERE rec_id < 10`)).toBe(10);
      await again.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 120_000);
});
