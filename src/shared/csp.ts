/**
 * The one Content-Security-Policy of the renderer, for the Electron session and the browser-mode server alike.
 * Scripts only from the app itself (no eval, no remote content). AG Grid injects its theme as <style> elements and
 * ECharts sets element styles, hence 'unsafe-inline' for styles only (docs/contract-requests.md).
 */
export const CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "worker-src 'self' blob:",
  "object-src 'none'",
  "base-uri 'none'",
  "frame-ancestors 'none'",
  "form-action 'self'",
].join('; ');
