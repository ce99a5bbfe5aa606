// Loads the real preload module against a test double of Electron's contextBridge/ipcRenderer/webUtils (a double of
// Electron, not of the engine) and checks that the page gets exactly one function per contract call and nothing else.
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { CALL_NAMES } from '../../src/shared/contract';

const exposed: Record<string, unknown> = {};
const invoked: unknown[][] = [];
const listeners = new Map<string, ((e: unknown, msg: unknown) => void)[]>();

vi.mock('electron', () => ({
  contextBridge: { exposeInMainWorld: (key: string, api: unknown) => { exposed[key] = api; } },
  ipcRenderer: {
    invoke: async (...a: unknown[]) => { invoked.push(a); return { ok: true, value: 'pong' }; },
    on: (ch: string, l: (e: unknown, msg: unknown) => void) => { listeners.set(ch, [...(listeners.get(ch) ?? []), l]); },
    removeListener: (ch: string, l: unknown) => { listeners.set(ch, (listeners.get(ch) ?? []).filter((x) => x !== l)); },
  },
  webUtils: { getPathForFile: (f: { path: string }) => f.path },
}));

type Bridge = { mode: string; call: Record<string, (a?: unknown) => Promise<unknown>>; subscribe(l: (e: unknown) => void): () => void; pathForFile(f: unknown): string };
let bridge: Bridge;
beforeAll(async () => {
  await import('../../src/preload/index');
  bridge = exposed.telisik as Bridge;
});

describe('preload bridge', () => {
  it('exposes only window.telisik, never ipcRenderer', () => {
    expect(Object.keys(exposed)).toEqual(['telisik']);
    expect(Object.keys(bridge).sort()).toEqual(['call', 'mode', 'pathForFile', 'subscribe']);
    expect(bridge.mode).toBe('electron');
    expect(JSON.stringify(Object.keys(bridge))).not.toMatch(/ipc/i);
  });

  it('has exactly one function per contract call', () => {
    expect(Object.keys(bridge.call).sort()).toEqual([...CALL_NAMES].sort());
    for (const n of CALL_NAMES) expect(typeof bridge.call[n]).toBe('function');
    expect(Object.isFrozen(bridge.call)).toBe(true);
  });

  it('forwards a call as (channel, name, args) and returns the Result', async () => {
    expect(await bridge.call.tablePage({ table: 'registry', offset: 0, limit: 5 })).toEqual({ ok: true, value: 'pong' });
    expect(invoked.at(-1)).toEqual(['telisik:invoke', 'tablePage', { table: 'registry', offset: 0, limit: 5 }]);
    await bridge.call.appInfo();
    expect(invoked.at(-1)).toEqual(['telisik:invoke', 'appInfo', {}]);
  });

  it('delivers only contract events and unsubscribes', () => {
    const got: unknown[] = [];
    const off = bridge.subscribe((e) => got.push(e));
    const [l] = listeners.get('telisik:event')!;
    l({ sender: 'x' }, { event: 'progress', data: { task_id: 't', done: 1 } });
    l({}, { event: 'evil', data: {} });
    l({}, null);
    expect(got).toEqual([{ event: 'progress', data: { task_id: 't', done: 1 } }]);
    off();
    expect(listeners.get('telisik:event')).toEqual([]);
  });

  it('resolves dropped files to paths', () => {
    expect(bridge.pathForFile({ path: '/data/salur.csv' })).toBe('/data/salur.csv');
  });
});
