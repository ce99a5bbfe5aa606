/**
 * Long operations (import, analysis, export, demo) run as tasks: the call answers {task_id} at once, progress is
 * pushed as events (throttled), cancel aborts through an AbortSignal handed to the engine. Tasks that write to the
 * workspace run one at a time (they share the workspace connection and its transactions); others queue.
 */
import { randomUUID } from 'node:crypto';
import type { CallArgs, CallName, CallReturn, Events } from '../../shared/contract';
import { ServiceError, type AppError } from '../../shared/result';
import { TelisikError } from '../../shared/errors';
import type { ProgressEvent, TaskInfo, TaskKind } from '../../shared/types';

export interface TaskContext {
  task_id: string;
  signal: AbortSignal;
  /** Report progress; rows/s and ETA are derived from `done`/`total` over time. */
  progress(p: { phase: string; done?: number; total?: number; message?: string; rows?: number }): void;
}

type Emit = <K extends keyof Events>(event: K, data: Events[K]) => void;

interface Running {
  info: TaskInfo;
  controller: AbortController;
  startedMs: number;
  lastEmit: number;
  phase: string;
  phaseStartMs: number;
  phaseStartDone: number;
  phaseStartRows: number;
  /** True while the body runs (not while queued behind another task). */
  executing: boolean;
  /** Settles (never rejects) when the task has finished either way. */
  settled: Promise<void>;
}

/**
 * Any error as a contract error, by its class and code — never by its wording. The engine's errors extend
 * TelisikError and carry their code and params (the import module's too: ImportError, DuplicateImportError,
 * ImportRemoveError, TableError, SheetNotFound); a DuckDB statement interrupted by a cancel is `cancelled`; anything
 * else is a bug.
 */
export function toAppError(e: unknown): AppError {
  if (e instanceof TelisikError) return e.toAppError();
  const message = String((e as Error)?.message ?? e);
  // The cancel interrupts the running statement (TaskManager's onAbort): DuckDB answers with its INTERRUPT error class.
  if ((e as Error)?.name === 'AbortError' || /^INTERRUPT Error/.test(message)) return { code: 'cancelled', message: 'Dibatalkan (cancelled)' };
  return { code: 'internal', message };
}

export class TaskManager {
  private readonly tasks = new Map<string, Running>();
  private writeChain: Promise<unknown> = Promise.resolve();

  constructor(private readonly emit: Emit, private readonly throttleMs = 200) {}

  list(): TaskInfo[] {
    return [...this.tasks.values()].map((t) => ({ ...t.info })).sort((a, b) => a.started_at.localeCompare(b.started_at));
  }

  running(): TaskInfo[] {
    return this.list().filter((t) => t.status === 'running');
  }

  cancel(id: string): boolean {
    const t = this.tasks.get(id);
    if (!t || t.info.status !== 'running') return false;
    t.controller.abort(new ServiceError('cancelled', 'Dibatalkan (cancelled)'));
    return true;
  }

  /** Cancels every running or queued task except `exceptId` (the task asking, when a task switches engagements). */
  cancelAll(exceptId?: string): void {
    for (const id of this.tasks.keys()) if (id !== exceptId) this.cancel(id);
  }

  /**
   * Runs a short write (review, finding text, settings, profile) on the workspace connection, in line with tasks so
   * it never lands inside a task's transaction. While a task runs the answer is `busy` at once (no minutes-long wait):
   * the trail's hash chain and the task's transaction must not interleave.
   */
  exclusive<T>(fn: () => Promise<T>): Promise<T> {
    const running = this.running();
    if (running.length > 0) {
      return Promise.reject(new ServiceError('busy', `Sedang berjalan: ${running.map((t) => t.label).join(', ')} — tunggu selesai atau batalkan, lalu ulangi (busy).`, { tasks: running.map((t) => t.task_id) }));
    }
    const p = this.writeChain.catch(() => undefined).then(fn);
    this.writeChain = p.catch(() => undefined);
    return p;
  }

  /**
   * Waits for running tasks to settle (used before closing a workspace). Called from inside a task (`exceptId` = that
   * task) it never waits on the caller itself nor on tasks queued behind it — those only start after it ends, so
   * waiting on them would wait forever (the "Buka contoh while an engagement is open" hang): it waits for the other
   * tasks whose bodies are executing, which the caller has cancelled first.
   */
  async drain(exceptId?: string): Promise<void> {
    if (exceptId === undefined) {
      await this.writeChain.catch(() => undefined);
      return;
    }
    const others = [...this.tasks.values()].filter((t) => t.info.task_id !== exceptId && t.executing && t.info.status === 'running');
    await Promise.all(others.map((t) => t.settled));
  }

