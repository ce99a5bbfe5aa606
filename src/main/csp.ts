/** CSP for the Electron renderer: the same policy as browser mode (src/shared/csp.ts). */
export { CSP as CSP_ELECTRON } from '../shared/csp';
