/**
 * Browser mode: the same contract over loopback HTTP. Node `http` only.
 *
 * Security model (the data is personal data, UU PDP 27/2022; the machine may be shared):
 * - bound to 127.0.0.1 only — any other host is refused at start;
 * - a random per-launch token is required on every API request (calls, events, uploads), in the `X-Telisik-Token`
 *   header ONLY. No cookie (issue 14: cookies are not scoped by port — any other 127.0.0.1 port received it). The
 *   token reaches the page once, in the URL fragment (`/#token=…`, never sent over HTTP, not in a Referer); the page
 *   keeps it in sessionStorage (scoped to this origin, port included) and drops it from the address bar. The static
 *   renderer (HTML, JS, CSS) holds no data and is served without the token;
 * - the Host header must name the loopback address (defeats DNS rebinding); a cross-origin Origin is refused;
 * - calls are `POST /api/<name>` with a JSON body (no simple-form CSRF); answers are always Result JSON;
 * - the renderer is served with a strict CSP (no remote content, no eval).
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { createReadStream, createWriteStream, existsSync, mkdirSync, readdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { basename, extname, join, normalize, resolve, sep } from 'node:path';
import type { AnyEvent } from '../shared/contract';
import type { Result } from '../shared/result';
import { toWireJson } from '../shared/wire';
import { CSP } from '../shared/csp';

export { CSP };

export const SECURITY_HEADERS: Record<string, string> = {
  'Content-Security-Policy': CSP,
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  'X-Frame-Options': 'DENY',
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Resource-Policy': 'same-origin',
  'Permissions-Policy': 'camera=(), microphone=(), geolocation=(), usb=(), serial=(), bluetooth=()',
};

export interface ServiceLike {
  invoke(name: string, args: unknown): Promise<Result<unknown>>;
  onEvent(listener: (e: AnyEvent) => void): () => void;
  /** The resolved path when `path` is a file the service wrote (export, workbook), else null: the download route's allow-list. */
  downloadable?(path: string): string | null;
}

export interface ServerOptions {
  service: ServiceLike;
  host?: string;
  port?: number;
  token?: string;
  /** Built renderer (out/renderer). */
  staticDir?: string;
  /** Where browser uploads are stored (import wizard drag-and-drop). */
  uploadsDir?: string;
  maxJsonBytes?: number;
  maxUploadBytes?: number;
}

export interface RunningServer {
  url: string;
  /** URL to open: carries the token in its fragment (never sent over HTTP); the page then sends it as a header. */
  openUrl: string;
  port: number;
  token: string;
  server: Server;
  close(): Promise<void>;
}

const MIME: Record<string, string> = {
  '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8', '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8', '.json': 'application/json', '.svg': 'image/svg+xml', '.png': 'image/png',
  '.ico': 'image/x-icon', '.woff2': 'font/woff2', '.woff': 'font/woff', '.ttf': 'font/ttf', '.map': 'application/json', '.wasm': 'application/wasm',
};

export function assertLoopbackHost(host: string | undefined): string {
  const h = host ?? '127.0.0.1';
  if (h !== '127.0.0.1') throw new Error(`Telisik server binds to 127.0.0.1 only; refusing host "${h}"`);
  return h;
}

