/** `npm run web` entry (loaded through tsx by scripts/start.mjs): engine service + loopback server, prints the URL. */
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { createEngineService } from '../engine/service';
import { startServer, type RunningServer } from './server';

export function defaultDataDir(): string {
  if (process.env.TELISIK_DATA_DIR) return resolve(process.env.TELISIK_DATA_DIR);
  if (process.platform === 'win32') return join(process.env.APPDATA ?? join(homedir(), 'AppData', 'Roaming'), 'Telisik');
  if (process.platform === 'darwin') return join(homedir(), 'Library', 'Application Support', 'Telisik');
  return join(process.env.XDG_DATA_HOME ?? join(homedir(), '.local', 'share'), 'telisik');
}

export async function runWebServer(opts: { port?: number; dataDir?: string; staticDir?: string; quiet?: boolean } = {}): Promise<RunningServer & { shutdown(): Promise<void> }> {
  const root = resolve(__dirname, '..', '..');
  const dataDir = opts.dataDir ?? defaultDataDir();
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const version = (require(join(root, 'package.json')) as { version: string }).version;
  const service = createEngineService({ dataDir, mode: 'web', version });
  const server = await startServer({
    service, host: '127.0.0.1', port: opts.port ?? (process.env.TELISIK_PORT ? Number(process.env.TELISIK_PORT) : 0),
    staticDir: opts.staticDir ?? join(root, 'out', 'renderer'), uploadsDir: service.state.uploadsDir(),
  });
  const shutdown = async () => {
    await server.close();
    await service.close();
  };
  return { ...server, shutdown };
}
