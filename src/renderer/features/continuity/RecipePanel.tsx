// Data › Resep (issue 15.2): *Simpan resep* writes the engagement's recipe; *Jalankan resep* applies a recipe's
// settings, hands its mappings to the import wizard and runs its checks with its parameters.
import { useEffect, useState } from 'react';
import { api } from '../../bridge';
import { useApp } from '../../app/state';
import { Field, Notice } from '../../app/ui';
import type { RecipeView } from '../../../shared/continuity';
import { activeRecipe, onRecipeChange, setActiveRecipe } from './recipeStore';
import { useText } from './text';

export function RecipePanel({ onImport }: { onImport?: () => void }) {
  const { errorText, info, tasks, refresh } = useApp();
  const x = useText();
  const dir = info?.path ? info.path.replace(/[\\/][^\\/]*$/, '') : '';
  const [out, setOut] = useState(dir ? `${dir}/resep.json` : 'resep.json');
  const [inp, setInp] = useState(dir ? `${dir}/resep.json` : '');
  const [msg, setMsg] = useState<{ tone: 'ok' | 'error' | 'info'; text: string } | null>(null);
  const [recipe, setRecipe] = useState<RecipeView | null>(activeRecipe());
  useEffect(() => onRecipeChange(() => setRecipe(activeRecipe())), []);

  const save = async (confirmOutside = false): Promise<void> => {
    const r = await api.saveRecipe({ out: out.trim(), ...(confirmOutside ? { confirm_outside: true } : {}) });
    // Outside the engagement's folder the output-path policy asks the user first (as for workbooks).
    if (!r.ok && !confirmOutside && r.error.code === 'confirm_required' && window.confirm(errorText(r.error))) return save(true);
    setMsg(r.ok ? { tone: 'ok', text: x('recipeSaved', { path: r.value.path, n: r.value.inputs, w: r.value.workbooks }) } : { tone: 'error', text: errorText(r.error) });
  };
  const apply = async () => {
    const r = await api.applyRecipe({ path: inp.trim() });
    if (!r.ok) { setMsg({ tone: 'error', text: errorText(r.error) }); return; }
    setActiveRecipe(r.value);
    setMsg({ tone: 'ok', text: x('recipeApplied') });
    void refresh();
  };
  const analyse = async () => {
    if (!recipe?.run) return;
    const call = api.runAnalysis({ ...(recipe.run.only ? { only: recipe.run.only } : {}), params: recipe.run.params as Record<string, never> });
    setMsg({ tone: 'info', text: x('analysisStarted') });
    try { await tasks.track('analysis', x('recipeRunAnalysis'), call); void refresh(); } catch (e) { setMsg({ tone: 'error', text: errorText(e) }); }
  };
  return (
    <div className="continuity recipe" data-testid="recipe-panel" style={{ display: 'grid', gap: 12, maxWidth: 900 }}>
      <p className="muted">{x('recipeHint')}</p>
      <div className="card">
        <h3>{x('saveRecipe')}</h3>
        <div style={{ display: 'flex', gap: 8, alignItems: 'flex-end' }}>
          <Field label={x('recipeOut')}><input value={out} onChange={(e) => setOut(e.target.value)} style={{ minWidth: 420 }} data-testid="recipe-out" /></Field>
          <button className="btn primary" onClick={() => void save()} disabled={!out.trim()} data-testid="recipe-save">{x('saveRecipe')}</button>
        </div>
      </div>
      <div className="card">
        <h3>{x('runRecipe')}</h3>
        <div style={{ display: 'flex', gap: 8, alignItems: 'flex-end' }}>
          <Field label={x('recipeIn')}><input value={inp} onChange={(e) => setInp(e.target.value)} style={{ minWidth: 420 }} data-testid="recipe-in" /></Field>
          <button className="btn primary" onClick={() => void apply()} disabled={!inp.trim()} data-testid="recipe-apply">{x('runRecipe')}</button>
        </div>
        {recipe && (
          <div style={{ marginTop: 8 }}>
            <table className="table">
              <thead><tr><th>{x('recipeInputs')}</th><th>File</th><th>Mapping</th></tr></thead>
              <tbody>{recipe.inputs.map((i, n) => <tr key={n}><td>{i.kind}</td><td>{i.file}</td><td className="small">{Object.entries(i.mapping).map(([c, h]) => `${c}←${h}`).join(', ')}</td></tr>)}</tbody>
            </table>
            <p className="small">{x('recipeChecks')}: {recipe.run?.only ? recipe.run.only.join(', ') : x('allChecks')}</p>
            <div style={{ display: 'flex', gap: 8 }}>
              {onImport && <button className="btn" onClick={onImport}>+ Impor</button>}
              <button className="btn primary" disabled={!recipe.run} onClick={() => void analyse()} data-testid="recipe-analyse">{x('recipeRunAnalysis')}</button>
            </div>
          </div>
        )}
      </div>
      {msg && <Notice tone={msg.tone}>{msg.text}</Notice>}
    </div>
  );
}
