/** Figure-by-figure comparison of a telisik.summary/1 document with truth.json (the demo's oracle). */
/** Compares a telisik.summary/1 document to truth.json; returns the list of differences (empty = equal). */
/* eslint-disable @typescript-eslint/no-explicit-any -- two JSON documents walked field by field */
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
    if (!c.evaluated) continue;
    for (const k of ['records', 'recipients', 'amount', 'pairs', 'accounts', 'multi_list_recipients', 'not_evaluated_records', 'not_evaluated_amount'])
      if (c[k] !== undefined && (k.startsWith('not_') ? s[k] !== undefined : true)) num(c[k], s[k], `checks.${id}.${k}`, 1e-12);
    if (c.lists) {
      // flagged_recipient: figures per list name (a list without paid records may be absent or all zero)
      const sl = s.lists ?? {};
      for (const [l, f] of Object.entries<any>(c.lists)) {
        if (!sl[l] && f.records === 0) continue;
        if (!sl[l]) {
          diffs.push(`checks.${id}.lists.${l}: missing`);
          continue;
        }
        for (const k of ['records', 'recipients', 'amount']) num(f[k], sl[l][k], `checks.${id}.lists.${l}.${k}`, 1e-12);
      }
      for (const l of Object.keys(sl)) if (!c.lists[l]) diffs.push(`checks.${id}.lists.${l}: not in truth`);
    }
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
  if (truth.impact) {
    const si = summary.impact;
    if (!si) diffs.push('impact: missing');
    else {
      for (const [p, t] of Object.entries<any>(truth.impact.coverage)) {
        const s = si.coverage?.[p];
        if (!s) {
          diffs.push(`impact.coverage.${p}: missing`);
          continue;
        }
        for (const k of ['desil_1_2', 'desil_1_4']) num(t[k], s[k], `impact.coverage.${p}.${k}`, 1e-9);
      }
      for (const p of Object.keys(si.coverage ?? {})) if (!truth.impact.coverage[p]) diffs.push(`impact.coverage.${p}: not in truth`);
      for (const k of ['pkh', 'bpnt', 'both']) num(truth.impact.complementarity[k], si.complementarity?.[k], `impact.complementarity.${k}`);
      const tg = truth.impact.graduation;
      const sg = si.graduation ?? {};
      if (sg.evaluated !== tg.evaluated) diffs.push(`impact.graduation.evaluated: truth ${tg.evaluated} vs summary ${sg.evaluated}`);
      else if (tg.evaluated)
        for (const k of ['poor_earlier', 'present_later', 'graduated', 'fell_in', 'graduated_still_paid']) num(tg[k], sg[k], `impact.graduation.${k}`);
    }
  }
  return diffs;
}
/* eslint-enable @typescript-eslint/no-explicit-any */
