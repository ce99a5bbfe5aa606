/**
 * Audit recipes (issue 15.2): what makes an audit reproducible on next period's files — the input kinds with their
 * column mappings and saved profiles, the engagement's programme rules, the checks of the last run with their
 * rules and parameters, the event dates and the workbooks produced with their options. No data and no paths of this
 * machine: file names only (a hint for matching next period's files), never directories.
 */
import { basename } from 'node:path';
import type { Workspace } from '../workspace/workspace';
import { appendTrail } from '../trail/trail';
import { KINDS } from '../ingest/columns';
import { CHECKS, INDICATOR_IDS } from '../checks';
import { validateRulesOverride, saveEngagementRules, type ProgrammeRulesOverride } from '../rules/rules';
import { InvalidInputError } from '../../shared/errors';

export const RECIPE_FORMAT = 'telisik.recipe/1';

// The input and workbook shapes are the wire types (src/shared/continuity.ts).
import { recipeInputFor as inputFor, type RecipeInputView as RecipeInput, type RecipeWorkbookView as RecipeWorkbook } from '../../shared/continuity';
export type { RecipeInput, RecipeWorkbook };

export interface Recipe {
  format: typeof RECIPE_FORMAT;
  app_version?: string;
  engagement: { entity: string | null; team: string | null };
  inputs: RecipeInput[];
  profiles: { name: string; kind: string; mapping: Record<string, string> }[];
  /** The engagement's programme-rules override (settings), null when the defaults were used. */
  rules: ProgrammeRulesOverride | null;
  /** The last completed run: checks (null = all), the effective rules it used and every check's resolved parameters. */
  run: { only: string[] | null; rules: ProgrammeRulesOverride; params: Record<string, Record<string, unknown>> } | null;
  event_dates: { date: string; label: string }[];
  workbooks: RecipeWorkbook[];
}

export class RecipeError extends InvalidInputError {}

const parse = (v: unknown): unknown => {
  if (typeof v !== 'string') return v ?? null;
  try { return JSON.parse(v); } catch { return null; }
};

/** Builds the recipe of a workspace (read-only). */
export async function buildRecipe(ws: Workspace, appVersion?: string): Promise<Recipe> {
  const eng = await ws.engagement();
  const imports = await ws.all<{ kind: string; file: string; format: string | null; sheet: string | null; mapping: string | null; import_id: number }>(
    `SELECT import_id, kind, file, format, sheet, mapping::VARCHAR AS mapping FROM import_log WHERE status = 'completed' ORDER BY import_id`);
  const trail = (await ws.tableExists('audit_trail'))
    ? await ws.all<{ action: string; params: string; result: string }>(`SELECT "action", params, "result" FROM audit_trail WHERE "action" IN ('import', 'report.export') ORDER BY seq`)
    : [];
  const importParams = new Map<number, Record<string, unknown>>();
  for (const t of trail.filter((x) => x.action === 'import')) {
    const r = parse(t.result) as Record<string, unknown> | null;
    if (r?.import_id !== undefined) importParams.set(Number(r.import_id), (parse(t.params) ?? {}) as Record<string, unknown>);
  }
  const inputs: RecipeInput[] = imports.map((i) => {
    const p = importParams.get(Number(i.import_id)) ?? {};
    return {
      kind: i.kind, file: basename(i.file), format: i.format ?? null, sheet: i.sheet ?? null,
      mapping: (parse(i.mapping) ?? {}) as Record<string, string>,
      ...(typeof p.list === 'string' ? { list: p.list } : {}),
    };
  });
  const profiles = (await ws.all<{ name: string; kind: string; mapping: string }>(`SELECT name, kind, mapping::VARCHAR AS mapping FROM mapping_profiles ORDER BY name`))
    .map((p) => ({ name: p.name, kind: p.kind, mapping: (parse(p.mapping) ?? {}) as Record<string, string> }));
  const rulesRow = await ws.scalar<string | undefined>(`SELECT value::VARCHAR FROM settings WHERE key = 'programme_rules'`);
  const events = await ws.scalar<string | undefined>(`SELECT value::VARCHAR FROM settings WHERE key = 'event_dates'`);
  let run: Recipe['run'] = null;
  if (await ws.tableExists('analysis_runs')) {
    const r = await ws.scalar<string | undefined>(`SELECT params::VARCHAR FROM analysis_runs WHERE status = 'completed' ORDER BY run_id DESC LIMIT 1`);
    const p = parse(r) as { only?: string[] | null; rules?: ProgrammeRulesOverride; params?: Record<string, Record<string, unknown>> } | null;
    if (p) run = { only: p.only ?? null, rules: p.rules ?? {}, params: p.params ?? {} };
  }
  const workbooks: RecipeWorkbook[] = [];
  const seen = new Set<string>();
  for (const t of trail.filter((x) => x.action === 'report.export')) {
    const p = (parse(t.params) ?? {}) as Record<string, unknown>;
    const w: RecipeWorkbook = {
      kind: String(p.kind), mask_nik: !!p.mask_nik, row_limit: (p.row_limit as number) ?? null, prepared_by: (p.prepared_by as string) ?? null,
      reviewed_by: (p.reviewed_by as string) ?? null, sample: (p.sample as number) ?? null, seed: (p.seed as number) ?? null,
      checks: (p.checks as string[]) ?? null, ...(p.previous ? { with_previous: true } : {}),
    };
    const key = JSON.stringify(w);
    if (!seen.has(key)) { seen.add(key); workbooks.push(w); }
  }
  return {
    format: RECIPE_FORMAT, ...(appVersion ? { app_version: appVersion } : {}),
    engagement: { entity: eng.entity ?? null, team: eng.team ?? null },
    inputs, profiles, rules: rulesRow ? (parse(rulesRow) as ProgrammeRulesOverride) : null, run,
    event_dates: (parse(events) as Recipe['event_dates']) ?? [], workbooks,
  };
}

