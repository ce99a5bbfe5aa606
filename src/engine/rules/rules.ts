/**
 * Programme rules (DOMAIN.md "Programme rules"): defaults in resources/programme-rules.json, engagement overrides in
 * settings key 'programme_rules', run overrides (`--rules file.json`). Later layers are merged over earlier ones:
 * a programme named in an override is merged field by field over the same programme's rule (a new programme must
 * state its unit); thresholds merge key by key. A programme without a rule is NOT a household programme and has no
 * expected amount and no max desil (so it is never flagged by overpayment/underpayment/ineligible_desil and its
 * targeting figures that need a target set are null).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Workspace } from '../workspace/workspace';
import { InvalidInputError } from '../../shared/errors';

export type Unit = 'household' | 'individual';

export interface ProgrammeRule {
  unit: Unit;
  /** Expected amount per MONTH (rupiah); a record's expected amount = this × the months of its period key
   *  (`YYYY-MM` → 1, `YYYY-Tn` → months_per_stage; other keys are not judged). null = not checked. */
  expected_amount: number | null;
  /** Months one stage (`TAHAP`, period key `YYYY-Tn`) covers: 3 by default, 6 for PIP. */
  months_per_stage: number;
  /** Highest eligible registry desil; null = no desil rule. */
  max_desil: number | null;
  /** Programmes a household of this programme must not also receive in the same year of paid_date. */
  forbidden_overlap: string[];
  note?: string;
}

export interface Thresholds {
  identity_similarity: number;
  name_mismatch_similarity: number;
  realization_tolerance: number;
  cgh_max_desil: number;
}

export interface ProgrammeRules {
  programmes: Record<string, ProgrammeRule>;
  thresholds: Thresholds;
}

/** A partial rules document (file or settings): any subset of programmes/fields/thresholds. */
export interface ProgrammeRulesOverride {
  schema?: string;
  source?: string;
  programmes?: Record<string, Partial<ProgrammeRule> | null>;
  thresholds?: Partial<Thresholds>;
}

export class RulesError extends InvalidInputError {
  constructor(message: string, readonly origin?: string) {
    super(origin ? `${origin}: ${message}` : message);
  }
}

const RULES_PATH = join(__dirname, '..', '..', '..', 'resources', 'programme-rules.json');

const PROGRAMME_KEYS = new Set(['unit', 'expected_amount', 'months_per_stage', 'max_desil', 'forbidden_overlap', 'note', 'title', 'criteria']);
const THRESHOLD_KEYS: (keyof Thresholds)[] = ['identity_similarity', 'name_mismatch_similarity', 'realization_tolerance', 'cgh_max_desil'];

/** Programme codes are upper-cased and trimmed, like ingestion does for unknown programmes. */
export function programCode(s: string): string {
  return s.trim().toUpperCase().replace(/\s+/g, ' ');
}

function isObj(v: unknown): v is Record<string, unknown> {
  return !!v && typeof v === 'object' && !Array.isArray(v);
}

const THRESHOLD_ALIASES: Record<string, keyof Thresholds> = {
  identity: 'identity_similarity', identity_duplicate: 'identity_similarity', name_mismatch: 'name_mismatch_similarity',
  name: 'name_mismatch_similarity', realization: 'realization_tolerance', cgh: 'cgh_max_desil',
};

/**
 * Accepted shorthands, normalised before validation: a document that is just { CODE: rule, … } (no "programmes"
 * key) is read as { programmes: { … } }; "forbidden_overlaps" = "forbidden_overlap"; threshold names "identity",
 * "name_mismatch" = identity_similarity, name_mismatch_similarity.
 */
export function normaliseRulesDoc(doc: unknown): unknown {
  if (!isObj(doc)) return doc;
  let d: Record<string, unknown> = doc;
  const top = ['schema', 'source', 'programmes', 'thresholds'];
  if (!Object.keys(d).some((k) => top.includes(k)) && Object.keys(d).length && Object.values(d).every((v) => isObj(v) || v === null)) {
    d = { programmes: d };
  }
  const out: Record<string, unknown> = { ...d };
  if (isObj(d.programmes)) {
    out.programmes = Object.fromEntries(Object.entries(d.programmes).map(([code, r]) => {
      if (!isObj(r) || !('forbidden_overlaps' in r) || 'forbidden_overlap' in r) return [code, r];
      const { forbidden_overlaps, ...rest } = r;
      return [code, { ...rest, forbidden_overlap: forbidden_overlaps }];
    }));
  }
  if (isObj(d.thresholds)) {
    out.thresholds = Object.fromEntries(Object.entries(d.thresholds).map(([k, v]) => [THRESHOLD_ALIASES[k] ?? k, v]));
  }
  return out;
}

