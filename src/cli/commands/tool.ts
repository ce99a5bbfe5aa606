import type { Command } from '../command';
import { UsageError, flag, flagList, parseArgs, requireFlag } from '../args';
import type { ToolResult } from '../../shared/types';
import { maskText } from '../../shared/masking';
import { withService, type ServiceClient } from '../service';

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

// The tools' figures as the service answers them (ToolResult.data: the engine's result, masked when masking is on).
interface Benford { n: number; excluded: number; mad: number; conformity: string; mad_ranges: { close: number; acceptable: number; marginal: number };
  chi_square: number; df: number; digits: { digit: number; count: number; actual: number | null; expected: number | null; z: number; significant: boolean }[]; notes: string[] }
interface Profile { column: string; type: string; rows: number; nulls: number; blanks: number; distinct: number; min: unknown; max: unknown;
  length: { min: number; max: number }; top: { value: unknown; count: number }[] }
interface Fuzzy { pairs: number; threshold: number; block_keys: string[]; records: number; top: { similarity: number; name_a: string; name_b: string; block: unknown }[] }
interface Dups { groups: number; records: number; excess: number; amount?: number; top: { count: number; keys: unknown }[] }
interface Gaps { gaps: number; missing: number; duplicates: number; min: unknown; max: unknown; top: { after: unknown; before: unknown; missing: number }[] }
interface Strata { strata: { label: string; count: number; count_share: number | null; sum: number; sum_share: number | null }[] }
interface Ageing { as_of: string; buckets: { bucket: string; count: number; sum: number | null }[] }
interface Pivot { truncated?: boolean; rows: { groups: Record<string, unknown>; count: number; sum?: number; avg?: number; min?: number; max?: number }[] }
interface Sample { method: string; result_table: string; sample_size: number; population_count: number; seed: number; interval?: number; random_start?: number; top_stratum?: number }

