import type { Command } from '../command';
import { InputError, UsageError, flag, flagList, parseArgs, requireFlag } from '../args';
import { Workspace } from '../../engine/workspace/workspace';
import { appendTrail } from '../../engine/trail/trail';
import {
  ageing, benford, benfordDrill, duplicates, fieldProfile, fuzzyDuplicates, gaps, maskFieldProfile, pivot, sampleMus, sampleRandom, stratify, ToolError,
} from '../../engine/tools';
import { maskDeep, maskText, maskValue } from '../../shared/masking';

const TOOLS = ['benford', 'profile', 'duplicates', 'gaps', 'stratify', 'age', 'pivot', 'sample'] as const;
type Tool = (typeof TOOLS)[number];

const list = (args: ReturnType<typeof parseArgs>, name: string): string[] =>
  flagList(args, name).flatMap((v) => v.split(',')).map((v) => v.trim()).filter(Boolean);

function number(v: string | undefined, name: string): number | undefined {
  if (v === undefined) return undefined;
  const n = Number(v.replace(/_/g, ''));
  if (!Number.isFinite(n)) throw new UsageError(`--${name} must be a number`);
  return n;
}

const pct = (x: number | null) => (x === null ? '-' : `${(x * 100).toFixed(1).replace('.', ',')}%`);

