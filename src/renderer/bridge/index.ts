// The one API object the screens use. Electron (preload bridge) and browser (HTTP + SSE) transports come from
// src/renderer/bridge/client.ts and implement the same contract; screens never know which one they talk to.
import { bridgeTransport, downloadFile, httpTransport, uploadFile, type TelisikBridge } from './client';
import { createApi, type Api, type Transport } from '../../shared/contract';
import type { AppError, Result } from '../../shared/result';

export type TelisikApi = Api & { subscribe: Transport['subscribe'] };

const bridge = (globalThis as { telisik?: TelisikBridge }).telisik;
const isElectron = !!bridge && bridge.mode === 'electron';
export const transportName: 'electron' | 'http' = isElectron ? 'electron' : 'http';
// Calls from this window run side by side: the engine queues reads on its read connection and writes in its write
// queue itself (test/contract/cancel.test.ts fires 60 at once through HTTP). A screen that no longer wants an answer
// — a grid page of a view the user has re-sorted or re-filtered, a profile of another column, a tool run the user
// stopped with Batal — passes an AbortSignal (`api.tablePage(args, { signal })`) and the engine interrupts its SQL.

// ---------------------------------------------------------------- connection state
// Any call that cannot reach the engine (fetch rejected: the server stopped) marks the connection lost; any answer
// marks it back. The app shows a banner while it is lost and polls appInfo until the engine answers again.
let online = true;
const connListeners = new Set<(online: boolean) => void>();
function setOnline(v: boolean) {
  if (v === online) return;
  online = v;
  for (const l of connListeners) l(v);
}
export function onConnection(l: (online: boolean) => void): () => void {
  connListeners.add(l);
  return () => { connListeners.delete(l); };
}
export const isOnline = () => online;

/** Calls in flight, on the page as `<html data-pending-calls>`: 0 once a screen's data has arrived (tests wait on it). */
let pending = 0;
function setPending(delta: number) {
  pending += delta;
  if (typeof document !== 'undefined') document.documentElement.dataset.pendingCalls = String(pending);
}

/** Counts every call from when a screen asks until it has its answer. */
function counted(t: Transport): Transport {
  return {
    async invoke(name, args) {
      setPending(1);
      try { return await t.invoke(name, args); } finally { setPending(-1); }
    },
    subscribe: (l) => t.subscribe(l),
  };
}

function watched(t: Transport): Transport {
  return {
    async invoke(name, args) {
      try {
        const r = await t.invoke(name, args);
        setOnline(true);
        return r;
      } catch (e) {
        setOnline(false);
        return { ok: false, error: { code: 'internal', message: `network: ${String((e as Error)?.message ?? e)}` } };
      }
    },
    subscribe: (l) => t.subscribe(l),
  };
}

export const api: TelisikApi = createApi(counted(watched(isElectron ? bridgeTransport(bridge!) : httpTransport())));

/** Browser mode: whether a file the engine wrote can be downloaded (the server serves only those). */
export const canDownload = !isElectron;

/** Browser mode: downloads a file the engine wrote under its own name (fetched with the token header, saved from a blob). */
export async function saveDownload(path: string): Promise<Result<null>> {
  const r = await downloadFile(path);
  if (!r.ok) return r;
  const url = URL.createObjectURL(new Blob([r.value.bytes]));
  try {
    const a = document.createElement('a');
    a.href = url;
    a.download = r.value.name;
    document.body.appendChild(a);
    a.click();
    a.remove();
  } finally {
    setTimeout(() => URL.revokeObjectURL(url), 60_000);
  }
  return { ok: true, value: null };
}
export const isDesktop = isElectron;

/** A chosen or dropped file -> an engine-side path (Electron: the file's real path; browser: an uploaded copy). */
export async function fileToPath(file: File): Promise<Result<{ path: string }>> {
  if (isElectron) {
    const p = bridge!.pathForFile(file);
    if (p) return { ok: true, value: { path: p } };
  }
  return uploadFile(file);
}

export class CallError extends Error {
  constructor(readonly error: AppError) { super(error.message); }
}

/** Unwraps a Result for code paths that surface errors through one catch (shown to the user). */
export async function unwrap<T>(p: Promise<Result<T>>): Promise<T> {
  const r = await p;
  if (!r.ok) throw new CallError(r.error);
  return r.value;
}
