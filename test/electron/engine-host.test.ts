// The utility-process engine host (out/main/engine-host.js) run under plain Node with a stand-in for Electron's
// `process.parentPort` (bridged to child_process IPC). Proves the built host loads the BUILT engine (out/engine,
// JavaScript: no tsx) and answers contract calls and events — everything but Electron itself.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fork, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const root = join(__dirname, '..', '..');
const host = join(root, 'out', 'main', 'engine-host.js');
let dir: string;
let child: ChildProcess;
const inbox: Record<string, unknown>[] = [];

beforeAll(async () => {
  if (!existsSync(host)) {
    const r = spawnSync(process.execPath, [join(root, 'node_modules', 'electron-vite', 'bin', 'electron-vite.js'), 'build'], { cwd: root, stdio: 'inherit' });
    expect(r.status).toBe(0);
  }
  // the engine as the desktop shell ships it (always rebuilt: the source may have changed since the last build)
  const eb = spawnSync(process.execPath, [join(root, 'scripts', 'build-engine.mjs')], { cwd: root, stdio: 'inherit' });
  expect(eb.status).toBe(0);
  dir = mkdtempSync(join(tmpdir(), 'telisik-host-'));
  const shim = join(dir, 'parent-port-shim.cjs');
  writeFileSync(shim, `
    const listeners = [];
    process.on('message', (m) => listeners.forEach((l) => l({ data: m })));
    process.parentPort = { on: (ev, l) => { if (ev === 'message') listeners.push(l); }, postMessage: (m) => process.send(m) };
  `);
  child = fork(host, [], { execArgv: ['-r', shim], env: { ...process.env, TELISIK_DATA_DIR: join(dir, 'data'), TELISIK_APP_ROOT: root }, stdio: 'inherit' });
  child.on('message', (m) => inbox.push(m as Record<string, unknown>));
  for (let i = 0; i < 600 && !inbox.some((m) => m.ready); i++) await new Promise((r) => setTimeout(r, 50));
  expect(inbox.some((m) => m.ready)).toBe(true);
  expect(inbox.find((m) => m.ready)?.bundled).toBe(true);
}, 120_000);

afterAll(async () => {
  if (child && child.exitCode === null) {
    child.send({ shutdown: true });
    await new Promise((r) => child.once('exit', r));
  }
  rmSync(dir, { recursive: true, force: true });
});

async function ask(id: number, name: string, args: unknown) {
  child.send({ id, name, args });
  for (let i = 0; i < 400; i++) {
    const m = inbox.find((x) => x.id === id);
    if (m) return m.result as { ok: boolean; value?: Record<string, unknown>; error?: { code: string } };
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error('no answer');
}

describe('engine host (utility process)', () => {
  it('answers contract calls in electron mode and reports errors as data', async () => {
    expect(await ask(1, 'appInfo', {})).toMatchObject({ ok: true, value: { name: 'telisik', mode: 'electron' } });
    expect(await ask(2, 'nope', {})).toMatchObject({ ok: false, error: { code: 'unknown_call' } });
    expect(await ask(3, 'tablePage', { table: 'registry', offset: 0, limit: 1 })).toMatchObject({ ok: false, error: { code: 'no_workspace' } });
  });

  it('forwards engine events', async () => {
    expect(await ask(4, 'createWorkspace', { path: join(dir, 'ws'), name: 'host' })).toMatchObject({ ok: true });
    expect(inbox.some((m) => (m.event as { event?: string })?.event === 'workspace')).toBe(true);
  });
});
