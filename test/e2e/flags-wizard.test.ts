/**
 * Contract 2 in the import wizard (real Chromium, browser mode): a comparison list without a list column is imported
 * as kind `flags` with the list name the auditor types (normalised: trimmed, collapsed, upper-cased).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { HAVE_CHROMIUM, SHOTS, startBrowserMode, type BrowserMode } from './browser-mode';

describe.skipIf(!HAVE_CHROMIUM)('import wizard: comparison lists (kind flags)', () => {
  let tmp = '';
  let app: BrowserMode;
  let page: Page;
  const call = <T>(name: string, args: unknown = {}): Promise<T> => app.call<T>(name, args);

  beforeAll(async () => {
    tmp = mkdtempSync(join(tmpdir(), 'telisik-e2e-flags-'));
    app = await startBrowserMode(join(tmp, 'data'), { width: 1440, height: 900 });
    await call('createWorkspace', { path: join(tmp, 'data', 'daftar.duckdb'), name: 'Uji daftar pembanding' });
    page = app.page;
    await page.goto(app.server.openUrl);
  }, 180_000);

  afterAll(async () => {
    await app?.close();
    if (tmp) rmSync(tmp, { recursive: true, force: true });
  });

  it('a list without a list column takes the typed name; the flags table holds it normalised', async () => {
    const csv = join(tmp, 'perangkat_desa.csv');
    writeFileSync(csv, 'NIK;NAMA;KETERANGAN\n3201011505900001;BUDI;Kaur Keuangan\n3201011505900002;ANI;Kepala Dusun\n', 'utf8');
    await page.click('[data-nav="data"]');
    await page.waitForSelector('main[data-screen="data"]');
    await page.click('[data-testid="import-tab"]');
    await page.setInputFiles('[data-testid="file-input"]', [csv]);
    await page.waitForSelector('[data-testid="preview"]', { timeout: 30_000 });
    await page.selectOption('[data-testid="kind-select"]', 'flags');
    await page.waitForSelector('[data-testid="list-name"]', { timeout: 30_000 });
    // the file name is offered as the default list name
    expect(await page.getAttribute('[data-testid="list-name"]', 'placeholder')).toBe('PERANGKAT_DESA');
    await page.fill('[data-testid="list-name"]', '  perangkat   desa ');
    await page.screenshot({ path: join(SHOTS, 'impor-daftar-pembanding.png') });
    await page.click('[data-testid="start-import"]');
    await page.waitForSelector('[data-testid="import-result"]', { timeout: 60_000 });
    expect(await page.textContent('[data-testid="import-result"]')).toMatch(/perangkat_desa\.csv: 2 baris dimuat/);
    const lists = await call<{ total_rows: number }>('query', { sql: 'SELECT DISTINCT list FROM flags', offset: 0, limit: 10 });
    expect(lists.total_rows).toBe(1);
    const named = await call<{ total_rows: number }>('query', { sql: "SELECT nik FROM flags WHERE list = 'PERANGKAT DESA'", offset: 0, limit: 10 });
    expect(named.total_rows).toBe(2);
  });
});
