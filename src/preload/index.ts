/**
 * Sandboxed preload: exposes `window.telisik` = one named function per contract call (`call.<name>`), an event
 * subscription and `pathForFile`. Never ipcRenderer itself: the page can only do what the contract names.
 */
import { contextBridge, ipcRenderer, webUtils } from 'electron';
import { CALL_NAMES, EVENT_NAMES, type AnyEvent } from '../shared/contract';
import { IPC_CHANNELS } from '../shared/ipc';

const INVOKE_CHANNEL = IPC_CHANNELS.invoke;
const EVENT_CHANNEL = IPC_CHANNELS.event;

const call: Record<string, (args?: unknown) => Promise<unknown>> = {};
for (const name of CALL_NAMES) {
  call[name] = (args?: unknown) => ipcRenderer.invoke(INVOKE_CHANNEL, name, args ?? {});
}
Object.freeze(call);

const bridge = {
  mode: 'electron' as const,
  call,
  subscribe(listener: (e: AnyEvent) => void): () => void {
    if (typeof listener !== 'function') throw new TypeError('listener must be a function');
    const h = (_e: unknown, msg: AnyEvent) => {
      if (msg && typeof msg === 'object' && (EVENT_NAMES as string[]).includes(msg.event)) listener(msg);
    };
    ipcRenderer.on(EVENT_CHANNEL, h);
    return () => { ipcRenderer.removeListener(EVENT_CHANNEL, h); };
  },
  pathForFile(file: unknown): string {
    try { return webUtils.getPathForFile(file as never); } catch { return ''; }
  },
};

contextBridge.exposeInMainWorld('telisik', bridge);
