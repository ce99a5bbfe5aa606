/**
 * Runs in an Electron utilityProcess: hosts the engine service so DuckDB work never blocks the main thread.
 * Messages from main: {id, name, args} → {id, result}; engine events go up as {event}.
 * The engine runs as the JavaScript that scripts/build-engine.mjs emits (out/engine: one module per source file, the
 * .sql files and resources/ beside them), as a packaged app ships it. Only a development checkout without that
 * build falls back to the TypeScript source through tsx.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { isHostRequest, type HostMessage } from '../shared/ipc';
import type { AnyEvent } from '../shared/contract';
import type { Result } from '../shared/result';

interface Port { on(ev: 'message', l: (e: { data: unknown }) => void): void; postMessage(m: HostMessage): void }
const parentPort = (process as unknown as { parentPort: Port }).parentPort;

const root = process.env.TELISIK_APP_ROOT ?? join(__dirname, '..', '..');
/** The engine module to load: the built JavaScript when present, else (development only) the source through tsx. */
export function engineEntry(appRoot: string): { path: string; bundled: boolean } {
  const js = join(appRoot, 'out', 'engine', 'src', 'engine', 'service.js');
  return existsSync(js) ? { path: js, bundled: true } : { path: join(appRoot, 'src', 'engine', 'service.ts'), bundled: false };
}
const entry = engineEntry(root);
// eslint-disable-next-line @typescript-eslint/no-require-imports
if (!entry.bundled) require('tsx/cjs/api').register();
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { createEngineService } = require(entry.path);
// eslint-disable-next-line @typescript-eslint/no-require-imports
const version = (require(join(root, 'package.json')) as { version: string }).version;

/** The engine service as this host uses it (loaded at run time from the build, so typed here by its surface). */
interface HostedService {
  onEvent(l: (e: AnyEvent) => void): () => void;
  invoke(name: unknown, args: unknown): Promise<Result<unknown>>;
  close(): Promise<void>;
}
const service: HostedService = createEngineService({ dataDir: process.env.TELISIK_DATA_DIR ?? join(root, '.telisik-data'), mode: 'electron', version });
service.onEvent((event) => parentPort.postMessage({ event }));

parentPort.on('message', async (m) => {
  const msg = m.data;
  if (!isHostRequest(msg)) return;
  if ('shutdown' in msg) {
    await service.close().catch(() => undefined);
    process.exit(0);
  }
  const result = await service.invoke(msg.name, msg.args);
  parentPort.postMessage({ id: msg.id, result });
});
parentPort.postMessage({ ready: true, bundled: entry.bundled });
