import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CALL_NAMES, calls, checkArgs, createApi, type Transport } from '../../src/shared/contract';
import * as s from '../../src/shared/schema';
import { base64ToBytes, bytesToBase64, fromWireJson, toWireJson } from '../../src/shared/wire';
import { createEngineService, type EngineService } from '../../src/engine/service';

let dir: string;
let svc: EngineService;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'telisik-contract-'));
  svc = createEngineService({ dataDir: dir, mode: 'web', version: 'test' });
});
afterAll(async () => {
  await svc.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('schema helper', () => {
  const args = s.object({ table: s.string({ min: 1 }), offset: s.int({ min: 0 }), sort: s.optional(s.array(s.object({ column: s.string(), dir: s.oneOf(['asc', 'desc'] as const) }))) });
  it('accepts good input and drops nothing', () => {
    expect(s.validate(args, { table: 't', offset: 3, sort: [{ column: 'a', dir: 'desc' }] })).toEqual({ ok: true, value: { table: 't', offset: 3, sort: [{ column: 'a', dir: 'desc' }] } });
  });
  it('names the path of every problem', () => {
    const r = s.validate(args, { table: '', offset: -1.5, sort: [{ column: 1, dir: 'up' }], extra: true });
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.issues.map((i) => i.path).sort()).toEqual(['extra', 'offset', 'sort[0].column', 'sort[0].dir', 'table']);
  });
  it('rejects prototype-polluting keys in records', () => {
    const r = s.validate(s.record(s.string()), JSON.parse('{"__proto__": "x"}'));
    expect(r.ok).toBe(false);
  });
});

describe('contract', () => {
  it('every call has an argument schema; task calls are marked', () => {
    expect(CALL_NAMES.length).toBeGreaterThan(40);
    for (const n of CALL_NAMES) expect(typeof calls[n].args.check).toBe('function');
    const tasks = CALL_NAMES.filter((n) => 'task' in calls[n]);
    expect(tasks.sort()).toEqual(['exportTable', 'generateDemo', 'importFiles', 'openDemo', 'reperformRun', 'runAnalysis', 'writeReport']);
    // Calls that answer directly but may run for seconds take a request_id for cancelCall (docs/architecture.md).
    const cancellable = CALL_NAMES.filter((n) => 'cancellable' in calls[n]);
    expect(cancellable.sort()).toEqual(['analysisSummary', 'benfordRecords', 'columnProfile', 'comparePeriods', 'comparisonRecords', 'dashboard',
      'exceptionsPage', 'impactIndicators', 'listTables', 'oversightSignals', 'query', 'rejectsPage', 'tablePage', 'toolAgeing', 'toolBenford',
      'toolDuplicates', 'toolGaps', 'toolPivot', 'toolProfile', 'toolSample', 'toolStratify']);
    for (const n of cancellable) expect(checkArgs(n, { request_id: 'a b' })).toMatchObject({ ok: false, error: { code: 'invalid_args' } });
  });

  it('unknown call and bad arguments are typed errors', () => {
    expect(checkArgs('dropEverything', {})).toMatchObject({ ok: false, error: { code: 'unknown_call' } });
    expect(checkArgs('__proto__', {})).toMatchObject({ ok: false, error: { code: 'unknown_call' } });
    expect(checkArgs('tablePage', { table: 'x' })).toMatchObject({ ok: false, error: { code: 'invalid_args' } });
    expect(checkArgs('tablePage', { table: 'x', offset: 0, limit: 10, sort: [{ column: 'a', dir: 'sideways' }] })).toMatchObject({ ok: false, error: { code: 'invalid_args' } });
    expect(checkArgs('tablePage', { table: 'x', offset: 0, limit: 10 })).toMatchObject({ ok: true });
  });

  it('service answers bad arguments with invalid_args and calls needing an engagement with no_workspace', async () => {
    expect(await svc.invoke('tablePage', { table: 1 })).toMatchObject({ ok: false, error: { code: 'invalid_args' } });
    expect(await svc.invoke('tablePage', { table: 'registry', offset: 0, limit: 10 })).toMatchObject({ ok: false, error: { code: 'no_workspace' } });
    expect(await svc.invoke('runAnalysis', {})).toMatchObject({ ok: false, error: { code: 'no_workspace' } });
    expect(await svc.invoke('openWorkspace', { path: join(dir, 'missing.duckdb') })).toMatchObject({ ok: false, error: { code: 'not_found' } });
    expect(await svc.invoke('appInfo', {})).toMatchObject({ ok: true, value: { name: 'telisik', mode: 'web' } });
    expect(await svc.invoke('appInfo', undefined)).toMatchObject({ ok: true });
  });

  it('never throws across the boundary, whatever arrives (property test)', async () => {
    // Task calls and calls with only optional arguments would start real work on `{}`: fuzz the rest.
    const quiet = CALL_NAMES.filter((n) => !('task' in calls[n]) && !['openDemo', 'updateSettings', 'listDir', 'createWorkspace', 'resetProgrammeRules'].includes(n));
    const anyName = fc.oneof(fc.constantFrom(...quiet), fc.string(), fc.constant('constructor'), fc.constant('__proto__'), fc.anything());
    await fc.assert(fc.asyncProperty(anyName, fc.anything({ withNullPrototype: true, withBigInt: true, withMap: true, withSet: true, withTypedArray: true, withDate: true }), async (name, args) => {
      const r = await svc.invoke(name, args);
      expect(typeof r).toBe('object');
      expect(typeof r.ok).toBe('boolean');
      if (!r.ok) {
        expect(typeof r.error.code).toBe('string');
        expect(typeof r.error.message).toBe('string');
      }
    }), { numRuns: 300 });
  });

  it('a call name that cannot even be converted to text is a typed error (fast-check counterexample)', async () => {
    const r = await svc.invoke({ toString: '' }, new Map());
    expect(r).toMatchObject({ ok: false, error: { code: 'unknown_call', message: 'Unknown call: (object)' } });
  });

  it('createApi turns transport failures into internal errors instead of throwing', async () => {
    const t: Transport = { invoke: async () => { throw new Error('pipe broken'); }, subscribe: () => () => undefined };
    const api = createApi(t);
    expect(await api.appInfo({})).toEqual({ ok: false, error: { code: 'internal', message: 'pipe broken' } });
  });
});

describe('wire codec', () => {
  it('round-trips bytes inside JSON (browser mode Arrow pages)', () => {
    fc.assert(fc.property(fc.uint8Array({ maxLength: 3000 }), (b) => {
      expect(base64ToBytes(bytesToBase64(b))).toEqual(b);
      expect(bytesToBase64(b)).toBe(Buffer.from(b).toString('base64'));
      const back = fromWireJson(toWireJson({ ok: true, value: { arrow: b, n: 1 } })) as { value: { arrow: Uint8Array } };
      expect(back.value.arrow).toEqual(b);
    }));
  });
});
