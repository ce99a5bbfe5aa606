import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Command } from '../command';
import { InputError, UsageError, flag, multiValueFlags, parseArgs } from '../args';
import type { Summary } from '../../shared/summary';
import { REPORT_KINDS, type Kind, type ReportFileKind } from '../../shared/types';
import { recipeInputFor, type RecipeView } from '../../shared/continuity';
import { readRecipeFile } from './recipe';
import { importOne } from './import';
import { CallFailed, withService } from '../service';

type ReportKind = ReportFileKind;
/** The workbook kinds as the contract names them (field-sample → field_sample). */
export const wireKind = (k: ReportKind) => (k === 'field-sample' ? 'field_sample' : k);

const FILE_FLAGS = ['registry', 'disbursements', 'budget', 'deaths', 'civil-servants', 'complaints', 'flags'] as const;
const KIND_OF: Record<string, string> = { 'civil-servants': 'civil_servants' };
const KINDS = ['registry', 'disbursements', 'budget', 'deaths', 'civil_servants', 'complaints', 'flags', 'other'];

export const fmtInt = (n: number | null | undefined) => (n == null ? '-' : Math.round(n).toLocaleString('id-ID'));
export const fmtRp = (n: number | null | undefined) => (n == null ? '-' : 'Rp ' + Math.round(n).toLocaleString('id-ID'));

/** Parses `--map kind.column=HEADER` flags into per-kind maps (canonical column -> source header). */
export function parseMaps(values: string[]): Record<string, Record<string, string>> {
  const out: Record<string, Record<string, string>> = {};
  for (const v of values) {
    const m = /^([a-z_-]+)\.([A-Za-z0-9_]+)=(.+)$/.exec(v);
    if (!m) throw new UsageError(`--map expects kind.column=HEADER, got "${v}"`);
    const kind = KIND_OF[m[1]] ?? m[1];
    if (!KINDS.includes(kind)) throw new UsageError(`--map: unknown kind "${m[1]}" (${KINDS.join(', ')})`);
    (out[kind] ??= {})[m[2]] = m[3];
  }
  return out;
}

/**
 * Reads --rules (a JSON object of programme rules). The service validates them with the run (runAnalysis's `rules`,
 * the rules module): an invalid file is refused before anything runs, as an input error (exit 3).
 */
export function loadRulesFlag(path: string | undefined): Record<string, unknown> | undefined {
  if (!path) return undefined;
  let doc: unknown;
  try { doc = JSON.parse(readFileSync(resolve(path), 'utf8').replace(/^\uFEFF/, '')); } catch (e) {
    throw new InputError(`--rules: ${resolve(path)}: ${(e as Error).message}`);
  }
  if (!doc || typeof doc !== 'object' || Array.isArray(doc)) throw new InputError(`--rules: ${resolve(path)}: the rules file must be a JSON object`);
  return doc as Record<string, unknown>;
}

/** A run refused for its --rules is an input error naming the flag (exit 3). */
export function rulesRefused(e: unknown): never {
  if (e instanceof CallFailed && e.code === 'invalid_input') throw new InputError(`--rules: ${e.message}`);
  throw e;
}

/** The short human table: check, records, recipients, Rp. */
export function summaryTable(s: Summary): string {
  const rows: string[][] = [['check', 'records', 'recipients', 'amount']];
  for (const [id, c] of Object.entries(s.checks)) {
    if (!c.evaluated) { rows.push([id, 'not evaluated', '', '']); continue; }
    const extra = c.pairs !== undefined ? ` (${fmtInt(c.pairs)} pairs)` : c.accounts !== undefined ? ` (${fmtInt(c.accounts)} accounts)` : '';
    rows.push([id, fmtInt(c.records) + extra, c.recipients === undefined ? '' : fmtInt(c.recipients), c.amount === undefined ? '' : fmtRp(c.amount)]);
  }
  const pl = s.potential_loss;
  rows.push(['potential_loss', fmtInt(pl.records), fmtInt(pl.recipients), fmtRp(pl.amount)]);
  const w = [0, 1, 2, 3].map((i) => Math.max(...rows.map((r) => r[i].length)));
  const line = (r: string[]) => [r[0].padEnd(w[0]), r[1].padStart(w[1]), r[2].padStart(w[2]), r[3].padStart(w[3])].join('  ');
  const out = [line(rows[0]), w.map((n) => '-'.repeat(n)).join('  '), ...rows.slice(1, -1).map(line), w.map((n) => '-'.repeat(n)).join('  '), line(rows[rows.length - 1])];
  const tg = Object.entries(s.targeting);
  if (tg.length) {
    out.push('', 'targeting: programme  households  target  inclusion  exclusion  leakage  CGH');
    for (const [p, t] of tg) {
      if (!t.evaluated) { out.push(`  ${p}: not evaluated (no registry)`); continue; }
      out.push(`  ${p}: ${fmtInt(t.beneficiary_households)}  ${fmtInt(t.target_households)}  ${pct(t.inclusion_error)}  ${pct(t.exclusion_error)}  ${pct(t.leakage)}  ${t.cgh == null ? '-' : Number(t.cgh).toFixed(2)}`);
    }
  }
  if (s.budget.evaluated) {
    const b = s.budget;
    out.push('', `budget: ${fmtInt(b.lines)} lines, allocation ${fmtRp(b.allocation)}, realization ${fmtRp(b.realization)}, absorption ${b.absorption == null ? '-' : (b.absorption * 100).toFixed(1) + '%'}`);
  }
  out.push(...flagsLines(s), ...impactLines(s));
  return out.join('\n');
}

