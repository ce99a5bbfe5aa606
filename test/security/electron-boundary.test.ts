// The Electron boundary rules in src/main/security.ts, driven with small doubles of WebContents/Session objects
// (these run everywhere; the real-window checks are in test/electron/window.test.ts and need an Electron binary).
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { hardenContents, hardenSession, isAppUrl, isTrustedSender } from '../../src/main/security';
import { CSP_ELECTRON } from '../../src/main/csp';
import { CSP } from '../../src/server/server';

describe('app origin', () => {
  it('is parsed, never prefix-matched', () => {
    expect(isAppUrl('telisik://app/index.html')).toBe(true);
    expect(isAppUrl('telisik://app/assets/x.js?y#z')).toBe(true);
    for (const u of ['telisik://app.evil.com/', 'telisik://appx/', 'https://app/', 'telisik://evil/app', 'file:///telisik://app/', 'javascript:alert(1)', '', 'telisik:/app', null, undefined]) {
      expect(isAppUrl(u as string)).toBe(false);
    }
  });

  it('accepts IPC only from the top-level app frame of our own windows', () => {
    const ok = { senderFrame: { url: 'telisik://app/index.html', parent: null }, sender: { id: 7 } };
    expect(isTrustedSender(ok, new Set([7]))).toBe(true);
    expect(isTrustedSender({ ...ok, sender: { id: 8 } }, new Set([7]))).toBe(false);
    expect(isTrustedSender({ ...ok, senderFrame: { url: 'telisik://app/', parent: {} } }, new Set([7]))).toBe(false);
    expect(isTrustedSender({ ...ok, senderFrame: { url: 'https://evil.example/', parent: null } }, new Set([7]))).toBe(false);
    expect(isTrustedSender({ ...ok, senderFrame: null }, new Set([7]))).toBe(false);
  });
});

describe('window and session hardening', () => {
  function contentsDouble() {
    const handlers: Record<string, (e: { preventDefault(): void; url?: string }, url?: string) => void> = {};
    let openHandler: ((d: { url: string }) => { action: string }) | undefined;
    const c = {
      on: (ev: string, h: (e: { preventDefault(): void }, url?: string) => void) => { handlers[ev] = h; return c; },
      setWindowOpenHandler: (h: typeof openHandler) => { openHandler = h; },
    };
    const fire = (ev: string, url: string) => { let prevented = false; handlers[ev]({ preventDefault: () => { prevented = true; }, url }, url); return prevented; };
    return { c, fire, open: (url: string) => openHandler!({ url }), handlers };
  }

  it('blocks navigation, redirects, frames, webviews and new windows away from the app', () => {
    const opened: string[] = [];
    const d = contentsDouble();
    // an allow-listed documentation origin (the shipped allow-list is empty: see the shell.openExternal test)
    hardenContents(d.c as never, (u) => opened.push(u), ['https://jdih.bpk.go.id']);
    expect(d.fire('will-navigate', 'https://evil.example/')).toBe(true);
    expect(d.fire('will-navigate', 'file:///etc/passwd')).toBe(true);
    expect(d.fire('will-navigate', 'telisik://app/index.html')).toBe(false);
    expect(d.fire('will-redirect', 'http://127.0.0.1:9/')).toBe(true);
    expect(d.fire('will-frame-navigate', 'https://evil.example/')).toBe(true);
    expect(d.fire('will-attach-webview', 'telisik://app/')).toBe(true);
    expect(d.open('https://jdih.bpk.go.id/')).toEqual({ action: 'deny' });
    expect(d.open('file:///etc/passwd')).toEqual({ action: 'deny' });
    expect(opened).toEqual(['https://jdih.bpk.go.id/']);
  });

  it('denies permissions and every request that is not the app origin; sets the CSP header', () => {
    let perm: ((wc: unknown, p: string, cb: (ok: boolean) => void, d?: { requestingUrl: string }) => void) | undefined;
    let check: ((wc: unknown, p: string, origin: string) => boolean) | undefined;
    let before: ((d: { url: string }, cb: (r: { cancel: boolean }) => void) => void) | undefined;
    let headers: ((d: { responseHeaders: Record<string, string[]> }, cb: (r: { responseHeaders: Record<string, string[]> }) => void) => void) | undefined;
    const ses = {
      setPermissionRequestHandler: (h: typeof perm) => { perm = h; },
      setPermissionCheckHandler: (h: typeof check) => { check = h; },
      setDevicePermissionHandler: () => undefined,
      webRequest: { onBeforeRequest: (h: typeof before) => { before = h; }, onHeadersReceived: (h: typeof headers) => { headers = h; } },
      on: () => undefined,
    };
    hardenSession(ses as never, CSP_ELECTRON);
    const ask = (p: string, url: string) => { let g: boolean | undefined; perm!({ getURL: () => url }, p, (ok) => { g = ok; }, { requestingUrl: url }); return g; };
    for (const p of ['media', 'geolocation', 'notifications', 'openExternal', 'fullscreen', 'clipboard-read', 'hid', 'serial']) expect(ask(p, 'telisik://app/index.html')).toBe(false);
    expect(ask('clipboard-sanitized-write', 'telisik://app/index.html')).toBe(true);
    expect(ask('clipboard-sanitized-write', 'https://evil.example/')).toBe(false);
    expect(check!({}, 'media', 'telisik://app')).toBe(false);
    expect(check!({}, 'clipboard-sanitized-write', 'https://evil.example')).toBe(false);
    const cancel = (url: string) => { let c: boolean | undefined; before!({ url }, (r) => { c = r.cancel; }); return c; };
    expect(cancel('telisik://app/assets/index.js')).toBe(false);
    expect(cancel('https://cdn.example/lib.js')).toBe(true);
    expect(cancel('http://127.0.0.1:8080/api/appInfo')).toBe(true);
    expect(cancel('file:///etc/passwd')).toBe(true);
    expect(cancel('ws://127.0.0.1:1/')).toBe(true);
    let out: Record<string, string[]> = {};
    headers!({ responseHeaders: { 'X-A': ['1'] } }, (r) => { out = r.responseHeaders; });
    expect(out['Content-Security-Policy']).toEqual([CSP_ELECTRON]);
  });

  it('main window keeps every hardening switch (source check, complements the Electron-run test)', () => {
    const src = readFileSync(join(__dirname, '..', '..', 'src', 'main', 'index.ts'), 'utf8');
    for (const s of ['contextIsolation: true', 'sandbox: true', 'nodeIntegration: false', 'webSecurity: true', 'webviewTag: false', 'app.enableSandbox()']) expect(src).toContain(s);
    expect(src).not.toMatch(/sandbox:\s*false|contextIsolation:\s*false|nodeIntegration:\s*true|webSecurity:\s*false/);
  });

  it('Electron and browser mode share one CSP without eval or remote sources', () => {
    expect(CSP_ELECTRON).toBe(CSP);
    expect(CSP).toContain("script-src 'self'");
    expect(CSP).not.toMatch(/unsafe-eval|https?:/);
  });
});
