import type { Command } from '../command';
import { parseArgs, requireFlag, flag } from '../args';
import { withService } from '../service';

const CANONICAL: string[] = ['registry', 'disbursements', 'budget', 'deaths', 'civil_servants', 'complaints', 'flags'];

export const tablesCommand: Command = {
  name: 'tables',
  summary: 'List the data tables of a workspace (canonical and other) with row counts',
  usage: 'telisik tables --workspace W [--json]',
  async run(argv) {
    const args = parseArgs(argv, ['json']);
    const wsPath = requireFlag(args, 'workspace');
    return withService(wsPath, async (c) => {
      // The data explorer's list (listTables): canonical extracts, tables of 'other' imports, tool samples, views.
      const order = (x: { kind: string | null }) => (x.kind ? CANONICAL.indexOf(x.kind) : 100);
      const t = (await c.call('listTables', {})).sort((a, b) => order(a) - order(b) || a.name.localeCompare(b.name))
        .map((x) => ({ table: x.name, kind: x.kind ?? x.group, rows: x.rows, columns: x.columns.length, imports: x.imports }));
      if (flag(args, 'json') === 'true') { console.log(JSON.stringify(t, null, 2)); return 0; }
      const w = Math.max(5, ...t.map((x) => x.table.length));
      console.log(`${'table'.padEnd(w)}  ${'kind'.padEnd(14)}  ${'rows'.padStart(12)}  ${'columns'.padStart(7)}  imports`);
      for (const x of t) console.log(`${x.table.padEnd(w)}  ${x.kind.padEnd(14)}  ${x.rows.toLocaleString('id-ID').padStart(12)}  ${String(x.columns).padStart(7)}  ${x.imports}`);
      return 0;
    });
  },
};
