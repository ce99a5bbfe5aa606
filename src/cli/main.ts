import { InputError, UsageError } from './args';
import { commands } from './registry';
import { TelisikError } from '../shared/errors';
import { cleanMessage } from '../shared/masking';
import { isMemoryLimit } from '../shared/types';
import { withSafeConsole } from './term';
import { exitCodeOf } from './service';

function help(): string {
  const width = Math.max(...commands.map((c) => c.name.length), 4);
  return [
    'telisik — offline audit workstation for bansos (social assistance) extracts',
    '',
    'Usage: telisik <command> [options]',
    '',
    'Commands:',
    ...commands.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
    '',
    'Run `telisik <command> --help` for the options of a command.',
    'Any command: --memory-limit <size> (e.g. 2GB) bounds DuckDB\'s memory; beyond it DuckDB spills to <workspace>.tmp.',
    'Exit codes: 0 ok, 1 verification failed, 2 usage error (incl. a refused --out path), 3 input error (incl. a duplicate',
    'import, a workspace in use), 4 internal/unexpected error, 5 (verify) a source file is missing, 130 cancelled (Ctrl+C).',
  ].join('\n');
}

export async function main(argv: string[]): Promise<number> {
  return withSafeConsole(() => runMain(argv));
}

async function runMain(argv: string[]): Promise<number> {
  // --memory-limit <size> (any command): DuckDB's memory limit for the workspaces it opens (see Workspace)
  argv = [...argv];
  const ml = argv.findIndex((a) => a === '--memory-limit' || a.startsWith('--memory-limit='));
  if (ml >= 0) {
    const [flag, inline] = argv[ml].split('=', 2);
    const value = inline ?? argv[ml + 1];
    if (!value || value.startsWith('--')) { console.error(`telisik: ${flag} needs a size, e.g. 2GB`); return 2; }
    if (!isMemoryLimit(value)) { console.error(`telisik: invalid ${flag} "${value}" (e.g. 2GB or 512MB)`); return 2; }
    process.env.TELISIK_MEMORY_LIMIT = value;
    argv.splice(ml, inline === undefined ? 2 : 1);
  }
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    console.log(help());
    return name ? 0 : 2;
  }
  if (name === '--version') {
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- package.json sits outside the source tree
    console.log(require('../../package.json').version);
    return 0;
  }
  const cmd = commands.find((c) => c.name === name);
  if (!cmd) {
    console.error(`Unknown command: ${name}\n\n${help()}`);
    return 2;
  }
  if (rest.includes('--help') || rest.includes('-h')) {
    console.log(`Usage: ${cmd.usage}\n\n${cmd.summary}`);
    return 0;
  }
  try {
    return await cmd.run(rest);
  } catch (e) {
    if (e instanceof UsageError) {
      console.error(`telisik ${name}: ${e.message}\nUsage: ${cmd.usage}`);
      return 2;
    }
    if (e instanceof InputError) {
      console.error(`telisik ${name}: ${e.message}`);
      return 3;
    }
    if (e instanceof TelisikError) {
      // A service call's error (CallFailed) or the engine's own (a workspace that cannot be opened), by its contract
      // code and reason — never by its wording: a refused output path 2, input 3, cancelled 130, else 4.
      const code = exitCodeOf(e);
      if (code === 4) {
        console.error(`telisik ${name}: kesalahan internal (internal error): ${cleanMessage(e.message)}`);
        if (process.env.TELISIK_DEBUG && e.stack) console.error(e.stack);
      } else console.error(`telisik ${name}: ${e.message}`);
      return code;
    }
    // Anything else is unexpected: exit 4, never 1 (1 means "verification failed").
    const err = e as Error;
    console.error(`telisik ${name}: kesalahan internal (internal error): ${cleanMessage(String(err?.message ?? e))}`);
    if (process.env.TELISIK_DEBUG && err?.stack) console.error(err.stack);
    return 4;
  }
}
