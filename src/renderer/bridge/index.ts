// The one API object the screens use. Electron (preload bridge) and browser (HTTP + SSE) transports come from
// src/shared/client.ts and implement the same contract; screens never know which one they talk to.
import { bridgeTransport, httpTransport, uploadFile, type TelisikBridge } from '../../shared/client';
import { createApi, type Api, type Transport } from '../../shared/contract';
import type { AppError, Result } from '../../shared/result';

export type TelisikApi = Api & { subscribe: Transport['subscribe'] };

const bridge = (globalThis as { telisik?: TelisikBridge }).telisik;
const isElectron = !!bridge && bridge.mode === 'electron';
export const transportName: 'electron' | 'http' = isElectron ? 'electron' : 'http';
/**
 * Calls from this window run one at a time: the engine answers reads on one shared DuckDB connection, and a grid page
 * streamed there must not interleave with another query (docs/contract-requests.md #6). Cancelling never waits.
 */
function serialise(t: Transport): Transport {
  let tail: Promise<unknown> = Promise.resolve();
  return {
    invoke(name, args) {
      if (name === 'cancelTask') return t.invoke(name, args);
      const run = tail.then(() => t.invoke(name, args));
      tail = run.catch(() => undefined);
      return run;
    },
    subscribe: (l) => t.subscribe(l),
  };
}

export const api: TelisikApi = createApi(serialise(isElectron ? bridgeTransport(bridge!) : httpTransport()));

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
