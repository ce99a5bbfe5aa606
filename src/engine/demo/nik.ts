/**
 * NIK / No. KK helpers for the demo generator (DOMAIN.md "NIK structure"). The validator here is the generator's own,
 * written from the contract text, so truth.json does not depend on the workspace macros.
 */
const PROVINCES = new Set([
  '11', '12', '13', '14', '15', '16', '17', '18', '19', '21', '31', '32', '33', '34', '35', '36',
  '51', '52', '53', '61', '62', '63', '64', '65', '71', '72', '73', '74', '75', '76', '81', '82',
  '91', '92', '93', '94', '95', '96',
]);

export function isValidNik(n: string | null): boolean {
  if (n === null || !/^[0-9]{16}$/.test(n)) return false;
  if (!PROVINCES.has(n.slice(0, 2))) return false;
  let day = Number(n.slice(6, 8));
  const month = Number(n.slice(8, 10));
  const yy = Number(n.slice(10, 12));
  if (!((day >= 1 && day <= 31) || (day >= 41 && day <= 71))) return false;
  if (month < 1 || month > 12) return false;
  if (day > 40) day -= 40;
  const dim = [31, yy % 4 === 0 ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1];
  if (day > dim) return false;
  if (n.slice(12, 16) === '0000') return false;
  return true;
}

/** Contract NIK normalisation: trim, strip one leading apostrophe, trim again. */
export function normNik(raw: string): string {
  let s = raw.trim();
  if (s.startsWith("'")) s = s.slice(1);
  return s.trim();
}

const pad2 = (n: number): string => (n < 10 ? '0' : '') + n;
export const pad = (n: number, w: number): string => String(n).padStart(w, '0');

/** DDMMYY of a date given as days since 1970-01-01 (UTC); women get day + 40. */
export function ddmmyy(day: number, female: boolean): string {
  const d = new Date(day * 86400000);
  return pad2(d.getUTCDate() + (female ? 40 : 0)) + pad2(d.getUTCMonth() + 1) + pad2(d.getUTCFullYear() % 100);
}

export const DAY_MS = 86400000;
export function dayOf(y: number, m: number, d: number): number {
  return Date.UTC(y, m - 1, d) / DAY_MS;
}
export function isoOf(day: number): string {
  return new Date(day * DAY_MS).toISOString().slice(0, 10);
}
