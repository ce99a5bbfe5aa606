import { TelisikError } from '../../shared/errors';
import type { AppError } from '../../shared/result';
/**
 * Message hygiene for everything ingest says about a file (docs/ingest-requests.md R8/R9): a message may quote
 * headers or values from the file, so
 *  - every NIK/KK-shaped run (src/shared/masking.ts, the one masking function) is masked: `3201********0001`;
 *  - control characters (C0 except newline, DEL, C1) and bidi overrides are written as `\xNN` / `\u{NNNN}`, so an
 *    ANSI escape in a header never reaches a terminal or a log raw.
 */
// The message hygiene is shared with the CLI (src/shared/masking.ts).
import { cleanMessage } from '../../shared/masking';
export { maskDigits, escapeControls, cleanMessage } from '../../shared/masking';

/** A clear, specific input problem (CLI exit 3). Messages are Indonesian first, English in parentheses. */
export class ImportError extends TelisikError {
  constructor(message: string, public readonly file: string, public readonly line?: number, public readonly column?: string,
    public readonly cancelled = false) {
    const params: Record<string, unknown> = {};
    if (file !== undefined) params.file = file;
    if (line !== undefined) params.line = line;
    if (column !== undefined) params.column = column;
    super(cancelled ? 'cancelled' : 'invalid_input', cleanMessage(message), Object.keys(params).length ? params : undefined);
  }

  override toAppError(): AppError {
    return this.cancelled ? { code: 'cancelled', message: 'Dibatalkan (cancelled)' } : super.toAppError();
  }
}

/** The earlier import of the same bytes (import_log), named in a duplicate refusal. */
export interface EarlierImport { import_id: number; file: string; path: string; kind: string; target_table: string; finished_at: string | null; rows_loaded: number; sha256: string }

/**
 * The same file (same SHA-256) was already imported into the same table: importing it again would count every row
 * twice. Refused unless the user says so (`--allow-duplicate`, the wizard's "import anyway": allowDuplicate).
 */
export class DuplicateImportError extends ImportError {
  constructor(file: string, readonly earlier: EarlierImport) {
    super(`Berkas ${file} sudah pernah diimpor: impor #${earlier.import_id} (${earlier.file}, ${earlier.finished_at ?? '-'}, ${earlier.rows_loaded} baris ke ${earlier.target_table}), SHA-256 sama — `
      + `mengimpor lagi akan menghitung setiap baris dua kali. Gunakan --allow-duplicate (CLI) atau "Impor tetap" bila memang disengaja `
      + `(already imported as import #${earlier.import_id}: same SHA-256; importing again would double every row — pass --allow-duplicate / allow_duplicate to import anyway)`, file);
  }

  /** A refusal the user may override: `confirm_required`, with the earlier import named (flat too, for the reason
   *  catalogue's templates in src/shared/reasons.ts). */
  override toAppError(): AppError {
    const e = this.earlier;
    return { code: 'confirm_required', message: this.message, details: {
      reason: 'duplicate_import', file: this.file, earlier: e,
      earlier_id: e.import_id, earlier_file: e.file, earlier_at: e.finished_at ?? '-', earlier_rows: e.rows_loaded, earlier_table: e.target_table,
    } };
  }
}
