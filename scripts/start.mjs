#!/usr/bin/env node
// `npm start` / `npm run web`: build if needed, then the desktop app when an Electron runtime is usable,
// otherwise (or with --web) the loopback browser mode. Works from a fresh clone after `npm install`.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { delimiter, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);
const argv = process.argv.slice(2);
const flag = (f) => argv.includes(f);
const value = (f) => { const i = argv.indexOf(f); return i >= 0 ? argv[i + 1] : undefined; };
const forceWeb = flag('--web') || process.env.TELISIK_WEB === '1';

function newestMtime(dir) {
  let newest = 0;
  if (!existsSync(dir)) return 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) newest = Math.max(newest, newestMtime(p));
    else newest = Math.max(newest, statSync(p).mtimeMs);
  }
  return newest;
}

function needsBuild() {
  const outputs = [join(root, 'out', 'main', 'index.js'), join(root, 'out', 'renderer', 'index.html'), join(root, 'out', 'engine', 'src', 'engine', 'service.js')];
  if (outputs.some((p) => !existsSync(p))) return true;
  const built = Math.min(...outputs.map((p) => statSync(p).mtimeMs));
  const src = Math.max(...['src/renderer', 'src/main', 'src/preload', 'src/shared', 'src/engine', 'src/cli', 'src/server', 'resources'].map((d) => newestMtime(join(root, d))),
    existsSync(join(root, 'electron.vite.config.ts')) ? statSync(join(root, 'electron.vite.config.ts')).mtimeMs : 0);
  return src > built;
}

function build() {
  if (flag('--no-build') || !needsBuild()) return true;
  console.log('Membangun antarmuka (electron-vite build)…');
  const bin = join(root, 'node_modules', 'electron-vite', 'bin', 'electron-vite.js');
  const r = spawnSync(process.execPath, [bin, 'build'], { cwd: root, stdio: 'inherit' });
  // the engine as JavaScript (out/engine): what the desktop shell's engine host runs
  const e = r.status === 0 ? spawnSync(process.execPath, [join(root, 'scripts', 'build-engine.mjs')], { cwd: root, stdio: 'inherit' }) : r;
  if (r.status !== 0 || e.status !== 0) {
    console.error('Build gagal (build failed). Mode peramban tetap dijalankan dengan hasil build terakhir bila ada.');
    return false;
  }
  return true;
}

function electronBinary() {
  const env = process.env.ELECTRON_EXEC_PATH;
  if (env && existsSync(env)) return env;
  // Not require('electron'): electron 45's index.js starts a download when the binary is missing.
  try {
    const pkg = dirname(require.resolve('electron/package.json'));
    const rel = existsSync(join(pkg, 'path.txt')) ? readFileSync(join(pkg, 'path.txt'), 'utf8').trim() : '';
    const dist = process.env.ELECTRON_OVERRIDE_DIST_PATH ?? join(pkg, 'dist');
    const p = rel ? join(dist, rel) : '';
    if (p && existsSync(p)) return p;
  } catch { /* electron package not installed */ }
  return null;
}

function which(cmd) {
  for (const d of (process.env.PATH ?? '').split(delimiter)) if (d && existsSync(join(d, cmd))) return join(d, cmd);
  return null;
}

async function webMode() {
  require('tsx/cjs/api').register();
  const { runWebServer } = require(join(root, 'src', 'server', 'main.ts'));
  const port = value('--port') ? Number(value('--port')) : undefined;
  const s = await runWebServer({ port, dataDir: value('--data-dir') });
  console.log('');
  console.log(`Telisik (mode peramban) berjalan di: ${s.openUrl}`);
  console.log('Buka alamat di atas (token per peluncuran ada di bagian #, tidak pernah dikirim lewat HTTP). Hentikan dengan Ctrl+C.');
  const opener = process.platform === 'darwin' ? 'open' : process.platform === 'win32' ? null : 'xdg-open';
  if (!flag('--no-open') && process.env.TELISIK_NO_OPEN !== '1' && opener && which(opener)) {
    // The browser is opened with a 0600 launcher file, never with the token on its command line (visible in `ps`).
    try { spawn(opener, [s.launcher()], { stdio: 'ignore', detached: true }).on('error', () => {}).unref(); } catch { /* no browser */ }
  }
  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    await s.shutdown().catch(() => {});
    process.exit(0);
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

const built = build();
const electron = forceWeb ? null : electronBinary();
if (electron && built) {
  const child = spawn(electron, [root, ...argv.filter((a) => a !== '--no-build')], { cwd: root, stdio: 'inherit' });
  child.on('exit', (code) => process.exit(code ?? 0));
} else {
  if (!forceWeb) console.log('Electron runtime tidak tersedia — membuka mode peramban (browser mode)');
  webMode().catch((e) => { console.error(e?.stack ?? String(e)); process.exit(1); });
}
