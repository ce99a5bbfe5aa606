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
import { prepareSnapshots } from '../../checks/snapshots';
import { effectiveRules } from '../../rules/rules';
import type { AdequacyRow, Complementarity, CoverageBand, CoverageRow, Graduation, ImpactResult, IncidenceRow } from '../../../shared/indicators';
import { INDICATOR_REASONS } from '../../../shared/reasons';

export type { AdequacyRow, Complementarity, CoverageBand, CoverageRow, Graduation, ImpactResult, IncidenceRow };

/** BPS garis kemiskinan (national, March 2025): Rp 595.242 per capita per month. A parameter: override per engagement. */
export const POVERTY_LINE_DEFAULT = 595242;
export const POVERTY_LINE_SOURCE = 'BPS, Garis Kemiskinan nasional Maret 2025 (Rp 595.242 per kapita per bulan)';

export interface ImpactParams {
  /** Rupiah per capita per month. */
  povertyLine?: number;
  povertyLineSource?: string;
  /** Programmes whose unit is household (graduated_still_paid); default from the engagement's effective rules. */
  householdPrograms?: string[];
  /** A check run's prepared tables (chk_paid) exist: the paid records are read from them instead of being rebuilt. */
  fromCheckPrep?: boolean;
  /** Also write impact_coverage, impact_incidence, impact_complementarity, impact_adequacy, impact_graduation (+ trail entry). */
  persist?: boolean;
}

const ratio = (a: number, b: number): number | null => (b ? a / b : null);