/** Validates an override document; throws RulesError naming the offending key. */
export function validateRulesOverride(input: unknown, origin?: string): ProgrammeRulesOverride {
  const doc = normaliseRulesDoc(input);
  if (!isObj(doc)) throw new RulesError('rules must be a JSON object with "programmes" and/or "thresholds"', origin);
  for (const k of Object.keys(doc)) {
    if (!['schema', 'source', 'programmes', 'thresholds'].includes(k)) {
      throw new RulesError(`unknown key "${k}" (allowed: programmes, thresholds, schema, source)`, origin);
    }
  }
  if (doc.programmes !== undefined) {
    if (!isObj(doc.programmes)) throw new RulesError('"programmes" must be an object keyed by programme code', origin);
    for (const [code, r] of Object.entries(doc.programmes)) {
      if (!code.trim()) throw new RulesError('empty programme code', origin);
      if (r === null) continue; // removes the programme's rule
      if (!isObj(r)) throw new RulesError(`programmes.${code} must be an object`, origin);
      for (const k of Object.keys(r)) {
        if (!PROGRAMME_KEYS.has(k)) throw new RulesError(`programmes.${code}: unknown key "${k}" (allowed: unit, expected_amount, months_per_stage, max_desil, forbidden_overlap, note)`, origin);
      }
      if (r.unit !== undefined && r.unit !== 'household' && r.unit !== 'individual') {
        throw new RulesError(`programmes.${code}.unit must be "household" or "individual", got ${JSON.stringify(r.unit)}`, origin);
      }
      if (r.expected_amount !== undefined && r.expected_amount !== null &&
          !(typeof r.expected_amount === 'number' && Number.isFinite(r.expected_amount) && r.expected_amount >= 0)) {
        throw new RulesError(`programmes.${code}.expected_amount must be a non-negative number (rupiah) or null, got ${JSON.stringify(r.expected_amount)}`, origin);
      }
      if (r.months_per_stage !== undefined &&
          !(typeof r.months_per_stage === 'number' && Number.isInteger(r.months_per_stage) && r.months_per_stage >= 1 && r.months_per_stage <= 12)) {
        throw new RulesError(`programmes.${code}.months_per_stage must be an integer 1..12, got ${JSON.stringify(r.months_per_stage)}`, origin);
      }
      if (r.max_desil !== undefined && r.max_desil !== null &&
          !(typeof r.max_desil === 'number' && Number.isInteger(r.max_desil) && r.max_desil >= 1 && r.max_desil <= 10)) {
        throw new RulesError(`programmes.${code}.max_desil must be an integer 1..10 or null, got ${JSON.stringify(r.max_desil)}`, origin);
      }
      if (r.forbidden_overlap !== undefined &&
          !(Array.isArray(r.forbidden_overlap) && r.forbidden_overlap.every((x) => typeof x === 'string' && x.trim()))) {
        throw new RulesError(`programmes.${code}.forbidden_overlap must be a list of programme codes`, origin);
      }
    }
  }
  if (doc.thresholds !== undefined) {
    if (!isObj(doc.thresholds)) throw new RulesError('"thresholds" must be an object', origin);
    for (const [k, v] of Object.entries(doc.thresholds)) {
      if (!THRESHOLD_KEYS.includes(k as keyof Thresholds)) throw new RulesError(`thresholds: unknown key "${k}" (allowed: ${THRESHOLD_KEYS.join(', ')})`, origin);
      if (typeof v !== 'number' || !Number.isFinite(v)) throw new RulesError(`thresholds.${k} must be a number`, origin);
      if ((k === 'identity_similarity' || k === 'name_mismatch_similarity') && (v < 0 || v > 1)) {
        throw new RulesError(`thresholds.${k} must be between 0 and 1, got ${v}`, origin);
      }
      if (k === 'realization_tolerance' && v < 0) throw new RulesError(`thresholds.${k} must be >= 0`, origin);
      if (k === 'cgh_max_desil' && !(Number.isInteger(v) && v >= 1 && v <= 10)) throw new RulesError(`thresholds.${k} must be an integer 1..10`, origin);
    }
  }
  return doc as ProgrammeRulesOverride;
}

