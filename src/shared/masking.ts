/**
 * Masking by content: the ONE function that decides what an identifier looks like when masking is on, used by the
 * grid pages, exports (CSV through a DuckDB scalar function, xlsx through the workbook writer), workbooks, column
 * profiles, import quality reports, tool results (UI and CLI) and trail details.
 *
 * - Every NIK/KK-shaped run in any text: 15 or more digits (16 = NIK/KK, 15 = one damaged by a spreadsheet; longer
 *   runs are masked alike),
 *   also written in groups separated by single spaces or dashes (`3201 0112 3456 0010`, `3201-0112-…`),
 *   in full-width digits (`３２０１…`), or glued to letters (`NIK3201…`, `KTP:3201…`) → first four and last four
 *   digits kept, the rest starred: `3201********0001`. Separators inside the run are dropped in the masked form.
 * - Account numbers (columns named account/rekening/norek/no_rek…, or a value in such a column, or a number named as
 *   one in free text: `rekening 1234567890123`, `kartu …`, `KKS …`): every run of 8 or more digits keeps its last
 *   four: `*********1234`.
 * - A standalone 32/40/64-character hexadecimal token with a letter in it (MD5/SHA-1/SHA-256: file hashes, trail
 *   hashes) is never touched.
 * - Non-text values (booleans, numbers) pass unchanged unless the column itself is an identifier column
 *   (`nik`, `kk`, `no_ktp`, …): `nik_damaged` stays true/false, amounts stay numbers.
 *
 * No Node/DOM imports: the renderer may use it too.
 */

const D = '0-9\uFF10-\uFF19';
/**
 * 15+ digits, single separators (space, dash, no-break space) allowed between digits; not the fraction of a number
 * (`0.7071067811865476` after a decimal point is a float, not an identifier; after a comma it may be the next field
 * of a CSV line, so it is masked).
 */
const ID_RUN = new RegExp(`(?<![${D}])(?<![${D}][.])[${D}](?:[ \\u00A0\\-]?[${D}]){14,}(?![${D}])`, 'g');
/** 8+ digits (account numbers), separators allowed likewise. */
const ACCOUNT_RUN = new RegExp(`(?<![${D}])[${D}](?:[ \\u00A0.\\-]?[${D}]){7,}(?![${D}])`, 'g');
const HEX_TOKEN = /[0-9a-fA-F]{32,}/g;

const asciiDigits = (s: string): string => s.replace(/[\uFF10-\uFF19]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xff10 + 48)).replace(/[^0-9]/g, '');

/** `3201014508900001` → `3201********0001` (digits only; any length ≥ 9 keeps 4 + 4). */
export function maskIdDigits(digits: string): string {
  if (digits.length <= 8) return '*'.repeat(digits.length);
  return digits.slice(0, 4) + '*'.repeat(digits.length - 8) + digits.slice(-4);
}

/** `1234567890123` → `*********0123`. */
export function maskAccountDigits(digits: string): string {
  if (digits.length <= 4) return '*'.repeat(digits.length);
  return '*'.repeat(digits.length - 4) + digits.slice(-4);
}

/** Spans of hexadecimal hash tokens (exact MD5/SHA-1/SHA-256 lengths) that masking leaves alone. */
function hashSpans(s: string): [number, number][] {
  const spans: [number, number][] = [];
  if (s.length < 32) return spans;
  for (const m of s.matchAll(HEX_TOKEN)) {
    const n = m[0].length;
    const before = m.index > 0 ? s[m.index - 1] : '';
    const after = s[m.index + n] ?? '';
    if ((n === 32 || n === 40 || n === 64) && /[a-fA-F]/.test(m[0]) && !/[0-9A-Za-z]/.test(before) && !/[0-9A-Za-z]/.test(after)) spans.push([m.index, m.index + n]);
  }
  return spans;
}

function replaceOutside(s: string, re: RegExp, fn: (digits: string) => string): string {
  const spans = hashSpans(s);
  return s.replace(re, (m: string, offset: number) => {
    if (spans.some(([a, b]) => offset >= a && offset < b)) return m;
    return fn(asciiDigits(m));
  });
}

/** An account number named as such in free text: `rekening 1234567890123`, `No. Rek: 1234-5678-9012`, `KKS 6013…`. */
const ACCOUNT_IN_TEXT = new RegExp(`((?:rekening|no\\.?\\s*rek|norek|rek\\.|account|acct|kartu|kks|atm)[^0-9\uFF10-\uFF19\\n]{0,12})([${D}](?:[ \\u00A0.\\-]?[${D}]){7,})(?![${D}])`, 'gi');

