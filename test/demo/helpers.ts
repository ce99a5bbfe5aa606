/** Small, independent helpers for the demo tests (deliberately not importing the generator's own validators). */
import { readFileSync } from 'node:fs';

/** DOMAIN.md "NIK structure", written again from the text. */
export function nikOk(n: string): boolean {
  const m = /^(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})(\d{4})$/.exec(n);
  if (!m) return false;
  const prov = Number(m[1]);
  const provinces = [11, 12, 13, 14, 15, 16, 17, 18, 19, 21, 31, 32, 33, 34, 35, 36, 51, 52, 53, 61, 62, 63, 64, 65, 71, 72, 73, 74, 75, 76, 81, 82, 91, 92, 93, 94, 95, 96];
  if (!provinces.includes(prov)) return false;
  const dd = Number(m[4]);
  const mm = Number(m[5]);
  const yy = Number(m[6]);
  const day = dd > 40 ? dd - 40 : dd;
  if (!((dd >= 1 && dd <= 31) || (dd >= 41 && dd <= 71))) return false;
  if (mm < 1 || mm > 12) return false;
  // a date that exists in 19YY or 20YY
  const exists = (y: number) => new Date(Date.UTC(y, mm - 1, day)).getUTCDate() === day;
  if (!exists(1900 + yy) && !exists(2000 + yy)) return false;
  return m[7] !== '0000';
}

/** Minimal delimited-text reader (quotes, doubled quotes), enough for the demo's own files. */
export function readDelimited(path: string, delim: string): string[][] {
  let text = readFileSync(path, 'utf8');
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  const rows: string[][] = [];
  let row: string[] = [];
  let f = '';
  let q = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (q) {
      if (c === '"') {
        if (text[i + 1] === '"') {
          f += '"';
          i++;
        } else q = false;
      } else f += c;
    } else if (c === '"') q = true;
    else if (c === delim) {
      row.push(f);
      f = '';
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i++;
      row.push(f);
      rows.push(row);
      row = [];
      f = '';
    } else f += c;
  }
  if (f || row.length) {
    row.push(f);
    rows.push(row);
  }
  return rows;
}

/** Compares a telisik.summary/1 document to truth.json; returns the list of differences (empty = equal). */
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
