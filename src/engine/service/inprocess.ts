/**
 * The in-process transport: the CLI is a client of the same service as the UI. Calls go through `invoke` (validated
 * against the contract like the HTTP adapter's), answers are unwrapped, a failed Result is thrown as a CallFailed
 * (its code and params, never a message pattern), and a task call waits for its `completed` / `failed` event — so
 * every `telisik` command takes the UI's path: findings drafting, trail entries, masking, busy rules. This file and
 * src/cli/service.ts are the only link between src/cli and src/engine (scripts/layers.mjs enforces it).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AnyEvent, CallArgs, CallName, CallReturn, CallValue, TaskCallName } from '../../shared/contract';
import { TelisikError } from '../../shared/errors';
import type { AppError, ErrorCode } from '../../shared/result';
import type * as T from '../../shared/types';
import { Workspace } from '../workspace/workspace';
import { EngineService } from './index';

/** A call that answered an error: the contract's code and parameters. */
export class CallFailed extends TelisikError {
  constructor(readonly call: CallName, error: AppError) {
    super(error.code as ErrorCode, error.message, (error.details ?? undefined) as Record<string, unknown> | undefined);
  }
}

export interface ServiceClient {
  /** One call; a task call answers its {task_id}. */
  call<K extends CallName>(name: K, args: CallArgs<K>): Promise<CallReturn<K>>;
  /** A task call, waited for: its final value (cancelled when `signal` aborts). */
  task<K extends TaskCallName>(name: K, args: CallArgs<K>, opts?: { signal?: AbortSignal; onProgress?: (p: T.ProgressEvent) => void }): Promise<CallValue<K>>;
  /**
   * Opens (or with `create`, creates when missing) the engagement for this session. Not a contract call: the desktop
   * opens one with openWorkspace (a trail entry); a command line names its workspace on every run, so the trail
   * records what the command does, not each opening.
   */
  connect(path: string, create?: { name: string }, opts?: { readOnly?: boolean }): Promise<T.WorkspaceInfo>;
  readonly service: EngineService;
  close(): Promise<void>;
}

export interface InProcessOptions {
  version?: string;
  /** Session preferences (default for the CLI: no masking unless a flag asks, no reviewer name). */
  prefs?: { masking_default?: boolean; reviewer?: string; language?: 'id' | 'en' };
}

export function inProcessClient(opts: InProcessOptions = {}): ServiceClient {
  // The CLI keeps no per-user state: recent list, export journal and uploads live in a folder removed at close.
  const dataDir = mkdtempSync(join(tmpdir(), 'telisik-cli-'));
  const service = new EngineService({ dataDir, mode: 'web', client: 'cli', version: opts.version, engagementsDir: dataDir, prefs: { masking_default: false, reviewer: '', ...opts.prefs } });
  // Task outcomes by task_id, kept from the start: a task may settle before its caller asks for it.
  const settled = new Map<string, { ok: true; value: unknown } | { ok: false; error: AppError }>();
  const waiting = new Map<string, () => void>();
  const progress = new Map<string, (p: T.ProgressEvent) => void>();
  service.onEvent((e: AnyEvent) => {
    if (e.event === 'progress') progress.get(e.data.task_id)?.(e.data);
    else if (e.event === 'completed' || e.event === 'failed') {
      settled.set(e.data.task_id, e.event === 'completed' ? { ok: true, value: e.data.value } : { ok: false, error: e.data.error });
      waiting.get(e.data.task_id)?.();
    }
  });

  async function call<K extends CallName>(name: K, args: CallArgs<K>): Promise<CallReturn<K>> {
    const r = await service.invoke(name, args);
    if (!r.ok) throw new CallFailed(name, r.error);
    return r.value as CallReturn<K>;
  }

  return {
    service,
    call,
    async task(name, args, o = {}) {
      const { task_id } = (await call(name, args)) as T.TaskRef;
      if (o.onProgress) progress.set(task_id, o.onProgress);
      const cancel = () => void service.invoke('cancelTask', { task_id });
      o.signal?.addEventListener('abort', cancel, { once: true });
      try {
        if (!settled.has(task_id)) await new Promise<void>((res) => waiting.set(task_id, res));
        const out = settled.get(task_id)!;
        if (!out.ok) throw new CallFailed(name, out.error);
        return out.value as CallValue<typeof name>;
      } finally {
        o.signal?.removeEventListener('abort', cancel);
        progress.delete(task_id);
        waiting.delete(task_id);
        settled.delete(task_id);
      }
    },
    async connect(path, create, o = {}) {
      // readOnly: DuckDB's READ_ONLY access mode (verify on an archived copy); by default a file without write
      // permission opens read-only (Workspace.open).
      const ws = create ? await Workspace.openOrCreate(path, create) : await Workspace.open(path, { readOnly: o.readOnly });
      await service.attach(ws);
      return (await service.info())!;
    },
    async close() {
      try { await service.close(); } finally { rmSync(dataDir, { recursive: true, force: true }); }
    },
  };
}
