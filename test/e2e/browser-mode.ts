/**
 * Shared set-up of the browser-mode e2e suites: the built renderer served by the real loopback server over a data
 * folder, Debian's Chromium driven by playwright-core, and a contract call with the launch token (set-up only; the
 * UI itself never sees the token).
 */
import { existsSync, mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Browser, Page } from 'playwright-core';

export const ROOT = resolve(__dirname, '../..');
export const SHOTS = join(ROOT, 'test-results', 'e2e');
export const CHROMIUM = process.env.TELISIK_CHROMIUM || '/usr/bin/chromium';
export const HAVE_CHROMIUM = existsSync(CHROMIUM);

interface Server { openUrl: string; url: string; token: string; shutdown(): Promise<void> }

export interface BrowserMode {
  server: Server;
  browser: Browser;
  page: Page;
  call<T>(name: string, args?: unknown): Promise<T>;
  close(): Promise<void>;
}

/**
 * One Chromium per test worker. The browser suites of a worker share it — each opens its own context (storage,
 * cookies, init scripts and permissions of its own) and closes only that — so a worker running several of them pays
 * a launch (≈ 3 CPU-seconds) once. Playwright ends it when the worker process exits; one that died is relaunched.
 */
let launched: Promise<Browser> | undefined;
async function sharedBrowser(): Promise<Browser> {
  const current = launched && await launched.catch(() => undefined);
  if (current?.isConnected()) return current;
  const { chromium } = await import('playwright-core');
  launched = chromium.launch({ executablePath: CHROMIUM, headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'] });
  return launched;
}

/** Builds the renderer if needed, starts the server on `dataDir` and opens a page (not navigated yet). */
export async function startBrowserMode(dataDir: string, viewport = { width: 1280, height: 800 }): Promise<BrowserMode> {
  mkdirSync(SHOTS, { recursive: true });
  const { buildRenderer } = await import('./build-renderer');
  await buildRenderer(ROOT);
  const { runWebServer } = await import('../../src/server/main');
  const server: Server = await runWebServer({ port: 0, dataDir, staticDir: join(ROOT, 'out', 'renderer'), quiet: true });
  const browser = await sharedBrowser();
  // Reduced motion, as an auditor's system may ask for it: charts draw without their 300 ms animation, so each screen
  // settles sooner (the wait for it is a condition either way: settled() below).
  const page = await (await browser.newContext({ viewport, locale: 'id-ID', reducedMotion: 'reduce' })).newPage();
  async function call<T>(name: string, args: unknown = {}): Promise<T> {
    const res = await fetch(new URL(`api/${name}`, server.url), { method: 'POST', headers: { 'content-type': 'application/json', 'x-telisik-token': server.token }, body: JSON.stringify(args) });
    const body = (await res.json()) as { ok: boolean; value?: T; error?: { message: string } };
    if (!body.ok) throw new Error(`${name}: ${body.error?.message}`);
    return body.value as T;
  }
  return {
    server, browser, page, call,
    close: async () => {
      await page.context().close().catch(() => undefined);
      await server.shutdown().catch(() => undefined);
    },
  };
}

/**
 * Waits until the page is at rest — no contract call in flight (`<html data-pending-calls="0">`, counted by the
 * renderer's bridge, queued calls included) and every visible chart drawn with its current option, animation
 * included (`data-rendered="true"`, set on ECharts' `finished`) — and stays so for three animation frames (a screen
 * asks for its data in an effect right after it appears). A condition, never a sleep.
 */
export async function settled(page: Page, timeout = 30_000): Promise<void> {
  const ok = await page.evaluate((limit) => new Promise<boolean>((resolve) => {
    const until = performance.now() + limit;
    let calm = 0;
    const tick = () => {
      const idle = (document.documentElement.dataset.pendingCalls ?? '0') === '0';
      const drawn = [...document.querySelectorAll('.chart')].every((c) => (c as HTMLElement).offsetWidth === 0 || c.getAttribute('data-rendered') === 'true');
      calm = idle && drawn ? calm + 1 : 0;
      if (calm >= 3) resolve(true);
      else if (performance.now() > until) resolve(false);
      else requestAnimationFrame(tick);
    };
    tick();
  }), timeout);
  if (!ok) {
    const state = await page.evaluate(() => ({
      pending: document.documentElement.dataset.pendingCalls,
      charts: [...document.querySelectorAll('.chart')].map((c) => `${c.getAttribute('data-testid') ?? '?'}:${c.getAttribute('data-rendered')}`),
    }));
    throw new Error(`page not settled after ${timeout} ms: ${JSON.stringify(state)}`);
  }
}
