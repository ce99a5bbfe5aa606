/**
 * Removing an import (issue 13): the rows it loaded into its target table, its rejects, its raw copy and its quality
 * report go; the import_log row stays, marked 'removed' with the reason, and the trail records who removed what and
 * why. A table of kind 'other' that the import created and that is now empty is dropped. One transaction.
 */
import { TelisikError } from '../../shared/errors';
import { appendTrail } from '../trail/trail';
import { ident, type Workspace } from '../workspace/workspace';

export class ImportRemoveError extends TelisikError {
  constructor(code: 'not_found' | 'invalid_input', message: string) { super(code, message, { reason: code }); }
}

export interface RemoveResult { import_id: number; file: string; rows_removed: number; rejects_removed: number; table_dropped: string | null }

const SAFE = /^[A-Za-z_][A-Za-z0-9_]{0,127}$/;

export async function removeImport(ws: Workspace, importId: number, reason: string, opts: { actor?: string } = {}): Promise<RemoveResult> {
  const why = String(reason ?? '').trim();
  if (why.length < 3) throw new ImportRemoveError('invalid_input', 'Alasan penghapusan wajib diisi (a reason is required)');
  const row = await ws.one<{ kind: string; file: string; status: string; target_table: string | null; raw_table: string | null; rows_loaded: number }>(
    `SELECT kind, file, status, target_table, raw_table, rows_loaded FROM import_log WHERE import_id = $i`, { i: importId });
  if (!row) throw new ImportRemoveError('not_found', `Impor #${importId} tidak ada (import not found)`);
  if (row.status === 'removed') throw new ImportRemoveError('invalid_input', `Impor #${importId} sudah dihapus (already removed)`);
  return ws.transaction(async () => {
    let rows = 0;
    let dropped: string | null = null;
    const target = row.target_table && SAFE.test(row.target_table) ? row.target_table : null;
    if (target && (await ws.tableExists(target))) {
      const hasCol = Number(await ws.scalar(`SELECT count(*) FROM information_schema.columns WHERE table_schema = 'main' AND table_name = $t AND column_name = '_import_id'`, { t: target })) > 0;
      if (hasCol) {
        rows = Number(await ws.scalar(`SELECT count(*) FROM ${ident(target)} WHERE _import_id = $i`, { i: importId }));
        await ws.run(`DELETE FROM ${ident(target)} WHERE _import_id = $i`, { i: importId });
        const left = Number(await ws.scalar(`SELECT count(*) FROM ${ident(target)}`));
        if (row.kind === 'other' && left === 0) { await ws.run(`DROP TABLE ${ident(target)}`); dropped = target; }
      }
    }
    if (row.raw_table && SAFE.test(row.raw_table) && /^raw_\d+$/.test(row.raw_table) && (await ws.tableExists(row.raw_table))) {
      await ws.run(`DROP TABLE ${ident(row.raw_table)}`);
    } else if (row.raw_table && /^raw_\d+$/.test(row.raw_table)) {
      // a direct CSV import's raw layer is a view over the source file
      await ws.run(`DROP VIEW IF EXISTS ${ident(row.raw_table)}`);
    }
    const rejects = Number(await ws.scalar('SELECT count(*) FROM rejects WHERE import_id = $i', { i: importId }));
    await ws.run('DELETE FROM rejects WHERE import_id = $i', { i: importId });
    await ws.run(`UPDATE import_log SET status = 'removed', quality = NULL, message = $m WHERE import_id = $i`, { i: importId, m: why });
    await appendTrail(ws, {
      action: 'import.remove', actor: opts.actor,
      params: { import_id: importId, file: row.file, kind: row.kind, reason: why },
      result: { rows_removed: rows, rejects_removed: rejects, table_dropped: dropped },
    });
    return { import_id: importId, file: row.file, rows_removed: rows, rejects_removed: rejects, table_dropped: dropped };
  });
}
