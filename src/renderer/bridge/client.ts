/**
 * Ready-made transports for the renderer. Desktop: the preload bridge (`window.telisik`). Browser mode: HTTP POST
 * /api/<call> + a Server-Sent Events stream on /api/events read with fetch. The per-launch token arrives once in the
 * URL fragment (`#token=…`, never sent over HTTP), is kept in sessionStorage (this origin and port only) and travels
 * in the `X-Telisik-Token` header — never in a cookie, which every other port of 127.0.0.1 would receive (issue 14).
 */
import { CALL_NAMES, createApi, EVENT_NAMES, type AnyEvent, type Transport } from '../../shared/contract';
import type { Result } from '../../shared/result';
import { fromWireJson, toWireJson } from '../../shared/wire';

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

const TOKEN_KEY = 'telisik.token';

interface PageGlobals {
  location?: { hash: string; pathname: string; search: string };
  history?: { replaceState(data: unknown, unused: string, url?: string): void };
  sessionStorage?: { getItem(k: string): string | null; setItem(k: string, v: string): void };
}

/**
 * The browser-mode token: taken once from the URL fragment (`#token=…`; then removed from the address bar) and kept in
 * sessionStorage for reloads of this tab. Null outside a browser page.
 */
export function launchToken(): string | null {
  const g = globalThis as PageGlobals;
  try {
    const m = /(?:^#|&)token=([A-Za-z0-9_-]{16,})/.exec(g.location?.hash ?? '');
    if (m) {
      g.sessionStorage?.setItem(TOKEN_KEY, m[1]);
      g.history?.replaceState(null, '', `${g.location!.pathname}${g.location!.search}`);
      return m[1];
    }
    return g.sessionStorage?.getItem(TOKEN_KEY) ?? null;
  } catch { return null; }
}

/** One SSE frame (`event: …` / `data: …` lines) -> [event, data text]. */
export function parseSseFrame(frame: string): [string, string] | null {
  let event = 'message';
  const data: string[] = [];
  for (const line of frame.split('\n')) {
    if (line.startsWith('event:')) event = line.slice(6).trim();
    else if (line.startsWith('data:')) data.push(line.slice(5).replace(/^ /, ''));
  }
  return data.length ? [event, data.join('\n')] : null;
}

export function httpTransport(base = '', token: string | null = launchToken()): Transport {
  const listeners = new Set<(e: AnyEvent) => void>();
  let source: { close(): void } | null = null;
  const auth: Record<string, string> = token ? { 'x-telisik-token': token } : {};
  const dispatch = (frame: string) => {
    const f = parseSseFrame(frame);
    if (!f || !(EVENT_NAMES as readonly string[]).includes(f[0])) return;
    let data: unknown;
    try { data = fromWireJson(f[1]); } catch { return; }
    for (const l of listeners) l({ event: f[0], data } as AnyEvent);
  };
  // EventSource cannot send a header: the event stream is read with fetch, reconnecting after 2 s like SSE's retry.
  const ensureSource = () => {
    if (source || typeof fetch !== 'function') return;
    const ac = new AbortController();
    source = { close: () => ac.abort() };
    void (async () => {
      while (!ac.signal.aborted) {
        try {
          const res = await fetch(`${base}/api/events`, { headers: auth, signal: ac.signal, cache: 'no-store' });
          if (res.ok && res.body) {
            const reader = res.body.getReader();
            const dec = new TextDecoder();
            let buf = '';
            for (;;) {
              const { value, done } = await reader.read();
              if (done) break;
              buf += dec.decode(value, { stream: true }).replace(/\r\n/g, '\n');
              for (let i = buf.indexOf('\n\n'); i >= 0; i = buf.indexOf('\n\n')) { dispatch(buf.slice(0, i)); buf = buf.slice(i + 2); }
            }
          }
        } catch { /* aborted or dropped: retry below */ }
        if (ac.signal.aborted) return;
        await new Promise((r) => setTimeout(r, 2000));
      }
    })();
  };
  return {
    async invoke(name, args) {
      const res = await fetch(`${base}/api/${encodeURIComponent(name)}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...auth },
        credentials: 'omit',
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
export async function uploadFile(file: { name: string; arrayBuffer(): Promise<ArrayBuffer> }, base = '', token: string | null = launchToken()): Promise<Result<{ path: string }>> {
  try {
    const res = await fetch(`${base}/api/upload?name=${encodeURIComponent(file.name)}`, {
      method: 'POST', credentials: 'omit', headers: { 'content-type': 'application/octet-stream', ...(token ? { 'x-telisik-token': token } : {}) }, body: await file.arrayBuffer(),
    });
    return JSON.parse(await res.text()) as Result<{ path: string }>;
  } catch (e) {
    return { ok: false, error: { code: 'internal', message: String((e as Error)?.message ?? e) } };
  }
}

/**
 * Browser mode only: the bytes of a file the engine wrote (`GET /api/download?path=`), fetched with the token in its
 * header — a plain link cannot carry the header, and the token is never put in a URL or a cookie (issue 14).
 */
export async function downloadFile(path: string, base = '', token: string | null = launchToken()): Promise<Result<{ bytes: ArrayBuffer; name: string }>> {
  try {
    const res = await fetch(`${base}/api/download?path=${encodeURIComponent(path)}`, {
      method: 'GET', credentials: 'omit', cache: 'no-store', headers: token ? { 'x-telisik-token': token } : {},
    });
    if (!res.ok) return JSON.parse(await res.text()) as Result<{ bytes: ArrayBuffer; name: string }>;
    const name = path.split(/[\\/]/).pop() ?? 'unduhan';
    return { ok: true, value: { bytes: await res.arrayBuffer(), name } };
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
