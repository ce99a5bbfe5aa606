/**
 * Impact indicators (DOMAIN.md "evaluation of … socio-economic impact"): coverage of the poorest registry households,
 * benefit incidence by desil, PKH–BPNT complementarity, adequacy against the poverty line, graduation between two
 * registry snapshots. Contract definitions: paid = status PAID (empty = PAID); registry household = kk else
 * 'NIK:'||nik, its desil the lowest of its rows; disbursement household = own non-empty kk, else the registry kk of
 * the NIK (first registry row, lowest rec_id), else 'NIK:'||nik.
 */
import type { Workspace } from '../../workspace/workspace';
import { appendTrail } from '../../trail/trail';
import { writeRows } from './persist';

/** BPS garis kemiskinan (national, March 2025): Rp 595.242 per capita per month. A parameter: override per engagement. */
export const POVERTY_LINE_DEFAULT = 595242;
export const POVERTY_LINE_SOURCE = 'BPS, Garis Kemiskinan nasional Maret 2025 (Rp 595.242 per kapita per bulan)';

export interface ImpactParams {
  /** Rupiah per capita per month. */
  povertyLine?: number;
  povertyLineSource?: string;
  /** Graduation snapshots (registry `snapshot` values); default the first and last in text order. */
  earlierSnapshot?: string;
  laterSnapshot?: string;
  /** Also write impact_coverage, impact_incidence, impact_complementarity, impact_adequacy, impact_graduation (+ trail entry). */
  persist?: boolean;
}

export interface CoverageBand { households: number; covered: number; coverage: number | null }
export interface CoverageRow { program: string; desil_1_2: CoverageBand; desil_1_4: CoverageBand }
export interface IncidenceRow { program: string; desil: number | null; households: number; records: number; amount: number; share: number | null }
export interface AdequacyRow {
  program: string; year: number; households: number; households_without_size: number; benefit: number;
  poverty_line_total: number; aggregate_ratio: number | null; median_ratio: number | null; mean_ratio: number | null;
}
export interface Complementarity {
  pkh: number; bpnt: number; both: number; either: number;
  both_share_of_pkh: number | null; both_share_of_bpnt: number | null; jaccard: number | null;
}
export interface Graduation {
  evaluated: boolean; reason?: string; snapshots: string[]; earlier?: string; later?: string;
  poor_earlier?: number; present_later?: number; graduated?: number; rate?: number | null; fell_into_desil_1_4?: number;
  by_program?: { program: string; poor_earlier: number; present_later: number; graduated: number; rate: number | null }[];
}
export interface ImpactResult {
  evaluated: boolean;
  reason?: string;
  params: { poverty_line: number; poverty_line_source: string };
  coverage: CoverageRow[];
  incidence: IncidenceRow[];
  complementarity: Complementarity | null;
  adequacy: AdequacyRow[];
  graduation: Graduation;
}

const ratio = (a: number, b: number): number | null => (b ? a / b : null);

async function prepare(ws: Workspace): Promise<void> {
  await ws.run(`CREATE OR REPLACE TEMP TABLE imp_reg_nik AS
    SELECT nik, nullif(trim(arg_min({'kk': kk}, rec_id).kk), '') AS reg_kk
    FROM registry WHERE nik IS NOT NULL GROUP BY nik`);
  await ws.run(`CREATE OR REPLACE TEMP TABLE imp_reg_hh AS
    SELECT coalesce(nullif(trim(kk), ''), 'NIK:' || nik) AS hh, min(desil) AS desil, count(DISTINCT nik) AS members
    FROM registry WHERE nik IS NOT NULL GROUP BY 1`);
  await ws.run(`CREATE OR REPLACE TEMP TABLE imp_paid AS
    SELECT d.rec_id, d.nik, d.program, d.amount,
      coalesce(year(d.paid_date), TRY_CAST(substr(d.period_key, 1, 4) AS INTEGER)) AS year,
      coalesce(nullif(trim(d.kk), ''), r.reg_kk, 'NIK:' || d.nik) AS hh
    FROM disbursements d LEFT JOIN imp_reg_nik r ON r.nik = d.nik
    WHERE coalesce(nullif(upper(trim(d.status)), ''), 'PAID') = 'PAID' AND d.nik IS NOT NULL`);
}

