/** `npm run web` entry (loaded through tsx by scripts/start.mjs): engine service + loopback server, prints the URL. */
import { homedir } from 'node:os';
import { randomBytes } from 'node:crypto';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { createEngineService } from '../engine/service';
import { startServer, type RunningServer } from './server';

export function defaultDataDir(): string {
  if (process.env.TELISIK_DATA_DIR) return resolve(process.env.TELISIK_DATA_DIR);
  if (process.platform === 'win32') return join(process.env.APPDATA ?? join(homedir(), 'AppData', 'Roaming'), 'Telisik');
  if (process.platform === 'darwin') return join(homedir(), 'Library', 'Application Support', 'Telisik');
  return join(process.env.XDG_DATA_HOME ?? join(homedir(), '.local', 'share'), 'telisik');
}

/**
 * The file the browser is opened with: a 0600 HTML page in the owner-only data folder that forwards to the URL with
 * the token in its fragment. The browser's command line then names only this file (argv is visible to every user in
 * `ps`; issue 14), and the file is removed after `ttlMs` or at shutdown.
 */
export function writeLauncher(dataDir: string, openUrl: string, ttlMs = 120_000): { path: string; remove(): void } {
  const dir = join(dataDir, 'launch');
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const path = join(dir, `buka-telisik-${randomBytes(8).toString('hex')}.html`);
  const url = JSON.stringify(openUrl).replace(/</g, '\\u003c');
  writeFileSync(path, `<!doctype html><html lang="id"><head><meta charset="utf-8"><meta name="referrer" content="no-referrer"><title>Telisik</title></head>
<body><p>Membuka Telisik…</p><script>location.replace(${url});</script></body></html>\n`, { mode: 0o600 });
  const remove = () => { try { rmSync(path, { force: true }); } catch { /* gone */ } };
  setTimeout(remove, ttlMs).unref();
  return { path, remove };
}

export async function runWebServer(opts: { port?: number; dataDir?: string; staticDir?: string; quiet?: boolean } = {}): Promise<RunningServer & { shutdown(): Promise<void>; launcher(): string }> {
  const root = resolve(__dirname, '..', '..');
  const dataDir = opts.dataDir ?? defaultDataDir();
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const version = (require(join(root, 'package.json')) as { version: string }).version;
  const service = createEngineService({ dataDir, mode: 'web', version });
  const server = await startServer({
    service, host: '127.0.0.1', port: opts.port ?? (process.env.TELISIK_PORT ? Number(process.env.TELISIK_PORT) : 0),
    staticDir: opts.staticDir ?? join(root, 'out', 'renderer'), uploadsDir: service.state.uploadsDir(),
  });
  const launchers: { remove(): void }[] = [];
  const shutdown = async () => {
    for (const l of launchers) l.remove();
    await server.close();
    await service.close();
  };
  const launcher = () => { const l = writeLauncher(dataDir, server.openUrl); launchers.push(l); return l.path; };
  return { ...server, shutdown, launcher };
}
