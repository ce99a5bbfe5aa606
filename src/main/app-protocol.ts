/**
 * The `telisik://app/` protocol handler's file serving, without Electron imports (testable in Node): a request URL is
 * resolved inside the built renderer folder and the file is read with fs — not with net.fetch(file://…), which goes
 * through the session's network stack where the request filter cancels every `file:` URL (issue 14 asked whether
 * that filter also cancels the handler's own fetch: with fs it cannot).
 */
import { createReadStream, statSync } from 'node:fs';
import { extname, join, normalize, sep } from 'node:path';
import { Readable } from 'node:stream';
import { APP_HOST } from './security';

const MIME: Record<string, string> = {
  '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8', '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8', '.json': 'application/json', '.svg': 'image/svg+xml', '.png': 'image/png',
  '.ico': 'image/x-icon', '.woff2': 'font/woff2', '.woff': 'font/woff', '.ttf': 'font/ttf', '.map': 'application/json', '.wasm': 'application/wasm',
};

/** Which file a request names: { file } inside rendererDir (SPA routes -> index.html), or { status } to refuse. */
export function resolveAppFile(rendererDir: string, rawUrl: string): { file: string } | { status: 403 | 404 } {
  let u: URL;
  try { u = new URL(rawUrl); } catch { return { status: 403 }; }
  if (u.host !== APP_HOST) return { status: 403 };
  let rel: string;
  try { rel = decodeURIComponent(u.pathname === '/' ? '/index.html' : u.pathname); } catch { return { status: 403 }; }
  const root = normalize(rendererDir);
  const file = normalize(join(root, rel));
  if (!file.startsWith(root + sep)) return { status: 403 };
  try { if (statSync(file).isFile()) return { file }; } catch { /* missing */ }
  // Routes of the single-page app (no extension) get index.html; a missing asset is 404.
  if (!/\.[a-z0-9]+$/i.test(rel)) return { file: join(root, 'index.html') };
  return { status: 404 };
}

/** The Response for an app request: the file read with fs, with the CSP and nosniff headers. */
export function serveAppFile(rendererDir: string, rawUrl: string, csp: string): Response {
  const r = resolveAppFile(rendererDir, rawUrl);
  if ('status' in r) return new Response(r.status === 403 ? 'forbidden' : 'not found', { status: r.status });
  const body = Readable.toWeb(createReadStream(r.file)) as unknown as ReadableStream;
  return new Response(body, {
    status: 200,
    headers: { 'Content-Type': MIME[extname(r.file).toLowerCase()] ?? 'application/octet-stream', 'Content-Security-Policy': csp, 'X-Content-Type-Options': 'nosniff' },
  });
}