function sameToken(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

function send(res: ServerResponse, status: number, body: string | Buffer, type = 'application/json; charset=utf-8', extra: Record<string, string> = {}) {
  if (res.headersSent) { res.end(); return; }
  res.writeHead(status, { ...SECURITY_HEADERS, 'Content-Type': type, 'Cache-Control': 'no-store', ...extra });
  res.end(body);
}

function sendResult(res: ServerResponse, status: number, r: Result<unknown>) {
  let text: string;
  try {
    text = toWireJson(r, (b) => Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString('base64'));
  } catch (e) {
    text = JSON.stringify({ ok: false, error: { code: 'internal', message: `unserialisable result: ${String((e as Error).message)}` } });
  }
  send(res, status, text);
}

const fallbackPage = `<!doctype html><html lang="id"><head><meta charset="utf-8"><title>Telisik</title></head>
<body><h1>Telisik</h1><p>Antarmuka belum dibangun (renderer not built). Jalankan <code>npm run build</code> lalu muat ulang.</p></body></html>`;

/**
 * Uploads of a server that was killed mid-transfer: their `.part` files (and folders left empty) are removed when the
 * next server starts. Completed uploads stay: they are source files of an engagement (import_log, verify).
 */
export function removeStaleUploads(uploadsDir: string): string[] {
  const removed: string[] = [];
  let dirs: string[] = [];
  try { dirs = readdirSync(uploadsDir); } catch { return removed; }
  for (const d of dirs) {
    const full = join(uploadsDir, d);
    try {
      if (!statSync(full).isDirectory()) continue;
      for (const f of readdirSync(full)) if (f.endsWith('.part')) { rmSync(join(full, f), { force: true }); removed.push(join(full, f)); }
      if (readdirSync(full).length === 0) rmSync(full, { recursive: true, force: true });
    } catch { /* best effort */ }
  }
  return removed;
}

export async function startServer(opts: ServerOptions): Promise<RunningServer> {
  const host = assertLoopbackHost(opts.host);
  if (opts.uploadsDir) removeStaleUploads(opts.uploadsDir);
  const token = opts.token ?? randomBytes(32).toString('base64url');
  const staticDir = opts.staticDir ? resolve(opts.staticDir) : undefined;
  const maxJson = opts.maxJsonBytes ?? 16 * 1024 * 1024;
  const maxUpload = opts.maxUploadBytes ?? 4 * 1024 * 1024 * 1024;
  let port = 0;
  const sseClients = new Set<ServerResponse>();

  const unsubscribe = opts.service.onEvent((e) => {
    const frame = `event: ${e.event}\ndata: ${toWireJson(e.data)}\n\n`;
    for (const c of sseClients) c.write(frame);
  });
  const heartbeat = setInterval(() => { for (const c of sseClients) c.write(': ping\n\n'); }, 15_000);
  heartbeat.unref();

  const server = createServer((req, res) => {
    handle(req, res).catch((e) => {
      try { sendResult(res, 500, { ok: false, error: { code: 'internal', message: String((e as Error)?.message ?? e) } }); } catch { /* socket gone */ }
    });
  });
  server.headersTimeout = 30_000;
  server.requestTimeout = 0; // uploads and long SSE streams

  async function handle(req: IncomingMessage, res: ServerResponse) {
    const hostHeader = String(req.headers.host ?? '');
    if (hostHeader !== `127.0.0.1:${port}` && hostHeader !== `localhost:${port}`) {
      return sendResult(res, 403, { ok: false, error: { code: 'forbidden', message: 'Host tidak diizinkan (loopback only)' } });
    }
    const origin = req.headers.origin;
    if (origin !== undefined && origin !== `http://127.0.0.1:${port}` && origin !== `http://localhost:${port}`) {
      return sendResult(res, 403, { ok: false, error: { code: 'forbidden', message: 'Origin tidak diizinkan' } });
    }
    const url = new URL(req.url ?? '/', `http://${hostHeader}`);

    // The static renderer holds no data: served without the token (the page reads its token from the URL fragment).
    if (!url.pathname.startsWith('/api/')) {
      if (req.method !== 'GET' && req.method !== 'HEAD') return sendResult(res, 405, { ok: false, error: { code: 'invalid_args', message: 'GET only' } });
      return serveStatic(url.pathname, res);
    }

    // The header only: a cookie would travel to every other port of 127.0.0.1.
    const presented = req.headers['x-telisik-token'] as string | undefined;
    if (presented === undefined || presented === '') {
      return sendResult(res, 401, { ok: false, error: { code: 'unauthorized', message: 'Token diperlukan — buka alamat yang dicetak saat server mulai (token required)' } });
    }
    if (!sameToken(presented, token)) return sendResult(res, 403, { ok: false, error: { code: 'forbidden', message: 'Token salah (wrong token)' } });

    if (url.pathname === '/api/events') {
      if (req.method !== 'GET') return sendResult(res, 405, { ok: false, error: { code: 'invalid_args', message: 'GET only' } });
      res.writeHead(200, { ...SECURITY_HEADERS, 'Content-Type': 'text/event-stream; charset=utf-8', 'Cache-Control': 'no-store', Connection: 'keep-alive' });
      res.write('retry: 2000\n\n');
      sseClients.add(res);
      req.on('close', () => sseClients.delete(res));
      return;
    }

    if (url.pathname === '/api/upload') {
      if (req.method !== 'POST') return sendResult(res, 405, { ok: false, error: { code: 'invalid_args', message: 'POST only' } });
      if (!opts.uploadsDir) return sendResult(res, 404, { ok: false, error: { code: 'unavailable', message: 'Upload tidak tersedia' } });
      const name = basename(url.searchParams.get('name') ?? '').replace(/[^A-Za-z0-9._ -]/g, '_').slice(0, 120);
      if (!name || name.startsWith('.')) return sendResult(res, 400, { ok: false, error: { code: 'invalid_args', message: 'Nama berkas tidak sah' } });
      const dir = join(opts.uploadsDir, `${Date.now().toString(36)}-${randomBytes(4).toString('hex')}`);
      mkdirSync(dir, { recursive: true, mode: 0o700 });
      const path = join(dir, name);
      let size = 0;
      // An aborted or failed upload (client gone, too large, disk full) closes its descriptor and removes its
      // partial file and folder (issue 14: a partial file and an open descriptor stayed behind).
      const part = `${path}.part`;
      const out = createWriteStream(part, { mode: 0o600 });
      try {
        await new Promise<void>((ok, fail) => {
          req.on('data', (c: Buffer) => { size += c.length; if (size > maxUpload) { req.unpipe(out); req.destroy(); fail(new Error('upload too large')); } });
          req.on('aborted', () => fail(new Error('upload aborted')));
          req.on('close', () => { if (!req.complete) fail(new Error('upload aborted')); });
          req.pipe(out);
          out.on('finish', ok);
          out.on('error', fail);
          req.on('error', fail);
        });
      } catch (e) {
        out.destroy();
        await new Promise<void>((r) => (out.closed ? r() : out.once('close', () => r())));
        rmSync(dir, { recursive: true, force: true });
        if (res.writableEnded || req.destroyed) return;
        return sendResult(res, 413, { ok: false, error: { code: 'invalid_input', message: `Upload gagal: ${(e as Error).message}` } });
      }
      renameSync(part, path);
      return sendResult(res, 200, { ok: true, value: { path, bytes: size } });
    }

    if (url.pathname === '/api/download') {
      // Browser mode's "Unduh": only files this service wrote in this session (exports, workbooks), nothing else.
      if (req.method !== 'GET') return sendResult(res, 405, { ok: false, error: { code: 'invalid_args', message: 'GET only' } });
      const asked = url.searchParams.get('path') ?? '';
      const file = asked && opts.service.downloadable ? opts.service.downloadable(asked) : null;
      if (!file) return sendResult(res, 404, { ok: false, error: { code: 'not_found', message: 'Berkas tidak tersedia untuk diunduh (not a file Telisik wrote)', details: { reason: 'not_written' } } });
      const name = basename(file);
      const ascii = name.replace(/[^A-Za-z0-9._ -]/g, '_');
      const type = /\.xlsx$/i.test(name) ? 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' : /\.csv$/i.test(name) ? 'text/csv; charset=utf-8' : 'application/octet-stream';
      res.writeHead(200, {
        ...SECURITY_HEADERS, 'Content-Type': type, 'Cache-Control': 'no-store', 'Content-Length': String(statSync(file).size),
        'Content-Disposition': `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(name)}`,
      });
      createReadStream(file).pipe(res);
      return;
    }

    if (url.pathname.startsWith('/api/')) {
      if (req.method !== 'POST') return sendResult(res, 405, { ok: false, error: { code: 'invalid_args', message: 'Use POST /api/<call> with a JSON body' } });
      const ct = String(req.headers['content-type'] ?? '');
      if (!/^application\/json\b/i.test(ct)) return sendResult(res, 415, { ok: false, error: { code: 'invalid_args', message: 'Content-Type must be application/json' } });
      const name = decodeURIComponent(url.pathname.slice('/api/'.length));
      const chunks: Buffer[] = [];
      let size = 0;
      let tooBig = false;
      for await (const c of req) {
        size += (c as Buffer).length;
        if (size > maxJson) { tooBig = true; break; }
        chunks.push(c as Buffer);
      }
      if (tooBig) return sendResult(res, 413, { ok: false, error: { code: 'invalid_args', message: `Body too large (max ${maxJson} bytes)` } });
      let args: unknown = {};
      const text = Buffer.concat(chunks).toString('utf8');
      if (text.trim() !== '') {
        try { args = JSON.parse(text); } catch (e) {
          return sendResult(res, 400, { ok: false, error: { code: 'invalid_args', message: `Body is not valid JSON: ${String((e as Error).message).slice(0, 200)}` } });
        }
      }
      const r = await opts.service.invoke(name, args);
      // Errors are data: 200 with ok:false for domain errors, 400/404 only for transport-level mistakes.
      const status = r.ok ? 200 : r.error.code === 'unknown_call' ? 404 : r.error.code === 'invalid_args' ? 400 : 200;
      return sendResult(res, status, r);
    }

    return sendResult(res, 404, { ok: false, error: { code: 'unknown_call', message: 'Not found' } });
  }

  function serveStatic(pathname: string, res: ServerResponse) {
    if (!staticDir || !existsSync(join(staticDir, 'index.html'))) return send(res, 200, fallbackPage, 'text/html; charset=utf-8');
    let rel: string;
    try { rel = decodeURIComponent(pathname); } catch { return send(res, 400, 'bad path', 'text/plain'); }
    const p = normalize(join(staticDir, rel));
    if (p !== staticDir && !p.startsWith(staticDir + sep)) return send(res, 403, 'forbidden', 'text/plain');
    let file = p;
    try {
      if (!statSync(file).isFile()) file = join(staticDir, 'index.html');
    } catch {
      // SPA routes fall back to index.html; missing assets (with an extension) are 404.
      if (extname(rel)) return send(res, 404, 'not found', 'text/plain');
      file = join(staticDir, 'index.html');
    }
    const type = MIME[extname(file).toLowerCase()] ?? 'application/octet-stream';
    res.writeHead(200, { ...SECURITY_HEADERS, 'Content-Type': type, 'Cache-Control': file.endsWith('index.html') ? 'no-store' : 'private, max-age=3600' });
    createReadStream(file).pipe(res);
  }

  await new Promise<void>((ok, fail) => {
    server.once('error', fail);
    server.listen(opts.port ?? 0, host, () => { server.off('error', fail); ok(); });
  });
  const addr = server.address();
  port = typeof addr === 'object' && addr ? addr.port : 0;
  const urlBase = `http://127.0.0.1:${port}`;
  return {
    url: `${urlBase}/`,
    openUrl: `${urlBase}/#token=${token}`,
    port,
    token,
    server,
    close: () => new Promise<void>((ok) => {
      clearInterval(heartbeat);
      unsubscribe();
      for (const c of sseClients) c.end();
      sseClients.clear();
      server.closeAllConnections?.();
      server.close(() => ok());
    }),
  };
}
