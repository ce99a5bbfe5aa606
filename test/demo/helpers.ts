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

export { compareSummary } from '../../src/engine/demo/compare';
