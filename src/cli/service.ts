/**
 * The CLI's side of the in-process transport — the only file of src/cli that imports src/engine (scripts/layers.mjs
 * enforces it): one service per command, the command's workspace attached, closed afterwards. Failed calls surface as
 * CallFailed (contract code + params); main.ts turns the code into an exit code.
 */
import { inProcessClient, CallFailed, type InProcessOptions, type ServiceClient } from '../engine/service/inprocess';
import { TelisikError } from '../shared/errors';
import { InputError } from './args';

export { CallFailed, type ServiceClient };

export interface ServiceOpts {
  /** Open the workspace in DuckDB's READ_ONLY mode (verify --read-only; a file without write permission is anyway). */
  readOnly?: boolean;
  /** Session preferences: masking of what the service answers, the reviewer name its entries carry. */
  prefs?: InProcessOptions['prefs'];
}

function client(opts: ServiceOpts): ServiceClient {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- package.json sits outside the source tree
  return inProcessClient({ version: require('../../package.json').version as string, prefs: opts.prefs });
}

/** Runs `fn` with a client of a fresh service whose engagement is `path` (created when `create` is given and missing). */
export async function withService<T>(path: string, fn: (c: ServiceClient) => Promise<T>, create?: { name: string }, opts: ServiceOpts = {}): Promise<T> {
  const c = client(opts);
  try {
    await c.connect(path, create, { readOnly: opts.readOnly });
    return await fn(c);
  } catch (e) {
    throw inputError(e);
  } finally {
    await c.close();
  }
}

/** Runs `fn` with a client of a fresh service with no engagement open (calls that need none: readRecipe, generateDemo). */
export async function withoutWorkspace<T>(fn: (c: ServiceClient) => Promise<T>, opts: ServiceOpts = {}): Promise<T> {
  const c = client(opts);
  try {
    return await fn(c);
  } catch (e) {
    throw inputError(e);
  } finally {
    await c.close();
  }
}

// Input the engine refused is the CLI's input error (exit 3, like every command's own InputError).
function inputError(e: unknown): unknown {
  return e instanceof TelisikError && exitCodeOf(e) === 3 ? new InputError(e.message) : e;
}

/**
 * Exit code of a failed call: 2 usage (arguments the contract refused, an output path refused), 3 input (a file, a
 * value, a workspace the engine cannot use, a duplicate import), 130 cancelled, 4 anything else (a bug).
 */
export function exitCodeOf(e: Pick<TelisikError, 'code' | 'params'>): number {
  const reason = (e.params as { reason?: unknown } | undefined)?.reason;
  if (reason === 'output_invalid' || reason === 'output_outside') return 2; // a refused --out path, as before
  switch (e.code) {
    case 'invalid_args': return 2;
    case 'confirm_required': return 3; // a duplicate import (params.earlier)
    case 'invalid_input': case 'not_found': case 'exists': case 'in_use': case 'no_workspace': case 'busy': return 3;
    case 'cancelled': return 130;
    default: return 4;
  }
}
