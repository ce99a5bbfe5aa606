/**
 * Runs in an Electron utilityProcess: hosts the engine service so DuckDB work never blocks the main thread.
 * Messages from main: {id, name, args} → {id, result}; engine events go up as {event}.
 * The engine runs as the JavaScript that scripts/build-engine.mjs emits (out/engine: one module per source file, the
 * .sql files and resources/ beside them), as a packaged app ships it. Only a development checkout without that
 * build falls back to the TypeScript source through tsx.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';

interface Port { on(ev: 'message', l: (e: { data: unknown }) => void): void; postMessage(m: unknown): void }
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

const service = createEngineService({ dataDir: process.env.TELISIK_DATA_DIR ?? join(root, '.telisik-data'), mode: 'electron', version });
service.onEvent((e: unknown) => parentPort.postMessage({ event: e }));

parentPort.on('message', async (m) => {
  const msg = m.data as { id?: number; name?: string; args?: unknown; shutdown?: boolean };
  if (msg?.shutdown) {
    await service.close().catch(() => undefined);
    process.exit(0);
  }
  if (typeof msg?.id !== 'number') return;
  const result = await service.invoke(msg.name, msg.args);
  parentPort.postMessage({ id: msg.id, result });
});
parentPort.postMessage({ ready: true, bundled: entry.bundled });