async function runTool(ws: Workspace, tool: Tool, args: ReturnType<typeof parseArgs>, mask: boolean): Promise<{ result: unknown; text: string[] }> {
  // Masking on (the default): values pass through the one masking function before they are printed.
  const mv = (v: unknown, column?: string): unknown => (mask ? maskValue(v, column) : v);
  const md = <T>(v: T): T => (mask ? (maskDeep(v) as T) : v);
  const table = requireFlag(args, 'table');
  const save = flag(args, 'save');
  const text: string[] = [];
  switch (tool) {
    case 'profile': {
      const raw = await fieldProfile(ws, { table, column: flag(args, 'column'), top: number(flag(args, 'top'), 'top') });
      const r = mask ? raw.map(maskFieldProfile) : raw;
      for (const p of r) {
        text.push(`${p.column} (${p.type}): ${p.rows} baris, ${p.nulls} kosong/NULL, ${p.blanks} blank, ${p.distinct} nilai unik, min ${p.min}, max ${p.max}, panjang ${p.length.min}-${p.length.max}`);
        text.push(`   teratas: ${p.top.slice(0, 5).map((t) => `${t.value} (${t.count})`).join(', ')}`);
      }
      return { result: r, text };
    }
    case 'benford': {
      const digits = (flag(args, 'digits') ?? '1') === '2' ? 2 : 1;
      const column = requireFlag(args, 'column');
      const minValue = number(flag(args, 'min-value'), 'min-value');
      const digit = number(flag(args, 'digit'), 'digit');
      if (digit !== undefined) {
        const r = await benfordDrill(ws, { table, column, test: digits, digit, minValue, limit: number(flag(args, 'limit'), 'limit') ?? 100 });
        text.push(`${r.total} record dengan digit awal ${digit}:`);
        for (const row of r.rows) text.push('  ' + JSON.stringify(md(row)));
        return { result: md(r), text };
      }
      const r = await benford(ws, { table, column, test: digits, minValue, resultName: save });
      text.push(`Benford ${digits === 1 ? 'digit pertama' : 'dua digit pertama'} — ${table}.${column}: n = ${r.n} (dikecualikan ${r.excluded})`);
      text.push(`MAD ${r.mad.toFixed(5)} -> ${r.conformity} (Nigrini: close < ${r.mad_ranges.close}, acceptable ≤ ${r.mad_ranges.acceptable}, marginal ≤ ${r.mad_ranges.marginal}); chi-square ${r.chi_square.toFixed(2)}, df ${r.df}`);
      if (digits === 1) for (const d of r.digits) text.push(`  ${d.digit}  ${String(d.count).padStart(9)}  aktual ${pct(d.actual).padStart(6)}  harapan ${pct(d.expected).padStart(6)}  z ${d.z.toFixed(2)}${d.significant ? ' *' : ''}`);
      else {
        const sig = r.digits.filter((d) => d.significant).sort((a, b) => b.z - a.z);
        text.push(`  ${sig.length} digit signifikan (z > 1,96)${sig.length ? `, terbesar: ${sig.slice(0, 10).map((d) => `${d.digit} (z ${d.z.toFixed(1)})`).join(', ')}` : ''}`);
      }
      for (const n of r.notes) text.push(`Catatan: ${n}`);
      return { result: r, text };
    }
    case 'duplicates': {
      const fuzzyName = flag(args, 'fuzzy-name');
      if (fuzzyName) {
        const r = await fuzzyDuplicates(ws, { table, nameColumn: fuzzyName, blockKeys: list(args, 'block'),
          threshold: number(flag(args, 'threshold'), 'threshold'), resultName: save });
        text.push(`${r.pairs} pasangan nama mirip (≥ ${r.threshold}) dalam blok ${r.block_keys.join('+')}, ${r.records} record`);
        for (const p of r.top.slice(0, 20)) text.push(`  ${p.similarity.toFixed(3)}  ${p.name_a} | ${p.name_b}  ${JSON.stringify(md(p.block))}`);
        return { result: md(r), text };
      }
      const keys = list(args, 'keys');
      if (!keys.length) throw new UsageError('--keys a,b (or --fuzzy-name N --block K) is required');
      const r = await duplicates(ws, { table, keys, amountColumn: flag(args, 'amount'), resultName: save });
      text.push(`${r.groups} kelompok duplikat pada ${keys.join('+')}, ${r.records} record (${r.excess} kelebihan)${r.amount !== undefined ? `, nilai ${r.amount}` : ''}`);
      for (const g of r.top.slice(0, 20)) text.push(`  ${g.count}x  ${JSON.stringify(md(g.keys))}`);
      return { result: md(r), text };
    }
    case 'gaps': {
      const step = flag(args, 'step');
      if (step !== undefined && step !== 'day' && step !== 'month') throw new UsageError('--step must be day or month');
      const r = await gaps(ws, { table, column: requireFlag(args, 'column'), step, resultName: save });
      const col = requireFlag(args, 'column');
      text.push(`${r.gaps} celah, ${r.missing} nilai hilang, ${r.duplicates} duplikat; rentang ${mv(r.min, col)} – ${mv(r.max, col)}`);
      for (const g of r.top.slice(0, 50)) text.push(`  setelah ${mv(g.after, col)} sebelum ${mv(g.before, col)}: ${g.missing} hilang`);
      return { result: md(r), text };
    }
    case 'stratify': {
      const bounds = list(args, 'bounds').map((b) => number(b, 'bounds')!);
      const r = await stratify(ws, { table, column: requireFlag(args, 'column'), bounds: bounds.length ? bounds : undefined,
        quantiles: number(flag(args, 'quantiles'), 'quantiles'), resultName: save });
      for (const s of r.strata) text.push(`  ${s.label.padEnd(30)} ${String(s.count).padStart(9)} ${pct(s.count_share).padStart(7)}  ${s.sum.toLocaleString('id-ID').padStart(20)} ${pct(s.sum_share).padStart(7)}`);
      return { result: r, text };
    }
    case 'age': {
      const r = await ageing(ws, { table, column: requireFlag(args, 'column'), asOf: flag(args, 'as-of') ?? new Date().toISOString().slice(0, 10),
        amountColumn: flag(args, 'amount'), resultName: save });
      text.push(`Umur per ${r.as_of}:`);
      for (const b of r.buckets) text.push(`  ${b.bucket.padEnd(8)} ${String(b.count).padStart(9)}${b.sum !== null ? `  ${b.sum.toLocaleString('id-ID').padStart(20)}` : ''}`);
      return { result: r, text };
    }
    case 'pivot': {
      const r = await pivot(ws, { table, groupBy: list(args, 'by'), value: flag(args, 'value'), resultName: save });
      for (const row of r.rows.slice(0, 200)) text.push(`  ${Object.entries(row.groups).map(([k, v]) => mv(v, k)).join(' | ')}: ${row.count}${row.sum !== undefined ? `  sum ${row.sum}  avg ${row.avg}  min ${row.min}  max ${row.max}` : ''}`);
      if (r.truncated || r.rows.length > 200) text.push('  … (gunakan --json atau --save)');
      return { result: md(r), text };
    }
    case 'sample': {
      const method = flag(args, 'method') ?? 'random';
      const name = requireFlag(args, 'name');
      const seed = number(flag(args, 'seed'), 'seed');
      const r = method === 'mus'
        ? await sampleMus(ws, { name, table, amountColumn: requireFlag(args, 'amount'), size: number(flag(args, 'size'), 'size'),
          interval: number(flag(args, 'interval'), 'interval'), seed, randomStart: number(flag(args, 'start'), 'start') })
        : method === 'random'
          ? await sampleRandom(ws, { name, table, size: number(requireFlag(args, 'size'), 'size')!, seed, amountColumn: flag(args, 'amount') })
          : (() => { throw new UsageError('--method must be random or mus'); })();
      text.push(`Sampel ${r.method} ${r.result_table}: ${r.sample_size} dari ${r.population_count} record, seed ${r.seed}`
        + (r.interval !== undefined ? `, interval ${r.interval}, awal acak ${r.random_start}, strata atas ${r.top_stratum}` : ''));
      return { result: r, text };
    }
  }
}