export const pct = (x: unknown) => (x == null ? '-' : (Number(x) * 100).toFixed(1) + '%');

/** flagged_recipient per comparison list, and the recipients on two or more lists (contract 2). */
export function flagsLines(s: Summary): string[] {
  const f = s.checks.flagged_recipient as Record<string, unknown> | undefined;
  if (!f || !f.evaluated) return [];
  const lists = (f.lists ?? {}) as Record<string, { records: number; recipients: number; amount: number }>;
  const out = ['', 'comparison lists (flagged_recipient): list  records  recipients  amount'];
  const w = Math.max(4, ...Object.keys(lists).map((k) => k.length));
  for (const [name, v] of Object.entries(lists)) out.push(`  ${name.padEnd(w)}  ${fmtInt(v.records).padStart(8)}  ${fmtInt(v.recipients).padStart(10)}  ${fmtRp(v.amount)}`);
  out.push(`  recipients on two or more lists: ${fmtInt(Number(f.multi_list_recipients ?? 0))}`);
  return out;
}

/** The impact key of the summary: coverage, complementarity, graduation (contract 2). */
export function impactLines(s: Summary): string[] {
  const imp = s.impact as Record<string, unknown> | undefined;
  if (!imp || imp.evaluated === false && !imp.complementarity) return imp?.reason ? ['', `impact: not evaluated (${String(imp.reason)})`] : [];
  const out = ['', 'impact: coverage of registry households (desil 1-2, desil 1-4)'];
  for (const [p, c] of Object.entries((imp.coverage ?? {}) as Record<string, { desil_1_2: number | null; desil_1_4: number | null }>)) {
    out.push(`  ${p}: ${pct(c.desil_1_2)}  ${pct(c.desil_1_4)}`);
  }
  const c = imp.complementarity as { pkh: number; bpnt: number; both: number } | undefined;
  if (c) out.push(`  complementarity: PKH ${fmtInt(c.pkh)}, BPNT ${fmtInt(c.bpnt)}, both ${fmtInt(c.both)} households`);
  const g = imp.graduation as Record<string, unknown> | undefined;
  if (g?.evaluated) {
    out.push(`  graduation ${String(g.earlier)} -> ${String(g.later)}: poor earlier ${fmtInt(Number(g.poor_earlier))}, present later ${fmtInt(Number(g.present_later))}, ` +
      `graduated ${fmtInt(Number(g.graduated))}, fell in ${fmtInt(Number(g.fell_in))}, graduated still paid ${fmtInt(Number(g.graduated_still_paid))}`);
  } else if (g) out.push(`  graduation: not evaluated (${String(g.reason ?? '')})`);
  return out;
}

