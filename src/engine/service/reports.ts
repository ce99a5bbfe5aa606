/**
 * Report calls: the workbooks (BPK, KKP, evaluator, field sample, TLHP) and reading a filled field sheet back.
 */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { ServiceError } from '../../shared/result';
import { num, type HandlersOf, type ServiceCore } from './core';
import { modules } from './modules';

export type ReportsCalls = 'writeReport' | 'importReviewWorkbook';

export function reportsHandlers(svc: ServiceCore): HandlersOf<ReportsCalls> {
  return {
    writeReport: async (a) => {
      const ws = svc.need();
      const reports = modules.reports();
      const mask = await svc.masking(a.mask);
      const out = await svc.checkOut(a.out, '.xlsx', a.confirm_outside);
      return svc.startTask('export', 'writeReport', `Kertas kerja ${a.kind.toUpperCase()}`, async (ctx) => {
        let rowsWritten = 0;
        svc.state.exportStarted(`${out}.tmp`);
        const res = await reports.writeReport(ws, {
          kind: a.kind === 'field_sample' ? 'field-sample' : a.kind, out, maskNik: mask, preparedBy: a.prepared_by, reviewedBy: a.reviewed_by, previous: a.previous,
          sample: a.sample_size, seed: a.seed, sampleTable: a.sample_table, recIds: a.rec_ids, checks: a.checks, rowLimit: a.row_limit,
          entity: a.entity, period: a.period, team: a.team, preparedAt: day(a.prepared_date), reviewedAt: day(a.reviewed_date),
          output: { allowedRoots: svc.allowedRoots(), confirmOutside: a.confirm_outside },
        }, {
          signal: ctx.signal,
          onProgress: (p) => { rowsWritten = Math.max(rowsWritten, num(p.rows)); ctx.progress({ phase: p.sheet ?? p.phase, done: p.rows, total: p.totalRows ?? 0 }); },
        }).finally(() => svc.state.exportEnded(`${out}.tmp`));
        svc.written.add(resolve(res.path));
        return { path: res.path, bytes: res.bytes, rows: rowsWritten, sheets: res.sheets, sha256: res.sha256 };
      });
    },
    importReviewWorkbook: async (a) => { return svc.tasks.exclusive(async () => {
      const ws = svc.need();
      const p = resolve(a.path);
      if (!existsSync(p)) throw new ServiceError('not_found', `Berkas tidak ditemukan: ${p}`);
      const reviewer = a.reviewer || svc.state.prefs().reviewer || ws.actor();
      // A refused import (not a field sheet, a missing column, rejected rows) is a ReviewImportError: invalid_input,
      // its read-back (which rows, why) in the error's params.result.
      return modules.reports().importReviewWorkbook(ws, p, { reviewer, partial: a.partial });
    }); },
  };
}

/** A contract date (YYYY-MM-DD) as the workbook writers take it: midnight UTC. */
const day = (d: string | undefined): Date | undefined => (d ? new Date(`${d}T00:00:00Z`) : undefined);