/** Computes every impact indicator. Needs disbursements; registry-based indicators need the registry. */
export async function computeImpact(ws: Workspace, params: ImpactParams = {}): Promise<ImpactResult> {
  const pl = params.povertyLine ?? POVERTY_LINE_DEFAULT;
  const out: ImpactResult = {
    evaluated: false, params: { poverty_line: pl, poverty_line_source: params.povertyLineSource ?? (params.povertyLine ? 'parameter auditor' : POVERTY_LINE_SOURCE) },
    coverage: [], incidence: [], complementarity: null, adequacy: [], graduation: { evaluated: false, snapshots: [] },
  };
  const nDisb = Number(await ws.scalar('SELECT count(*) FROM disbursements'));
  const nReg = Number(await ws.scalar('SELECT count(*) FROM registry'));
  if (!nDisb || !nReg) {
    out.reason = !nDisb ? 'Data penyaluran belum dimuat' : 'Data registri (DTKS/DTSEN) belum dimuat';
    out.graduation.reason = out.reason;
    return out;
  }
  out.evaluated = true;
  await prepare(ws);

  // Coverage: share of registry households of desil 1-2 / 1-4 with at least one paid record of the programme.
  const cov = await ws.all<{ program: string; h12: number; c12: number; h14: number; c14: number }>(`
    WITH progs AS (SELECT DISTINCT program FROM imp_paid WHERE program IS NOT NULL),
    b AS (SELECT DISTINCT program, hh FROM imp_paid)
    SELECT p.program,
      (SELECT count(*) FROM imp_reg_hh WHERE desil <= 2) AS h12,
      (SELECT count(*) FROM imp_reg_hh h JOIN b ON b.hh = h.hh AND b.program = p.program WHERE h.desil <= 2) AS c12,
      (SELECT count(*) FROM imp_reg_hh WHERE desil <= 4) AS h14,
      (SELECT count(*) FROM imp_reg_hh h JOIN b ON b.hh = h.hh AND b.program = p.program WHERE h.desil <= 4) AS c14
    FROM progs p ORDER BY p.program`);
  out.coverage = cov.map((r) => ({
    program: r.program,
    desil_1_2: { households: Number(r.h12), covered: Number(r.c12), coverage: ratio(Number(r.c12), Number(r.h12)) },
    desil_1_4: { households: Number(r.h14), covered: Number(r.c14), coverage: ratio(Number(r.c14), Number(r.h14)) },
  }));

  // Benefit incidence: paid amount by the household's registry desil (NULL = not in registry / no desil), per programme and ALL.
  const inc = await ws.all<{ program: string; desil: number | null; households: number; records: number; amount: number }>(`
    SELECT coalesce(p.program, 'ALL') AS program, h.desil, count(DISTINCT p.hh) AS households, count(*) AS records, sum(p.amount)::DOUBLE AS amount
    FROM imp_paid p LEFT JOIN imp_reg_hh h ON h.hh = p.hh
    GROUP BY GROUPING SETS ((p.program, h.desil), (h.desil))
    ORDER BY program, h.desil NULLS LAST`);
  const totals = new Map<string, number>();
  for (const r of inc) totals.set(r.program, (totals.get(r.program) ?? 0) + Number(r.amount));
  out.incidence = inc.map((r) => ({ program: r.program, desil: r.desil === null ? null : Number(r.desil), households: Number(r.households),
    records: Number(r.records), amount: Number(r.amount), share: ratio(Number(r.amount), totals.get(r.program) ?? 0) }));

  // Complementarity: households with paid PKH and paid BPNT.
  const c = await ws.one<{ pkh: number; bpnt: number; both: number; either: number }>(`
    WITH h AS (SELECT hh, bool_or(program = 'PKH') AS pkh, bool_or(program = 'BPNT') AS bpnt FROM imp_paid GROUP BY hh)
    SELECT count(*) FILTER (WHERE pkh) AS pkh, count(*) FILTER (WHERE bpnt) AS bpnt, count(*) FILTER (WHERE pkh AND bpnt) AS both,
      count(*) FILTER (WHERE pkh OR bpnt) AS either FROM h`);
  const [pkh, bpnt, both, either] = [Number(c!.pkh), Number(c!.bpnt), Number(c!.both), Number(c!.either)];
  out.complementarity = { pkh, bpnt, both, either, both_share_of_pkh: ratio(both, pkh), both_share_of_bpnt: ratio(both, bpnt), jaccard: ratio(both, either) };

  // Adequacy: annual benefit per household / (poverty line × registry household size × 12).
  const ad = await ws.all<{ program: string; year: number; households: number; nosize: number; benefit: number; line: number;
    med: number | null; mean: number | null }>(`
    WITH hy AS (
      SELECT coalesce(program, 'ALL') AS program, year, hh, sum(amount)::DOUBLE AS benefit FROM imp_paid WHERE year IS NOT NULL
      GROUP BY GROUPING SETS ((program, year, hh), (year, hh))),
    j AS (SELECT hy.*, h.members, hy.benefit / ($pl::DOUBLE * h.members * 12) AS r FROM hy LEFT JOIN imp_reg_hh h ON h.hh = hy.hh)
    SELECT program, year, count(*) FILTER (WHERE members IS NOT NULL) AS households, count(*) FILTER (WHERE members IS NULL) AS nosize,
      coalesce(sum(benefit) FILTER (WHERE members IS NOT NULL), 0) AS benefit,
      coalesce(sum($pl::DOUBLE * members * 12) FILTER (WHERE members IS NOT NULL), 0) AS line,
      median(r) AS med, avg(r) AS mean
    FROM j GROUP BY program, year ORDER BY program = 'ALL', program, year`, { pl });
  out.adequacy = ad.map((r) => ({ program: r.program, year: Number(r.year), households: Number(r.households), households_without_size: Number(r.nosize),
    benefit: Number(r.benefit), poverty_line_total: Number(r.line), aggregate_ratio: ratio(Number(r.benefit), Number(r.line)),
    median_ratio: r.med === null ? null : Number(r.med), mean_ratio: r.mean === null ? null : Number(r.mean) }));

  out.graduation = await graduation(ws, params);
  if (params.persist) await persistImpact(ws, out);
  return out;
}

