/**
 * Loads the engine functions the benchmark measures. The modules are written in parallel by others, so each one is
 * looked up at run time: a missing or broken module makes its steps "not available" (with the reason) instead of
 * failing the whole benchmark.
 */
import { join } from 'node:path';

export interface EngineApi {
  importFile?: (ws: unknown, o: { kind: string; path: string }) => Promise<Record<string, unknown>>;
  runChecks?: (ws: unknown, o?: Record<string, unknown>) => Promise<Record<string, unknown>>;
  buildSummary?: (ws: unknown) => Promise<Record<string, unknown>>;
  writeReport?: (...args: unknown[]) => Promise<unknown>;
  pageTable?: (...args: unknown[]) => Promise<unknown>;
  missing: Record<string, string>;
}

function tryLoad(rel: string): { mod: Record<string, unknown> | null; error?: string } {
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    return { mod: require(join(__dirname, '..', 'engine', rel)) as Record<string, unknown> };
  } catch (e) {
    const msg = String((e as Error).message ?? e).split('\n')[0];
    return { mod: null, error: msg };
  }
}

export function loadEngine(): EngineApi {
  const api: EngineApi = { missing: {} };
  const pick = (name: keyof Omit<EngineApi, 'missing'>, candidates: string[]) => {
    const errors: string[] = [];
    for (const rel of candidates) {
      const { mod, error } = tryLoad(rel);
      if (mod && typeof mod[name] === 'function') { (api as unknown as Record<string, unknown>)[name] = mod[name]; return; }
      errors.push(mod ? `${rel}: no export ${name}` : `${rel}: ${error}`);
    }
    api.missing[name] = errors.join('; ');
  };
  pick('importFile', ['ingest', 'ingest/index']);
  pick('runChecks', ['checks', 'checks/index', 'checks/run']);
  pick('buildSummary', ['checks', 'checks/index', 'checks/summary']);
  pick('writeReport', ['reports', 'reports/index']);
  pick('pageTable', ['ingest', 'ingest/page', 'service/views', 'service']);
  return api;
}
