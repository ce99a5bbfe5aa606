/**
 * Batal in real Chromium (browser mode): a column profile and a fuzzy-duplicate run over 4 million generated rows
 * show a Batal control while they run; Batal stops them — the engine
 * interrupts the SQL, nothing is recorded — and the same screens answer the next call. Waits on conditions only.
 */
import { mkdtempSync, mkdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { HAVE_CHROMIUM, SHOTS, settled, startBrowserMode, type BrowserMode } from './browser-mode';
import { Workspace } from '../../src/engine/workspace/workspace';

describe.skipIf(!HAVE_CHROMIUM)('Batal: cancelling a profile and a tool run', () => {
  let tmp = '';
  let app: BrowserMode;
  let page: Page;
  const call = <T>(name: string, args: unknown = {}): Promise<T> => app.call<T>(name, args);

  beforeAll(async () => {
    tmp = mkdtempSync(join(tmpdir(), 'telisik-e2e-cancel-'));
    const path = join(tmp, 'data', 'batal.duckdb');
    mkdirSync(join(tmp, 'data'), { recursive: true });
    // Generated in SQL: 4 million distinct names — a page is quick, a profile takes a while, fuzzy duplicates in three
    // blocks of 1.3 million names would compare for hours.
    const ws = await Workspace.create(path, { name: 'Uji Batal' });
    await ws.run(`CREATE TABLE big AS SELECT i AS rec_id, 'NAMA ' || md5(i::VARCHAR) AS name, (i % 3)::INTEGER AS grp FROM range(4000000) t(i)`);
    await ws.run(`CREATE TABLE small AS SELECT i AS rec_id, 'NAMA ' || (i % 7) AS name, (i % 3)::INTEGER AS grp FROM range(70) t(i)`);
    await ws.close();
    app = await startBrowserMode(join(tmp, 'data'), { width: 1440, height: 900 });
    await call('openWorkspace', { path });
    page = app.page;
    await page.goto(app.server.openUrl);
  }, 180_000);

  afterAll(async () => {
    await app?.close();
    if (tmp) rmSync(tmp, { recursive: true, force: true });
  });

  const trailActions = async () => (await call<{ rows: Array<{ action: string }> }>('listTrail', { offset: 0, limit: 1000 })).rows.map((r) => r.action);

  it('the data explorer: a profile still computing shows Batal; Batal stops it and the grid keeps answering', async () => {
    await page.click('[data-nav="data"]');
    await page.waitForSelector('main[data-screen="data"]');
    await page.click('text=big');
    await page.waitForSelector('[data-testid="grid"] .ag-header-cell[col-id="name"]', { timeout: 60_000 });
    // Focusing a cell of the column picks it for the profile (a header click would sort).
    await page.click('[data-testid="grid"] .ag-row[row-index="0"] .ag-cell[col-id="name"]', { timeout: 60_000 });
    await page.waitForSelector('[data-testid="profile-cancel"]', { timeout: 30_000 });
    await page.screenshot({ path: join(SHOTS, 'batal-profil.png') });
    await page.click('[data-testid="profile-cancel"]');
    await page.waitForSelector('[data-testid="profile-stopped"]');
    await settled(page, 60_000); // the cancel answered and every call came back
    await page.screenshot({ path: join(SHOTS, 'batal-profil-dihentikan.png') });
    expect(await page.textContent('[data-testid="profile-stopped"]')).toContain('Profil dihentikan');
    // A stopped profile shows no figures: no top values under "Profil dihentikan" (Batal pressed before the request
    // left once let the profile run on and its top values appear).
    expect(await page.locator('.profile-panel', { hasText: 'Nilai terbanyak' }).count()).toBe(0);
    // The read connection answers again: the grid's row count, and a profile computed on request.
    expect(await page.textContent('[data-testid="row-count"]')).toMatch(/4\.000\.000/);
  });

  it('the tools screen: fuzzy duplicates show Batal while running; Batal stops them, nothing recorded; the next run answers', async () => {
    const before = await trailActions();
    await page.click('[data-nav="tools"]');
    await page.waitForSelector('main[data-screen="tools"]');
    await page.click('[data-tool="duplicates"]');
    await page.selectOption('[data-testid="tool-table"]', 'big');
    await page.selectOption('select[multiple]', ['grp']);
    await page.check('label.check input[type="checkbox"]');
    await page.click('[data-testid="run-tool"]');
    await page.waitForSelector('[data-testid="cancel-tool"]');
    await page.screenshot({ path: join(SHOTS, 'batal-alat.png') });
    await page.click('[data-testid="cancel-tool"]');
    await page.waitForSelector('[data-testid="tool-stopped"]', { timeout: 60_000 });
    await settled(page, 60_000);
    await page.screenshot({ path: join(SHOTS, 'batal-alat-dihentikan.png') });
    expect(await page.isVisible('[data-testid="cancel-tool"]')).toBe(false);
    expect(await trailActions()).toEqual(before);
    // The write connection answers the next run (and it is recorded).
    await page.selectOption('[data-testid="tool-table"]', 'small');
    await page.selectOption('select[multiple]', ['grp']);
    await page.click('[data-testid="run-tool"]');
    await page.waitForSelector('.tools .card h2, .tools table', { timeout: 60_000 });
    await settled(page, 60_000);
    expect(await trailActions()).toEqual(['tool.duplicates', ...before]);
  });
});
