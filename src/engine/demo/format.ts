/** Calendar and value forms of the demo extracts (days since the epoch, Indonesian dates and amounts). */
import { civil, dayOf } from './nik';
import { MONTHS_ID } from './names';

// ---------------------------------------------------------------------------------------------------------------
// Calendar
export const DAY0 = dayOf(1935, 1, 1);
export const NDAYS = dayOf(2024, 12, 31) - DAY0 + 1;
export const ISSUE0 = dayOf(2005, 1, 1);
export const NISSUE = dayOf(2024, 12, 31) - ISSUE0 + 1;
export const REF_DAY = dayOf(2025, 1, 1);

export const pad2 = (n: number): string => (n < 10 ? '0' : '') + n;
export const ymd = civil;
export const fmtDMY = (day: number, sep = '/'): string => {
  const [y, m, d] = ymd(day);
  return `${pad2(d)}${sep}${pad2(m)}${sep}${y}`;
};
export const fmtLong = (day: number): string => {
  const [y, m, d] = ymd(day);
  return `${d} ${MONTHS_ID[m - 1]} ${y}`;
};
export const ageOn = (birth: number, on: number): number => {
  const [by, bm, bd] = ymd(birth);
  const [y, m, d] = ymd(on);
  return y - by - (m < bm || (m === bm && d < bd) ? 1 : 0);
};

// Amount forms
export const thousands = (n: number, sep: string): string => String(n).replace(/\B(?=(\d{3})+(?!\d))/g, sep);
export const amtId = (rp: number): string => `Rp ${thousands(rp, '.')}`;
export const amtIdDec = (rp: number): string => `${thousands(rp, '.')},00`;
export const amtDots = (rp: number): string => thousands(rp, '.');
export const amtEn = (rp: number): string => `Rp${thousands(rp, ',')}.00`;

export const digits = (code: string): string => code.replace(/\./g, '');

