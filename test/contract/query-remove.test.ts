// Issue 13 item 5 and issue 11 item 4 through the real service, server and CLI: the read-only `query` call (sqlguard
// refusals, masking by content, the trail entry), a grid page's rupiah total, internal tables hidden from the data
// explorer, the virtual view's profile, a binary file refused before mapping, an import removed with its reason, and
// the browser-mode download route limited to files the service wrote.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { tableFromIPC } from 'apache-arrow';
import type { AnyEvent, CompletedEvent, FailedEvent } from '../../src/shared/contract';
import type { Result } from '../../src/shared/result';
import { createEngineService, type EngineService } from '../../src/engine/service';
import { startServer, type RunningServer } from '../../src/server/server';
import { queryCommand } from '../../src/cli/commands/query';
import { InputError } from '../../src/cli/args';

let dir: string;
let svc: EngineService;
let srv: RunningServer;
const events: AnyEvent[] = [];

async function invoke(name: string, args: unknown = {}) { return (await svc.invoke(name, args)) as Result<any>; } // eslint-disable-line @typescript-eslint/no-explicit-any
async function call<T = any>(name: string, args: unknown = {}): Promise<T> { // eslint-disable-line @typescript-eslint/no-explicit-any
  const r = (await svc.invoke(name, args)) as Result<T>;
  if (!r.ok) throw new Error(`${name} failed: ${r.error.code} ${r.error.message}`);
  return r.value;
}
async function task<T = any>(name: string, args: unknown): Promise<T> { // eslint-disable-line @typescript-eslint/no-explicit-any
  const { task_id } = await call<{ task_id: string }>(name, args);
  for (let i = 0; i < 1200; i++) {
    const e = events.find((x) => (x.event === 'completed' || x.event === 'failed') && x.data.task_id === task_id);
    if (e) {
      const d = e.data as CompletedEvent | FailedEvent;
      if ('error' in d) throw new Error(`${name}: ${d.error.message}`);
      return d.value as T;
    }
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error('task did not settle');
}
function http(method: string, path: string, body?: string): Promise<{ status: number; headers: Record<string, unknown>; body: string }> {
  return new Promise((ok, fail) => {
    const req = request({ host: '127.0.0.1', port: srv.port, method, path, headers: { 'x-telisik-token': srv.token, ...(body ? { 'content-type': 'application/json' } : {}) } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => ok({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
    });
    req.on('error', fail);
    if (body) req.write(body);
    req.end();
  });
}

let wsPath = '';
let disbImport = 0;
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'telisik-query-'));
  svc = createEngineService({ dataDir: join(dir, 'data'), mode: 'web', version: 'test' });
  svc.onEvent((e) => events.push(e));
  srv = await startServer({ service: svc, uploadsDir: join(dir, 'uploads') });
  wsPath = (await call('createWorkspace', { path: join(dir, 'uji.duckdb'), name: 'Uji kueri' })).path;
  writeFileSync(join(dir, 'dtks.csv'), 'NIK;NO_KK;NAMA;DESIL;KODE_WILAYAH\n3201011505900001;3201010101100001;BUDI;2;3201010001\n3201015203850002;3201010101100002;SRI;7;3201010001\n');
  writeFileSync(join(dir, 'salur.csv'), [
    'NIK,NAMA_PENERIMA,JENIS_BANSOS,NOMINAL,TGL_SALUR,STATUS',
    '3201011505900001,Budi,BPNT,200000,15/01/2025,TERSALUR',
    '3201015203850002,Sri,BPNT,200000,15/01/2025,TERSALUR',
    '3201015203850002,Sri,PKH,750000,20/02/2025,TERSALUR',
    '3201015203850002,Sri,PKH,abc,20/03/2025,TERSALUR',
  ].join('\n') + '\n');
  const imported = await task('importFiles', { files: [{ path: join(dir, 'dtks.csv'), kind: 'registry' }, { path: join(dir, 'salur.csv'), kind: 'disbursements' }] });
  disbImport = imported.find((x: { kind: string }) => x.kind === 'disbursements').import_id;
}, 120_000);
afterAll(async () => {
  await srv?.close();
  await svc?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('read-only query', () => {
  it('answers one SELECT as a grid page, records it in the trail, masks NIKs by content', async () => {
    const p = await call('query', { sql: 'SELECT program, sum(amount) AS amount, count(*) AS n FROM disbursements GROUP BY program ORDER BY program;', offset: 0, limit: 100 });
    const rows = tableFromIPC(p.arrow).toArray().map((r) => r.toJSON());
    expect(rows.map((r) => [r.program, Number(r.amount), Number(r.n)])).toEqual([['BPNT', 400000, 2], ['PKH', 750000, 1]]);
    expect(p.total_rows).toBe(2);
    expect(p.tables).toEqual(['disbursements']);
    expect(p.sum).toEqual({ column: 'amount', value: 1_150_000 });
    // A renamed NIK column is still masked (by content), unless masking is off.
    const m = await call('query', { sql: 'SELECT nik AS pemohon FROM disbursements ORDER BY 1 LIMIT 1', offset: 0, limit: 10, mask: true });
    expect(String(tableFromIPC(m.arrow).toArray()[0].toJSON().pemohon)).toMatch(/^3201\*{8}\d{4}$/);
    const u = await call('query', { sql: 'SELECT nik AS pemohon FROM disbursements ORDER BY 1 LIMIT 1', offset: 0, limit: 10, mask: false });
    expect(String(tableFromIPC(u.arrow).toArray()[0].toJSON().pemohon)).toBe('3201011505900001');
    // Sorting and filtering the result in the grid works like any table.
    const s = await call('query', { sql: 'SELECT * FROM disbursements', offset: 0, limit: 10, sort: [{ column: 'amount', dir: 'desc' }], filter: [{ column: 'program', op: 'eq', value: 'PKH' }] });
    expect(s.total_rows).toBe(1);
    const trail = await call('listTrail', { offset: 0, limit: 50 });
    const q = trail.rows.filter((e: { action: string }) => e.action === 'query.run');
    expect(q.length).toBe(3); // the sorted/filtered re-read is not a new statement
    expect(q.at(-1).params.sql).toMatch(/^SELECT program, sum\(amount\)/);
    expect(q.at(-1).result.rows).toBe(2);
  });

  it('refuses anything but one SELECT over workspace tables, with a code the UI can translate', async () => {
    const cases: [string, string][] = [
      ['DROP TABLE disbursements', 'sql_not_select'],
      ["COPY disbursements TO '/tmp/x.csv'", 'sql_not_select'],
      ['SELECT 1; SELECT 2', 'sql_multiple'],
      ["SELECT * FROM read_csv('/etc/passwd')", 'sql_table_function'],
      ["SELECT * FROM '/etc/passwd'", 'sql_table'],
      ["SELECT getenv('HOME')", 'sql_function'],
      ['SELEC nik FROM registry', 'sql_parse'],
    ];
    for (const [sql, reason] of cases) {
      const r = await invoke('query', { sql, offset: 0, limit: 10 });
      expect(r.ok, sql).toBe(false);
      if (!r.ok) expect((r.error.details as { reason?: string } | undefined)?.reason, sql).toBe(reason);
    }
    expect(await call('tablePage', { table: 'disbursements', offset: 0, limit: 1 })).toHaveProperty('total_rows', 4 - 1);
    // …and through the server the same refusal arrives as Result JSON.
    const res = await http('POST', '/api/query', JSON.stringify({ sql: 'DELETE FROM disbursements', offset: 0, limit: 10 }));
    expect(JSON.parse(res.body)).toMatchObject({ ok: false, error: { code: 'invalid_input', details: { reason: 'sql_not_select' } } });
  });

  it('exports a query result (CSV) and serves it for download; nothing else is downloadable', async () => {
    const out = await task('exportTable', { table: 'kueri', sql: 'SELECT nik, program, amount FROM disbursements ORDER BY amount', format: 'csv', out: join(dir, 'ekspor', 'kueri hasil.csv'), mask: true });
    expect(out.rows).toBe(3);
    const text = readFileSync(out.path, 'utf8');
    expect(text).not.toMatch(/\d{16}/);
    const dl = await http('GET', `/api/download?path=${encodeURIComponent(out.path)}`);
    expect(dl.status).toBe(200);
    expect(String(dl.headers['content-disposition'])).toContain('filename="kueri hasil.csv"');
    expect(dl.body).toBe(text);
    expect((await http('GET', `/api/download?path=${encodeURIComponent(wsPath)}`)).status).toBe(404);
    expect((await http('GET', `/api/download?path=${encodeURIComponent('/etc/passwd')}`)).status).toBe(404);
    expect(await call('revealFile', { path: out.path })).toMatchObject({ path: out.path, dir: join(dir, 'ekspor'), revealed: false });
    expect((await invoke('revealFile', { path: wsPath })).ok).toBe(false);
  });

  it('telisik query prints a table or CSV, refuses writes with exit 3, and records the statement', async () => {
    const res = await call('closeWorkspace'); // the CLI opens the file itself
    expect(res).toBeNull();
    const lines: string[] = [];
    const log = console.log;
    console.log = (...a: unknown[]) => { lines.push(a.join(' ')); };
    try {
      expect(await queryCommand.run(['--workspace', wsPath, 'SELECT program, count(*) AS n FROM disbursements GROUP BY 1 ORDER BY 1', '--csv'])).toBe(0);
      expect(lines).toEqual(['program,n', 'BPNT,2', 'PKH,1']);
      lines.length = 0;
      expect(await queryCommand.run(['--workspace', wsPath, 'SELECT program FROM disbursements ORDER BY 1'])).toBe(0);
      expect(lines[0].trim()).toBe('program');
      expect(lines.at(-1)).toMatch(/^\(3 baris\)$/);
    } finally { console.log = log; }
    await expect(queryCommand.run(['--workspace', wsPath, 'DROP TABLE registry'])).rejects.toBeInstanceOf(InputError);
    await expect(queryCommand.run(['--workspace', wsPath, "SELECT * FROM read_csv('/etc/passwd')"])).rejects.toThrow(/table_function/);
    await call('openWorkspace', { path: wsPath });
    const trail = await call('listTrail', { offset: 0, limit: 100 });
    expect(trail.rows.filter((e: { action: string; params: { via?: string } }) => e.action === 'query.run' && e.params.via === 'cli')).toHaveLength(2);
  });
});

describe('no dead ends in the data explorer', () => {
  it('a filtered page carries its row count and rupiah total', async () => {
    const p = await call('tablePage', { table: 'disbursements', offset: 0, limit: 10, filter: [{ column: 'program', op: 'eq', value: 'BPNT' }] });
    expect(p.total_rows).toBe(2);
    expect(p.sum).toEqual({ column: 'amount', value: 400_000 });
  });

  it('internal tables are hidden unless asked for; the virtual view profiles', async () => {
    await task('runAnalysis', {});
    const names = (await call('listTables', {})).map((t: { name: string }) => t.name);
    expect(names).toEqual(expect.arrayContaining(['registry', 'disbursements', 'disbursements_enriched']));
    for (const n of names) expect(n).not.toMatch(/^(exc_|analysis_runs|check_results|findings|reviews|ref_|potential_loss|targeting_|raw_)/);
    const all = (await call('listTables', { include_internal: true })).map((t: { name: string }) => t.name);
    expect(all).toEqual(expect.arrayContaining(['analysis_runs', 'check_results']));
    const prof = await call('columnProfile', { table: 'disbursements_enriched', column: 'amount' });
    expect(prof.rows).toBe(3);
    expect(prof.sum).toBe(1_150_000);
  });

  it('a binary file is refused before the wizard maps it (and by the import)', async () => {
    const bin = join(dir, 'sampah.csv');
    const bytes = Buffer.alloc(4096);
    for (let i = 0; i < bytes.length; i++) bytes[i] = (i * 7919 + 13) % 256;
    writeFileSync(bin, bytes);
    const pv = await invoke('previewFile', { path: bin });
    expect(pv).toMatchObject({ ok: false, error: { code: 'invalid_input', details: { reason: 'binary_file', file: 'sampah.csv' } } });
    const im = await invoke('importFiles', { files: [{ path: bin, kind: 'other' }] });
    expect(im).toMatchObject({ ok: false, error: { details: { reason: 'binary_file' } } });
  });

  it('an import is removed with its rows and rejects; the trail keeps who, what and why', async () => {
    expect((await invoke('removeImport', { import_id: disbImport, reason: '' })).ok).toBe(false);
    const r = await call('removeImport', { import_id: disbImport, reason: 'Berkas salah periode — diganti ekstrak Maret' });
    expect(r).toMatchObject({ import_id: disbImport, file: 'salur.csv', rows_removed: 3, rejects_removed: 1 });
    expect((await call('tablePage', { table: 'disbursements', offset: 0, limit: 1 })).total_rows).toBe(0);
    expect((await call('listImports')).map((x: { import_id: number }) => x.import_id)).not.toContain(disbImport);
    const e = (await call('listTrail', { offset: 0, limit: 5 })).rows.find((x: { action: string }) => x.action === 'import.remove');
    expect(e.params).toMatchObject({ import_id: disbImport, file: 'salur.csv', reason: 'Berkas salah periode — diganti ekstrak Maret' });
    { const v = await call('verifyTrail', {}); expect(v.breaks ?? v, JSON.stringify(v)).toEqual([]); expect(v.ok).toBe(true); }
    expect((await invoke('removeImport', { import_id: disbImport, reason: 'lagi' })).ok).toBe(false);
  });
});

describe('query time bound', () => {
  it('a query over its time limit is interrupted and refused clearly; the next query answers', async () => {
    const saved = process.env.TELISIK_QUERY_TIMEOUT_MS;
    process.env.TELISIK_QUERY_TIMEOUT_MS = '300';
    try {
      // ref_regions (≈ 91k rows) joined with itself five times: far more rows than any machine reads in 300 ms
      const r = await invoke('query', { sql: 'SELECT count(*) AS n FROM ref_regions a, ref_regions b, ref_regions c, ref_regions d, ref_regions e', offset: 0, limit: 10 });
      expect(r).toMatchObject({ ok: false, error: { code: 'invalid_input', details: { reason: 'sql_timeout' } } });
    } finally {
      if (saved === undefined) delete process.env.TELISIK_QUERY_TIMEOUT_MS; else process.env.TELISIK_QUERY_TIMEOUT_MS = saved;
    }
    expect((await invoke('query', { sql: 'SELECT 1 AS x', offset: 0, limit: 1 })).ok).toBe(true);
  });
});
