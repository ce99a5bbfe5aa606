/**
 * Contract 2 in the import wizard (real Chromium, browser mode): a comparison list without a list column is imported
 * as kind `flags` with the list name the auditor types (normalised: trimmed, collapsed, upper-cased).
 */
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';

const ROOT = resolve(__dirname, '../..');
const SHOTS = join(ROOT, 'test-results', 'e2e');
const CHROMIUM = process.env.TELISIK_CHROMIUM || '/usr/bin/chromium';
const HAVE_CHROMIUM = existsSync(CHROMIUM);

interface Server { openUrl: string; url: string; token: string; shutdown(): Promise<void> }

describe.skipIf(!HAVE_CHROMIUM)('import wizard: comparison lists (kind flags)', () => {
  let tmp = '';
  let server: Server;
  let browser: Browser;
  let page: Page;

  async function call<T>(name: string, args: unknown = {}): Promise<T> {
    const res = await fetch(new URL(`api/${name}`, server.url), { method: 'POST', headers: { 'content-type': 'application/json', 'x-telisik-token': server.token }, body: JSON.stringify(args) });
    const body = (await res.json()) as { ok: boolean; value?: T; error?: { message: string } };
    if (!body.ok) throw new Error(`${name}: ${body.error?.message}`);
    return body.value as T;
  }

  beforeAll(async () => {
    mkdirSync(SHOTS, { recursive: true });
    tmp = mkdtempSync(join(tmpdir(), 'telisik-e2e-flags-'));
    const { buildRenderer } = await import('./build-renderer');
    await buildRenderer(ROOT);
    const { runWebServer } = await import('../../src/server/main');
    server = await runWebServer({ port: 0, dataDir: join(tmp, 'data'), staticDir: join(ROOT, 'out', 'renderer'), quiet: true });
    await call('createWorkspace', { path: join(tmp, 'data', 'daftar.duckdb'), name: 'Uji daftar pembanding' });
    const { chromium } = await import('playwright-core');
    browser = await chromium.launch({ executablePath: CHROMIUM, headless: true,
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'] });
    page = await (await browser.newContext({ viewport: { width: 1440, height: 900 }, locale: 'id-ID' })).newPage();
    await page.goto(server.openUrl);
  }, 180_000);

  afterAll(async () => {
    await browser?.close().catch(() => undefined);
    await server?.shutdown().catch(() => undefined);
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
