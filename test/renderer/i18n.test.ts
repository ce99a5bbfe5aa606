import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { en } from '../../src/renderer/i18n/en';
import { id } from '../../src/renderer/i18n/messages';
import { translator } from '../../src/renderer/i18n';

const RENDERER = resolve(__dirname, '../../src/renderer');

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((n) => {
    const p = join(dir, n);
    return statSync(p).isDirectory() ? sources(p) : /\.tsx?$/.test(n) ? [p] : [];
  });
}

describe('i18n', () => {
  it('English defines exactly the Indonesian keys, none empty', () => {
    expect(Object.keys(en).sort()).toEqual(Object.keys(id).sort());
    for (const [k, v] of Object.entries(en)) expect(v, k).not.toBe('');
    for (const [k, v] of Object.entries(id)) expect(v, k).not.toBe('');
  });
  it('placeholders match between languages', () => {
    const ph = (s: string) => (s.match(/\{\w+\}/g) ?? []).sort();
    for (const k of Object.keys(id) as Array<keyof typeof id>) expect(ph(en[k]), k).toEqual(ph(id[k]));
  });
  it('interpolates parameters', () => {
    expect(translator('id')('data.rowCount', { n: '1.000.000' })).toBe('1.000.000 baris');
    expect(translator('en')('data.rowCount', { n: '1,000,000' })).toBe('1,000,000 rows');
    expect(translator('id')('wiz.missingRequired', { col: 'NIK', file: 'penyaluran_2025.csv' }))
      .toBe('Kolom NIK tidak ditemukan di berkas penyaluran_2025.csv — pilih kolom NIK secara manual.');
  });
  it('every key used in the renderer exists', () => {
    const used = new Set<string>();
    for (const f of sources(RENDERER)) {
      for (const m of readFileSync(f, 'utf8').matchAll(/\bt{1,2}\('([a-z]+\.[A-Za-z.]+)'/g)) used.add(m[1]);
    }
    const missing = [...used].filter((k) => !(k in id));
    expect(missing).toEqual([]);
  });
});