/** Masks every NIK/KK-shaped run in a text (any column, any free text), and account numbers named as such. */
export function maskText(s: string): string {
  if (s.length < 8) return s;
  const t = s.length >= 15 ? replaceOutside(s, ID_RUN, maskIdDigits) : s;
  return t.replace(ACCOUNT_IN_TEXT, (_m, label: string, digits: string) => label + maskAccountDigits(asciiDigits(digits)));
}

/** Masks an account-number text: every run of ≥ 8 digits keeps its last four (NIK-shaped runs too). */
export function maskAccountText(s: string): string {
  if (s.length < 8) return s;
  return replaceOutside(s, ACCOUNT_RUN, maskAccountDigits);
}

/** Columns holding account numbers (masked as accounts: last four kept). */
export function isAccountColumn(name: string): boolean {
  return /(^|_)(account|acct|rekening|rek|norek|no_?rek|nomor_?rekening|bank_?account)(_|$)/i.test(name.replace(/[\s.-]+/g, '_'));
}

/**
 * Columns whose values are personal identifiers whatever their type (a NIK stored as a number is still a NIK):
 * nik, kk, no_kk, no_ktp, nomor_ktp, id_penerima, nik_a, other_nik, household_key … — not derived facts such as
 * nik_damaged, nik_count, nik_valid.
 */
export function isIdentifierColumn(name: string): boolean {
  const n = name.toLowerCase().replace(/[\s.-]+/g, '_');
  if (/(^|_)(damaged|valid|invalid|count|n|day|days|reason|status|flag|ok|match|matches|share|rate|pct|prefix|len|length)$/.test(n)) return false;
  return /(^|_)(nik|kk|nokk|no_kk|ktp|no_ktp|nomor_ktp|nomor_induk_kependudukan|kartu_keluarga|id_penerima|household_key)(_|$|[ab12]$)/.test(n)
    || /^(nik|kk)_?[ab12]$/.test(n);
}

/**
 * The one masking decision for a value shown or written while masking is on. Strings are masked by content (and as
 * account numbers in an account column); numbers/bigints only in an identifier or account column; everything else
 * (booleans, dates, null) is returned unchanged.
 */
export function maskValue(v: unknown, column?: string): unknown {
  if (v === null || v === undefined) return v;
  const account = column !== undefined && isAccountColumn(column);
  if (typeof v === 'string') return account ? maskAccountText(v) : maskText(v);
  if (typeof v === 'number' || typeof v === 'bigint') {
    if (column === undefined) return v;
    if (account) return maskAccountText(String(v));
    if (isIdentifierColumn(column)) {
      const s = typeof v === 'number' ? (Number.isInteger(v) ? v.toFixed(0) : String(v)) : v.toString();
      return /^\d{9,}$/.test(s) ? maskIdDigits(s) : maskText(s);
    }
    return v;
  }
  return v;
}

/** maskValue applied to every string inside a JSON-like value (objects: keys name the column). */
export function maskDeep(v: unknown, column?: string): unknown {
  if (Array.isArray(v)) return v.map((x) => maskDeep(x, column));
  if (v && typeof v === 'object' && !(v instanceof Date) && !(v instanceof Uint8Array)) {
    // A key naming an identifier or account column gives its context to everything below it
    // (`columns.account.min`, `keys.nik`); other keys keep the context they inherited.
    return Object.fromEntries(Object.entries(v as Record<string, unknown>).map(([k, x]) =>
      [k, maskDeep(x, isAccountColumn(k) || isIdentifierColumn(k) ? k : column)]));
  }
  return maskValue(v, column);
}

// ---------------------------------------------------------------- message hygiene (ingest's messages, the CLI's output)
// eslint-disable-next-line no-control-regex -- control characters are what this pattern removes
const CONTROL = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

export function maskDigits(s: string): string {
  return maskText(s);
}

export function escapeControls(s: string): string {
  return s.replace(CONTROL, (c) => {
    const n = c.charCodeAt(0);
    return n <= 0xff ? '\\x' + n.toString(16).padStart(2, '0') : `\\u{${n.toString(16)}}`;
  });
}

/** A message safe to print, log and show: IDs masked, control characters escaped. */
export function cleanMessage(s: string): string {
  return maskDigits(escapeControls(s));
}

