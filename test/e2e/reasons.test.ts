/**
 * Browser mode in Chromium (issue 13): exception reasons in the UI's language (rendered from reason_code +
 * reason_params, src/shared/reasons.ts), the Analisis run progress by check title, and region names in Pengawasan.
 * Screenshots at 1440×900 in both languages: test-results/e2e/reasons-*.png.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { demoEngagement, type DemoEngagement } from '../continuity/fixture';
import { HAVE_CHROMIUM, SHOTS, startBrowserMode, type BrowserMode } from './browser-mode';
import { REASONS } from '../../src/shared/reasons';

describe.skipIf(!HAVE_CHROMIUM)('reasons, progress titles and region names in Chromium', () => {
  let app: BrowserMode;
  let page: Page;
  let demo: DemoEngagement;
  const errors: string[] = [];
  const shot = (name: string) => page.screenshot({ path: join(SHOTS, `reasons-${name}.png`) });
  const nav = async (screen: string) => {
    await page.click(`[data-nav="${screen}"]`);
    await page.waitForSelector(`main[data-screen="${screen}"]`);
  };
  const reasonCells = () => page.$$eval('[data-testid="exceptions-grid"] .ag-cell[col-id="reason"]', (cs) => cs.map((c) => (c.textContent ?? '').trim()).filter(Boolean));
  /** Scrolls the exceptions grid so the reason column is in view (for the screenshots). */
  const showReason = () => page.$eval('[data-testid="exceptions-grid"]', (grid) => {
    // The horizontally scrollable viewports of the grid (body and header follow the scrollbar's scroll event).
    for (const el of grid.querySelectorAll<HTMLElement>('*')) {
      if (el.scrollWidth > el.clientWidth + 20 && getComputedStyle(el).overflowX !== 'hidden' && getComputedStyle(el).overflowX !== 'visible') {
        el.scrollLeft = 450;
        el.dispatchEvent(new Event('scroll'));
      }
    }
  });
  const headers = () => page.$$eval('[data-testid="exceptions-grid"] .ag-header-cell', (hs) => hs.map((h) => h.getAttribute('col-id')));

  beforeAll(async () => {
    demo = await demoEngagement({ seed: 42, households: 180, label: 'e2e-reasons', period: 'Semester II 2025' });
    app = await startBrowserMode(join(demo.dir, 'appdata'), { width: 1440, height: 900 });
    page = app.page;
    page.on('pageerror', (e) => errors.push(e.message));
    await app.call('openWorkspace', { path: demo.wsPath });
    await page.goto(app.server.openUrl);
    await page.waitForSelector('[data-nav="findings"]');
  }, 300_000);

  afterAll(async () => {
    await app?.close();
    demo?.dispose();
  });

  it('Analisis: the run progress names the check by its title in the UI language', async () => {
    // English UI. Record every progress text the page shows while the run goes (the run also drafts the findings).
    await page.click('[data-lang="en"]');
    await nav('analysis');
    await expect.poll(() => page.textContent('[data-nav="findings"]')).toContain('Findings');
    await page.evaluate(() => {
      const w = window as unknown as { __phases: string[] };
      w.__phases = [];
      const grab = () => {
        for (const el of document.querySelectorAll('[data-testid="run-phase"], .task-phase')) {
          const s = (el.textContent ?? '').trim();
          if (s && w.__phases[w.__phases.length - 1] !== s) w.__phases.push(s);
        }
      };
      new MutationObserver(grab).observe(document.body, { subtree: true, childList: true, characterData: true });
    });
    await page.click('[data-testid="run-all"]');
    // A look at the progress while a check runs (the run may be quicker than the screenshot: then there is none).
    await page.waitForSelector('[data-testid="run-phase"]:has-text("/")', { timeout: 20_000 }).then(() => shot('analisis-progress-en'), () => undefined);
    // Wait for the run to finish: the button is enabled again and the task line says done.
    await page.waitForSelector('[data-testid="task"][data-status="completed"]', { timeout: 120_000 });
    const phases = await page.evaluate(() => (window as unknown as { __phases: string[] }).__phases);
    const titles = (await app.call<{ id: string; title_en: string; title_id: string }[]>('listChecks')).map((c) => c.title_en);
    expect(phases.some((p) => titles.some((t) => p.includes(t))), phases.join(' / ')).toBe(true);
    // never a humanised id ("nik invalid", "duplicate payment" …) instead of the title
    const ids = Object.values(REASONS).map((r) => r.check.replace(/_/g, ' '));
    for (const p of phases) {
      const label = /^⟳ (.+?)(?: \(\d+\/\d+\))?$/.exec(p)?.[1] ?? p;
      if (ids.includes(label.toLowerCase())) expect(titles, p).toContain(label);
    }
    expect(errors).toEqual([]);
  }, 180_000);

  it('Temuan: the exceptions grid shows each reason in the UI language, formatted (English, then Indonesian)', async () => {
    await nav('findings');
    await page.click('[data-finding="overpayment"]');
    await expect.poll(reasonCells, { timeout: 30_000 }).not.toEqual([]);
    // reason_code / reason_params are shown through the reason column, not as columns of their own
    expect(await headers()).not.toContain('reason_code');
    expect(await headers()).not.toContain('reason_params');
    await expect.poll(async () => (await reasonCells())[0] ?? '', { timeout: 30_000 }).toMatch(/^Amount Rp/);
    const en = await reasonCells();
    for (const r of en) expect(r).toMatch(/^Amount Rp \d{1,3}(,\d{3})* exceeds the expected Rp [\d,]+ \(Rp [\d,]+ × \d+ months?\) of programme \S+$/);
    await showReason();
    await expect.poll(async () => (await page.$$('[data-testid="exceptions-grid"] .ag-cell[col-id="reason"]')).length).toBeGreaterThan(0);
    await shot('temuan-en');

    // A reason with a date and a count: deceased. No Indonesian reason word anywhere in the English grid.
    await page.click('[data-finding="deceased"]');
    await expect.poll(async () => (await reasonCells())[0] ?? '', { timeout: 30_000 }).toMatch(/^Paid [\d,]+ day\(s\) after the date of death \d{1,2} [A-Z][a-z]{2} \d{4}$/);
    expect(await page.textContent('[data-testid="exceptions-grid"]')).not.toMatch(/Disalurkan|hari setelah|melebihi|tidak valid/);
    await showReason();
    await expect.poll(async () => (await page.$$('[data-testid="exceptions-grid"] .ag-cell[col-id="reason"]')).length).toBeGreaterThan(0);
    await shot('temuan-deceased-en');

    await page.click('[data-finding="overpayment"]');
    await expect.poll(async () => (await reasonCells())[0] ?? '', { timeout: 30_000 }).toMatch(/^Amount Rp/);
    await page.click('[data-lang="id"]');
    await expect.poll(async () => (await reasonCells())[0] ?? '', { timeout: 30_000 }).toMatch(/^Nilai Rp/);
    const id = await reasonCells();
    expect(id).toHaveLength(en.length);
    for (const r of id) expect(r).toMatch(/^Nilai Rp \d{1,3}(\.\d{3})* melebihi nilai seharusnya Rp [\d.]+ \(Rp [\d.]+ × \d+ bulan\) program \S+$/);
    // The same records in both languages: the figures agree.
    const digits = (s: string) => s.match(/\d+/g)!.join('|');
    expect(id.map(digits)).toEqual(en.map(digits));
    await showReason();
    await expect.poll(async () => (await page.$$('[data-testid="exceptions-grid"] .ag-cell[col-id="reason"]')).length).toBeGreaterThan(0);
    await shot('temuan-id');
    expect(errors).toEqual([]);
  }, 120_000);

  it('Pengawasan: Per wilayah shows the kab/kota name beside the code, in the screen and its drill-down (both languages)', async () => {
    await nav('oversight');
    const region = page.locator('[data-testid="over-region"] tbody tr[data-region]').first();
    await region.waitFor({ timeout: 30_000 });
    const code = await region.getAttribute('data-region');
    expect(code).toMatch(/^\d{4}$/);
    const name = (await region.locator('.region-name').textContent())?.trim();
    expect(name).toMatch(/^(Kabupaten|Kota) [A-Z]/);
    await region.scrollIntoViewIfNeeded();
    await shot('pengawasan-id');
    await page.click('[data-lang="en"]');
    await page.waitForSelector('[data-nav="findings"]:has-text("Findings")');
    await region.scrollIntoViewIfNeeded();
    await shot('pengawasan-en');
    await page.click('[data-lang="id"]');
    await page.waitForSelector('[data-nav="findings"]:has-text("Temuan")');
    await region.click();
    await page.waitForSelector('main[data-screen="data"]');
    // The drill-down names the region in its label and lists the complaints with a region-name column.
    await expect.poll(() => page.textContent('main[data-screen="data"]'), { timeout: 30_000 }).toContain(`${code} · ${name}`);
    // (rows arrive after the grid's loading placeholders)
    const names = () => page.$$eval('.ag-cell[col-id="region_name"]', (cs) => [...new Set(cs.map((c) => (c.textContent ?? '').trim()))]);
    await expect.poll(names, { timeout: 30_000 }).toEqual([name]);
    const codes = await page.$$eval('.ag-cell[col-id="region_code"]', (cs) => cs.map((c) => (c.textContent ?? '').trim()));
    expect(codes.length).toBeGreaterThan(0);
    for (const c of codes) expect(c.replace(/\D/g, '').slice(0, 4)).toBe(code);
    await shot('pengawasan-drill-id');
    expect(errors).toEqual([]);
  }, 120_000);
});
