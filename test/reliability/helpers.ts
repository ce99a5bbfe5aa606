import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'vitest';
import { Workspace } from '../../src/engine/workspace/workspace';
import { ImportError, importFile, type ImportResult, type Kind } from '../../src/engine/ingest';

export function tempDir(prefix = 'telisik-rel-'): { dir: string; remove(): void } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/** 16 consecutive ASCII digits not masked: what must never leave a masked export, a log line or an error. */
export const FULL_ID = /(?<![0-9])[0-9]{16}(?![0-9])/;

export interface LoadExpect { read: number; loaded: number; rejected: number }

/**
 * Imports and checks the nothing-lost invariant everywhere it is recorded: the result, import_log, the rejects table
 * and the canonical table all agree.
 */
export async function expectLoad(ws: Workspace, path: string, kind: Kind, want: LoadExpect, extra: { sheet?: string; allowDuplicate?: boolean } = {}): Promise<ImportResult> {
  const r = await importFile(ws, { kind, path, ...extra });
  expect({ read: r.rows_read, loaded: r.rows_loaded, rejected: r.rows_rejected }).toEqual(want);
  expect(r.rows_read).toBe(r.rows_loaded + r.rows_rejected);
  const log = await ws.one<{ status: string; rows_read: number; rows_loaded: number; rows_rejected: number }>(
    'SELECT status, rows_read, rows_loaded, rows_rejected FROM import_log WHERE import_id = $id', { id: r.import_id });
  expect(log).toEqual({ status: 'completed', rows_read: want.read, rows_loaded: want.loaded, rows_rejected: want.rejected });
  expect(Number(await ws.scalar('SELECT count(*) FROM rejects WHERE import_id = $id', { id: r.import_id }))).toBe(want.rejected);
  expect(Number(await ws.scalar(`SELECT count(*) FROM ${r.target_table} WHERE _import_id = $id`, { id: r.import_id }))).toBe(want.loaded);
  return r;
}

/** Imports and expects a clear refusal: an ImportError naming the file; nothing loaded; import_log not completed. */
export async function expectRefusal(ws: Workspace, path: string, kind: Kind, file: string, message: RegExp): Promise<ImportError> {
  const before = Number(await ws.scalar('SELECT coalesce(max(import_id), 0) FROM import_log'));
  let err: unknown;
  try { await importFile(ws, { kind, path }); } catch (e) { err = e; }
  expect(err).toBeInstanceOf(ImportError);
  const e = err as ImportError;
  expect(e.file).toBe(file);
  expect(e.message).toContain(file);
  expect(e.message).toMatch(message);
  const logs = await ws.all<{ import_id: number; status: string }>('SELECT import_id, status FROM import_log WHERE import_id > $b', { b: before });
  for (const l of logs) {
    expect(l.status).toBe('failed');
    expect(Number(await ws.scalar('SELECT count(*) FROM rejects WHERE import_id = $id', { id: l.import_id }))).toBe(0);
    expect(await ws.tableExists(`raw_${l.import_id}`)).toBe(false);
  }
  expect(Number(await ws.scalar(`SELECT count(*) FROM disbursements WHERE _import_id > $b`, { b: before }))).toBe(0);
  return e;
}
