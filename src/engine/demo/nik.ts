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
  const [y, m, d] = civil(day);
  return pad2(d + (female ? 40 : 0)) + pad2(m) + pad2(y % 100);
}

/** [year, month, day] of days since 1970-01-01 (proleptic Gregorian; H. Hinnant's civil_from_days). */
export function civil(days: number): [number, number, number] {
  const z = days + 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const d = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const m = mp < 10 ? mp + 3 : mp - 9;
  return [yoe + era * 400 + (m <= 2 ? 1 : 0), m, d];
}

export const DAY_MS = 86400000;
export function dayOf(y: number, m: number, d: number): number {
  return Date.UTC(y, m - 1, d) / DAY_MS;
}
export function isoOf(day: number): string {
  const [y, m, d] = civil(day);
  return `${y}-${pad2(m)}-${pad2(d)}`;
}
