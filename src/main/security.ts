/**
 * The Electron boundary. The renderer is served from the privileged `telisik://app/` origin; everything else is
 * refused: navigation, redirects, new windows, <webview>, permission prompts and every network request that is not
 * the app's own origin (plus devtools). URLs are parsed with `new URL()` and compared by protocol and host, never by
 * string prefix.
 */
import type { Session, WebContents } from 'electron';

export const APP_SCHEME = 'telisik';
export const APP_HOST = 'app';
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;

export function isAppUrl(raw: string | undefined | null): boolean {
  if (!raw) return false;
  try {
    const u = new URL(raw);
    return u.protocol === `${APP_SCHEME}:` && u.host === APP_HOST;
  } catch {
    return false;
  }
}

/**
 * The request filter (session.webRequest.onBeforeRequest): the app origin, DevTools, blob: and data:. `file:` is
 * cancelled — the app protocol's handler (src/main/app-protocol.ts) reads its files with fs, not through the
 * network stack, so this filter never sees (and can never cancel) the handler's own reads.
 */
export function isAllowedRequest(raw: string): boolean {
  if (isAppUrl(raw)) return true;
  try {
    const u = new URL(raw);
    // DevTools' own pages and in-memory resources the page created itself.
    return u.protocol === 'devtools:' || u.protocol === 'blob:' || u.protocol === 'data:';
  } catch {
    return false;
  }
}

/** The only permission the app itself needs: writing copied grid cells (already masked) to the clipboard. */
const ALLOWED_PERMISSIONS = new Set(['clipboard-sanitized-write']);

export function hardenSession(ses: Session, csp: string): void {
  ses.setPermissionRequestHandler((wc, permission, callback, details) => {
    const origin = (details as { requestingUrl?: string } | undefined)?.requestingUrl ?? wc?.getURL?.();
    callback(ALLOWED_PERMISSIONS.has(permission) && isAppUrl(origin));
  });
  ses.setPermissionCheckHandler((_wc, permission, requestingOrigin) => ALLOWED_PERMISSIONS.has(permission) && isAppUrl(requestingOrigin));
  ses.setDevicePermissionHandler?.(() => false);
  ses.webRequest.onBeforeRequest((details, callback) => callback({ cancel: !isAllowedRequest(details.url) }));
  ses.webRequest.onHeadersReceived((details, callback) => {
    callback({ responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [csp], 'X-Content-Type-Options': ['nosniff'] } });
  });
  ses.on('will-download', (e) => e.preventDefault());
}

/**
 * Origins the renderer may open in the system browser (shell.openExternal). Empty: the app opens nothing outside
 * itself (issue 14: any https URL the renderer asked for went to the system browser). Add exact https origins here.
 */
export const EXTERNAL_ALLOW: readonly string[] = [];

/** True for an https URL whose origin is on the allow-list (exact origin match, parsed, never prefix-matched). */
export function isAllowedExternal(raw: string, allow: readonly string[] = EXTERNAL_ALLOW): boolean {
  try {
    const u = new URL(raw);
    if (u.protocol !== 'https:' || u.username || u.password) return false;
    return allow.some((a) => { try { return new URL(a).origin === u.origin; } catch { return false; } });
  } catch { return false; }
}

export function hardenContents(contents: WebContents, openExternal?: (url: string) => void, allowExternal: readonly string[] = EXTERNAL_ALLOW): void {
  contents.on('will-attach-webview', (e) => e.preventDefault());
  contents.on('will-navigate', (e, url) => { if (!isAppUrl(url)) e.preventDefault(); });
  contents.on('will-redirect', (e, url) => { if (!isAppUrl(url)) e.preventDefault(); });
  contents.on('will-frame-navigate', (e) => { if (!isAppUrl(e.url)) e.preventDefault(); });
  contents.setWindowOpenHandler(({ url }) => {
    // Only allow-listed https origins may go to the system browser (none by default); the app never opens windows.
    if (openExternal && isAllowedExternal(url, allowExternal)) openExternal(url);
    return { action: 'deny' };
  });
}

/** IPC is accepted only from the app's own origin, from the top-level frame of a window we created. */
export function isTrustedSender(e: { senderFrame?: { url: string; parent: unknown } | null; sender: { id: number } }, allowedIds: Set<number>): boolean {
  const f = e.senderFrame;
  if (!f || f.parent !== null) return false;
  if (!allowedIds.has(e.sender.id)) return false;
  return isAppUrl(f.url);
}
