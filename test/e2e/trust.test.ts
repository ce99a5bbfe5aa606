/**
 * Issue 14 item 2, replayed in Chromium: the browser-mode token used to live in a `telisik_token` cookie, and cookies
 * are not scoped by port — a listener on another 127.0.0.1 port received it from a typed visit, a redirect and a
 * favicon fetch. Now the token arrives in the URL fragment and travels in a header only. A second listener on another
 * loopback port records every request the same browser sends it; none carries the token, and the browser holds no
 * cookie. The app still works (calls and the event stream carry the header).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server as HttpServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { CHROMIUM, HAVE_CHROMIUM, SHOTS, startBrowserMode, type BrowserMode } from './browser-mode';

if (!HAVE_CHROMIUM) console.warn(`[e2e token] SKIPPED: no Chromium at ${CHROMIUM}`);

describe.skipIf(!HAVE_CHROMIUM)('the token never reaches another local port', () => {
  let tmp = '';
  let app: BrowserMode;
  let server: BrowserMode['server'];
  let other: HttpServer;
  let otherPort = 0;
  const seen: { url: string; headers: IncomingMessage['headers'] }[] = [];
  let page: Page;

  beforeAll(async () => {
    tmp = mkdtempSync(join(tmpdir(), 'telisik-e2e-token-'));
    app = await startBrowserMode(join(tmp, 'data'));
    ({ server, page } = app);
    // The attacker's listener: records everything; /r redirects to its own /landing; serves a favicon link.
    other = createServer((req, res) => {
      seen.push({ url: req.url ?? '', headers: req.headers });
      if (req.url === '/r') { res.writeHead(302, { Location: '/landing' }); res.end(); return; }
      res.writeHead(200, { 'content-type': 'text/html' });
      res.end('<!doctype html><link rel="icon" href="/favicon.ico"><p>other</p>');
    });
    await new Promise<void>((ok) => other.listen(0, '127.0.0.1', ok));
    otherPort = (other.address() as { port: number }).port;
  }, 180_000);

  afterAll(async () => {
    await app?.close();
    await new Promise<void>((ok) => (other ? other.close(() => ok()) : ok()));
    if (tmp) rmSync(tmp, { recursive: true, force: true });
  });

  it('the app authenticates from the fragment, keeps no cookie and drops the token from the address bar', async () => {
    expect(server.openUrl).toContain('#token=');
    await page.goto(server.openUrl);
    await page.waitForSelector('[data-testid="open-demo"]');
    expect(new URL(page.url()).hash).toBe('');
    expect(await page.evaluate(() => document.cookie)).toBe('');
    expect(await page.context().cookies()).toEqual([]);
    expect(await page.evaluate(() => sessionStorage.getItem('telisik.token'))).toBe(server.token);
    // Calls and the event stream work with the header: an engagement created behind the page's back appears.
    const res = await fetch(new URL('api/createWorkspace', server.url), { method: 'POST', headers: { 'content-type': 'application/json', 'x-telisik-token': server.token },
      body: JSON.stringify({ path: join(tmp, 'e', 'uji.duckdb'), name: 'Uji Token' }) });
    expect(((await res.json()) as { ok: boolean }).ok).toBe(true);
    await page.waitForFunction(() => document.querySelector('[data-testid="engagement"]')?.textContent?.includes('Uji Token'), undefined, { timeout: 30_000 });
    // A reload of the same tab keeps working (sessionStorage).
    await page.reload();
    await page.waitForFunction(() => document.querySelector('[data-testid="engagement"]')?.textContent?.includes('Uji Token'), undefined, { timeout: 30_000 });
  }, 120_000);

  it('a typed visit, a redirect and a favicon fetch to another port carry no token', async () => {
    await page.goto(`http://127.0.0.1:${otherPort}/`);
    await page.goto(`http://127.0.0.1:${otherPort}/r`);
    expect(page.url()).toBe(`http://127.0.0.1:${otherPort}/landing`);
    await page.evaluate(async () => { await fetch('/favicon.ico', { credentials: 'include' }); });
    // Back on Telisik, then a link-style navigation away (same browser profile, same tab).
    await page.goto(server.url);
    await page.waitForSelector('[data-testid="open-demo"], [data-testid="engagement"]');
    await page.goto(`http://127.0.0.1:${otherPort}/after`);
    expect(seen.length).toBeGreaterThanOrEqual(4);
    for (const r of seen) {
      const all = `${r.url}\n${JSON.stringify(r.headers)}`;
      expect(all).not.toContain(server.token);
      expect(r.headers.cookie).toBeUndefined();
      expect(r.headers['x-telisik-token']).toBeUndefined();
    }
  }, 120_000);

  it('the import wizard refuses the same file twice, names the first import, and imports on "Impor tetap"', async () => {
    const csv = join(tmp, 'salur-dua-kali.csv');
    writeFileSync(csv, 'NIK;NAMA;PROGRAM;NOMINAL;TGL_SALUR;STATUS\r\n3201014501900001;Siti;BPNT;200000;15/01/2025;TERSALUR\r\n', 'utf8');
    await page.goto(server.url);
    await page.waitForSelector('[data-testid="engagement"]');
    const importOnce = async () => {
      await page.click('[data-nav="data"]');
      await page.click('[data-testid="import-tab"]');
      await page.setInputFiles('[data-testid="file-input"]', [csv]);
      await page.waitForSelector('[data-testid="preview"]', { timeout: 30_000 });
      await page.click('[data-testid="start-import"]');
    };
    await importOnce();
    await page.waitForSelector('[data-testid="import-result"]', { timeout: 60_000 });
    await importOnce();
    await page.waitForSelector('[data-testid="import-duplicate"]', { timeout: 30_000 });
    expect(await page.textContent('[data-testid="import-duplicate"]')).toMatch(/sudah pernah diimpor: impor #1 \(salur-dua-kali\.csv/);
    await page.screenshot({ path: join(SHOTS, 'trust-impor-duplikat.png') });
    await page.click('[data-testid="import-anyway"]');
    await page.waitForSelector('[data-testid="import-result"]', { timeout: 60_000 });
    const trail = await app.call<{ rows: { action: string; params: Record<string, unknown> }[] }>('listTrail', { offset: 0, limit: 5 });
    expect(trail.rows.find((e) => e.action === 'import')!.params).toMatchObject({ allow_duplicate: true, duplicate_of: 1 });
  }, 180_000);
});
