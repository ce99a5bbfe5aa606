/**
 * Browser-mode UI of the continuity screens (issue 15), in Chromium: Temuan › Perbandingan Periode (figures and a
 * drill-down), Temuan › TLHP (carry from the previous engagement, judge one recommendation), Data › Resep (save a
 * recipe, run it: the import wizard then takes its mappings). Screenshots in test-results/e2e/continuity-*.png.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { demoEngagement, type DemoEngagement } from '../continuity/fixture';
import { HAVE_CHROMIUM, SHOTS, startBrowserMode, type BrowserMode } from './browser-mode';

describe.skipIf(!HAVE_CHROMIUM)('continuity screens in Chromium', () => {
  let app: BrowserMode;
  let page: Page;
  let prev: DemoEngagement;
  let cur: DemoEngagement;
  const errors: string[] = [];
  const call = <T>(name: string, args: unknown = {}): Promise<T> => app.call<T>(name, args);

  beforeAll(async () => {
    prev = await demoEngagement({ seed: 42, households: 150, label: 'e2e-prev', period: 'Semester I 2025' });
    cur = await demoEngagement({ seed: 42, households: 180, label: 'e2e-cur', period: 'Semester II 2025' });
    app = await startBrowserMode(join(cur.dir, 'appdata'));
    page = app.page;
    page.on('pageerror', (e) => errors.push(e.message));
    await call('openWorkspace', { path: cur.wsPath });
    await page.goto(app.server.openUrl);
    await page.waitForSelector('[data-nav="findings"]');
  }, 300_000);

  afterAll(async () => {
    await app?.close();
    prev?.dispose(); cur?.dispose();
  });

  it('Perbandingan Periode: figures per check, a number opens its records', async () => {
    await page.click('[data-nav="findings"]');
    await page.click('[data-testid="findings-view-compare"]');
    await page.fill('[data-testid="previous-path"]', prev.wsPath);
    await page.click('[data-testid="compare-run"]');
    await page.waitForSelector('[data-testid="comparison-table"] tr[data-check="deceased"]');
    const cells = await page.$$eval('[data-testid="comparison-table"] tr[data-check="deceased"] td.num', (tds) => tds.map((td) => (td.firstChild?.textContent ?? '').trim()));
    const rows = await page.$$eval('[data-testid="comparison-table"] tr[data-check]', (trs) => trs.length);
    expect(rows).toBeGreaterThanOrEqual(17);
    expect(cells).toHaveLength(3);
    const newKeys = Number(cells[0].replace(/\./g, ''));
    expect(newKeys + Number(cells[1].replace(/\./g, ''))).toBeGreaterThan(0);
    await page.screenshot({ path: join(SHOTS, 'continuity-perbandingan.png') });
    const drill = await page.$('[data-drill^="deceased:"]');
    expect(drill).not.toBeNull();
    await drill!.click();
    await page.waitForSelector('[data-testid="comparison-drill"] tbody tr');
    await page.screenshot({ path: join(SHOTS, 'continuity-perbandingan-rinci.png'), fullPage: true });
    expect(errors).toEqual([]);
  }, 120_000);

  it('TLHP: carry the previous engagement\'s recommendations, judge one, the change is in the trail', async () => {
    await page.click('[data-testid="findings-view-tlhp"]');
    await page.waitForSelector('[data-testid="tlhp-table"] tbody tr');
    const before = await page.$$eval('[data-testid="tlhp-table"] tbody tr', (t) => t.length);
    await page.click('[data-testid="tlhp-carry"]');
    await expect.poll(() => page.$$eval('[data-testid="tlhp-table"] tbody tr', (t) => t.length), { timeout: 30_000 }).toBeGreaterThan(before);
    const row = page.locator('[data-testid="tlhp-table"] tbody tr').first();
    await row.locator('input[aria-label="Tindak lanjut entitas"]').fill('Penagihan kepada ahli waris');
    await row.locator('select').selectOption('belum_sesuai');
    await row.locator('input[type="number"]').fill('450000');
    await row.locator('button.primary').click();
    await page.waitForSelector('[data-testid="tlhp-table"] select[data-status="belum_sesuai"]');
    const list = await call<{ status: string; recovered: number | null; action: string | null }[]>('tlhpList');
    expect(list.find((r) => r.status === 'belum_sesuai')).toMatchObject({ recovered: 450000, action: 'Penagihan kepada ahli waris' });
    const trail = await call<{ rows: { action: string }[] }>('listTrail', { offset: 0, limit: 500 });
    expect(trail.rows.map((r) => r.action)).toEqual(expect.arrayContaining(['tlhp.carry', 'tlhp.update']));
    await page.screenshot({ path: join(SHOTS, 'continuity-tlhp.png') });
    expect(errors).toEqual([]);
  }, 120_000);

  it('Data › Resep: Simpan resep, Jalankan resep; the wizard takes the recipe\'s mapping', async () => {
    await page.click('[data-nav="data"]');
    await page.click('[data-testid="recipe-tab"]');
    const out = join(cur.dir, 'resep-ui.json');
    await page.fill('[data-testid="recipe-out"]', out);
    await page.click('[data-testid="recipe-save"]');
    await expect.poll(() => existsSync(out), { timeout: 20_000 }).toBe(true);
    const recipe = JSON.parse(readFileSync(out, 'utf8'));
    expect(recipe.format).toBe('telisik.recipe/1');
    // a recipe with a non-default mapping for the deaths file: the wizard must take it
    recipe.inputs = recipe.inputs.map((i: { kind: string; mapping: Record<string, string> }) => (i.kind === 'deaths' ? { ...i, mapping: { ...i.mapping, name: 'NIK' } } : i));
    const custom = join(cur.dir, 'resep-custom.json');
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    require('node:fs').writeFileSync(custom, JSON.stringify(recipe));
    await page.fill('[data-testid="recipe-in"]', custom);
    await page.click('[data-testid="recipe-apply"]');
    await page.waitForSelector('[data-testid="recipe-analyse"]');
    await page.screenshot({ path: join(SHOTS, 'continuity-resep.png') });
    await page.click('[data-testid="import-tab"]');
    const deaths = cur.files.find((f) => f.kind === 'deaths')!.path;
    await page.fill('[data-testid="path-input"]', deaths);
    await page.press('[data-testid="path-input"]', 'Enter');
    await page.waitForSelector('select[data-map="name"]', { timeout: 30_000 });
    expect(await page.$eval('select[data-map="name"]', (s) => (s as HTMLSelectElement).value)).toBe('NIK');
    await page.screenshot({ path: join(SHOTS, 'continuity-wizard-resep.png') });
    expect(errors).toEqual([]);
  }, 120_000);
});
