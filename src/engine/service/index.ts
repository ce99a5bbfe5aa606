/**
 * The engine service: implements every call of src/shared/contract.ts. Transports (HTTP server, Electron utility
 * process, the CLI's in-process client) call `invoke(name, args)`, which validates the arguments against the contract
 * and always answers a Result — nothing thrown here crosses a boundary. The plumbing is in core.ts, each area's calls
 * in their own module (handlers.ts lists them).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { ServiceCore, type ServiceOptions } from './core';
import { buildHandlers } from './handlers';
import type { UserState } from './state';

export type { ServiceOptions } from './core';

export class EngineService extends ServiceCore {
  constructor(opts: ServiceOptions) {
    super(opts);
    this.handlers = buildHandlers(this);
  }
}

export function createEngineService(opts: ServiceOptions): EngineService {
  return new EngineService(opts);
}

/** Writes a file atomically-ish for uploads (browser mode). */
export function saveUpload(state: UserState, name: string, bytes: Uint8Array): string {
  const safe = basename(name).replace(/[^A-Za-z0-9._ -]/g, '_').slice(0, 120) || 'upload';
  const dir = join(state.uploadsDir(), new Date().toISOString().replace(/[-:.]/g, '').slice(0, 15));
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const p = join(dir, safe);
  writeFileSync(p, bytes, { mode: 0o600 });
  return p;
}

