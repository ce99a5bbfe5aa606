/**
 * Findings calls: finding drafts and their texts, the exceptions of a check with their reviews, reviewing.
 */
import type { CallArgs } from '../../shared/contract';
import { ServiceError } from '../../shared/result';
import type * as T from '../../shared/types';
import { ident } from '../workspace/workspace';
import type { FindingRow } from '../findings';
import { num, type HandlersOf, type ServiceCore } from './core';
import { modules } from './modules';
import { sourceColumns } from './views';

/** Check ids are code identifiers (checks registry); validated before they name a table or enter SQL. */
const CHECK_ID = /^[a-z][a-z0-9_]{0,62}$/;

export type FindingsCalls = 'listFindings' | 'getFinding' | 'updateFinding' | 'exceptionsPage' | 'reviewExceptions' | 'reviewAll' | 'draftFindings' | 'findingFigures';

export function findingsHandlers(svc: ServiceCore): HandlersOf<FindingsCalls> {
  const h: HandlersOf<FindingsCalls> = {
    listFindings: async () => (await modules.findings().listFindings(svc.reader())).map(toFindingSummary),
    getFinding: async (a) => {
      const f = await modules.findings().getFinding(svc.reader(), a.check_id);
      if (!f) throw new ServiceError('not_found', `Temuan ${a.check_id} tidak ada — jalankan analisis dahulu.`);
      return toFinding(f);
    },
    updateFinding: async (a) => { return svc.tasks.exclusive(async () => {
      const ws = svc.need();
      const actor = svc.state.prefs().reviewer || ws.actor();
      return toFinding(await modules.findings().updateFinding(ws, a.check_id, a.text, { actor }));
    }); },
    exceptionsPage: async (a) => {
      const r = svc.reader();
      if (!CHECK_ID.test(a.check_id)) throw new ServiceError('invalid_args', `check_id tidak sah: ${a.check_id}`);
      const table = `exc_${a.check_id}`;
      if (!(await r.tableExists(table))) throw new ServiceError('not_found', `Belum ada hasil analisis ${a.check_id} — jalankan analisis dahulu.`);
      const base = await sourceColumns(r, table);
      const reviewCols: T.ColumnInfo[] = [
        { name: 'review_status', type: 'VARCHAR' }, { name: 'review_note', type: 'VARCHAR' },
        { name: 'reviewer', type: 'VARCHAR' }, { name: 'reviewed_at', type: 'VARCHAR' },
      ];
      const hasReviews = await r.tableExists('reviews');
      const lr = hasReviews ? `(${modules.findings().LATEST_REVIEW_SQL})` : `(SELECT NULL::VARCHAR AS check_id, NULL::BIGINT AS rec_id, NULL::VARCHAR AS status, NULL::VARCHAR AS note, NULL::VARCHAR AS reviewer, NULL::VARCHAR AS reviewed_at WHERE FALSE)`;
      const sql = `(SELECT e.*, coalesce(lr.status, 'open') AS review_status, lr.note AS review_note, lr.reviewer AS reviewer, CAST(lr.reviewed_at AS VARCHAR) AS reviewed_at
        FROM ${ident(table)} e LEFT JOIN ${lr} lr ON lr.check_id = '${a.check_id}' AND lr.rec_id = CAST(e.rec_id AS BIGINT)) AS src`;
      const filter = [...(a.filter ?? [])];
      if (a.status) filter.push({ column: 'review_status', op: 'eq', value: a.status });
      const cols = base.filter((c) => !reviewCols.some((x) => x.name === c.name));
      return svc.page(table, { ...a, filter }, { extraJoin: { sql, columns: reviewCols }, defaultOrder: ['rec_id'] }).then((p) => ({ ...p, columns: p.columns.length ? p.columns : cols }));
    },
    reviewExceptions: async (a) => { return svc.tasks.exclusive(async () => {
      const ws = svc.need();
      const reviewer = svc.state.prefs().reviewer || ws.actor();
      const res = await modules.findings().reviewExceptions(ws, { check_id: a.check_id, rec_ids: a.rec_ids, status: a.status, note: a.note, reviewer });
      return { updated: num(res.updated) };
    }); },
    draftFindings: async (a) => svc.tasks.exclusive(() => modules.findings().draftFindings(svc.need(), { reset: !!a.reset })),
    findingFigures: async (a) => {
      if (!CHECK_ID.test(a.check_id)) throw new ServiceError('invalid_args', `check_id tidak sah: ${a.check_id}`);
      return modules.findings().findingFigures(svc.reader(), a.check_id);
    },
    reviewAll: async (a) => { return svc.tasks.exclusive(async () => {
      const ws = svc.need();
      const r = svc.reader();
      const table = `exc_${a.check_id}`;
      if (!(await r.tableExists(table))) throw new ServiceError('not_found', `Belum ada hasil analisis ${a.check_id}.`);
      // Resolve the view to rec_ids with the same builder the grid uses, so "review all shown" means exactly that.
      const p = await h.exceptionsPage({ check_id: a.check_id, offset: 0, limit: 1, filter: a.filter, search: a.search, status: a.only_status, columns: ['rec_id'] }) as T.TablePage;
      const all = await viewRecIds(h, a, p.total_rows);
      if (all.length === 0) return { updated: 0 };
      const reviewer = svc.state.prefs().reviewer || ws.actor();
      const res = await modules.findings().reviewExceptions(ws, { check_id: a.check_id, rec_ids: all, status: a.status, note: a.note, reviewer });
      return { updated: num(res.updated) };
    }); },
  };
  return h;
}

async function viewRecIds(h: Pick<HandlersOf<FindingsCalls>, 'exceptionsPage'>, a: { check_id: string; filter?: CallArgs<'reviewAll'>['filter']; search?: string; only_status?: T.ReviewStatus }, expected: number): Promise<number[]> {
  const out: number[] = [];
  const step = 50_000;
  for (let off = 0; off < expected; off += step) {
    const p = await h.exceptionsPage({ check_id: a.check_id, offset: off, limit: step, filter: a.filter, search: a.search, status: a.only_status, columns: ['rec_id'], mask: false });
    const { tableFromIPC } = await import('apache-arrow');
    const col = tableFromIPC(p.arrow).getChild('rec_id');
    if (!col) break;
    for (const v of col.toArray() as Float64Array) out.push(Number(v));
  }
  return out;
}

function toFindingSummary(f: FindingRow): T.FindingSummary {
  const def = modules.checks().getCheck(f.check_id);
  return {
    check_id: f.check_id, title_id: f.title || def?.title.id || f.check_id, title_en: def?.title.en ?? f.check_id, family: def?.family.id ?? '',
    records: num(f.records), recipients: num(f.recipients), amount: num(f.amount), in_potential_loss: !!f.potential_loss,
    reviews: { confirmed: num(f.reviews?.confirmed), cleared: num(f.reviews?.cleared), open: num(f.reviews?.open) },
    potential_loss_amount: num(f.potential_loss_amount), active: !!f.active,
  };
}

function toFinding(f: FindingRow): T.Finding {
  return {
    ...toFindingSummary(f),
    kondisi: f.kondisi ?? '', kriteria: f.kriteria ?? '', sebab: f.sebab ?? '', akibat: f.akibat ?? '', rekomendasi: f.rekomendasi ?? '', tanggapan: f.tanggapan ?? '',
    updated_at: f.updated_at ?? null, criteria_refs: f.criteria_refs ?? [], edited: f.edited ?? [], stale: !!f.stale,
  };
}
