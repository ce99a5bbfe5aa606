import type { Command } from '../command';
import { parseArgs, requireFlag, flag } from '../args';
import { Workspace } from '../../engine/workspace/workspace';
import { listTables } from '../../engine/ingest';

export const tablesCommand: Command = {
  name: 'tables',
  summary: 'List the data tables of a workspace (canonical and other) with row counts',
  usage: 'telisik tables --workspace W [--json]',
  async run(argv) {
    const args = parseArgs(argv, ['json']);
    const ws = await Workspace.open(requireFlag(args, 'workspace'));
    try {
      const t = await listTables(ws);
      if (flag(args, 'json') === 'true') { console.log(JSON.stringify(t, null, 2)); return 0; }
      const w = Math.max(5, ...t.map((x) => x.table.length));
      console.log(`${'table'.padEnd(w)}  ${'kind'.padEnd(14)}  ${'rows'.padStart(12)}  ${'columns'.padStart(7)}  imports`);
      for (const x of t) console.log(`${x.table.padEnd(w)}  ${x.kind.padEnd(14)}  ${x.rows.toLocaleString('id-ID').padStart(12)}  ${String(x.columns).padStart(7)}  ${x.imports}`);
    } finally {
      await ws.close();
    }
    return 0;
  },
};
