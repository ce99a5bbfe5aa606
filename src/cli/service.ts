/**
 * The CLI's side of the in-process transport: one service per command, the command's workspace attached, closed
 * afterwards. Failed calls surface as CallFailed (contract code + params); main.ts turns the code into an exit code.
 */
import { inProcessClient, CallFailed, type ServiceClient } from '../engine/service/inprocess';
import { InputError } from './args';

export { CallFailed, type ServiceClient };

/** Runs `fn` with a client of a fresh service whose engagement is `path` (created when `create` is given and missing). */
export async function withService<T>(path: string, fn: (c: ServiceClient) => Promise<T>, create?: { name: string }): Promise<T> {
  // Ctrl+C cancels whatever the command is waiting on — a task (cancelTask) or a cancellable call such as a page, a
  // profile or a tool (cancelCall: DuckDB interrupts the SQL) — and the command ends as cancelled (exit 130) after
  // the service has closed the workspace cleanly.
  const interrupted = new AbortController();
  const onSigint = (): void => interrupted.abort();
  process.on('SIGINT', onSigint);
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- package.json sits outside the source tree
  const client = inProcessClient({ version: require('../../package.json').version as string, signal: interrupted.signal });
  try {
    await client.connect(path, create);
    return await fn(client);
  } catch (e) {
    // Input the engine refused is the CLI's input error (exit 3, like every command's own InputError).
    if (e instanceof CallFailed && exitCodeOf(e) === 3) throw new InputError(e.message);
    throw e;
  } finally {
    try { await client.close(); } finally { process.removeListener('SIGINT', onSigint); }
  }
}

/**
 * Exit code of a failed call: 2 usage (arguments the contract refused, an output path refused), 3 input (a file, a
 * value, a workspace the engine cannot use, a duplicate import), 130 cancelled, 4 anything else (a bug).
 */
export function exitCodeOf(e: CallFailed): number {
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