/** The impact tables the evaluator workbook picks up (names start with impact_). */
export async function persistImpact(ws: Workspace, r: ImpactResult): Promise<void> {
  await ws.transaction(async () => {
    await writeRows(ws, 'impact_coverage', r.coverage.map((c) => ({
      program: c.program, households_desil_1_2: c.desil_1_2.households, covered_desil_1_2: c.desil_1_2.covered, coverage_desil_1_2: c.desil_1_2.coverage,
      households_desil_1_4: c.desil_1_4.households, covered_desil_1_4: c.desil_1_4.covered, coverage_desil_1_4: c.desil_1_4.coverage })),
      ['program', 'households_desil_1_2', 'covered_desil_1_2', 'coverage_desil_1_2', 'households_desil_1_4', 'covered_desil_1_4', 'coverage_desil_1_4']);
    await writeRows(ws, 'impact_incidence', r.incidence.map((x) => ({ ...x })), ['program', 'desil', 'households', 'records', 'amount', 'share']);
    await writeRows(ws, 'impact_complementarity', r.complementarity ? [{ ...r.complementarity }] : []);
    await writeRows(ws, 'impact_adequacy', r.adequacy.map((a) => ({ ...a, poverty_line_per_capita_month: r.params.poverty_line, poverty_line_source: r.params.poverty_line_source })));
    const g = r.graduation;
    await writeRows(ws, 'impact_graduation', g.evaluated
      ? [{ program: 'ALL', earlier: g.earlier!, later: g.later!, poor_earlier: g.poor_earlier!, present_later: g.present_later!, graduated: g.graduated!, rate: g.rate ?? null, note: null },
        ...(g.by_program ?? []).map((p) => ({ program: p.program, earlier: g.earlier!, later: g.later!, poor_earlier: p.poor_earlier, present_later: p.present_later, graduated: p.graduated, rate: p.rate, note: null }))]
      : [{ program: 'ALL', earlier: null, later: null, poor_earlier: null, present_later: null, graduated: null, rate: null, note: g.reason ?? 'tidak dinilai' }],
      ['program', 'earlier', 'later', 'poor_earlier', 'present_later', 'graduated', 'rate', 'note']);
    await appendTrail(ws, { action: 'indicators.impact', params: r.params, result: { evaluated: r.evaluated, graduation: r.graduation.evaluated,
      tables: ['impact_coverage', 'impact_incidence', 'impact_complementarity', 'impact_adequacy', 'impact_graduation'] } });
  });
}