export const toolCommand: Command = {
  name: 'tool',
  summary: 'General audit tools on any table: benford | profile | duplicates | gaps | stratify | age | pivot | sample',
  usage: 'telisik tool --workspace W TOOL --table T [options] [--save NAME] [--json] [--no-mask]\n'
    + '  (NIK/KK and account numbers are masked in what is printed unless --no-mask)\n'
    + '  profile    [--column C] [--top N]\n'
    + '  benford    --column C [--digits 1|2] [--min-value 10] [--digit D (drill-down) --limit N]\n'
    + '  duplicates --keys K1,K2 [--amount C] | --fuzzy-name N --block K1[,K2] [--threshold 0.92]\n'
    + '  gaps       --column C [--step day|month]\n'
    + '  stratify   --column C (--bounds 0,100000,1000000 | --quantiles 5)\n'
    + '  age        --column DATE [--as-of YYYY-MM-DD] [--amount C]\n'
    + '  pivot      --by C1[,C2] [--value C]\n'
    + '  sample     --name N --method random --size n [--seed s] [--amount C]\n'
    + '             --name N --method mus --amount C (--size n | --interval J) [--seed s] [--start S]',
  async run(argv) {
    const args = parseArgs(argv, ['json', 'no-mask']);
    const mask = flag(args, 'no-mask') !== 'true';
    const tool = args.positionals[0] as Tool;
    if (!TOOLS.includes(tool)) throw new UsageError(`TOOL must be one of ${TOOLS.join(', ')}`);
    const ws = await Workspace.open(requireFlag(args, 'workspace'));
    try {
      const { result, text: lines } = await runTool(ws, tool, args, mask).catch((e) => { if (e instanceof ToolError) throw new InputError(e.message); throw e; });
      // Free text (names, notes) may still hold an identifier: the one masking function over every printed line.
      const text = mask ? lines.map(maskText) : lines;
      const save = flag(args, 'save');
      if (save && tool !== 'sample') {
        await appendTrail(ws, { action: `tool.${tool}`, params: Object.fromEntries([...args.flags].filter(([k]) => k !== 'workspace' && k !== 'json' && k !== 'no-mask')),
          result: { result_table: (result as { result_table?: string }).result_table } });
      }
      if (flag(args, 'json') === 'true') console.log(JSON.stringify(result, (_k, v) => (typeof v === 'bigint' ? v.toString() : v), 2));
      else console.log(text.join('\n'));
      if ((result as { result_table?: string }).result_table && flag(args, 'json') !== 'true') console.log(`Tabel hasil: ${(result as { result_table: string }).result_table}`);
      return 0;
    } finally {
      await ws.close();
    }
  },
};
