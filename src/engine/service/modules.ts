/**
 * Engine modules the service calls. Static imports for modules that have landed; a module still being written is
 * loaded on first use, and a call that needs a missing one answers `unavailable` (never a crash).
 */
/* eslint-disable @typescript-eslint/no-explicit-any */
import { ServiceError } from '../../shared/result';
import * as tools from '../tools';
import * as rules from '../rules/rules';

function load(path: string, what: string): any {
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    return require(path);
  } catch (e) {
    const msg = String((e as Error).message ?? e);
    if (/Cannot find module/.test(msg) && msg.includes(path.replace(/^\.\.\//, ''))) {
      throw new ServiceError('unavailable', `Modul ${what} belum tersedia di build ini (${path}).`);
    }
    throw e;
  }
}

function tryLoad(path: string): any {
  try { return require(path); } catch { return undefined; }
}

export const modules = {
  tools: () => tools,
  rules: () => rules,
  ingest: (): any => load('../ingest', 'impor (ingest)'),
  checks: (): any => load('../checks', 'analisis (checks)'),
  checksOptional: (): any => tryLoad('../checks') ?? tryLoad('../checks/registry'),
  findings: (): any => load('../findings', 'temuan (findings)'),
  reports: (): any => load('../reports', 'laporan (reports)'),
  demo: (): any => load('../demo', 'data contoh (demo)'),
};