export const auditCommand: Command = {
  name: 'audit',
  summary: 'Import extracts, run every check and indicator, write the telisik.summary/1 JSON (and a workbook)',
  usage: 'telisik audit [--workspace W] --registry F… --disbursements F… [--budget F…] [--deaths F…] [--civil-servants F…] '
    + '[--complaints F…] [--flags F…] [--rules rules.json] [--summary summary.json] [--out report.xlsx] [--report-kind bpk|kkp|evaluator|field-sample] '
    + '[--mask-nik] [--map kind.column=HEADER]… [--quiet] [--recipe resep.json [--out-dir DIR]]\n'
    + '  Re-running on the same --workspace skips an extract already imported (same SHA-256 and kind).\n'
    + '  --recipe: replay an audit recipe (telisik recipe save) on these files: its mappings (a --map wins), programme rules,\n'
    + '  profiles, event dates, checks and parameters; --out-dir DIR writes the recipe\'s workbooks there.',
  async run(argv) {
    const { values, rest } = multiValueFlags(argv, [...FILE_FLAGS]);
    const args = parseArgs(rest, ['mask-nik', 'quiet']);
    if (args.positionals.length) throw new UsageError(`unexpected argument: ${args.positionals[0]}`);
    const known = new Set(['workspace', 'rules', 'summary', 'out', 'report-kind', 'mask-nik', 'map', 'quiet', 'recipe', 'out-dir']);
    for (const k of args.flags.keys()) if (!known.has(k)) throw new UsageError(`unknown option --${k}`);
    const files: { kind: string; path: string }[] = [];
    for (const f of FILE_FLAGS) for (const p of values.get(f) ?? []) files.push({ kind: KIND_OF[f] ?? f, path: resolve(p) });
    if (!(values.get('disbursements') ?? []).length) throw new UsageError('--disbursements is required');
    for (const f of FILE_FLAGS) if (values.has(f) && !(values.get(f) ?? []).length) throw new UsageError(`--${f} needs at least one file`);
    const maps = parseMaps(args.flags.get('map') ?? []);
    const rules = loadRulesFlag(flag(args, 'rules'));
    const recipePath = flag(args, 'recipe');
    const recipe: RecipeView | undefined = recipePath ? await readRecipeFile(recipePath) : undefined;
    if (recipe && rules) throw new UsageError('--rules and --recipe together: the recipe carries the rules of its run (edit the recipe instead)');
    if (flag(args, 'out-dir') && !recipe) throw new UsageError('--out-dir goes with --recipe (the recipe names the workbooks)');
    const reportKind = flag(args, 'report-kind');
    if (reportKind && !(REPORT_KINDS as readonly string[]).includes(reportKind)) throw new UsageError(`--report-kind must be one of ${REPORT_KINDS.join(', ')}`);
    const quiet = flag(args, 'quiet') === 'true';

    const wsPath = flag(args, 'workspace');
    const tmp = wsPath ? undefined : mkdtempSync(join(tmpdir(), 'telisik-audit-'));
    try {
      return await withService(wsPath ?? join(tmp!, 'audit.duckdb'), async (c) => {
        if (recipe) await c.call('applyRecipe', { path: resolve(recipePath!) });
        // Re-running `audit` on the same workspace must not load an extract twice (it would double every figure): an
        // extract already imported (same SHA-256, same kind) is skipped, by design, so an audit can be re-run with
        // the same flags. (`import` and the UI refuse such a file instead — see importFile's DuplicateImportError.)
        // The skip is the service's duplicate refusal (importFiles: same SHA-256 into the same table, confirm_required).
        for (const f of files) {
          const ri = recipe ? recipeInputFor(recipe.inputs, f.kind, f.path) : undefined;
          const map = ri && f.kind !== 'other' ? { ...ri.mapping, ...(maps[f.kind] ?? {}) } : maps[f.kind];
          const sheet = ri?.sheet && ri.format === 'xlsx' && /\.xlsx$/i.test(f.path) ? ri.sheet : undefined;
          let r;
          try {
            [r] = await importOne(c, { kind: f.kind as Kind, path: f.path, map, sheet, list: ri?.list ?? undefined });
          } catch (e) {
            if (!(e instanceof CallFailed && e.code === 'confirm_required')) throw e;
            if (!quiet) console.error(`skipped ${f.kind} ${f.path}: already imported (same SHA-256)`);
            continue;
          }
          if (ri && !quiet) console.error(`  mapping from the recipe (${ri.file})`);
          if (!quiet) console.error(`imported ${f.kind} ${r.file}: ${r.rows_loaded}/${r.rows_read} rows (${r.rows_rejected} rejected)`);
        }
        const t0 = Date.now();
        // The app's run: checks, indicators, findings drafted, the trail entry with the seal.
        await c.task('runAnalysis', recipe?.run
          ? { rules: recipe.run.rules ?? undefined, only: recipe.run.only ?? undefined, params: recipe.run.params as Record<string, unknown> | undefined }
          : { rules }).catch((e) => (rules ? rulesRefused(e) : Promise.reject(e)));
        const summary = (await c.call('analysisSummary', {}))!;
        const out = flag(args, 'summary');
        if (out) await c.call('writeSummary', { out, confirm_outside: true });
        if (!quiet) {
          console.log(summaryTable(summary));
          console.log(`\nchecks ran in ${((Date.now() - t0) / 1000).toFixed(1)} s${out ? `; summary written to ${resolve(out)}` : ''}`);
        }
        const report = flag(args, 'out');
        if (report) {
          const kind = (flag(args, 'report-kind') ?? 'bpk') as ReportKind;
          const r = await c.task('writeReport', { kind: wireKind(kind), out: resolve(report), mask: flag(args, 'mask-nik') === 'true', confirm_outside: true });
          if (!quiet) console.log(`report written to ${r.path} (sha256 ${r.sha256})`);
        }
        const outDir = flag(args, 'out-dir');
        if (recipe && outDir) {
          mkdirSync(resolve(outDir), { recursive: true });
          for (const [i, w] of recipe.workbooks.entries()) {
            if (w.with_previous) { if (!quiet) console.error(`workbook ${w.kind}: made with a previous engagement — run telisik report --previous for it`); }
            const r = await c.task('writeReport', {
              kind: wireKind(w.kind as ReportKind), out: join(resolve(outDir), `${String(i + 1).padStart(2, '0')}-${w.kind}.xlsx`), mask: w.mask_nik, confirm_outside: true,
              row_limit: w.row_limit ?? undefined, prepared_by: w.prepared_by ?? undefined, reviewed_by: w.reviewed_by ?? undefined,
              sample_size: w.sample ?? undefined, seed: w.seed ?? undefined, checks: w.checks ?? undefined,
            });
            if (!quiet) console.log(`recipe workbook ${w.kind} written to ${r.path}`);
          }
        }
        return 0;
      }, { name: 'telisik audit' });
    } finally {
      if (tmp) rmSync(tmp, { recursive: true, force: true });
    }
  },
};