/** One tool through its contract call (the Alat screen's): queued with the writes, one trail entry, masked by the session. */
async function runTool(c: ServiceClient, tool: Tool, args: ReturnType<typeof parseArgs>): Promise<{ result: unknown; text: string[]; resultTable: string | null }> {
  const table = requireFlag(args, 'table');
  const save = flag(args, 'save');
  const text: string[] = [];
  const out = (r: ToolResult, result: unknown = r.data) => ({ result, text, resultTable: r.result_table });
  switch (tool) {
    case 'profile': {
      const r = await c.call('toolProfile', { table, column: flag(args, 'column'), top: number(flag(args, 'top'), 'top') });
      const ps = (r.data as { columns: Profile[] }).columns;
      for (const p of ps) {
        text.push(`${p.column} (${p.type}): ${p.rows} baris, ${p.nulls} kosong/NULL, ${p.blanks} blank, ${p.distinct} nilai unik, min ${p.min}, max ${p.max}, panjang ${p.length.min}-${p.length.max}`);
        text.push(`   teratas: ${p.top.slice(0, 5).map((t) => `${t.value} (${t.count})`).join(', ')}`);
      }
      return out(r, ps);
    }
    case 'benford': {
      const digits = (flag(args, 'digits') ?? '1') === '2' ? 2 : 1;
      const column = requireFlag(args, 'column');
      const minValue = number(flag(args, 'min-value'), 'min-value');
      const digit = number(flag(args, 'digit'), 'digit');
      const test = digits === 2 ? 'first_two' as const : 'first' as const;
      if (digit !== undefined) {
        const r = await c.call('benfordRecords', { table, column, digits: test, digit, min_value: minValue, offset: 0, limit: number(flag(args, 'limit'), 'limit') ?? 100 });
        text.push(`${r.total} record dengan digit awal ${digit}:`);
        for (const row of r.rows) text.push('  ' + JSON.stringify(row));
        return { result: r, text, resultTable: null };
      }
      const res = await c.call('toolBenford', { table, column, digits: test, min_value: minValue, save });
      const r = res.data as Benford;
      text.push(`Benford ${digits === 1 ? 'digit pertama' : 'dua digit pertama'} — ${table}.${column}: n = ${r.n} (dikecualikan ${r.excluded})`);
      text.push(`MAD ${r.mad.toFixed(5)} -> ${r.conformity} (Nigrini: close < ${r.mad_ranges.close}, acceptable ≤ ${r.mad_ranges.acceptable}, marginal ≤ ${r.mad_ranges.marginal}); chi-square ${r.chi_square.toFixed(2)}, df ${r.df}`);
      if (digits === 1) for (const d of r.digits) text.push(`  ${d.digit}  ${String(d.count).padStart(9)}  aktual ${pct(d.actual).padStart(6)}  harapan ${pct(d.expected).padStart(6)}  z ${d.z.toFixed(2)}${d.significant ? ' *' : ''}`);
      else {
        const sig = r.digits.filter((d) => d.significant).sort((a, b) => b.z - a.z);
        text.push(`  ${sig.length} digit signifikan (z > 1,96)${sig.length ? `, terbesar: ${sig.slice(0, 10).map((d) => `${d.digit} (z ${d.z.toFixed(1)})`).join(', ')}` : ''}`);
      }
      for (const n of r.notes) text.push(`Catatan: ${n}`);
      return out(res);
    }
    case 'duplicates': {
      const fuzzyName = flag(args, 'fuzzy-name');
      if (fuzzyName) {
        const res = await c.call('toolDuplicates', { table, keys: list(args, 'block'), fuzzy: { name_column: fuzzyName, threshold: number(flag(args, 'threshold'), 'threshold') }, save });
        const r = res.data as Fuzzy;
        text.push(`${r.pairs} pasangan nama mirip (≥ ${r.threshold}) dalam blok ${r.block_keys.join('+')}, ${r.records} record`);
        for (const p of r.top.slice(0, 20)) text.push(`  ${p.similarity.toFixed(3)}  ${p.name_a} | ${p.name_b}  ${JSON.stringify(p.block)}`);
        return out(res);
      }
      const keys = list(args, 'keys');
      if (!keys.length) throw new UsageError('--keys a,b (or --fuzzy-name N --block K) is required');
      const res = await c.call('toolDuplicates', { table, keys, amount_column: flag(args, 'amount'), save });
      const r = res.data as Dups;
      text.push(`${r.groups} kelompok duplikat pada ${keys.join('+')}, ${r.records} record (${r.excess} kelebihan)${r.amount !== undefined ? `, nilai ${r.amount}` : ''}`);
      for (const g of r.top.slice(0, 20)) text.push(`  ${g.count}x  ${JSON.stringify(g.keys)}`);
      return out(res);
    }
    case 'gaps': {
      const step = flag(args, 'step');
      if (step !== undefined && step !== 'day' && step !== 'month') throw new UsageError('--step must be day or month');
      const res = await c.call('toolGaps', { table, column: requireFlag(args, 'column'), step, save });
      const r = res.data as Gaps;
      text.push(`${r.gaps} celah, ${r.missing} nilai hilang, ${r.duplicates} duplikat; rentang ${r.min} – ${r.max}`);
      for (const g of r.top.slice(0, 50)) text.push(`  setelah ${g.after} sebelum ${g.before}: ${g.missing} hilang`);
      return out(res);
    }
    case 'stratify': {
      const bounds = list(args, 'bounds').map((b) => number(b, 'bounds')!);
      const res = await c.call('toolStratify', { table, column: requireFlag(args, 'column'), bounds: bounds.length ? bounds : undefined,
        strata: number(flag(args, 'quantiles'), 'quantiles'), save });
      for (const s of (res.data as Strata).strata) text.push(`  ${s.label.padEnd(30)} ${String(s.count).padStart(9)} ${pct(s.count_share).padStart(7)}  ${s.sum.toLocaleString('id-ID').padStart(20)} ${pct(s.sum_share).padStart(7)}`);
      return out(res);
    }
    case 'age': {
      const res = await c.call('toolAgeing', { table, column: requireFlag(args, 'column'), as_of: flag(args, 'as-of'), amount_column: flag(args, 'amount'), save });
      const r = res.data as Ageing;
      text.push(`Umur per ${r.as_of}:`);
      for (const b of r.buckets) text.push(`  ${b.bucket.padEnd(8)} ${String(b.count).padStart(9)}${b.sum !== null ? `  ${b.sum.toLocaleString('id-ID').padStart(20)}` : ''}`);
      return out(res);
    }
    case 'pivot': {
      const res = await c.call('toolPivot', { table, rows: list(args, 'by'), value: flag(args, 'value'), save });
      const r = res.data as Pivot;
      for (const row of r.rows.slice(0, 200)) text.push(`  ${Object.values(row.groups).join(' | ')}: ${row.count}${row.sum !== undefined ? `  sum ${row.sum}  avg ${row.avg}  min ${row.min}  max ${row.max}` : ''}`);
      if (r.truncated || r.rows.length > 200) text.push('  … (gunakan --json atau --save)');
      return out(res);
    }
    case 'sample': {
      const method = flag(args, 'method') ?? 'random';
      if (method !== 'random' && method !== 'mus') throw new UsageError('--method must be random or mus');
      const name = requireFlag(args, 'name');
      const seed = number(flag(args, 'seed'), 'seed');
      const res = method === 'mus'
        ? await c.call('toolSample', { table, method, name, amount_column: requireFlag(args, 'amount'), size: number(flag(args, 'size'), 'size'),
          interval: number(flag(args, 'interval'), 'interval'), seed, random_start: number(flag(args, 'start'), 'start') })
        : await c.call('toolSample', { table, method, name, size: number(requireFlag(args, 'size'), 'size')!, seed, amount_column: flag(args, 'amount') });
      const r = res.data as Sample;
      text.push(`Sampel ${r.method} ${r.result_table}: ${r.sample_size} dari ${r.population_count} record, seed ${r.seed}`
        + (r.interval !== undefined ? `, interval ${r.interval}, awal acak ${r.random_start}, strata atas ${r.top_stratum}` : ''));
      return out(res);
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
    // Masking on (the default): the session masks what the service answers (NIK/KK, account numbers, free text).
    return withService(requireFlag(args, 'workspace'), async (c) => {
      const { result, text: lines, resultTable } = await runTool(c, tool, args);
      // Free text (names, notes) may still hold an identifier: the one masking function over every printed line.
      const text = mask ? lines.map(maskText) : lines;
      if (flag(args, 'json') === 'true') console.log(JSON.stringify(result, (_k, v) => (typeof v === 'bigint' ? v.toString() : v), 2));
      else console.log(text.join('\n'));
      if (resultTable && flag(args, 'json') !== 'true') console.log(`Tabel hasil: ${resultTable}`);
      return 0;
    }, undefined, { prefs: { masking_default: mask } });
  },
};
