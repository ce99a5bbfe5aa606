// Opening, closing and switching engagements is safe from every state (issue 13 item 1): the demo engagement opened
// while another engagement is open, while a demo is still generating, while an import runs; an engagement opened,
// created or closed while a demo or an analysis runs. No call waits on itself: every one settles, and the service
// answers normally afterwards (no lasting "busy").
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AnyEvent, CompletedEvent, FailedEvent } from '../../src/shared/contract';
import type { Result } from '../../src/shared/result';
import type { WorkspaceInfo } from '../../src/shared/types';
import { createEngineService, type EngineService } from '../../src/engine/service';

let dir: string;
let svc: EngineService;
const events: AnyEvent[] = [];

async function call<T = any>(name: string, args: unknown = {}): Promise<T> { // eslint-disable-line @typescript-eslint/no-explicit-any
  const r = (await svc.invoke(name, args)) as Result<T>;
  if (!r.ok) throw new Error(`${name} failed: ${r.error.code} ${r.error.message}`);
  return r.value;
}
async function settle(task_id: string): Promise<CompletedEvent | FailedEvent> {
  for (let i = 0; i < 2400; i++) {
    const e = events.find((x) => (x.event === 'completed' || x.event === 'failed') && x.data.task_id === task_id);
    if (e) return e.data as CompletedEvent | FailedEvent;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`task ${task_id} did not settle`);
}
/** Waits until the task reports a phase matching `re` (it is really running, past the queue). */
async function phase(task_id: string, re: RegExp) {
  for (let i = 0; i < 2400; i++) {
    if (events.some((x) => x.event === 'progress' && x.data.task_id === task_id && re.test(x.data.phase))) return;
    if (events.some((x) => (x.event === 'completed' || x.event === 'failed') && x.data.task_id === task_id)) return;
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error(`task ${task_id} never reached ${re}`);
}
const demo = (sub: string) => call<{ task_id: string }>('openDemo', { dir: join(dir, sub), scale: 'small', seed: 7 });

/** After every scenario: nothing runs, and a short write answers (no lasting busy). */
async function healthy() {
  expect((await call<{ status: string }[]>('listTasks')).filter((t) => t.status === 'running')).toEqual([]);
  const info = await call<WorkspaceInfo | null>('workspaceInfo');
  if (info) await call('updateSettings', { event_dates: [] });
}

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'telisik-switch-'));
  svc = createEngineService({ dataDir: join(dir, 'data'), mode: 'web', version: 'test' });
  svc.onEvent((e) => events.push(e));
});
afterAll(async () => {
  await svc?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('switching engagements from every state', () => {
  it('no engagement open -> Buka contoh completes', async () => {
    const { task_id } = await demo('d1');
    const e = await settle(task_id);
    expect('value' in e ? (e.value as WorkspaceInfo).is_demo : e.error).toBe(true);
    await healthy();
  });

  it('an engagement open (the demo) -> Buka contoh again completes and switches (the reported hang)', async () => {
    const before = (await call<WorkspaceInfo>('workspaceInfo')).path;
    const { task_id } = await demo('d2');
    const e = await settle(task_id);
    expect(e).toHaveProperty('value');
    const after = (await call<WorkspaceInfo>('workspaceInfo')).path;
    expect(after).not.toBe(before);
    expect(after).toContain('d2');
    await healthy();
  });

  it('a demo still generating -> Buka contoh again: the first is cancelled, the second completes', async () => {
    const first = await demo('d3');
    await phase(first.task_id, /^generate/);
    const second = await demo('d4');
    const [a, b] = [await settle(first.task_id), await settle(second.task_id)];
    expect('error' in a ? a.error.code : 'completed').toBe('cancelled');
    expect(b).toHaveProperty('value');
    expect((await call<WorkspaceInfo>('workspaceInfo')).path).toContain('d4');
    await healthy();
  });

  it('a demo importing -> open another engagement: the demo is cancelled, the chosen engagement stays open', async () => {
    const target = (await call<WorkspaceInfo>('workspaceInfo')).path;
    const d = await demo('d5');
    await phase(d.task_id, /^import/);
    const opened = await call<WorkspaceInfo>('openWorkspace', { path: target });
    expect(opened.path).toBe(target);
    const e = await settle(d.task_id);
    expect('error' in e ? e.error.code : 'completed').toBe('cancelled');
    expect((await call<WorkspaceInfo>('workspaceInfo')).path).toBe(target);
    await healthy();
  });

  it('an analysis running -> create a new engagement: the analysis is cancelled, the new one is open', async () => {
    const { task_id } = await call<{ task_id: string }>('runAnalysis', {});
    await phase(task_id, /./);
    const created = await call<WorkspaceInfo>('createWorkspace', { path: join(dir, 'baru.duckdb'), name: 'Baru' });
    expect(created.name).toBe('Baru');
    const e = await settle(task_id);
    expect(['completed', 'cancelled']).toContain('error' in e ? e.error.code : 'completed');
    expect((await call<WorkspaceInfo>('workspaceInfo')).name).toBe('Baru');
    await healthy();
  });

  it('an analysis running with reads in flight -> close: every read answers (none left hanging on a closed connection)', async () => {
    const d = await demo('d7');
    await settle(d.task_id);
    const path = (await call<WorkspaceInfo>('workspaceInfo')).path;
    const { task_id } = await call<{ task_id: string }>('runAnalysis', {});
    const reads = [svc.invoke('listChecks', {}), svc.invoke('analysisResults', {}), svc.invoke('dashboard', {}), svc.invoke('listTables', {})];
    await phase(task_id, /./);
    await call('closeWorkspace');
    const settled = await Promise.all(reads);
    expect(settled.map((r) => (r.ok ? 'ok' : r.error.code)).every((c) => ['ok', 'no_workspace', 'cancelled', 'internal', 'invalid_input', 'not_found'].includes(c))).toBe(true);
    await settle(task_id);
    expect(await call('workspaceInfo')).toBeNull();
    await healthy();
    expect((await call<WorkspaceInfo>('openWorkspace', { path })).path).toBe(path);
  });

  it('an import running -> close the engagement: the import is cancelled, nothing is open', async () => {
    const csv = join(dir, 'besar.csv');
    const lines = ['nik,nama,program,amount,paid_date,status'];
    for (let i = 0; i < 60_000; i++) lines.push(`32010${String(10000000000 + i)},Nama ${i},BPNT,200000,2025-01-15,PAID`);
    writeFileSync(csv, lines.join('\n'));
    const { task_id } = await call<{ task_id: string }>('importFiles', { files: [{ path: csv, kind: 'disbursements' }] });
    await phase(task_id, /./);
    await call('closeWorkspace');
    await settle(task_id);
    expect(await call('workspaceInfo')).toBeNull();
    await healthy();
  });

  it('a demo generating -> close: the demo is cancelled and does not open afterwards', async () => {
    const d = await demo('d6');
    await phase(d.task_id, /^generate/);
    await call('closeWorkspace');
    const e = await settle(d.task_id);
    expect('error' in e ? e.error.code : 'completed').toBe('cancelled');
    expect(await call('workspaceInfo')).toBeNull();
    await healthy();
  });
});

describe('openDemo under the output-path policy', () => {
  it('refuses a demo folder that is not new or empty (it could overwrite an engagement or a source file)', async () => {
    const full = join(dir, 'penuh');
    mkdirSync(full, { recursive: true });
    writeFileSync(join(full, 'dtsen_registry_2025.csv'), 'NIK\n');
    const r = await svc.invoke('openDemo', { dir: full });
    expect(r).toMatchObject({ ok: false, error: { code: 'invalid_args', details: { reason: 'demo_dir_not_empty' } } });
    expect(readFileSync(join(full, 'dtsen_registry_2025.csv'), 'utf8')).toBe('NIK\n');
  });
});