const TOP = ['format', 'app_version', 'engagement', 'inputs', 'profiles', 'rules', 'run', 'event_dates', 'workbooks'];
const INPUT_FIELDS = ['kind', 'file', 'format', 'sheet', 'mapping', 'list'];
const WB_FIELDS = ['kind', 'mask_nik', 'row_limit', 'prepared_by', 'reviewed_by', 'sample', 'seed', 'checks', 'with_previous'];
const REPORTS = ['bpk', 'kkp', 'evaluator', 'field-sample', 'tlhp'];

function unknownFields(o: Record<string, unknown>, known: string[], where: string): void {
  for (const k of Object.keys(o)) if (!known.includes(k)) throw new RecipeError(`resep: kolom tidak dikenal "${where}${k}" (unknown field; known: ${known.join(', ')})`);
}
const isObj = (v: unknown): v is Record<string, unknown> => !!v && typeof v === 'object' && !Array.isArray(v);
const strMap = (v: unknown, where: string): Record<string, string> => {
  if (!isObj(v)) throw new RecipeError(`resep: ${where} harus objek {kolom: HEADER}`);
  for (const [k, x] of Object.entries(v)) if (typeof x !== 'string') throw new RecipeError(`resep: ${where}.${k} harus teks`);
  return v as Record<string, string>;
};

