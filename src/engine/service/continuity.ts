/**
 * Service side of the continuity calls (issue 15): period comparison, TLHP, audit recipes. Kept beside index.ts so
 * the contract → module map stays readable; every write runs through `exclusive` (in line with tasks) and leaves a
 * trail entry (the engine modules write them).
 */
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { writeAtomic } from '../output';
import { dirname, resolve } from 'node:path';
import { ServiceError } from '../../shared/result';
import type { CallArgs, CallReturn, CallName } from '../../shared/contract';
import type * as C from '../../shared/continuity';
import type { Workspace } from '../workspace/workspace';
import { appendTrail } from '../trail/trail';
import { comparePeriods, comparisonRecords } from '../continuity/compare';
import { carryRecommendations, listRecommendations, syncRecommendations, updateRecommendation } from '../continuity/tlhp';
import { applyRecipeSettings, buildRecipe, parseRecipe, type Recipe } from '../continuity/recipe';
import { saveEngagementRules } from '../rules/rules';

type Names = 'comparePeriods' | 'comparisonRecords' | 'tlhpList' | 'tlhpUpdate' | 'tlhpCarry' | 'tlhpSync' | 'saveRecipe' | 'readRecipe' | 'applyRecipe';
type Handlers = { [K in Names & CallName]: (a: CallArgs<K>) => Promise<CallReturn<K>> };

export interface ContinuityHost {
  need(): Workspace;
  exclusive<T>(fn: () => Promise<T>): Promise<T>;
  version: string;
  reviewer(): string;
  /** The service's one output-path policy (src/engine/output.ts): the checked absolute path. */
  checkOut(out: string, ext: string, confirmOutside?: boolean): Promise<string>;
}

function readRecipeFile(path: string): Recipe {
  const p = resolve(path);
  if (!existsSync(p)) throw new ServiceError('not_found', `Berkas resep tidak ditemukan: ${p}`);
  return parseRecipe(readFileSync(p, 'utf8'), p); // a RecipeError is an invalid_input error (TelisikError)
}

function view(path: string, r: Recipe): C.RecipeView {
  return {
    path, format: r.format, inputs: r.inputs, profiles: r.profiles.length, rules: !!r.rules || !!r.run, engagement_rules: !!r.rules,
    run: r.run ? { only: r.run.only, params: r.run.params, rules: (r.run.rules ?? null) as Record<string, unknown> | null } : null, event_dates: r.event_dates,
    workbooks: r.workbooks,
  };
}

export function continuityHandlers(host: ContinuityHost): Handlers {
  return {
    comparePeriods: (a) => host.exclusive(() => comparePeriods(host.need(), a.previous)),
    comparisonRecords: (a) => host.exclusive(() => comparisonRecords(host.need(), {
      checkId: a.check_id, status: a.status, nik: a.nik, previous: a.previous, limit: a.limit ?? 500,
    })) as Promise<Record<string, unknown>[]>,
    tlhpList: () => host.exclusive(async () => {
      const ws = host.need();
      await syncRecommendations(ws);
      return listRecommendations(ws);
    }),
    tlhpUpdate: (a) => host.exclusive(async () => {
      const { rec_key, ...u } = a;
      return updateRecommendation(host.need(), rec_key, { ...u, judged_by: u.status !== undefined ? (u.judged_by ?? host.reviewer()) : u.judged_by });
    }),
    tlhpCarry: (a) => host.exclusive(async () => {
      const ws = host.need();
      const r = await carryRecommendations(ws, a.previous);
      await syncRecommendations(ws);
      return r;
    }),
    tlhpSync: () => host.exclusive(() => syncRecommendations(host.need())),
    saveRecipe: (a) => host.exclusive(async () => {
      const ws = host.need();
      const out = await host.checkOut(a.out, '.json', a.confirm_outside);
      const r = await buildRecipe(ws, host.version);
      mkdirSync(dirname(out), { recursive: true });
      writeAtomic(out, JSON.stringify(r, null, 2) + '\n');
      await appendTrail(ws, { action: 'recipe.save', params: { out }, result: { inputs: r.inputs.length, workbooks: r.workbooks.length } });
      return { path: out, inputs: r.inputs.length, workbooks: r.workbooks.length };
    }),
    readRecipe: async (a) => view(resolve(a.path), readRecipeFile(a.path)),
    applyRecipe: (a) => host.exclusive(async () => {
      const ws = host.need();
      const r = readRecipeFile(a.path);
      await applyRecipeSettings(ws, r, resolve(a.path));
      // The UI runs the analysis with the engagement's rules: the run's own rules become them.
      if (r.run?.rules) await saveEngagementRules(ws, r.run.rules);
      return view(resolve(a.path), r);
    }),
  };
}
