/**
 * Ready-made transports for the renderer. Desktop: the preload bridge (`window.telisik`). Browser mode: HTTP POST
 * /api/<call> + Server-Sent Events on /api/events; the per-launch token travels as an HttpOnly cookie set when the
 * index page is opened with ?token=…, so the renderer never handles it.
 */
import { CALL_NAMES, createApi, EVENT_NAMES, type AnyEvent, type Transport } from './contract';
import type { Result } from './result';
import { fromWireJson, toWireJson } from './wire';

/**
 * Shape the preload exposes on `window.telisik`: `call.<name>(args)` — one function per contract call — plus
 * `subscribe`, and `pathForFile(file)` (Electron's webUtils.getPathForFile) for drag-and-drop / <input type=file>.
 */
export interface TelisikBridge {
  mode: 'electron';
  call: Record<string, (args: unknown) => Promise<Result<unknown>>>;
  subscribe(listener: (e: AnyEvent) => void): () => void;
  pathForFile(file: unknown): string;
}

export function bridgeTransport(bridge: TelisikBridge): Transport {
  return {
    invoke: (name, args) => {
      const fn = bridge.call[name];
      if (typeof fn !== 'function') return Promise.resolve({ ok: false, error: { code: 'unknown_call', message: `Unknown call: ${name}` } });
      return fn(args);
    },
    subscribe: (l) => bridge.subscribe(l),
  };
}

export function httpTransport(base = ''): Transport {
  const listeners = new Set<(e: AnyEvent) => void>();
  let source: { close(): void } | null = null;
  const ensureSource = () => {
    if (source || typeof (globalThis as { EventSource?: unknown }).EventSource !== 'function') return;
    const ES = (globalThis as unknown as { EventSource: new (u: string) => { addEventListener(t: string, f: (m: { data: string }) => void): void; close(): void } }).EventSource;
    const es = new ES(`${base}/api/events`);
    for (const ev of EVENT_NAMES) {
      es.addEventListener(ev, (m) => {
        let data: unknown;
        try { data = fromWireJson(m.data); } catch { return; }
        for (const l of listeners) l({ event: ev, data } as AnyEvent);
      });
    }
    source = es;
  };
  return {
    async invoke(name, args) {
      const res = await fetch(`${base}/api/${encodeURIComponent(name)}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        credentials: 'same-origin',
        body: toWireJson(args ?? {}),
      });
      const text = await res.text();
      try {
        return fromWireJson(text) as Result<unknown>;
      } catch {
        return { ok: false, error: { code: res.status === 401 ? 'unauthorized' : res.status === 403 ? 'forbidden' : 'internal', message: `HTTP ${res.status}: ${text.slice(0, 200)}` } };
      }
    },
    subscribe(l) {
      listeners.add(l);
      ensureSource();
      return () => {
        listeners.delete(l);
        if (listeners.size === 0 && source) { source.close(); source = null; }
      };
    },
  };
}

/**
 * Browser mode only: stores a dropped/picked file on the engine side (raw bytes, `POST /api/upload?name=`) and
 * answers its path for `previewFile` / `importFiles`. In Electron use `window.telisik.pathForFile(file)` instead.
 */
export async function uploadFile(file: { name: string; arrayBuffer(): Promise<ArrayBuffer> }, base = ''): Promise<Result<{ path: string }>> {
  try {
    const res = await fetch(`${base}/api/upload?name=${encodeURIComponent(file.name)}`, {
      method: 'POST', credentials: 'same-origin', headers: { 'content-type': 'application/octet-stream' }, body: await file.arrayBuffer(),
    });
    return JSON.parse(await res.text()) as Result<{ path: string }>;
  } catch (e) {
    return { ok: false, error: { code: 'internal', message: String((e as Error)?.message ?? e) } };
  }
}

/** Picks the bridge when running in Electron, else HTTP. */
export function defaultApi() {
  const bridge = (globalThis as { telisik?: TelisikBridge }).telisik;
  return createApi(bridge && bridge.mode === 'electron' ? bridgeTransport(bridge) : httpTransport());
}

export { CALL_NAMES };
