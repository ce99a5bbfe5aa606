// Builds the renderer (src/renderer -> out/renderer) with Vite for the browser-mode UI tests. Same root and output as
// the renderer section of electron.vite.config.ts, so the loopback server serves whichever build ran last.
//
// Built once per source state, not once per e2e file: the build leaves a stamp (a hash of every source it reads plus
// the built index.html's size and mtime); a later call with the same stamp reuses the output. Parallel e2e files
// share one build through a lock directory (the others wait for it, a condition on the file system, not a sleep
// guess). Any change to src/renderer, src/shared, the Vite/React versions or this file, or another build over
// out/renderer (electron-vite), changes the stamp and rebuilds.
import react from '@vitejs/plugin-react';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { build } from 'vite';

function sourceHash(root: string): string {
  const h = createHash('sha256');
  const walk = (dir: string) => {
    for (const e of readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const p = join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.isFile()) h.update(p.slice(root.length)).update('\0').update(readFileSync(p)).update('\0');
    }
  };
  walk(resolve(root, 'src/renderer'));
  walk(resolve(root, 'src/shared'));
  for (const f of ['package-lock.json', 'test/e2e/build-renderer.ts']) if (existsSync(resolve(root, f))) h.update(f).update(readFileSync(resolve(root, f)));
  return h.digest('hex');
}

function outputStamp(outDir: string): string | null {
  const index = join(outDir, 'index.html');
  if (!existsSync(index)) return null;
  const s = statSync(index);
  return `${s.size}:${s.mtimeMs}`;
}

const STAMP = '.telisik-e2e-build';

function upToDate(outDir: string, hash: string): boolean {
  const stampFile = join(outDir, STAMP);
  const out = outputStamp(outDir);
  return out !== null && existsSync(stampFile) && readFileSync(stampFile, 'utf8') === `${hash}\n${out}`;
}

async function buildNow(root: string, outDir: string, hash: string): Promise<void> {
  // The production bundle, as `npm run build` makes it. Vitest sets NODE_ENV=test, and Vite takes an existing NODE_ENV
  // over the build mode: the bundle came out with React's development build (StrictMode rendering every component and
  // running every effect twice, dev-only checks) — about half of the UI suite's CPU went to that in Chromium, and
  // `npm start` after `npm test` served it (its build check saw an output newer than the sources).
  const nodeEnv = process.env.NODE_ENV;
  process.env.NODE_ENV = 'production';
  try {
    await build({
      configFile: false,
      mode: 'production',
      root: resolve(root, 'src/renderer'),
      base: './',
      plugins: [react()],
      logLevel: 'warn',
      define: { 'process.env.NODE_ENV': JSON.stringify('production') },
      build: { outDir, emptyOutDir: true, sourcemap: false, chunkSizeWarningLimit: 4000 },
    });
  } finally {
    if (nodeEnv === undefined) delete process.env.NODE_ENV; else process.env.NODE_ENV = nodeEnv;
  }
  writeFileSync(join(outDir, STAMP), `${hash}\n${outputStamp(outDir)}`);
}

export async function buildRenderer(root: string): Promise<string> {
  const outDir = resolve(root, 'out/renderer');
  const hash = sourceHash(root);
  if (upToDate(outDir, hash)) return outDir;
  mkdirSync(resolve(root, 'out'), { recursive: true });
  const lock = resolve(root, 'out/.renderer-build.lock');
  // Take the lock, or wait until whoever holds it has finished (a lock older than 10 minutes is left over: take it).
  for (;;) {
    try {
      mkdirSync(lock);
      break;
    } catch {
      try { if (Date.now() - statSync(lock).mtimeMs > 600_000) rmSync(lock, { recursive: true, force: true }); } catch { /* released meanwhile */ }
      await new Promise((r) => setTimeout(r, 200));
    }
  }
  try {
    if (!upToDate(outDir, hash)) await buildNow(root, outDir, hash);
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
  return outDir;
}