async function prepare(ws: Workspace, fromCheckPrep = false): Promise<void> {
  // imp_paid is a temp view in a check run and a temp table otherwise: drop whichever is there
  if (Number(await ws.scalar(`SELECT count(*) FROM duckdb_views() WHERE view_name = 'imp_paid' AND temporary`))) await ws.run(`DROP VIEW imp_paid`);
  await ws.run(`DROP TABLE IF EXISTS temp.main.imp_paid`);
  if (fromCheckPrep) {
    // chk_paid holds the same paid records with the same household key (prep.sql): a view, no second copy
    await ws.run(`CREATE OR REPLACE TEMP TABLE imp_reg_hh AS
      SELECT coalesce(nullif(trim(kk), ''), 'NIK:' || nik) AS hh, min(desil) AS desil, count(DISTINCT nik) AS members
      FROM registry WHERE nik IS NOT NULL GROUP BY 1`);
    await ws.run(`CREATE TEMP VIEW imp_paid AS
      SELECT rec_id, nik, program, amount, paid_date,
        coalesce(year(paid_date), TRY_CAST(substr(period_key, 1, 4) AS INTEGER)) AS year, household_key AS hh
      FROM chk_paid WHERE nik IS NOT NULL`);
    return;
  }
  await ws.run(`CREATE OR REPLACE TEMP TABLE imp_reg_nik AS
    SELECT nik, nullif(trim(arg_min({'kk': kk}, rec_id).kk), '') AS reg_kk
    FROM registry WHERE nik IS NOT NULL GROUP BY nik`);
  await ws.run(`CREATE OR REPLACE TEMP TABLE imp_reg_hh AS
    SELECT coalesce(nullif(trim(kk), ''), 'NIK:' || nik) AS hh, min(desil) AS desil, count(DISTINCT nik) AS members
    FROM registry WHERE nik IS NOT NULL GROUP BY 1`);
  await ws.run(`CREATE TEMP TABLE imp_paid AS
    SELECT d.rec_id, d.nik, d.program, d.amount, d.paid_date,
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
  if (!nDisb) {
    out.reason = INDICATOR_REASONS.impact_no_disbursements.id;
    out.reason_code = 'impact_no_disbursements';
    out.graduation.reason = out.reason;
    out.graduation.reason_code = out.reason_code;
    return out;
  }
  out.evaluated = true;
  await prepare(ws, params.fromCheckPrep);

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
  // Without a registry there is no desil: coverage is not evaluated (complementarity still is)
  out.coverage = !nReg ? [] : cov.map((r) => ({
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

  out.graduation = nReg ? await graduation(ws, params)
    : { evaluated: false, snapshots: [], reason: INDICATOR_REASONS.graduation_no_registry.id, reason_code: 'graduation_no_registry' };
  if (!nReg) { out.reason = INDICATOR_REASONS.impact_no_registry.id; out.reason_code = 'impact_no_registry'; }
  if (params.persist) await persistImpact(ws, out);
  return out;
}

/** The impact tables the evaluator workbook picks up (names start with impact_), in its own transaction + trail entry. */
export async function persistImpact(ws: Workspace, r: ImpactResult): Promise<void> {
  await ws.transaction(async () => {
    await writeImpactTables(ws, r);
    await appendTrail(ws, { action: 'indicators.impact', params: r.params, result: { evaluated: r.evaluated, graduation: r.graduation.evaluated,
      tables: IMPACT_TABLES } });
  });
}

export const IMPACT_TABLES = ['impact_coverage', 'impact_incidence', 'impact_complementarity', 'impact_adequacy', 'impact_graduation'];

/** Writes the impact_* tables (no transaction of its own: runChecks calls it inside the run's). */
export async function writeImpactTables(ws: Workspace, r: ImpactResult): Promise<void> {
  await writeRows(ws, 'impact_coverage', r.coverage.map((c) => ({
    program: c.program, households_desil_1_2: c.desil_1_2.households, covered_desil_1_2: c.desil_1_2.covered, coverage_desil_1_2: c.desil_1_2.coverage,
    households_desil_1_4: c.desil_1_4.households, covered_desil_1_4: c.desil_1_4.covered, coverage_desil_1_4: c.desil_1_4.coverage })),
    ['program', 'households_desil_1_2', 'covered_desil_1_2', 'coverage_desil_1_2', 'households_desil_1_4', 'covered_desil_1_4', 'coverage_desil_1_4']);
  await writeRows(ws, 'impact_incidence', r.incidence.map((x) => ({ ...x })), ['program', 'desil', 'households', 'records', 'amount', 'share']);
  await writeRows(ws, 'impact_complementarity', r.complementarity ? [{ ...r.complementarity }] : [],
    ['pkh', 'bpnt', 'both', 'either', 'both_share_of_pkh', 'both_share_of_bpnt', 'jaccard']);
  await writeRows(ws, 'impact_adequacy', r.adequacy.map((a) => ({ ...a, poverty_line_per_capita_month: r.params.poverty_line, poverty_line_source: r.params.poverty_line_source })),
    ['program', 'year', 'households', 'households_without_size', 'benefit', 'poverty_line_total', 'aggregate_ratio', 'median_ratio', 'mean_ratio',
      'poverty_line_per_capita_month', 'poverty_line_source']);
  const g = r.graduation;
  const cols = ['program', 'earlier', 'later', 'poor_earlier', 'present_later', 'graduated', 'rate', 'fell_in', 'graduated_still_paid', 'note'];
  await writeRows(ws, 'impact_graduation', g.evaluated
    ? [{ program: 'ALL', earlier: g.earlier!, later: g.later!, poor_earlier: g.poor_earlier!, present_later: g.present_later!, graduated: g.graduated!,
        rate: g.rate ?? null, fell_in: g.fell_in ?? null, graduated_still_paid: g.graduated_still_paid ?? null, note: null },
      ...(g.by_program ?? []).map((p) => ({ program: p.program, earlier: g.earlier!, later: g.later!, poor_earlier: p.poor_earlier, present_later: p.present_later,
        graduated: p.graduated, rate: p.rate, fell_in: null, graduated_still_paid: null, note: null }))]
    : [{ program: 'ALL', earlier: null, later: null, poor_earlier: null, present_later: null, graduated: null, rate: null, fell_in: null,
        graduated_still_paid: null, note: g.reason ?? 'tidak dinilai' }],
    cols);
}

/** The summary's `impact` key (DOMAIN.md "Machine-readable summary", contract 2), plus extra keys. */
export function impactSummary(r: ImpactResult): Record<string, unknown> {
  const g = r.graduation;
  const graduation = g.evaluated
    ? { evaluated: true, poor_earlier: g.poor_earlier ?? 0, present_later: g.present_later ?? 0, graduated: g.graduated ?? 0, fell_in: g.fell_in ?? 0,
        graduated_still_paid: g.graduated_still_paid ?? 0, earlier: g.earlier, later: g.later, earlier_date: g.earlier_date ?? null, later_date: g.later_date ?? null,
        snapshots: g.snapshots }
    : { evaluated: false, reason: g.reason ?? 'tidak dinilai' };
  const out: Record<string, unknown> = {
    coverage: Object.fromEntries(r.coverage.map((c) => [c.program, {
      desil_1_2: c.desil_1_2.coverage, desil_1_4: c.desil_1_4.coverage,
      households_desil_1_2: c.desil_1_2.households, covered_desil_1_2: c.desil_1_2.covered,
      households_desil_1_4: c.desil_1_4.households, covered_desil_1_4: c.desil_1_4.covered }])),
    complementarity: r.complementarity ? { pkh: r.complementarity.pkh, bpnt: r.complementarity.bpnt, both: r.complementarity.both,
      either: r.complementarity.either } : { pkh: 0, bpnt: 0, both: 0, either: 0 },
    graduation,
    poverty_line: r.params.poverty_line,
    poverty_line_source: r.params.poverty_line_source,
    adequacy: r.adequacy.map((a) => ({ program: a.program, year: a.year, households: a.households, aggregate_ratio: a.aggregate_ratio, median_ratio: a.median_ratio })),
    incidence: r.incidence.map((i) => ({ program: i.program, desil: i.desil, households: i.households, amount: i.amount, share: i.share })),
  };
  if (!r.evaluated) { out.evaluated = false; out.reason = r.reason; }
  return out;
}

async function graduation(ws: Workspace, params: ImpactParams): Promise<Graduation> {
  await prepareSnapshots(ws);
  const snaps = await ws.all<{ ord: number; label: string; d: string | null }>(`
    SELECT snap_ord AS ord, coalesce(min(trim(raw)) FILTER (WHERE nullif(trim(raw), '') IS NOT NULL), '(tanpa snapshot)') AS label,
           strftime(min(eff), '%Y-%m-%d') AS d
    FROM chk_snap GROUP BY snap_ord ORDER BY snap_ord`);
  const labels = snaps.map((r) => r.label);
  if (snaps.length < 2) {
    return { evaluated: false, snapshots: labels, reason: INDICATOR_REASONS.graduation_one_snapshot.id, reason_code: 'graduation_one_snapshot' };
  }
  const first = snaps[0], last = snaps[snaps.length - 1];
  const hhProgs = params.householdPrograms ?? Object.entries((await effectiveRules(ws)).programmes).filter(([, r]) => r.unit === 'household').map(([p]) => p);
  await ws.run(`CREATE OR REPLACE TEMP TABLE imp_grad AS
    WITH rs AS (
      SELECT coalesce(nullif(trim(r.kk), ''), 'NIK:' || r.nik) AS hh, s.snap_ord AS ord, min(r.desil) AS desil
      FROM registry r JOIN chk_snap s ON s.raw IS NOT DISTINCT FROM r.snapshot
      WHERE r.nik IS NOT NULL AND s.snap_ord IN ($e, $l) GROUP BY 1, 2),
    e AS (SELECT hh, desil FROM rs WHERE ord = $e), l AS (SELECT hh, desil FROM rs WHERE ord = $l)
    SELECT e.hh, e.desil AS de, l.desil AS dl, l.hh IS NOT NULL AS present FROM e LEFT JOIN l ON l.hh = e.hh`,
  { e: Number(first.ord), l: Number(last.ord) });
  const g = await ws.one<{ poor: number; present: number; grad: number; fell: number; still: number }>(`
    SELECT count(*) FILTER (WHERE de <= 4) AS poor, count(*) FILTER (WHERE de <= 4 AND present) AS present,
      count(*) FILTER (WHERE de <= 4 AND present AND dl > 4) AS grad,
      count(*) FILTER (WHERE present AND de > 4 AND dl <= 4) AS fell,
      count(*) FILTER (WHERE de <= 4 AND present AND dl > 4 AND hh IN (
        SELECT hh FROM imp_paid WHERE list_contains(from_json($progs::VARCHAR, '["VARCHAR"]'), program) AND paid_date >= $ld::DATE)) AS still
    FROM imp_grad`, { progs: JSON.stringify(hhProgs), ld: last.d ?? '0001-01-01' });
  const byp = await ws.all<{ program: string; poor: number; present: number; grad: number }>(`
    SELECT b.program, count(*) AS poor, count(*) FILTER (WHERE present) AS present, count(*) FILTER (WHERE present AND dl > 4) AS grad
    FROM imp_grad j JOIN (SELECT DISTINCT program, hh FROM imp_paid) b ON b.hh = j.hh WHERE de <= 4 GROUP BY b.program ORDER BY b.program`);
  return {
    evaluated: true, snapshots: labels, earlier: first.label, later: last.label, earlier_date: first.d, later_date: last.d,
    poor_earlier: Number(g!.poor), present_later: Number(g!.present), graduated: Number(g!.grad),
    rate: ratio(Number(g!.grad), Number(g!.present)), fell_in: Number(g!.fell), graduated_still_paid: Number(g!.still),
    by_program: byp.map((r) => ({ program: r.program, poor_earlier: Number(r.poor), present_later: Number(r.present), graduated: Number(r.grad),
      rate: ratio(Number(r.grad), Number(r.present)) })),
  };
}
