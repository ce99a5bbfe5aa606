/** Indonesian number, rupiah and date wording (findings texts, workbooks, the CLI): pure, no Node — shared by every layer. */
const MONTHS = ['Januari', 'Februari', 'Maret', 'April', 'Mei', 'Juni', 'Juli', 'Agustus', 'September', 'Oktober', 'November', 'Desember'];

/** Rupiah as Indonesian auditors write it: 'Rp 1.234.567' (cents only when present: 'Rp 1.234,50'). */
export function rupiah(v: number | null | undefined): string {
  const x = Number(v ?? 0);
  const neg = x < 0;
  const cents = Math.round(Math.abs(x) * 100);
  const whole = Math.floor(cents / 100).toString().replace(/\B(?=(\d{3})+(?!\d))/g, '.');
  const frac = cents % 100;
  return `${neg ? '-' : ''}Rp ${whole}${frac ? ',' + String(frac).padStart(2, '0') : ''}`;
}

/** Integer with dot thousands: 12.345. */
export function angka(v: number | null | undefined): string {
  return Math.round(Number(v ?? 0)).toString().replace(/\B(?=(\d{3})+(?!\d))/g, '.');
}

/** '2025-03-14' -> '14 Maret 2025'. */
export function tanggal(iso: string): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})/.exec(iso);
  if (!m) return iso;
  return `${Number(m[3])} ${MONTHS[Number(m[2]) - 1]} ${m[1]}`;
}

/** 'A', 'A dan B', 'A, B dan C'. */
export function daftar(items: string[]): string {
  if (items.length <= 1) return items[0] ?? '';
  return `${items.slice(0, -1).join(', ')} dan ${items[items.length - 1]}`;
}

export function fillTemplate(t: string, vars: Record<string, string>): string {
  return t.replace(/\{(\w+)\}/g, (all, k: string) => (k in vars ? vars[k] : all));
}
