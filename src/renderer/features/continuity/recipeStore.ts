// The recipe the user chose with *Jalankan resep*: the import wizard takes its column mappings for files of its kinds.
import { recipeInputFor, type RecipeView } from '../../../shared/continuity';

let current: RecipeView | null = null;
const listeners = new Set<() => void>();

export function setActiveRecipe(r: RecipeView | null): void {
  current = r;
  for (const l of listeners) l();
}
export function activeRecipe(): RecipeView | null { return current; }
export function onRecipeChange(l: () => void): () => void { listeners.add(l); return () => listeners.delete(l); }

/**
 * The mapping for a file of `kind` from the active recipe (the input recipeInputFor picks, as `telisik audit --recipe`), keeping only entries whose header exists in the file; over the suggested mapping. Undefined: no recipe.
 */
export function recipeMapping(kind: string, file: string, headers: string[], suggested: Record<string, string>): Record<string, string> | undefined {
  if (!current) return undefined;
  const pick = recipeInputFor(current.inputs, kind, file);
  if (!pick) return undefined;
  const out = { ...suggested };
  for (const [c, h] of Object.entries(pick.mapping)) if (headers.includes(h)) out[c] = h;
  return out;
}
