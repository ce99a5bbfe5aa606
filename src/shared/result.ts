/** Errors cross every boundary (IPC, HTTP, utility process) as data, never as a throw. */
import { TelisikError } from './errors';

export type ErrorCode =
  | 'invalid_args'      // arguments failed validation (details: issues)
  | 'unknown_call'      // no such call in the contract
  | 'no_workspace'      // the call needs an open engagement
  | 'not_found'         // file, table, check, finding, task … does not exist
  | 'exists'            // create over an existing file
  | 'in_use'            // workspace locked by another process
  | 'invalid_input'     // a file or value the engine cannot use (message says what to do)
  | 'busy'              // a conflicting task is running
  | 'confirm_required'  // the user must confirm first (a duplicate import: details.earlier; an output outside the engagement folder)
  | 'cancelled'         // the task was cancelled by the user
  | 'unauthorized'      // transport: missing token
  | 'forbidden'         // transport: wrong token / origin / frame
  | 'unavailable'       // a feature whose engine module is missing in this build
  | 'internal';         // a bug: message carries the cause, details may carry a stack in dev

export interface AppError {
  code: ErrorCode;
  message: string;
  details?: unknown;
}

export type Result<T> = { ok: true; value: T } | { ok: false; error: AppError };

export const ok = <T>(value: T): Result<T> => ({ ok: true, value });
export const fail = (code: ErrorCode, message: string, details?: unknown): { ok: false; error: AppError } =>
  ({ ok: false, error: details === undefined ? { code, message } : { code, message, details } });

/** An error the service throws internally to choose the code; converted to a Result at the boundary. */
export class ServiceError extends TelisikError {
  constructor(code: ErrorCode, message: string, details?: Record<string, unknown>) {
    super(code, message, details);
  }

  get details(): Record<string, unknown> | undefined {
    return this.params;
  }
}
