/**
 * Issue 14 item 9 (Electron, read from the code): fuses set in the packaging config; shell.openExternal only through
 * an allow-list (empty by default); the app protocol's own file reads under the `file:`-cancelling request filter.
 * No Electron binary is installed here, so the decisions are tested in isolation: the request filter function, the
 * allow-list function, and the protocol handler's file serving (src/main/app-protocol.ts), which reads with fs and so
 * never passes through the filter — the filter still cancels every file: URL a page could ask for.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tempDir } from '../reliability/helpers';
import { EXTERNAL_ALLOW, hardenContents, isAllowedExternal, isAllowedRequest } from '../../src/main/security';
import { resolveAppFile, serveAppFile } from '../../src/main/app-protocol';

const ROOT = join(__dirname, '..', '..');
const t = tempDir('telisik-electron-');
afterAll(() => t.remove());

describe('Electron fuses in the packaging config', () => {
  it('package.json build.electronFuses (electron-builder) turns off run-as-node, NODE_OPTIONS, inspect; asar only and verified', () => {
    const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { build?: { asar?: boolean; electronFuses?: Record<string, boolean> } };
    expect(pkg.build?.asar).toBe(true);
    expect(pkg.build?.electronFuses).toMatchObject({
      runAsNode: false, enableNodeOptionsEnvironmentVariable: false, enableNodeCliInspectArguments: false,
      enableEmbeddedAsarIntegrityValidation: true, onlyLoadAppFromAsar: true,
    });
  });
});

describe('shell.openExternal allow-list', () => {
  it('is empty by default: the renderer cannot open any URL in the system browser', () => {
    expect(EXTERNAL_ALLOW).toEqual([]);
    const opened: string[] = [];
    let handler: ((d: { url: string }) => { action: string }) | undefined;
    const c = { on: () => c, setWindowOpenHandler: (h: typeof handler) => { handler = h; } };
    hardenContents(c as never, (u) => opened.push(u));
    for (const u of ['https://jdih.bpk.go.id/', 'https://evil.example/', 'http://x/', 'file:///etc/passwd']) expect(handler!({ url: u })).toEqual({ action: 'deny' });
    expect(opened).toEqual([]);
  });
  it('matches exact https origins only', () => {
    const allow = ['https://jdih.bpk.go.id'];
    expect(isAllowedExternal('https://jdih.bpk.go.id/x?y', allow)).toBe(true);
    for (const u of ['https://jdih.bpk.go.id.evil.example/', 'http://jdih.bpk.go.id/', 'https://user:pw@jdih.bpk.go.id/', 'https://evil.example/?https://jdih.bpk.go.id', 'javascript:alert(1)', '']) {
      expect(isAllowedExternal(u, allow), u).toBe(false);
    }
  });
});

describe('the app protocol under the request filter', () => {
  const dir = join(t.dir, 'renderer');
  mkdirSync(join(dir, 'assets'), { recursive: true });
  writeFileSync(join(dir, 'index.html'), '<!doctype html><p>app</p>');
  writeFileSync(join(dir, 'assets', 'app.js'), 'console.log(1)');
  writeFileSync(join(t.dir, 'secret.txt'), 'secret');

  it('the filter cancels file: (and everything but the app origin)', () => {
    expect(isAllowedRequest(`file://${join(dir, 'index.html')}`)).toBe(false);
    expect(isAllowedRequest('https://evil.example/')).toBe(false);
    expect(isAllowedRequest('telisik://app/index.html')).toBe(true);
  });

  it('the handler still serves its own files (read with fs, no file: request is made) with the CSP', async () => {
    const r = serveAppFile(dir, 'telisik://app/assets/app.js', "default-src 'self'");
    expect(r.status).toBe(200);
    expect(r.headers.get('content-type')).toMatch(/javascript/);
    expect(r.headers.get('content-security-policy')).toBe("default-src 'self'");
    expect(await r.text()).toBe('console.log(1)');
    expect(await serveAppFile(dir, 'telisik://app/', 'x').text()).toContain('app');
    expect(await serveAppFile(dir, 'telisik://app/data/route', 'x').text()).toContain('app'); // SPA route
    expect(serveAppFile(dir, 'telisik://app/assets/missing.js', 'x').status).toBe(404);
  });

  it('never serves outside the renderer folder or another host', () => {
    for (const u of ['telisik://app/../secret.txt', 'telisik://app/%2e%2e/secret.txt', 'telisik://app/assets/..%2f..%2fsecret.txt', 'telisik://evil/index.html']) {
      const r = resolveAppFile(dir, u);
      expect('file' in r ? r.file : '', u).not.toContain('secret');
    }
  });
});
