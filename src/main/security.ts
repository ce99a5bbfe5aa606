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

function isAllowedRequest(raw: string): boolean {
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

export function hardenContents(contents: WebContents, openExternal?: (url: string) => void): void {
  contents.on('will-attach-webview', (e) => e.preventDefault());
  contents.on('will-navigate', (e, url) => { if (!isAppUrl(url)) e.preventDefault(); });
  contents.on('will-redirect', (e, url) => { if (!isAppUrl(url)) e.preventDefault(); });
  contents.on('will-frame-navigate', (e) => { if (!isAppUrl(e.url)) e.preventDefault(); });
  contents.setWindowOpenHandler(({ url }) => {
    // Links to documentation may go to the system browser (https only); the app never opens windows itself.
    try { if (openExternal && new URL(url).protocol === 'https:') openExternal(url); } catch { /* ignore */ }
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
