/**
 * Terminal hygiene (docs/ingest-requests.md R9): text printed by the CLI can quote file contents (headers, values,
 * sheet names, reasons). Control characters other than newline and tab — ESC of ANSI sequences, CR, BEL, DEL, C1 —
 * and bidi overrides are printed as `\xNN` / `\u{NNNN}`, so a file can never move the cursor, recolour or retitle
 * the terminal.
 */
// eslint-disable-next-line no-control-regex -- control characters are what this pattern removes
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

export function termSafe(s: string): string {
  return s.replace(CONTROL, (c) => {
    const n = c.charCodeAt(0);
    return n <= 0xff ? '\\x' + n.toString(16).padStart(2, '0') : `\\u{${n.toString(16)}}`;
  });
}

/** Runs fn with console.log/console.error printing only terminal-safe strings. */
export async function withSafeConsole<T>(fn: () => Promise<T>): Promise<T> {
  const { log, error } = console;
  const clean = (args: unknown[]) => args.map((a) => (typeof a === 'string' ? termSafe(a) : a));
  console.log = (...args: unknown[]) => log.apply(console, clean(args));
  console.error = (...args: unknown[]) => error.apply(console, clean(args));
  try {
    return await fn();
  } finally {
    console.log = log;
    console.error = error;
  }
}
