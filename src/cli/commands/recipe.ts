import { resolve } from 'node:path';
import type { Command } from '../command';
import { UsageError, parseArgs, requireFlag } from '../args';
import type { RecipeView } from '../../shared/continuity';
import { withService, withoutWorkspace } from '../service';

/** Reads and validates a recipe file through the service's readRecipe (exit 3 with a clear message on any problem). */
export function readRecipeFile(path: string): Promise<RecipeView> {
  return withoutWorkspace((c) => c.call('readRecipe', { path: resolve(path) }));
}

export const recipeCommand: Command = {
  name: 'recipe',
  summary: 'Save an audit recipe (mappings, profiles, rules, parameters, checks, event dates, workbooks; no data) or check one',
  usage: 'telisik recipe save --workspace W --out resep.json | telisik recipe check resep.json\n'
    + '  Replay on next period\'s files: telisik audit --recipe resep.json --registry … --disbursements … [--out-dir DIR]',
  async run(argv) {
    const [sub, ...rest] = argv;
    const args = parseArgs(rest, []);
    if (sub === 'save') {
      for (const k of args.flags.keys()) if (!['workspace', 'out'].includes(k)) throw new UsageError(`unknown option --${k}`);
      if (!/\.json$/i.test(requireFlag(args, 'out'))) throw new UsageError('--out must name a .json file');
      // The UI's saveRecipe: the one output-path policy (never the workspace, its WAL/temp files or a source file of
      // the engagement; a path the user typed is confirmed), the trail entry recipe.save.
      return withService(requireFlag(args, 'workspace'), async (c) => {
        const saved = await c.call('saveRecipe', { out: resolve(requireFlag(args, 'out')), confirm_outside: true });
        const r = await c.call('readRecipe', { path: saved.path });
        console.log(`Resep ditulis: ${saved.path}`);
        console.log(`  ${r.inputs.length} input (${[...new Set(r.inputs.map((i) => i.kind))].join(', ')}), ${r.profiles} profil, aturan program ${r.engagement_rules ? 'khusus' : 'bawaan'}, `
          + `${r.run ? (r.run.only ? r.run.only.length + ' prosedur' : 'semua prosedur') : 'belum ada run'}, ${r.event_dates.length} tanggal peristiwa, ${r.workbooks.length} workbook`);
        return 0;
      });
    }
    if (sub === 'check') {
      if (args.positionals.length !== 1) throw new UsageError('recipe check needs one file');
      const r = await readRecipeFile(args.positionals[0]);
      console.log(`${args.positionals[0]}: resep ${r.format} sah — ${r.inputs.length} input, ${r.workbooks.length} workbook`);
      return 0;
    }
    throw new UsageError(`recipe: sub-command save or check${sub ? `, got "${sub}"` : ''}`);
  },
};
