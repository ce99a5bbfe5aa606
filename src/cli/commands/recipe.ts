import { mkdirSync, readFileSync } from 'node:fs';
import { checkOutputPath, engagementPolicy, writeAtomic } from '../../engine/output';
import { dirname, resolve } from 'node:path';
import type { Command } from '../command';
import { InputError, UsageError, parseArgs, requireFlag } from '../args';
import { Workspace } from '../../engine/workspace/workspace';
import { RecipeError, buildRecipe, parseRecipe } from '../../engine/continuity/recipe';
import { appendTrail } from '../../engine/trail/trail';

/** Reads and validates a recipe file (exit 3 with a clear message on any problem). */
export function readRecipeFile(path: string) {
  let text: string;
  try { text = readFileSync(resolve(path), 'latin1'); } catch (e) { throw new InputError(`resep tidak dapat dibaca: ${(e as Error).message}`); }
  try { return parseRecipe(text.startsWith('PK') ? text : readFileSync(resolve(path), 'utf8'), path); } catch (e) {
    if (e instanceof RecipeError) throw new InputError(e.message);
    throw e;
  }
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
      const ws = await Workspace.open(requireFlag(args, 'workspace'));
      try {
        // The one output-path policy: never the workspace, its WAL/temp files or a source file of the engagement.
        const out = checkOutputPath(requireFlag(args, 'out'), await engagementPolicy(ws, '.json'));
        // eslint-disable-next-line @typescript-eslint/no-require-imports -- package.json sits outside the source tree
        const r = await buildRecipe(ws, require('../../../package.json').version);
        mkdirSync(dirname(out), { recursive: true });
        writeAtomic(out, JSON.stringify(r, null, 2) + '\n');
        await appendTrail(ws, { action: 'recipe.save', params: { out }, result: { inputs: r.inputs.length, checks: r.run?.only ?? 'all', workbooks: r.workbooks.length } });
        console.log(`Resep ditulis: ${out}`);
        console.log(`  ${r.inputs.length} input (${[...new Set(r.inputs.map((i) => i.kind))].join(', ')}), ${r.profiles.length} profil, aturan program ${r.rules ? 'khusus' : 'bawaan'}, `
          + `${r.run ? (r.run.only ? r.run.only.length + ' prosedur' : 'semua prosedur') : 'belum ada run'}, ${r.event_dates.length} tanggal peristiwa, ${r.workbooks.length} workbook`);
      } finally { await ws.close(); }
      return 0;
    }
    if (sub === 'check') {
      if (args.positionals.length !== 1) throw new UsageError('recipe check needs one file');
      const r = readRecipeFile(args.positionals[0]);
      console.log(`${args.positionals[0]}: resep ${r.format} sah — ${r.inputs.length} input, ${r.workbooks.length} workbook`);
      return 0;
    }
    throw new UsageError(`recipe: sub-command save or check${sub ? `, got "${sub}"` : ''}`);
  },
};