/** Parses and validates a recipe file's text: wrong kind of file, unknown format version or field → RecipeError. */
export function parseRecipe(text: string, source = 'resep'): Recipe {
  if (text.startsWith('PK')) throw new RecipeError(`${source} adalah workbook/zip, bukan resep (a recipe is the JSON written by telisik recipe save)`);
  let doc: unknown;
  try { doc = JSON.parse(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text); } catch {
    throw new RecipeError(`${source} bukan JSON — bukan resep Telisik (not a recipe: write one with telisik recipe save)`);
  }
  if (!isObj(doc)) throw new RecipeError(`${source}: resep harus objek JSON`);
  if (doc.schema === 'telisik.summary/1') throw new RecipeError(`${source} adalah ringkasan hasil (telisik.summary/1), bukan resep (a summary, not a recipe)`);
  if (typeof doc.format !== 'string' || !doc.format.startsWith('telisik.recipe/')) {
    throw new RecipeError(`${source} bukan resep Telisik: kolom "format" harus "${RECIPE_FORMAT}" (not a recipe)`);
  }
  if (doc.format !== RECIPE_FORMAT) throw new RecipeError(`${source}: versi resep ${doc.format} tidak didukung; versi ini membaca ${RECIPE_FORMAT} (unsupported recipe version)`);
  unknownFields(doc, TOP, '');
  const inputs = doc.inputs ?? [];
  if (!Array.isArray(inputs)) throw new RecipeError('resep: inputs harus daftar');
  inputs.forEach((i, n) => {
    if (!isObj(i)) throw new RecipeError(`resep: inputs[${n}] harus objek`);
    unknownFields(i, INPUT_FIELDS, `inputs[${n}].`);
    if (!(KINDS as readonly string[]).includes(String(i.kind))) throw new RecipeError(`resep: inputs[${n}].kind "${String(i.kind)}" tidak dikenal (${KINDS.join(', ')})`);
    strMap(i.mapping ?? {}, `inputs[${n}].mapping`);
    if (typeof i.file !== 'string' || /[\\/]/.test(i.file)) throw new RecipeError(`resep: inputs[${n}].file harus nama berkas tanpa folder`);
  });
  const profiles = doc.profiles ?? [];
  if (!Array.isArray(profiles)) throw new RecipeError('resep: profiles harus daftar');
  profiles.forEach((p, n) => {
    if (!isObj(p)) throw new RecipeError(`resep: profiles[${n}] harus objek`);
    unknownFields(p, ['name', 'kind', 'mapping'], `profiles[${n}].`);
    if (!(KINDS as readonly string[]).includes(String(p.kind))) throw new RecipeError(`resep: profiles[${n}].kind tidak dikenal`);
    strMap(p.mapping, `profiles[${n}].mapping`);
  });
  if (doc.rules != null) {
    try { validateRulesOverride(doc.rules, 'resep rules'); } catch (e) { throw new RecipeError(`resep: rules — ${(e as Error).message}`); }
  }
  if (doc.run != null) {
    if (!isObj(doc.run)) throw new RecipeError('resep: run harus objek');
    unknownFields(doc.run, ['only', 'rules', 'params'], 'run.');
    const ids = [...CHECKS.map((c) => c.id), ...INDICATOR_IDS];
    if (doc.run.only != null) {
      if (!Array.isArray(doc.run.only)) throw new RecipeError('resep: run.only harus daftar');
      for (const id of doc.run.only) if (!ids.includes(String(id))) throw new RecipeError(`resep: run.only — prosedur tidak dikenal "${String(id)}"`);
    }
    if (doc.run.params != null) {
      if (!isObj(doc.run.params)) throw new RecipeError('resep: run.params harus objek');
      for (const id of Object.keys(doc.run.params)) if (!CHECKS.some((c) => c.id === id)) throw new RecipeError(`resep: run.params — prosedur tidak dikenal "${id}"`);
    }
    if (doc.run.rules != null) {
      try { validateRulesOverride(doc.run.rules, 'resep run.rules'); } catch (e) { throw new RecipeError(`resep: run.rules — ${(e as Error).message}`); }
    }
  }
  const ev = doc.event_dates ?? [];
  if (!Array.isArray(ev) || ev.some((e) => !isObj(e) || !/^\d{4}-\d{2}-\d{2}$/.test(String(e.date)) || typeof e.label !== 'string')) {
    throw new RecipeError('resep: event_dates harus daftar {date: YYYY-MM-DD, label}');
  }
  const wbs = doc.workbooks ?? [];
  if (!Array.isArray(wbs)) throw new RecipeError('resep: workbooks harus daftar');
  wbs.forEach((w, n) => {
    if (!isObj(w)) throw new RecipeError(`resep: workbooks[${n}] harus objek`);
    unknownFields(w, WB_FIELDS, `workbooks[${n}].`);
    if (!REPORTS.includes(String(w.kind))) throw new RecipeError(`resep: workbooks[${n}].kind "${String(w.kind)}" tidak dikenal (${REPORTS.join(', ')})`);
  });
  if (doc.engagement != null) { if (!isObj(doc.engagement)) throw new RecipeError('resep: engagement harus objek'); unknownFields(doc.engagement, ['entity', 'team'], 'engagement.'); }
  return {
    format: RECIPE_FORMAT, ...(typeof doc.app_version === 'string' ? { app_version: doc.app_version } : {}),
    engagement: { entity: (doc.engagement as Record<string, string | null> | undefined)?.entity ?? null, team: (doc.engagement as Record<string, string | null> | undefined)?.team ?? null },
    inputs: inputs as RecipeInput[], profiles: profiles as Recipe['profiles'], rules: (doc.rules as ProgrammeRulesOverride) ?? null,
    run: (doc.run as Recipe['run']) ?? null, event_dates: ev as Recipe['event_dates'], workbooks: wbs as RecipeWorkbook[],
  };
}

/**
 * The recipe input whose mapping a new file of `kind` takes: the same file name, else the same format (extension),
 * else the first input of that kind.
 */
export function recipeInputFor(r: Recipe, kind: string, path: string): RecipeInput | undefined {
  return inputFor(r.inputs, kind, path);
}

/** Stores the recipe's engagement settings (rules, profiles, event dates) in a workspace. Trail: recipe.apply. */
export async function applyRecipeSettings(ws: Workspace, r: Recipe, source: string): Promise<void> {
  if (r.rules) await saveEngagementRules(ws, r.rules);
  for (const p of r.profiles) {
    await ws.run(`INSERT OR REPLACE INTO mapping_profiles VALUES ($n, $k, $m::JSON, now()::TIMESTAMP)`, { n: p.name, k: p.kind, m: JSON.stringify(p.mapping) });
  }
  if (r.event_dates.length) await ws.run(`INSERT OR REPLACE INTO settings VALUES ('event_dates', $v::JSON)`, { v: JSON.stringify(r.event_dates) });
  await appendTrail(ws, { action: 'recipe.apply', params: { recipe: basename(source), format: r.format }, result: {
    rules: !!r.rules, profiles: r.profiles.length, event_dates: r.event_dates.length, inputs: r.inputs.length, workbooks: r.workbooks.length } });
}
