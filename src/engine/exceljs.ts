/**
 * exceljs, loaded on first use. It is the engine's heaviest dependency (about 0.5 s to load, more than DuckDB's
 * binding): the CLI, the loopback server and the desktop engine host load it only when a workbook is read or written,
 * so a command that touches no workbook starts without it.
 */
import type ExcelJS from 'exceljs';

let loaded: typeof ExcelJS | undefined;

export function excel(): typeof ExcelJS {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- a deferred load (see above); types come from `import type`
  loaded ??= require('exceljs') as typeof ExcelJS;
  return loaded;
}
