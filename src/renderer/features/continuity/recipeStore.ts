// The recipe the user chose with *Jalankan resep*: the import wizard takes its column mappings for files of its kinds.
import type { RecipeView } from '../../../shared/continuity';

let current: RecipeView | null = null;
const listeners = new Set<() => void>();

export function setActiveRecipe(r: RecipeView | null): void {
  current = r;
  for (const l of listeners) l();
}
export function activeRecipe(): RecipeView | null { return current; }
export function onRecipeChange(l: () => void): () => void { listeners.add(l); return () => listeners.delete(l); }

/**
 * The mapping for a file of `kind` from the active recipe (same file name, else same extension, else the first input
 * of the kind), keeping only entries whose header exists in the file; over the suggested mapping. Undefined: no recipe.
 */
export function recipeMapping(kind: string, file: string, headers: string[], suggested: Record<string, string>): Record<string, string> | undefined {
  if (!current) return undefined;
  const of = current.inputs.filter((i) => i.kind === kind);
  const ext = (f: string) => (/\.([^.]+)$/.exec(f)?.[1] ?? '').toLowerCase();
  const pick = of.find((i) => i.file === file) ?? of.find((i) => ext(i.file) === ext(file)) ?? of[0];
  if (!pick) return undefined;
  const out = { ...suggested };
  for (const [c, h] of Object.entries(pick.mapping)) if (headers.includes(h)) out[c] = h;
  return out;
}
