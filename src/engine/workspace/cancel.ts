/**
 * Cancelling a call's SQL. The service runs a cancellable call (contract: `request_id` + `cancelCall`) inside
 * `withCallSignal(signal, …)`; every statement any engine module then runs on a workspace connection for that call
 * passes `guardStatement` (Workspace.withConnection), which
 * - refuses to start a statement once the call is cancelled (CancelledError) — except cleanup (ROLLBACK, DROP,
 *   DETACH), so a cancelled call still rolls back its transaction and drops its scratch tables;
 * - interrupts the statement when the cancel arrives while it runs (DuckDB's `interrupt()`: the SQL really stops and
 *   the connection stays usable), and repeats the interrupt until the statement has settled: DuckDB clears a pending
 *   interrupt when a query starts, so one sent while the statement is still being prepared or queued would be lost;
 * - answers `cancelled` for a statement that ended after the cancel.
 * Engine modules need no signal parameter: the call's signal travels with its async context (AsyncLocalStorage).
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import type { DuckDBConnection } from '@duckdb/node-api';
import { CancelledError } from '../../shared/errors';

const scope = new AsyncLocalStorage<AbortSignal>();

/** Runs `fn` as one cancellable call: its statements obey `signal`. */
export function withCallSignal<T>(signal: AbortSignal, fn: () => Promise<T>): Promise<T> {
  return scope.run(signal, fn);
}

/** Runs `fn` outside any call's cancellation (work that must finish once begun, e.g. a trail entry after its action). */
export function uncancellable<T>(fn: () => T): T {
  return scope.exit(fn);
}

/** The signal of the call running in this async context, if any. */
export function callSignal(): AbortSignal | undefined {
  return scope.getStore();
}

/** The statement each call is running now (by its signal): what a cancel would interrupt (diagnostics, tests). */
const running = new WeakMap<AbortSignal, string>();

export function runningStatement(signal: AbortSignal): string | null {
  return running.get(signal) ?? null;
}

/** Statements a cancelled call may still run: undoing and cleaning up what it began. */
const CLEANUP = /^\s*(ROLLBACK|ABORT|DROP\s|DETACH\s)/i;
/** How often an interrupt is repeated while a cancelled statement has not settled. */
const REPEAT_MS = 20;

export function cancelled(signal: AbortSignal): CancelledError {
  const r = signal.reason;
  return r instanceof CancelledError ? r : new CancelledError();
}

/** One statement on `conn` under the current call's signal (see the module comment). */
export async function guardStatement<T>(conn: DuckDBConnection, sql: string, run: () => Promise<T>, signal = callSignal()): Promise<T> {
  if (!signal) return run();
  if (signal.aborted) {
    if (CLEANUP.test(statementHead(sql))) return run();
    throw cancelled(signal);
  }
  let timer: ReturnType<typeof setInterval> | undefined;
  const interrupt = () => { try { conn.interrupt(); } catch { /* closed */ } };
  const onAbort = () => { interrupt(); timer = setInterval(interrupt, REPEAT_MS); };
  signal.addEventListener('abort', onAbort, { once: true });
  running.set(signal, sql);
  try {
    const out = await run();
    // A query (no change) that finished after the cancel: its answer is not wanted. A change that finished stays
    // done; the call's next statement is refused and its transaction, if any, rolled back.
    if (signal.aborted && /^\s*(SELECT|WITH|FROM|VALUES|DESCRIBE|SUMMARIZE|SHOW|EXPLAIN|PRAGMA)\b/i.test(statementHead(sql))) throw cancelled(signal);
    return out;
  } catch (e) {
    if (signal.aborted) throw cancelled(signal);
    throw e;
  } finally {
    if (running.get(signal) === sql) running.delete(signal);
    signal.removeEventListener('abort', onAbort);
    if (timer) clearInterval(timer);
  }
}

/** The statement's text without leading whitespace and comments. */
export function statementHead(sql: string): string {
  let s = sql;
  for (;;) {
    const t = s.replace(/^\s+/, '');
    if (t.startsWith('--')) { const i = t.indexOf('\n'); s = i < 0 ? '' : t.slice(i + 1); continue; }
    if (t.startsWith('/*')) { const i = t.indexOf('*/'); s = i < 0 ? '' : t.slice(i + 2); continue; }
    return t;
  }
}
