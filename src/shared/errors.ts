/**
 * The one error base class of every layer: a contract error code and its parameters. The engine's errors extend it
 * (each chooses its code), the boundary turns it into an AppError by its code — never by its message — and the UI
 * renders code + params in its own language (src/renderer/i18n). No Node imports: the renderer uses it too.
 */
import type { AppError, ErrorCode } from './result';

export class TelisikError extends Error {
  constructor(readonly code: ErrorCode, message: string, readonly params?: Record<string, unknown>) {
    super(message);
    this.name = new.target.name;
  }

  /** What crosses the wire: code, message (the engine's own words, a fallback) and the parameters as details. */
  toAppError(): AppError {
    return this.params === undefined ? { code: this.code, message: this.message } : { code: this.code, message: this.message, details: this.params };
  }
}

/** A cancelled operation (the user's cancel, Ctrl+C): code `cancelled` wherever it is thrown. */
export class CancelledError extends TelisikError {
  constructor(message = 'Dibatalkan (cancelled)', params?: Record<string, unknown>) {
    super('cancelled', message, params);
  }
}

/** Input the engine cannot use (a file, a value, a parameter): code `invalid_input`; the message says what to do. */
export class InvalidInputError extends TelisikError {
  constructor(message: string, params?: Record<string, unknown>) {
    super('invalid_input', message, params);
  }
}
