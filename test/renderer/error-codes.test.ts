// Engine errors cross the boundary as code + params (TelisikError); the UI words them in its own language from those,
// never from the engine's Indonesian/English message.
import { describe, expect, it } from 'vitest';
import { translator } from '../../src/renderer/i18n';
import { errorMessage } from '../../src/renderer/i18n/labels';
import { toAppError } from '../../src/engine/service/tasks';
import { OutputPathError } from '../../src/engine/output';
import { SqlGuardError } from '../../src/engine/sqlguard';
import { WorkspaceError } from '../../src/engine/workspace/workspace';
import { CheckParamError, RunCancelledError } from '../../src/engine/checks';
import { ExportWriteError } from '../../src/engine/reports/format';
import { ServiceError } from '../../src/shared/result';
import { CancelledError, TelisikError } from '../../src/shared/errors';

const id = translator('id');
const en = translator('en');
const both = (e: unknown) => { const a = toAppError(e); return [errorMessage(a, id, 'id'), errorMessage(a, en, 'en')]; };

describe('errors by code and params', () => {
  it('every engine error class is a TelisikError whose code the boundary keeps', () => {
    for (const e of [new OutputPathError('confirm_required', 'x'), new SqlGuardError('not_select', 'x'), new WorkspaceError('schema', 'x', '/data/a.duckdb'),
      new CheckParamError('x'), new RunCancelledError(), new ExportWriteError(Object.assign(new Error('nope'), { code: 'ENOSPC' }), '/tmp/a.xlsx')]) {
      expect(e).toBeInstanceOf(TelisikError);
      expect(toAppError(e).code).toBe((e as TelisikError).code);
    }
    expect(toAppError(new OutputPathError('confirm_required', 'x'))).toMatchObject({ code: 'confirm_required', details: { reason: 'output_outside' } });
    expect(toAppError(new OutputPathError('invalid_output', 'x'))).toMatchObject({ code: 'invalid_input', details: { reason: 'output_invalid' } });
    expect(toAppError(new WorkspaceError('schema', 'x', '/data/a.duckdb'))).toMatchObject({ code: 'invalid_input', details: { reason: 'workspace_schema', file: 'a.duckdb' } });
    expect(toAppError(new RunCancelledError()).code).toBe('cancelled');
    expect(toAppError(new CancelledError()).code).toBe('cancelled');
  });

  it('a message that merely mentions "abort" is not a cancellation; a DuckDB interrupt is', () => {
    expect(toAppError(new Error('Kolom aborted_flag tidak dikenal')).code).toBe('internal');
    expect(toAppError(new Error('INTERRUPT Error: Interrupted!')).code).toBe('cancelled');
  });

  it('the UI words a reason from its params in each language', () => {
    expect(both(new OutputPathError('confirm_required', 'Berkas keluaran di luar folder (outside)'))).toEqual([
      'Berkas keluaran berada di luar folder penugasan — konfirmasi untuk tetap menyimpan di sana.',
      'The output file is outside the engagement folder — confirm to save it there anyway.',
    ]);
    expect(both(new ServiceError('invalid_input', 'Kueri dihentikan (stopped)', { reason: 'sql_timeout', seconds: 30 }))).toEqual([
      'Kueri dihentikan: melebihi batas waktu 30 detik. Persempit kuerinya (filter, LIMIT) lalu coba lagi.',
      'The query was stopped: it ran over the time limit of 30 s. Narrow it (filter, LIMIT) and try again.',
    ]);
    expect(both(new ServiceError('not_found', 'Tabel … memerlukan data', { reason: 'needs_tables', tables: ['registry', 'disbursements'] }))).toEqual([
      'Data yang diperlukan (registri DTSEN, data penyaluran) belum diimpor — impor dahulu.', 'The data this needs (DTSEN registry, disbursements) has not been imported yet — import it first.',
    ]);
    expect(both(new ExportWriteError(Object.assign(new Error('no space'), { code: 'ENOSPC' }), '/tmp/a.xlsx'))[1]).toBe('Writing the file /tmp/a.xlsx failed (code ENOSPC); the partial file was removed.');
    expect(both(new WorkspaceError('in_use', 'dipakai (in use)', '/data/a.duckdb'))[1]).toMatch(/^The engagement file is in use/);
    // a duplicate import names the earlier one with its facts, from the params
    const dup = { code: 'confirm_required' as const, message: 'x', details: { reason: 'duplicate_import', file: 'b.csv', earlier_id: 1, earlier_file: 'a.csv', earlier_at: '2026-12-05 10:00:00', earlier_rows: 3, earlier_table: 'disbursements' } };
    expect(errorMessage(dup, en, 'en')).toBe('File b.csv was imported before: import #1 (a.csv, 2026-12-05 10:00:00, 3 rows into disbursements), same SHA-256 — importing it again would count every row twice.');
  });
});
