/**
 * Audit-trail calls: the trail (masked like every screen) and its verification.
 */
import { maskDeep } from '../../shared/masking';
import type * as T from '../../shared/types';
import { resolve } from 'node:path';
import { verifyTrail, type TrailEntry } from '../trail/trail';
import { checkReceipt, readReceipt } from '../trail/receipt';
import { reperform } from '../checks/reperform';
import { Workspace } from '../workspace/workspace';
import { num, parseJson, type HandlersOf, type ServiceCore } from './core';

export type TrailCalls = 'listTrail' | 'verifyTrail' | 'checkReceipt' | 'reperformRun';

export function trailHandlers(svc: ServiceCore): HandlersOf<TrailCalls> {
  return {
    listTrail: async (a) => {
      const r = svc.reader();
      if (!(await r.tableExists('audit_trail'))) return { offset: a.offset, total: 0, rows: [] };
      const total = num(await r.scalar('SELECT count(*) FROM audit_trail'));
      const rows = await r.all<TrailEntry>(`SELECT * FROM audit_trail ORDER BY seq DESC LIMIT ${a.limit} OFFSET ${a.offset}`);
      const out = rows.map((e) => ({ ...e, seq: num(e.seq), params: parseJson(e.params), inputs: parseJson(e.inputs), result: parseJson(e.result) }));
      // Trail details may quote identifiers (a finding text, a review note): masked like every other screen.
      if (!svc.state.prefs().masking_default) return { offset: a.offset, total, rows: out };
      return { offset: a.offset, total, rows: out.map((e) => ({ ...e, params: maskDeep(e.params), inputs: maskDeep(e.inputs), result: maskDeep(e.result) })) };
    },
    verifyTrail: async (a) => {
      const res = await verifyTrail(svc.reader(), { checkSources: a.check_sources });
      return res as T.TrailVerificationView;
    },
    checkReceipt: async (a) => {
      const receipt = await readReceipt(resolve(a.path)); // a ReceiptError is invalid_input
      return { ...receipt, ...(await checkReceipt(svc.reader(), receipt)) };
    },
    reperformRun: async (a) => {
      const ws = svc.need();
      const { path, readOnly } = ws;
      return svc.startTask('analysis', 'reperformRun', 'Re-performance', async (ctx) => {
        // The scratch workspace ATTACHes the engagement READ_ONLY from its own DuckDB instance: the engagement is closed
        // for it (in this process) and opened again in the same access mode afterwards.
        await svc.closeWorkspace(ctx.task_id);
        try {
          return await reperform(path, { fromSources: !!a.from_sources, onProgress: (m) => ctx.progress({ phase: 'reperform', message: m }) });
        } finally {
          await svc.attach(await Workspace.open(path, { readOnly }), ctx.task_id);
        }
      });
    },
  };
}
