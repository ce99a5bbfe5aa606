/**
 * The desktop's two message paths, declared once: the renderer ↔ main IPC channels (preload and main use these
 * names) and the main ↔ engine-host messages (src/main/index.ts ↔ src/main/engine-host.ts, over a utilityProcess port).
 */
import type { AnyEvent } from './contract';
import type { Result } from './result';

export const IPC_CHANNELS = {
  /** renderer → main: ipcRenderer.invoke(invoke, name, args) answers Result */
  invoke: 'telisik:invoke',
  /** main → renderer: one contract event per message */
  event: 'telisik:event',
} as const;

/** main → engine host */
export type HostRequest =
  | { id: number; name: string; args: unknown }
  | { shutdown: true };

/** engine host → main */
export type HostMessage =
  | { id: number; result: Result<unknown> }
  | { event: AnyEvent }
  | { ready: true; bundled: boolean };

export function isHostRequest(m: unknown): m is HostRequest {
  if (!m || typeof m !== 'object') return false;
  const r = m as Record<string, unknown>;
  return r.shutdown === true || (typeof r.id === 'number' && typeof r.name === 'string');
}
