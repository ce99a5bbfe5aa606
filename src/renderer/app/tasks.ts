// Background tasks as the status bar shows them. Task calls answer {task_id} at once; progress/completed/failed
// events arrive later (possibly before the call's own answer: finished events are buffered by id).
import type { AnyEvent, CompletedEvent, FailedEvent } from '../../shared/contract';
import type { AppError, Result } from '../../shared/result';
import type { ProgressEvent, TaskKind, TaskRef } from '../../shared/types';
import type { Lang } from '../format';
import type { Translate } from '../i18n';
import { errorMessage } from '../i18n/labels';

/** A result message rendered in the current UI language (it follows a later language switch). */
export type TaskMessage = string | ((t: Translate, lang: Lang) => string);

export interface TaskView {
  id: string;
  kind: TaskKind;
  label: TaskMessage;
  status: 'running' | 'completed' | 'failed' | 'cancelled';
  progress: ProgressEvent | null;
  message: TaskMessage | null;
  startedAt: number;
  finishedAt: number | null;
}

type Waiter = { resolve: (v: unknown) => void; reject: (e: AppError) => void };

export class TaskBoard {
  private tasks = new Map<string, TaskView>();
  private waiters = new Map<string, Waiter>();
  private early = new Map<string, { ok: true; value: unknown } | { ok: false; error: AppError }>();
  private listeners = new Set<() => void>();
  private snapshot: TaskView[] = [];

  subscribe = (l: () => void) => { this.listeners.add(l); return () => { this.listeners.delete(l); }; };
  list = () => this.snapshot;

  private changed() {
    this.snapshot = [...this.tasks.values()].sort((a, b) => b.startedAt - a.startedAt);
    for (const l of this.listeners) l();
  }

  onEvent(e: AnyEvent) {
    if (e.event === 'progress') {
      const p = e.data;
      const t = this.tasks.get(p.task_id);
      if (t && t.status === 'running') { t.progress = p; this.changed(); }
    } else if (e.event === 'completed') {
      this.finish((e.data as CompletedEvent).task_id, { ok: true, value: (e.data as CompletedEvent).value });
    } else if (e.event === 'failed') {
      const f = e.data as FailedEvent;
      this.finish(f.task_id, { ok: false, error: f.error });
    }
  }

  private finish(id: string, r: { ok: true; value: unknown } | { ok: false; error: AppError }) {
    const w = this.waiters.get(id);
    const t = this.tasks.get(id);
    if (!w || !t) { this.early.set(id, r); return; }
    this.waiters.delete(id);
    t.finishedAt = Date.now();
    if (r.ok) { t.status = 'completed'; w.resolve(r.value); }
    else {
      t.status = r.error.code === 'cancelled' ? 'cancelled' : 'failed';
      const err = r.error;
      t.message = err.code === 'cancelled' ? null : (tt, lang) => errorMessage(err, tt, lang);
      w.reject(r.error);
    }
    this.changed();
  }

  /** Starts tracking a task call; resolves with the task's final value or rejects with its AppError. */
  async track<V>(kind: TaskKind, label: TaskMessage, call: Promise<Result<TaskRef>>): Promise<V> {
    const r = await call;
    if (!r.ok) throw r.error;
    const id = r.value.task_id;
    const view: TaskView = { id, kind, label, status: 'running', progress: null, message: null, startedAt: Date.now(), finishedAt: null };
    this.tasks.set(id, view);
    this.changed();
    return new Promise<V>((resolve, reject) => {
      this.waiters.set(id, { resolve: resolve as (v: unknown) => void, reject });
      const early = this.early.get(id);
      if (early) { this.early.delete(id); this.finish(id, early); }
    });
  }

  setMessage(id: string, message: TaskMessage) {
    const t = this.tasks.get(id);
    if (t) { t.message = message; this.changed(); }
  }

  /** The most recent task with this label (screens attach their result message to it). */
  latest(kind: TaskKind): TaskView | undefined {
    return this.snapshot.find((t) => t.kind === kind);
  }

  dismiss(id: string) {
    const t = this.tasks.get(id);
    if (t && t.status !== 'running') { this.tasks.delete(id); this.changed(); }
  }
}
