/** Figure-by-figure comparison of a telisik.summary/1 document with truth.json (the demo's oracle). */
/** Compares a telisik.summary/1 document to truth.json; returns the list of differences (empty = equal). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export function compareSummary(summary: any, truth: any): string[] {
  const diffs: string[] = [];
  const num = (a: unknown, b: unknown, where: string, tol = 0) => {
    if (a === null || a === undefined || b === null || b === undefined) {
      if ((a ?? null) !== (b ?? null)) diffs.push(`${where}: truth ${a} vs summary ${b}`);
      return;
    }
    const x = Number(a);
    const y = Number(b);
    if (!(Math.abs(x - y) <= tol * Math.max(1, Math.abs(x)))) diffs.push(`${where}: truth ${x} vs summary ${y}`);
  };
  if (summary.schema !== 'telisik.summary/1') diffs.push(`schema: ${summary.schema}`);
  for (const t of truth.inputs) {
    const s = (summary.inputs ?? []).find((i: any) => i.file === t.file);
    if (!s) {
      diffs.push(`inputs: ${t.file} missing`);
      continue;
    }
    for (const k of ['kind', 'sha256']) if (s[k] !== t[k]) diffs.push(`inputs.${t.file}.${k}: truth ${t[k]} vs summary ${s[k]}`);
    for (const k of ['rows_read', 'rows_loaded', 'rows_rejected']) num(t[k], s[k], `inputs.${t.file}.${k}`);
  }
  for (const [id, c] of Object.entries<any>(truth.checks)) {
    const s = summary.checks?.[id];
    if (!s) {
      diffs.push(`checks.${id}: missing`);
      continue;
    }
    if (s.evaluated !== c.evaluated) diffs.push(`checks.${id}.evaluated: truth ${c.evaluated} vs summary ${s.evaluated}`);
    for (const k of ['records', 'recipients', 'amount', 'pairs', 'accounts', 'not_evaluated_records', 'not_evaluated_amount'])
      if (c[k] !== undefined && (k.startsWith('not_') ? s[k] !== undefined : true)) num(c[k], s[k], `checks.${id}.${k}`, 1e-12);
  }
  for (const [p, t] of Object.entries<any>(truth.targeting)) {
    const s = summary.targeting?.[p];
    if (!s) {
      diffs.push(`targeting.${p}: missing`);
      continue;
    }
    for (const k of Object.keys(t)) num(t[k], s[k], `targeting.${p}.${k}`, 1e-9);
  }
  for (const p of Object.keys(summary.targeting ?? {})) if (!truth.targeting[p]) diffs.push(`targeting.${p}: not in truth`);
  for (const k of ['lines', 'allocation', 'realization', 'absorption']) num(truth.budget[k], summary.budget?.[k], `budget.${k}`, 1e-12);
  for (const k of ['records', 'recipients', 'amount']) num(truth.potential_loss[k], summary.potential_loss?.[k], `potential_loss.${k}`, 1e-12);
  return diffs;
}
