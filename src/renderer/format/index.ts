import { maskIdDigits, maskText } from '../../shared/masking';
// Number, money, percent and date formatting for the two UI languages. Written by hand instead of Intl so the
// output is identical in Electron, Chromium and Node (tests) whatever ICU data each ships with.
export type Lang = 'id' | 'en';

const MONTHS: Record<Lang, string[]> = {
  id: ['Jan', 'Feb', 'Mar', 'Apr', 'Mei', 'Jun', 'Jul', 'Agu', 'Sep', 'Okt', 'Nov', 'Des'],
  en: ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'],
};
const SEP: Record<Lang, { group: string; decimal: string }> = {
  id: { group: '.', decimal: ',' },
  en: { group: ',', decimal: '.' },
};

function group(intDigits: string, sep: string): string {
  return intDigits.replace(/\B(?=(\d{3})+(?!\d))/g, sep);
}

/** 1234567.5 -> "1.234.567,5" (id) / "1,234,567.5" (en). `digits` fixes the decimals; default: 0. */
export function formatNumber(v: number | bigint | null | undefined, lang: Lang, digits = 0): string {
  if (v === null || v === undefined) return '–';
  if (typeof v === 'bigint') return (v < 0n ? '-' : '') + group((v < 0n ? -v : v).toString(), SEP[lang].group);
  if (!Number.isFinite(v)) return '–';
  const neg = v < 0;
  const fixed = Math.abs(v).toFixed(digits);
  const [i, d] = fixed.split('.');
  const s = group(i, SEP[lang].group) + (d ? SEP[lang].decimal + d : '');
  return (neg && Number(fixed) !== 0 ? '-' : '') + s;
}

/** Rupiah without decimals: "Rp 1.234.567" / "Rp 1,234,567". */
export function formatRp(v: number | bigint | null | undefined, lang: Lang): string {
  if (v === null || v === undefined || (typeof v === 'number' && !Number.isFinite(v))) return '–';
  const neg = typeof v === 'bigint' ? v < 0n : v < 0;
  const abs = typeof v === 'bigint' ? (neg ? -v : v) : Math.round(Math.abs(v));
  return (neg ? '-' : '') + 'Rp ' + formatNumber(abs, lang);
}

/** Compact rupiah for chart axes: "Rp 1,2 M" (miliar) / "Rp 1.2 B". */
export function formatRpShort(v: number, lang: Lang): string {
  const abs = Math.abs(v);
  const units: Array<[number, Record<Lang, string>]> = [
    [1e12, { id: 'T', en: 'T' }],
    [1e9, { id: 'M', en: 'B' }],
    [1e6, { id: 'jt', en: 'M' }],
    [1e3, { id: 'rb', en: 'k' }],
  ];
  for (const [n, u] of units) {
    if (abs >= n) return (v < 0 ? '-' : '') + 'Rp ' + formatNumber(abs / n, lang, abs / n < 10 ? 1 : 0) + ' ' + u[lang];
  }
  return formatRp(v, lang);
}

/** Ratio 0.125 -> "12,5%" / "12.5%". */
export function formatPct(ratio: number | null | undefined, lang: Lang, digits = 1): string {
  if (ratio === null || ratio === undefined || !Number.isFinite(ratio)) return '–';
  return formatNumber(ratio * 100, lang, digits) + '%';
}

/** 'YYYY-MM-DD' | Date | epoch ms -> "14 Mar 2025" (months in the UI language). */
export function formatDate(v: string | Date | number | null | undefined, lang: Lang): string {
  if (v === null || v === undefined || v === '') return '–';
  let y: number, m: number, d: number;
  if (typeof v === 'string') {
    const hit = /^(\d{4})-(\d{2})-(\d{2})/.exec(v);
    if (!hit) return v;
    y = +hit[1]; m = +hit[2]; d = +hit[3];
  } else {
    const dt = typeof v === 'number' ? new Date(v) : v;
    if (Number.isNaN(dt.getTime())) return '–';
    y = dt.getUTCFullYear(); m = dt.getUTCMonth() + 1; d = dt.getUTCDate();
  }
  return `${d} ${MONTHS[lang][m - 1]} ${y}`;
}

/** Timestamp -> "14 Mar 2025 09.05" (id uses a dot between hours and minutes) / "14 Mar 2025 09:05". */
export function formatDateTime(v: string | Date | number | null | undefined, lang: Lang): string {
  if (v === null || v === undefined || v === '') return '–';
  const dt = typeof v === 'string' ? new Date(v.includes('T') || v.endsWith('Z') ? v : v.replace(' ', 'T')) : new Date(v);
  if (Number.isNaN(dt.getTime())) return String(v);
  const hh = String(dt.getHours()).padStart(2, '0');
  const mm = String(dt.getMinutes()).padStart(2, '0');
  const local = `${dt.getFullYear()}-${String(dt.getMonth() + 1).padStart(2, '0')}-${String(dt.getDate()).padStart(2, '0')}`;
  return `${formatDate(local, lang)} ${hh}${lang === 'id' ? '.' : ':'}${mm}`;
}

/** 'YYYY-MM' -> "Mar 2025". */
export function formatMonth(v: string, lang: Lang): string {
  const hit = /^(\d{4})-(\d{2})$/.exec(v);
  return hit ? `${MONTHS[lang][+hit[2] - 1]} ${hit[1]}` : v;
}

/** Seconds -> "1 mnt 05 dtk" / "1 min 05 s". */
export function formatDuration(sec: number | null | undefined, lang: Lang): string {
  if (sec === null || sec === undefined || !Number.isFinite(sec)) return '–';
  const s = Math.max(0, Math.round(sec));
  const m = Math.floor(s / 60);
  const r = s % 60;
  const [mu, su] = lang === 'id' ? ['mnt', 'dtk'] : ['min', 's'];
  return m > 0 ? `${m} ${mu} ${String(r).padStart(2, '0')} ${su}` : `${r} ${su}`;
}

/** NIK masking for distribution: the one masking function (src/shared/masking.ts), "3201********0001". */
export function maskNik(nik: string | null | undefined): string {
  if (nik === null || nik === undefined) return '';
  return /^\d+$/.test(nik) ? maskIdDigits(nik) : maskText(nik);
}
