// Packaging (electron-builder, `npm run dist`): the configuration in package.json is valid by electron-builder's own
// schema, keeps DuckDB's native binding out of the asar, and ships the bundled engine. The build itself needs an
// Electron binary download and NSIS, which this machine cannot fetch (README, "Packaging").
import { describe, expect, it } from 'vitest';
import { readdirSync, readFileSync } from 'node:fs';
import { join, matchesGlob, relative } from 'node:path';

const root = join(__dirname, '..', '..');
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const config = pkg.build;

function walk(dir: string, acc: string[] = []): string[] {
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) walk(p, acc); else acc.push(p);
  }
  return acc;
}

describe('electron-builder configuration', () => {
  it('passes electron-builder’s schema', async () => {
    const { validateConfiguration } = await import('app-builder-lib/out/util/config/config');
    const logger = { isEnabled: false, data: new Map(), add: () => undefined, save: async () => undefined };
    await expect(validateConfiguration(structuredClone(config), logger)).resolves.toBeUndefined();
    // …and the validation is real: a misspelt option is refused.
    await expect(validateConfiguration({ ...structuredClone(config), nsis: { oneClik: false } }, logger)).rejects.toThrow(/Invalid configuration object/);
  });

  it('targets Windows NSIS and Linux AppImage, keeps the fuses, and has npm run dist', () => {
    expect(config.win.target.map((t: { target: string }) => t.target)).toEqual(['nsis']);
    expect(config.linux.target.map((t: { target: string }) => t.target)).toEqual(['AppImage']);
    expect(config.electronFuses).toMatchObject({ runAsNode: false, onlyLoadAppFromAsar: true, enableEmbeddedAsarIntegrityValidation: true });
    expect(pkg.scripts.dist).toMatch(/npm run build && electron-builder/);
    expect(pkg.scripts.build).toContain('scripts/build-engine.mjs'); // the bundled engine (out/engine) is built first
    expect(config.files).toContain('out/**');
  });

  it('unpacks every native file of the DuckDB binding from the asar', () => {
    const duck = join(root, 'node_modules', '@duckdb');
    const native = walk(duck).map((f) => relative(root, f).split('\\').join('/')).filter((f) => /\.(node|so|dylib|dll)$/.test(f));
    expect(native.length).toBeGreaterThan(0);
    for (const f of native) expect(config.asarUnpack.some((g: string) => matchesGlob(f, g)), f).toBe(true);
  });
});