/** Merges an override over complete rules; returns new rules (inputs untouched). */
export function mergeRules(base: ProgrammeRules, over: ProgrammeRulesOverride | undefined, origin?: string): ProgrammeRules {
  const out: ProgrammeRules = {
    programmes: Object.fromEntries(Object.entries(base.programmes).map(([k, v]) => [k, { ...v, forbidden_overlap: [...v.forbidden_overlap] }])),
    thresholds: { ...base.thresholds },
  };
  if (!over) return out;
  over = validateRulesOverride(over, origin);
  for (const [rawCode, r] of Object.entries(over.programmes ?? {})) {
    const code = programCode(rawCode);
    if (r === null) { delete out.programmes[code]; continue; }
    const prev = out.programmes[code];
    if (!prev && r.unit === undefined) throw new RulesError(`programmes.${rawCode}: a new programme must state its "unit" (household or individual)`, origin);
    const merged: ProgrammeRule = {
      unit: (r.unit ?? prev?.unit) as Unit,
      expected_amount: r.expected_amount !== undefined ? r.expected_amount : prev?.expected_amount ?? null,
      months_per_stage: r.months_per_stage ?? prev?.months_per_stage ?? DEFAULT_MONTHS_PER_STAGE,
      max_desil: r.max_desil !== undefined ? r.max_desil : prev?.max_desil ?? null,
      forbidden_overlap: (r.forbidden_overlap ?? prev?.forbidden_overlap ?? []).map(programCode),
    };
    const note = r.note ?? prev?.note;
    if (note !== undefined) merged.note = note;
    out.programmes[code] = merged;
  }
  for (const k of THRESHOLD_KEYS) {
    const v = over.thresholds?.[k];
    if (v !== undefined) out.thresholds[k] = v;
  }
  return out;
}

/** A programme rule that does not state its stage length: a quarter (DOMAIN.md: PKH, BPNT, BLT_DD, BLT). */
export const DEFAULT_MONTHS_PER_STAGE = 3;

let defaultsCache: ProgrammeRules | undefined;

/** The shipped defaults (resources/programme-rules.json). */
export function defaultRules(): ProgrammeRules {
  if (!defaultsCache) {
    const doc = JSON.parse(readFileSync(RULES_PATH, 'utf8')) as ProgrammeRulesOverride;
    const empty: ProgrammeRules = {
      programmes: {},
      thresholds: { identity_similarity: 0.92, name_mismatch_similarity: 0.8, realization_tolerance: 1, cgh_max_desil: 4 },
    };
    defaultsCache = mergeRules(empty, doc, 'resources/programme-rules.json');
  }
  return mergeRules(defaultsCache, undefined);
}

/** Reads and validates a rules file (`--rules file.json`). */
export function readRulesFile(path: string): ProgrammeRulesOverride {
  let text: string;
  try { text = readFileSync(path, 'utf8'); } catch (e) { throw new RulesError(`cannot read rules file: ${(e as Error).message}`, path); }
  let doc: unknown;
  try { doc = JSON.parse(text.replace(/^\uFEFF/, '')); } catch (e) { throw new RulesError(`not valid JSON: ${(e as Error).message}`, path); }
  const v = validateRulesOverride(doc, path);
  mergeRules(defaultRules(), v, path); // also checks that new programmes state a unit
  return v;
}

/** Engagement override stored in settings('programme_rules'), if any. */
export async function engagementRules(ws: Workspace): Promise<ProgrammeRulesOverride | undefined> {
  const row = await ws.one<{ value: string }>(`SELECT value::VARCHAR AS value FROM settings WHERE key = 'programme_rules'`);
  if (!row || row.value == null) return undefined;
  let doc: unknown;
  try { doc = JSON.parse(row.value); } catch { throw new RulesError('settings programme_rules is not valid JSON'); }
  return validateRulesOverride(doc, 'settings programme_rules');
}

/** Stores an engagement override (validated) in settings('programme_rules'). */
export async function saveEngagementRules(ws: Workspace, over: ProgrammeRulesOverride): Promise<void> {
  const norm = validateRulesOverride(over, 'programme_rules');
  mergeRules(defaultRules(), norm, 'programme_rules');
  await ws.run(`INSERT OR REPLACE INTO settings VALUES ('programme_rules', $v::JSON)`, { v: JSON.stringify(norm) });
}

/** defaults <- engagement settings <- run override. */
export async function effectiveRules(ws: Workspace, runOverride?: ProgrammeRulesOverride): Promise<ProgrammeRules> {
  const base = mergeRules(defaultRules(), await engagementRules(ws), 'settings programme_rules');
  return mergeRules(base, runOverride, 'rules override');
}
