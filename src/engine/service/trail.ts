/**
 * Audit-trail calls: the trail (masked like every screen) and its verification.
 */
import { maskDeep } from '../../shared/masking';
import type * as T from '../../shared/types';
import { verifyTrail, type TrailEntry } from '../trail/trail';
import { num, parseJson, type HandlersOf, type ServiceCore } from './core';

export type TrailCalls = 'listTrail' | 'verifyTrail';

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
  };
}
