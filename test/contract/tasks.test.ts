import { describe, expect, it } from 'vitest';
import type { AnyEvent } from '../../src/shared/contract';
import { TaskManager } from '../../src/engine/service/tasks';

function manager() {
  const events: AnyEvent[] = [];
  const tm = new TaskManager((event, data) => events.push({ event, data } as AnyEvent), 0);
  return { tm, events };
}
const settled = async (events: AnyEvent[], id: string) => {
  for (let i = 0; i < 3000; i++) {
    const e = events.find((x) => (x.event === 'completed' || x.event === 'failed') && x.data.task_id === id);
    if (e) return e;
    await new Promise((r) => setTimeout(r, 5));
  }
  throw new Error('not settled');
};

describe('task manager', () => {
  it('reports progress with rows/s and ETA, then completed with the value', async () => {
    const { tm, events } = manager();
    const id = tm.start('import', 'importFiles', 'x', async (ctx) => {
      ctx.progress({ phase: 'read', done: 0, total: 1000 });
      await new Promise((r) => setTimeout(r, 300));
      ctx.progress({ phase: 'read', done: 500, total: 1000 });
      return 42;
    });
    const done = await settled(events, id);
    expect(done).toMatchObject({ event: 'completed', data: { task_id: id, kind: 'import', call: 'importFiles', value: 42 } });
    const last = events.filter((e) => e.event === 'progress' && e.data.phase === 'read').at(-1)!;
    expect(last.data).toMatchObject({ done: 500, total: 1000 });
    if (last.event === 'progress') {
      expect(last.data.rows_per_s).toBeGreaterThan(0);
      expect(last.data.eta_s).toBeGreaterThanOrEqual(0);
    }
  });

  it('cancel aborts the signal and ends as failed/cancelled', async () => {
    const { tm, events } = manager();
    const id = tm.start('analysis', 'runAnalysis', 'x', (ctx) => new Promise((_ok, fail) => ctx.signal.addEventListener('abort', () => fail(new Error('interrupted')))));
    await new Promise((r) => setTimeout(r, 10));
    expect(tm.cancel(id)).toBe(true);
    expect(await settled(events, id)).toMatchObject({ event: 'failed', data: { error: { code: 'cancelled' } } });
    expect(tm.cancel(id)).toBe(false);
    expect(tm.list()[0].status).toBe('cancelled');
  });

  it('runs write tasks one at a time and refuses short writes while a task runs', async () => {
    const { tm, events } = manager();
    const order: string[] = [];
    let release!: () => void;
    const a = tm.start('import', 'importFiles', 'a', async () => { order.push('a:start'); await new Promise<void>((r) => { release = r; }); order.push('a:end'); });
    const b = tm.start('analysis', 'runAnalysis', 'b', async () => { order.push('b:start'); });
    await new Promise((r) => setTimeout(r, 20));
    await expect(tm.exclusive(async () => 1)).rejects.toMatchObject({ code: 'busy' });
    release();
    await settled(events, a);
    await settled(events, b);
    expect(order).toEqual(['a:start', 'a:end', 'b:start']);
    expect(await tm.exclusive(async () => 7)).toBe(7);
  });

  it('a failing task reports a typed error', async () => {
    const { tm, events } = manager();
    const id = tm.start('export', 'writeReport', 'x', async () => { throw new Error('disk full'); });
    expect(await settled(events, id)).toMatchObject({ event: 'failed', data: { error: { code: 'internal', message: 'disk full' } } });
  });
});

describe('engine errors become typed contract errors', () => {
  it('maps domain error classes, cancellations and bugs', async () => {
    const { toAppError } = await import('../../src/engine/service/tasks');
    const { ImportError } = await import('../../src/engine/ingest');
    const { ToolError } = await import('../../src/engine/tools');
    const { CheckParamError, RunCancelledError } = await import('../../src/engine/checks');
    const { WorkspaceError } = await import('../../src/engine/workspace/workspace');
    const { ServiceError } = await import('../../src/shared/result');
    expect(toAppError(new ImportError('Kolom NIK tidak ditemukan', 'salur.csv', 3))).toMatchObject({ code: 'invalid_input', message: 'Kolom NIK tidak ditemukan', details: { file: 'salur.csv' } });
    expect(toAppError(new ImportError('x', 'f', undefined, undefined, true)).code).toBe('cancelled');
    expect(toAppError(new ToolError('Kolom tidak ada')).code).toBe('invalid_input');
    expect(toAppError(new CheckParamError('min_similarity')).code).toBe('invalid_input');
    expect(toAppError(new RunCancelledError()).code).toBe('cancelled');
    expect(toAppError(new WorkspaceError('in_use', 'dipakai')).code).toBe('in_use');
    expect(toAppError(new ServiceError('busy', 'tunggu'))).toEqual({ code: 'busy', message: 'tunggu' });
    expect(toAppError(new TypeError('x is undefined')).code).toBe('internal');
  });
});

describe('demo task cancellation through the service', () => {
  it('cancelling openDemo ends as cancelled and leaves no engagement open', async () => {
    const { mkdtempSync, rmSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const { join } = await import('node:path');
    const { createEngineService } = await import('../../src/engine/service');
    const dir = mkdtempSync(join(tmpdir(), 'telisik-demo-cancel-'));
    const svc = createEngineService({ dataDir: dir, mode: 'web' });
    const events: AnyEvent[] = [];
    svc.onEvent((e) => events.push(e));
    try {
      const r = await svc.invoke('openDemo', { dir: join(dir, 'demo'), scale: 'large' });
      if (!r.ok) throw new Error(r.error.message);
      const { task_id } = r.value as { task_id: string };
      for (let i = 0; i < 200 && !events.some((e) => e.event === 'progress' && e.data.task_id === task_id && e.data.phase.startsWith('generate:')); i++) await new Promise((res) => setTimeout(res, 10));
      expect(await svc.invoke('cancelTask', { task_id })).toEqual({ ok: true, value: { cancelled: true } });
      expect(await settled(events, task_id)).toMatchObject({ event: 'failed', data: { error: { code: 'cancelled' } } });
      expect(await svc.invoke('workspaceInfo', {})).toEqual({ ok: true, value: null });
    } finally {
      await svc.close();
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);
});
