import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, readlinkSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createEngineService, type EngineService } from '../../src/engine/service';
import { assertLoopbackHost, removeStaleUploads, startServer, type RunningServer } from '../../src/server/server';
import { writeLauncher } from '../../src/server/main';
import { fromWireJson } from '../../src/shared/wire';

interface Res { status: number; headers: Record<string, string | string[] | undefined>; body: string }

function http(srv: RunningServer, method: string, path: string, opts: { headers?: Record<string, string>; body?: string | Buffer; token?: string | null } = {}): Promise<Res> {
  const headers: Record<string, string> = { ...(opts.headers ?? {}) };
  if (opts.token !== null) headers['x-telisik-token'] = opts.token ?? srv.token;
  return new Promise((ok, fail) => {
    const req = request({ host: '127.0.0.1', port: srv.port, method, path, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => ok({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
    });
    req.on('error', fail);
    if (opts.body !== undefined) req.write(opts.body);
    req.end();
  });
}
const call = (srv: RunningServer, name: string, args: unknown, headers: Record<string, string> = {}) =>
  http(srv, 'POST', `/api/${name}`, { headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(args) });

let dir: string;
let svc: EngineService;
let srv: RunningServer;
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'telisik-server-'));
  const staticDir = join(dir, 'renderer');
  mkdirSync(join(staticDir, 'assets'), { recursive: true });
  writeFileSync(join(staticDir, 'index.html'), '<!doctype html><script type="module" src="./assets/app.js"></script>');
  writeFileSync(join(staticDir, 'assets', 'app.js'), 'console.log(1)');
  writeFileSync(join(dir, 'secret.txt'), 'secret');
  svc = createEngineService({ dataDir: join(dir, 'data'), mode: 'web', version: 'test' });
  srv = await startServer({ service: svc, staticDir, uploadsDir: join(dir, 'uploads') });
});
afterAll(async () => {
  await srv.close();
  await svc.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('loopback server', () => {
  it('binds 127.0.0.1 only and refuses any other host', async () => {
    const addr = srv.server.address();
    expect(typeof addr === 'object' && addr?.address).toBe('127.0.0.1');
    for (const h of ['0.0.0.0', '::', 'localhost', '192.168.1.10', '::1', '']) expect(() => assertLoopbackHost(h)).toThrow(/127\.0\.0\.1 only/);
    await expect(startServer({ service: svc, host: '0.0.0.0' })).rejects.toThrow(/127\.0\.0\.1 only/);
  });

  it('requires the per-launch token on every API request, in the header only: 401 missing, 403 wrong', async () => {
    expect(srv.token.length).toBeGreaterThanOrEqual(32);
    for (const path of ['/api/events']) {
      expect((await http(srv, 'GET', path, { token: null })).status).toBe(401);
      expect((await http(srv, 'GET', path, { token: 'x'.repeat(srv.token.length) })).status).toBe(403);
    }
    const missing = await http(srv, 'POST', '/api/appInfo', { token: null, headers: { 'content-type': 'application/json' }, body: '{}' });
    expect(missing.status).toBe(401);
    expect(JSON.parse(missing.body)).toMatchObject({ ok: false, error: { code: 'unauthorized' } });
    const wrong = await http(srv, 'POST', '/api/appInfo', { token: 'nope', headers: { 'content-type': 'application/json' }, body: '{}' });
    expect(wrong.status).toBe(403);
    expect(JSON.parse(wrong.body)).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    // A cookie named like the old one authorises nothing (issue 14: cookies reach every port of 127.0.0.1).
    const cookie = await http(srv, 'POST', '/api/appInfo', { token: null, headers: { 'content-type': 'application/json', cookie: `telisik_token=${srv.token}` }, body: '{}' });
    expect(cookie.status).toBe(401);
    const upload = await http(srv, 'POST', '/api/upload?name=a.csv', { token: null, body: 'x' });
    expect(upload.status).toBe(401);
  });

  it('serves the static renderer without the token and never sets a cookie; the token lives in the URL fragment', async () => {
    expect(srv.openUrl).toBe(`http://127.0.0.1:${srv.port}/#token=${srv.token}`);
    for (const path of ['/', `/?token=${srv.token}`, '/assets/app.js']) {
      const r = await http(srv, 'GET', path, { token: null });
      expect(r.status).toBe(200);
      expect(r.headers['set-cookie']).toBeUndefined();
      expect(r.body).not.toContain(srv.token);
    }
    expect((await call(srv, 'appInfo', {})).headers['set-cookie']).toBeUndefined();
  });

  it('serves a strict CSP (no eval, no remote content) and hardening headers on pages, assets and API', async () => {
    for (const r of [await http(srv, 'GET', '/'), await http(srv, 'GET', '/assets/app.js'), await call(srv, 'appInfo', {}), await http(srv, 'GET', '/', { token: null })]) {
      const csp = String(r.headers['content-security-policy']);
      expect(csp).toContain("default-src 'self'");
      expect(csp).toContain("script-src 'self'");
      expect(csp).toContain("connect-src 'self'");
      expect(csp).not.toMatch(/unsafe-eval|https?:|\*/);
      expect(r.headers['x-content-type-options']).toBe('nosniff');
    }
  });

  it('refuses foreign Host (DNS rebinding) and cross-origin requests', async () => {
    expect((await http(srv, 'GET', '/', { headers: { host: `evil.example:${srv.port}` } })).status).toBe(403);
    expect((await call(srv, 'appInfo', {}, { origin: 'https://evil.example' })).status).toBe(403);
    expect((await call(srv, 'appInfo', {}, { origin: `http://127.0.0.1:${srv.port}` })).status).toBe(200);
    // A form post cannot set application/json.
    expect((await http(srv, 'POST', '/api/appInfo', { headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'a=1' })).status).toBe(415);
  });

  it('never serves files outside the renderer folder', async () => {
    for (const p of ['/../secret.txt', '/%2e%2e/secret.txt', '/assets/../../secret.txt', '/..%2fsecret.txt']) {
      const r = await http(srv, 'GET', p);
      expect(r.body).not.toContain('secret');
    }
  });

  it('answers calls as Result JSON; errors are data', async () => {
    const ok = await call(srv, 'appInfo', {});
    expect(ok.status).toBe(200);
    expect(JSON.parse(ok.body)).toMatchObject({ ok: true, value: { name: 'telisik', mode: 'web' } });
    expect(JSON.parse((await call(srv, 'nope', {})).body)).toMatchObject({ ok: false, error: { code: 'unknown_call' } });
    expect(JSON.parse((await call(srv, 'tablePage', { table: 5 })).body)).toMatchObject({ ok: false, error: { code: 'invalid_args' } });
    expect(JSON.parse((await call(srv, 'workspaceInfo', {})).body)).toEqual({ ok: true, value: null });
  });

  it('pushes events over SSE and pages come back as Arrow bytes', async () => {
    const events: string[] = [];
    const sse = await new Promise<import('node:http').IncomingMessage>((ok) => {
      request({ host: '127.0.0.1', port: srv.port, path: '/api/events', headers: { 'x-telisik-token': srv.token } }, ok).end();
    });
    expect(sse.headers['content-type']).toMatch(/text\/event-stream/);
    sse.on('data', (c: Buffer) => events.push(c.toString('utf8')));
    const created = JSON.parse((await call(srv, 'createWorkspace', { path: join(dir, 'ws1'), name: 'Uji server' })).body);
    expect(created).toMatchObject({ ok: true, value: { name: 'Uji server' } });
    for (let i = 0; i < 50 && !events.join('').includes('event: workspace'); i++) await new Promise((r) => setTimeout(r, 20));
    expect(events.join('')).toMatch(/event: workspace\ndata: \{"info":\{"path"/);
    sse.destroy();
    const page = fromWireJson((await call(srv, 'tablePage', { table: 'registry', offset: 0, limit: 10 })).body) as { ok: boolean; value: { arrow: Uint8Array; total_rows: number } };
    expect(page.ok).toBe(true);
    expect(page.value.arrow).toBeInstanceOf(Uint8Array);
    expect(page.value.total_rows).toBe(0);
    await call(srv, 'closeWorkspace', {});
  });

  it('accepts uploads into the uploads folder only', async () => {
    const r = await http(srv, 'POST', '/api/upload?name=../../etc/passwd', { body: 'NIK;NAMA\n3201014508900001;SITI\n' });
    const v = JSON.parse(r.body);
    expect(v.ok).toBe(true);
    expect(v.value.path.startsWith(join(dir, 'uploads'))).toBe(true);
    expect(v.value.path.endsWith('passwd')).toBe(true);
    expect(JSON.parse((await call(srv, 'previewFile', { path: v.value.path })).body)).toMatchObject({ ok: true, value: { headers: ['NIK', 'NAMA'] } });
  });

  it('an aborted upload leaves no partial file and no open descriptor (issue 14)', async () => {
    const uploads = join(dir, 'uploads');
    const openIntoUploads = () => readdirSync('/proc/self/fd').filter((fd) => { try { return readlinkSync(`/proc/self/fd/${fd}`).startsWith(uploads); } catch { return false; } });
    const before = readdirSync(uploads).length;
    await new Promise<void>((ok) => {
      const req = request({ host: '127.0.0.1', port: srv.port, method: 'POST', path: '/api/upload?name=besar.csv', headers: { 'x-telisik-token': srv.token, 'content-length': '10000000' } });
      req.on('error', () => ok());
      req.write(Buffer.alloc(64 * 1024, 65), () => setTimeout(() => { req.destroy(); ok(); }, 50));
    });
    // wait on the condition (no sleeps as assertions): the server notices the abort and cleans up
    for (let i = 0; i < 200 && (readdirSync(uploads).length !== before || openIntoUploads().length); i++) await new Promise((r) => setTimeout(r, 25));
    expect(readdirSync(uploads).length).toBe(before);
    expect(openIntoUploads()).toEqual([]);
  });

  it('removes the .part files of a killed server\'s uploads on start, keeps completed uploads', () => {
    const uploads = join(dir, 'uploads');
    mkdirSync(join(uploads, 'killed'), { recursive: true });
    writeFileSync(join(uploads, 'killed', 'x.csv.part'), 'partial');
    mkdirSync(join(uploads, 'done'), { recursive: true });
    writeFileSync(join(uploads, 'done', 'y.csv'), 'complete');
    expect(removeStaleUploads(uploads)).toEqual([join(uploads, 'killed', 'x.csv.part')]);
    expect(existsSync(join(uploads, 'killed'))).toBe(false);
    expect(existsSync(join(uploads, 'done', 'y.csv'))).toBe(true);
  });

  it('opens the browser through a 0600 launcher file: the token is never on a command line', async () => {
    const l = writeLauncher(join(dir, 'data'), srv.openUrl);
    expect(l.path).not.toContain(srv.token);
    expect(statSync(l.path).mode & 0o777).toBe(0o600);
    expect(statSync(join(dir, 'data', 'launch')).mode & 0o777).toBe(0o700);
    expect(readFileSync(l.path, 'utf8')).toContain(`#token=${srv.token}`);
    l.remove();
    expect(existsSync(l.path)).toBe(false);
    // scripts/start.mjs spawns the opener with the launcher's path, not the URL
    const start = readFileSync(join(__dirname, '..', '..', 'scripts', 'start.mjs'), 'utf8');
    expect(start).toMatch(/spawn\(opener, \[s\.launcher\(\)\]/);
    expect(start).not.toMatch(/spawn\(opener, \[s\.openUrl\]/);
  });

  it('stays up under malformed calls (fuzz)', async () => {
    const bodies = fc.oneof(
      fc.string(), fc.json(), fc.uint8Array({ maxLength: 2000 }).map((b) => Buffer.from(b)),
      fc.anything().map((v) => { try { return JSON.stringify(v) ?? 'null'; } catch { return '{'; } }),
      fc.constant('{"__proto__":{"polluted":1}}'), fc.constant('{"table":"x","offset":0,"limit":1e308}'), fc.constant('['.repeat(5000)),
    );
    const names = fc.oneof(fc.constantFrom('appInfo', 'tablePage', 'listTables', 'getSettings', 'rejectsPage', 'toolBenford', 'cancelTask', 'verifyTrail'), fc.string({ maxLength: 40 }).map(encodeURIComponent));
    const types = fc.constantFrom('application/json', 'text/plain', 'application/json; charset=utf-8', '');
    await fc.assert(fc.asyncProperty(names, bodies, types, async (name, body, type) => {
      const r = await http(srv, 'POST', `/api/${name}`, { headers: type ? { 'content-type': type } : {}, body });
      expect([200, 400, 404, 405, 413, 415]).toContain(r.status);
      const v = JSON.parse(r.body);
      expect(typeof v.ok).toBe('boolean');
    }), { numRuns: 150 });
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    const alive = await call(srv, 'appInfo', {});
    expect(JSON.parse(alive.body)).toMatchObject({ ok: true });
  });
});
