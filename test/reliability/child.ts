/**
 * A child process for the crash tests (test/reliability/crash.test.ts): runs one long operation on a workspace and
 * prints progress lines so the parent can SIGKILL it at a known point.
 *   import WS FILE          importFile(kind disbursements)      → "PROGRESS <rows>"
 *   checks WS               runChecks()                          → "PROGRESS <phase> <check_id>"
 *   export WS OUT           writeReport(bpk)                     → "PROGRESS <phase> <rows>"
 *   hold WS                 opens the workspace and waits        → "READY"
 * Ends with "DONE <json>" when the operation finishes (the tests kill it before that).
 */
import { Workspace } from '../../src/engine/workspace/workspace';
import { importFile } from '../../src/engine/ingest';
import { runChecks } from '../../src/engine/checks';
import { writeReport } from '../../src/engine/reports';

const say = (s: string) => process.stdout.write(s + '\n');

async function main(): Promise<void> {
  const [op, wsPath, arg] = process.argv.slice(2);
  const ws = await Workspace.open(wsPath);
  say('OPEN');
  if (op === 'hold') {
    say('READY');
    setInterval(() => undefined, 1000);
    return;
  }
  if (op === 'import') {
    const r = await importFile(ws, { kind: 'disbursements', path: arg, onProgress: (p) => say(`PROGRESS ${p.phase} ${p.rows}`) });
    say(`DONE ${JSON.stringify({ rows_read: r.rows_read })}`);
  } else if (op === 'checks') {
    const r = await runChecks(ws, { onProgress: (p) => say(`PROGRESS ${p.phase} ${p.check_id ?? ''}`) });
    say(`DONE ${JSON.stringify({ run_id: r.run_id })}`);
  } else if (op === 'export') {
    const r = await writeReport(ws, { kind: 'bpk', out: arg, onProgress: (p) => say(`PROGRESS ${p.phase} ${p.rows}`) });
    say(`DONE ${JSON.stringify({ path: r.path })}`);
  } else {
    throw new Error(`unknown op ${op}`);
  }
  await ws.close();
}

main().catch((e) => { process.stderr.write(String(e?.stack ?? e) + '\n'); process.exit(9); });
