import type { Command } from '../command';
import { InputError, UsageError, flag, parseArgs, requireFlag } from '../args';
import { CallFailed, withService } from '../service';

/** Rows per query call (the contract's page limit). */
const PAGE = 100_000;

const cell = (v: unknown): string => {
  if (v === null || v === undefined) return '';
  if (typeof v === 'bigint') return v.toString();
  if (v instanceof Date) return v.toISOString().slice(0, 10);
  if (typeof v === 'object') return JSON.stringify(v, (_k, x) => (typeof x === 'bigint' ? x.toString() : x));
  return String(v);
};
const csvCell = (s: string) => (/[",\r\n]/.test(s) || /^[-=+@\t\r]/.test(s) ? `"${(/^[-=+@\t\r]/.test(s) ? `'${s}` : s).replace(/"/g, '""')}"` : s);

export const queryCommand: Command = {
  name: 'query',
  summary: 'Run one read-only SELECT over the workspace tables (table output, or --csv); the statement goes into the audit trail',
  usage: 'telisik query --workspace W "SELECT …" [--csv] [--limit N]',
  async run(argv) {
    const args = parseArgs(argv, ['csv']);
    for (const k of args.flags.keys()) if (!['workspace', 'csv', 'limit'].includes(k)) throw new UsageError(`unknown option --${k}`);
    if (args.positionals.length !== 1) throw new UsageError('give exactly one SQL statement (quoted)');
    const csv = flag(args, 'csv') === 'true';
    const limitText = flag(args, 'limit');
    const limit = limitText === undefined ? (csv ? 10_000_000 : 100) : Number(limitText);
    if (!Number.isInteger(limit) || limit < 1) throw new UsageError('--limit must be a positive integer');
    // The explorer's query call: the guard (one read-only SELECT), the time limit, the trail entry (via 'cli') with
    // the first page; further pages are reads.
    // apache-arrow is loaded by this command only (≈ 0.25 s), not by every command's start
    const { decodeArrow } = await import('../../shared/arrow');
    return withService(requireFlag(args, 'workspace'), async (c) => {
      let total = 0;
      let cols: string[] = [];
      const rows: Record<string, unknown>[] = [];
      for (let offset = 0; offset === 0 || (offset < Math.min(total, limit)); offset += PAGE) {
        const p = await c.call('query', { sql: args.positionals[0], offset, limit: Math.min(PAGE, limit - offset) }).catch((e) => {
          const reason = e instanceof CallFailed ? (e.params as { reason?: string } | undefined)?.reason : undefined;
          // The guard's refusal names its rule, as before: "… [table_function]".
          if (e instanceof CallFailed && reason?.startsWith('sql_')) throw new InputError(`${e.message} [${reason.slice(4)}]`);
          throw e;
        });
        total = p.total_rows;
        cols = p.columns.map((x) => x.name);
        rows.push(...decodeArrow(p.arrow).rows);
      }
      if (csv) {
        console.log(cols.map(csvCell).join(','));
        for (const r of rows) console.log(cols.map((c) => csvCell(cell(r[c]))).join(','));
        return 0;
      }
      const text = rows.map((r) => cols.map((c) => cell(r[c])));
      const w = cols.map((c, i) => Math.min(40, Math.max(c.length, ...text.map((t) => t[i].length))));
      const fit = (s: string, n: number) => (s.length > n ? s.slice(0, n - 1) + '…' : s.padEnd(n));
      console.log(cols.map((c, i) => fit(c, w[i])).join('  '));
      console.log(w.map((n) => '-'.repeat(n)).join('  '));
      for (const t of text) console.log(t.map((s, i) => fit(s, w[i])).join('  '));
      console.log(`(${total.toLocaleString('id-ID')} baris${total > rows.length ? `, ${rows.length.toLocaleString('id-ID')} ditampilkan — --limit N atau --csv untuk semua` : ''})`);
      return 0;
    });
  },
};
