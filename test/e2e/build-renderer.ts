// Builds the renderer (src/renderer -> out/renderer) with Vite for the browser-mode UI tests. Same root and output as
// the renderer section of electron.vite.config.ts, so the loopback server serves whichever build ran last.
import react from '@vitejs/plugin-react';
import { resolve } from 'node:path';
import { build } from 'vite';

export async function buildRenderer(root: string): Promise<string> {
  const outDir = resolve(root, 'out/renderer');
  await build({
    configFile: false,
    root: resolve(root, 'src/renderer'),
    base: './',
    plugins: [react()],
    logLevel: 'warn',
    build: { outDir, emptyOutDir: true, sourcemap: false, chunkSizeWarningLimit: 4000 },
  });
  return outDir;
}
