/**
 * A CLI-side child for test/contract/cancel-cli.test.ts: runs one long cancellable call (a column profile over a view
 * of 4e9 generated rows) through the CLI's in-process service client (`withService`, as every service command does),
 * prints "RUNNING" once the profile's SQL is in DuckDB, and waits for a real SIGINT (Ctrl+C) from the parent.
 * Prints "CANCELLED <code>" and exits with the CLI's exit code for the call's error (130 for cancelled).
 */
import { CallFailed, exitCodeOf, withService } from '../../src/cli/service';

const say = (s: string) => process.stdout.write(s + '\n');

async function main(): Promise<number> {
  const [wsPath] = process.argv.slice(2);
  try {
    return await withService(wsPath, async (c) => {
      const svc = c.service;
      const watch = setInterval(() => {
        for (const id of svc.calls.keys()) if (svc.callState(id)?.sql?.includes('"big"')) { say('RUNNING'); clearInterval(watch); }
      }, 10);
      try {
        const p = await c.call('columnProfile', { table: 'big', column: 'name' });
        say(`DONE ${JSON.stringify(p.rows)}`);
        return 0;
      } finally { clearInterval(watch); }
    });
  } catch (e) {
    if (e instanceof CallFailed) { say(`CANCELLED ${e.code}`); return exitCodeOf(e); }
    throw e;
  }
}

main().then((code) => process.exit(code), (e) => { console.error(e); process.exit(4); });
