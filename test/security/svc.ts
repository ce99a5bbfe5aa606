/** A real EngineService for the trust tests: call() answers the Result, task() waits for the task's event. */
import { createEngineService, type EngineService, type ServiceOptions } from '../../src/engine/service';
import type { AnyEvent } from '../../src/shared/contract';
import type { AppError, Result } from '../../src/shared/result';

export interface Svc {
  svc: EngineService;
  events: AnyEvent[];
  call<T>(name: string, args: unknown): Promise<T>;
  result<T>(name: string, args: unknown): Promise<Result<T>>;
  /** Starts a task call and waits for its completed/failed event (bounded by polls, not by wall-clock asserts). */
  task<T>(name: string, args: unknown): Promise<T>;
  taskResult<T>(name: string, args: unknown): Promise<{ ok: true; value: T } | { ok: false; error: AppError }>;
}

export function serviceFor(opts: Omit<ServiceOptions, 'mode'> & { mode?: 'web' | 'electron' }): Svc {
  const svc = createEngineService({ mode: 'web', version: 'test', ...opts });
  const events: AnyEvent[] = [];
  svc.onEvent((e) => events.push(e));
  const result = async <T>(name: string, args: unknown) => (await svc.invoke(name, args)) as Result<T>;
  const call = async <T>(name: string, args: unknown): Promise<T> => {
    const r = await result<T>(name, args);
    if (!r.ok) throw new Error(`${name}: ${r.error.code} ${r.error.message}`);
    return r.value;
  };
  const taskResult = async <T>(name: string, args: unknown) => {
    const r = await result<{ task_id: string }>(name, args);
    if (!r.ok) return r;
    const id = r.value.task_id;
    for (let i = 0; i < 6000; i++) {
      const e = events.find((x) => (x.event === 'completed' || x.event === 'failed') && x.data.task_id === id);
      if (e) return 'error' in e.data ? { ok: false as const, error: e.data.error as AppError } : { ok: true as const, value: (e.data as { value: T }).value };
      await new Promise((res) => setTimeout(res, 50));
    }
    throw new Error(`${name} did not settle`);
  };
  const task = async <T>(name: string, args: unknown): Promise<T> => {
    const r = await taskResult<T>(name, args);
    if (!r.ok) throw new Error(`${name}: ${r.error.code} ${r.error.message}`);
    return r.value;
  };
  return { svc, events, call, result, task, taskResult };
}