async function graduation(ws: Workspace, params: ImpactParams): Promise<Graduation> {
  const snaps = (await ws.all<{ s: string }>(`SELECT DISTINCT trim(snapshot) AS s FROM registry WHERE nullif(trim(snapshot), '') IS NOT NULL ORDER BY 1`)).map((r) => r.s);
  if (snaps.length < 2) {
    return { evaluated: false, snapshots: snaps, reason: 'Graduasi memerlukan minimal dua snapshot registri (kolom snapshot/PERIODE_DATA); tidak dinilai.' };
  }
  const earlier = params.earlierSnapshot ?? snaps[0];
  const later = params.laterSnapshot ?? snaps[snaps.length - 1];
  for (const s of [earlier, later]) if (!snaps.includes(s)) return { evaluated: false, snapshots: snaps, reason: `Snapshot ${s} tidak ada di registri` };
  if (earlier === later) return { evaluated: false, snapshots: snaps, reason: 'Snapshot awal dan akhir sama' };
  const p = { e: earlier, l: later };
  const snapHh = (v: string) => `SELECT coalesce(nullif(trim(kk), ''), 'NIK:' || nik) AS hh, min(desil) AS desil FROM registry
      WHERE trim(snapshot) = $${v} AND nik IS NOT NULL GROUP BY 1`;
  const base = `WITH e AS (${snapHh('e')}), l AS (${snapHh('l')}),
    j AS (SELECT e.hh, e.desil AS de, l.desil AS dl FROM e LEFT JOIN l ON l.hh = e.hh)`;
  const g = await ws.one<{ poor: number; present: number; grad: number; fell: number }>(`${base}
    SELECT count(*) FILTER (WHERE de <= 4) AS poor, count(*) FILTER (WHERE de <= 4 AND dl IS NOT NULL) AS present,
      count(*) FILTER (WHERE de <= 4 AND dl >= 5) AS grad, count(*) FILTER (WHERE de >= 5 AND dl <= 4) AS fell FROM j`, p);
  const byp = await ws.all<{ program: string; poor: number; present: number; grad: number }>(`${base}
    SELECT b.program, count(*) AS poor, count(*) FILTER (WHERE dl IS NOT NULL) AS present, count(*) FILTER (WHERE dl >= 5) AS grad
    FROM j JOIN (SELECT DISTINCT program, hh FROM imp_paid) b ON b.hh = j.hh WHERE de <= 4 GROUP BY b.program ORDER BY b.program`, p);
  return {
    evaluated: true, snapshots: snaps, earlier, later, poor_earlier: Number(g!.poor), present_later: Number(g!.present),
    graduated: Number(g!.grad), rate: ratio(Number(g!.grad), Number(g!.present)), fell_into_desil_1_4: Number(g!.fell),
    by_program: byp.map((r) => ({ program: r.program, poor_earlier: Number(r.poor), present_later: Number(r.present), graduated: Number(r.grad),
      rate: ratio(Number(r.grad), Number(r.present)) })),
  };
}