  start<V>(kind: TaskKind, call: CallName, label: string, run: (ctx: TaskContext) => Promise<V>, opts: { exclusive?: boolean; onAbort?: () => void } = {}): string {
    const task_id = randomUUID();
    const controller = new AbortController();
    const now = Date.now();
    const r: Running = {
      info: { task_id, kind, label, status: 'running', started_at: new Date(now).toISOString(), finished_at: null, last: null },
      controller, startedMs: now, lastEmit: 0, phase: '', phaseStartMs: now, phaseStartDone: 0, phaseStartRows: 0,
      executing: false, settled: Promise.resolve(),
    };
    this.tasks.set(task_id, r);
    this.prune();
    if (opts.onAbort) controller.signal.addEventListener('abort', opts.onAbort, { once: true });

    const ctx: TaskContext = {
      task_id,
      signal: controller.signal,
      progress: (p) => {
        const t = Date.now();
        const done = p.done ?? 0;
        const total = p.total ?? 0;
        if (p.phase !== r.phase) { r.phase = p.phase; r.phaseStartMs = t; r.phaseStartDone = done; r.phaseStartRows = p.rows ?? 0; r.lastEmit = 0; }
        const elapsed = (t - r.phaseStartMs) / 1000;
        // `done/total` may count bytes (imports) or steps (checks); the ETA follows them, rows/s follows `rows` when given.
        const rate = elapsed > 0.25 && done > r.phaseStartDone ? (done - r.phaseStartDone) / elapsed : null;
        const rowRate = p.rows !== undefined ? (elapsed > 0.25 && p.rows > r.phaseStartRows ? (p.rows - r.phaseStartRows) / elapsed : null) : rate;
        const ev: ProgressEvent = {
          task_id, kind, phase: p.phase, done, total,
          rows_per_s: rowRate === null ? null : Math.round(rowRate),
          eta_s: rate && total > done ? Math.round((total - done) / rate) : total > 0 && done >= total ? 0 : null,
          ...(p.message ? { message: p.message } : {}),
        };
        r.info.last = ev;
        // Throttle: at most one event per throttleMs per task, but always the first of a phase and the last.
        if (t - r.lastEmit >= this.throttleMs || (total > 0 && done >= total)) {
          r.lastEmit = t;
          this.emit('progress', ev);
        }
      },
    };

    const body = async () => {
      if (controller.signal.aborted) throw new ServiceError('cancelled', 'Dibatalkan (cancelled)');
      r.executing = true;
      ctx.progress({ phase: 'start' });
      return run(ctx);
    };
    let p: Promise<V>;
    if (opts.exclusive !== false) {
      ctx.progress({ phase: 'queued' });
      p = this.writeChain.catch(() => undefined).then(body);
      this.writeChain = p.catch(() => undefined);
    } else p = body();

    r.settled = p.then(
      (value) => {
        r.info.finished_at = new Date().toISOString();
        if (controller.signal.aborted) {
          r.info.status = 'cancelled';
          this.emit('failed', { task_id, kind, call, error: { code: 'cancelled', message: 'Dibatalkan (cancelled)' }, ms: Date.now() - r.startedMs });
          return;
        }
        r.info.status = 'completed';
        this.emit('completed', { task_id, kind, call, value, ms: Date.now() - r.startedMs });
      },
      (e) => {
        r.info.finished_at = new Date().toISOString();
        const error = controller.signal.aborted ? { code: 'cancelled' as const, message: 'Dibatalkan (cancelled)' } : toAppError(e);
        r.info.status = error.code === 'cancelled' ? 'cancelled' : 'failed';
        this.emit('failed', { task_id, kind, call, error, ms: Date.now() - r.startedMs });
      },
    ).finally(() => { r.executing = false; });
    return task_id;
  }

  /** Keeps the last 50 finished tasks. */
  private prune() {
    const done = [...this.tasks.values()].filter((t) => t.info.status !== 'running');
    for (const t of done.slice(0, Math.max(0, done.length - 50))) this.tasks.delete(t.info.task_id);
  }
}

export type TasksCalls = 'cancelTask' | 'listTasks' | 'cancelCall';

/** The task calls (cancel, list) and the cancel of a cancellable call; tasks are started by the area that owns them. */
export function tasksHandlers(tasks: TaskManager, calls: { cancelCall(requestId: string): { cancelled: boolean } }): { [K in TasksCalls]: (a: CallArgs<K>) => Promise<CallReturn<K>> } {
  return {
    cancelTask: async (a) => ({ cancelled: tasks.cancel(a.task_id) }),
    cancelCall: async (a) => calls.cancelCall(a.request_id),
    listTasks: async () => tasks.list(),
  };
}
