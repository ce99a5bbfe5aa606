// Evaluasi (issue 13 item 4): coverage of the poorest households, benefit incidence by desil, PKH–BPNT
// complementarity, adequacy against a poverty line the evaluator sets, graduation between registry snapshots with the
// graduated households still paid. Every row drills down to the records behind it.
import { useEffect, useMemo, useState } from 'react';
import { api } from '../../bridge';
import { formatNumber, formatPct, formatRp, formatRpShort } from '../../format';
import { useI18n } from '../../i18n';
import { useApp, type DrillTarget } from '../../app/state';
import { Field, NeedEngagement, Notice, PageHeader } from '../../app/ui';
import { Chart, PALETTE, type ChartOption } from '../../charts/Chart';
import type { FilterSpec } from '../../../shared/contract';
import type { ImpactView } from '../../../shared/indicators';
import { oneLanguage } from '../../i18n/labels';
import { indicatorReason } from '../../../shared/reasons';

const PAID: FilterSpec = { column: 'status', op: 'eq', value: 'PAID' };
const q = (s: string) => `'${s.replace(/'/g, "''")}'`;

export function Evaluation() {
  return <NeedEngagement><EvaluationInner /></NeedEngagement>;
}

/** Rows clickable with mouse and keyboard (Enter) — the drill-down of every figure. */
function DrillRow({ onDrill, children, label }: { onDrill: () => void; children: React.ReactNode; label: string }) {
  return <tr className="clickable" tabIndex={0} onClick={onDrill} onKeyDown={(e) => { if (e.key === 'Enter') onDrill(); }} aria-label={label}>{children}</tr>;
}

function EvaluationInner() {
  const { t, lang } = useI18n();
  const { go, errorText, version } = useApp();
  const [data, setData] = useState<ImpactView | null>(null);
  const [err, setErr] = useState<string | null>(null);
  const [line, setLine] = useState('');
  const [applied, setApplied] = useState<number | undefined>(undefined);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    setBusy(true);
    void api.impactIndicators(applied ? { poverty_line: applied } : {}).then((r) => {
      setBusy(false);
      if (r.ok) { setData(r.value); setErr(null); setLine((cur) => cur || String(r.value.detail.params.poverty_line)); } else setErr(errorText(r.error));
    });
  }, [version, applied]); // eslint-disable-line react-hooks/exhaustive-deps

  const drill = (d: DrillTarget) => go({ screen: 'data', drill: d });
  const d = data?.detail;
  const incidenceAll = useMemo(() => {
    if (!d) return [];
    const by = new Map<number | null, { desil: number | null; amount: number; households: number }>();
    for (const r of d.incidence) {
      const cur = by.get(r.desil) ?? { desil: r.desil, amount: 0, households: 0 };
      cur.amount += r.amount; cur.households += r.households;
      by.set(r.desil, cur);
    }
    const total = [...by.values()].reduce((s, x) => s + x.amount, 0);
    return [...by.values()].sort((a, b) => (a.desil ?? 99) - (b.desil ?? 99)).map((x) => ({ ...x, share: total ? x.amount / total : 0 }));
  }, [d]);

  const incOpt: ChartOption | null = incidenceAll.length ? {
    grid: { left: 8, right: 8, top: 24, bottom: 22, containLabel: true },
    tooltip: { trigger: 'item', confine: true, formatter: (p: { dataIndex: number }) => { const x = incidenceAll[p.dataIndex]; return `${x.desil === null ? t('dash.noDesil') : t('dash.desil', { d: x.desil })}<br/>${formatRp(x.amount, lang)} (${formatPct(x.share, lang)})`; } },
    xAxis: { type: 'category', data: incidenceAll.map((x) => (x.desil === null ? '–' : String(x.desil))), name: t('dash.desilAxis'), nameLocation: 'middle', nameGap: 22, axisLabel: { fontSize: 10.5 } },
    yAxis: { type: 'value', axisLabel: { fontSize: 10.5, formatter: (v: number) => formatRpShort(v, lang) }, splitNumber: 3 },
    series: [{ type: 'bar', barMaxWidth: 26, data: incidenceAll.map((x) => ({ value: x.amount, itemStyle: { color: x.desil !== null && x.desil <= 4 ? PALETTE[0] : PALETTE[1] } })),
      label: { show: true, position: 'top', fontSize: 9.5, formatter: (p: { dataIndex: number }) => formatPct(incidenceAll[p.dataIndex].share, lang, 0) } }],
  } : null;

  const g = d?.graduation;
  const stillPaidSql = g?.evaluated && g.earlier && g.later ? `WITH reg AS (
  SELECT coalesce(nullif(trim(kk), ''), 'NIK:' || nik) AS household_key, upper(regexp_replace(trim(snapshot), '\\s+', ' ', 'g')) AS snapshot, min(desil) AS desil
  FROM registry WHERE nik IS NOT NULL GROUP BY 1, 2),
earlier AS (SELECT household_key, desil FROM reg WHERE snapshot = upper(regexp_replace(trim(${q(g.earlier)}), '\\s+', ' ', 'g'))),
later AS (SELECT household_key, desil FROM reg WHERE snapshot = upper(regexp_replace(trim(${q(g.later)}), '\\s+', ' ', 'g'))),
hh AS (SELECT nik, arg_min(kk, rec_id) AS kk FROM registry WHERE nik IS NOT NULL GROUP BY nik)
SELECT d.nik, d.name, d.program, d.amount, d.paid_date, earlier.desil AS desil_earlier, later.desil AS desil_later
FROM disbursements d LEFT JOIN hh ON hh.nik = d.nik
JOIN earlier ON earlier.household_key = coalesce(nullif(trim(d.kk), ''), nullif(trim(hh.kk), ''), 'NIK:' || d.nik)
JOIN later ON later.household_key = earlier.household_key
WHERE earlier.desil <= 4 AND later.desil > 4 AND d.status = 'PAID'${g.later_date ? ` AND d.paid_date >= DATE ${q(g.later_date)}` : ''}
ORDER BY d.nik, d.paid_date` : null;

  return (
    <div className="page evaluation">
      <PageHeader title={t('eval.title')}>
        <form className="form row" onSubmit={(e) => { e.preventDefault(); const n = Number(line.replace(/[^\d]/g, '')); if (n > 0) setApplied(n); }}>
          <Field label={t('eval.povertyLine')}><input value={line} onChange={(e) => setLine(e.target.value)} inputMode="numeric" data-testid="poverty-line" /></Field>
          <button className="btn" type="submit" disabled={busy} data-testid="apply-poverty-line">{t('common.apply')}</button>
        </form>
      </PageHeader>
      {err && <Notice tone="error">{err}</Notice>}
      {!d ? (!err && <p className="muted">{t('common.loading')}</p>) : !d.evaluated ? <Notice tone="info">{indicatorReason(d, lang) ?? oneLanguage(d.reason ?? t('common.notEvaluated'), lang)}</Notice> : (
        <>
          <p className="muted small">{t('eval.intro', { line: formatRp(d.params.poverty_line, lang) })} {t('eval.drillHint')}</p>
          <div className="eval-grid">
            <section className="card" data-testid="eval-coverage">
              <h2>{t('eval.coverage')}</h2>
              <p className="muted small">{t('eval.coverageHint')}</p>
              <div className="table-scroll">
                <table className="table">
                  <thead><tr><th>{t('eval.program')}</th><th className="num">{t('eval.cov12')}</th><th className="num">{t('eval.cov14')}</th><th className="num">{t('eval.covered14')}</th></tr></thead>
                  <tbody>{d.coverage.map((c) => (
                    <DrillRow key={c.program} label={`${c.program}: ${formatPct(c.desil_1_4.coverage, lang)}`}
                      onDrill={() => drill({ table: 'disbursements_enriched', label: `${c.program} · ${t('eval.desil14')}`, filter: [PAID, { column: 'program', op: 'eq', value: c.program }, { column: 'desil', op: 'lte', value: 4 }] })}>
                      <td>{c.program}</td><td className="num">{formatPct(c.desil_1_2.coverage, lang)}</td><td className="num">{formatPct(c.desil_1_4.coverage, lang)}</td>
                      <td className="num">{formatNumber(c.desil_1_4.covered, lang)} / {formatNumber(c.desil_1_4.households, lang)}</td>
                    </DrillRow>))}</tbody>
                </table>
              </div>
            </section>

            <section className="card" data-testid="eval-incidence">
              <h2>{t('eval.incidence')}</h2>
              <p className="muted small">{t('eval.incidenceHint')}</p>
              {incOpt && <Chart label={t('eval.incidence')} option={incOpt} height={200} testId="eval-incidence-chart"
                onClick={(p) => { const x = incidenceAll[p.dataIndex]; drill({ table: 'disbursements_enriched', label: x.desil === null ? t('dash.noDesil') : t('dash.desil', { d: x.desil }), filter: [PAID, x.desil === null ? { column: 'desil', op: 'null' } : { column: 'desil', op: 'eq', value: x.desil }] }); }} />}
            </section>

            <section className="card" data-testid="eval-complementarity">
              <h2>{t('eval.complementarity')}</h2>
              <p className="muted small">{t('eval.complementarityHint')}</p>
              {!d.complementarity ? <p className="muted">{t('common.notEvaluated')}</p> : (
                <div className="table-scroll"><table className="table"><tbody>
                  <DrillRow label="PKH" onDrill={() => drill({ table: 'disbursements_enriched', label: 'PKH', filter: [PAID, { column: 'program', op: 'eq', value: 'PKH' }] })}><td>{t('eval.hhPkh')}</td><td className="num">{formatNumber(d.complementarity.pkh, lang)}</td></DrillRow>
                  <DrillRow label="BPNT" onDrill={() => drill({ table: 'disbursements_enriched', label: 'BPNT', filter: [PAID, { column: 'program', op: 'eq', value: 'BPNT' }] })}><td>{t('eval.hhBpnt')}</td><td className="num">{formatNumber(d.complementarity.bpnt, lang)}</td></DrillRow>
                  <DrillRow label={t('eval.hhBoth')} onDrill={() => drill({ sql: `SELECT d.* FROM disbursements d WHERE d.status = 'PAID' AND d.program IN ('PKH', 'BPNT') AND d.nik IN (SELECT nik FROM disbursements WHERE status = 'PAID' AND program = 'PKH' INTERSECT SELECT nik FROM disbursements WHERE status = 'PAID' AND program = 'BPNT') ORDER BY nik, paid_date`, label: t('eval.hhBoth') })}>
                    <td>{t('eval.hhBoth')}</td><td className="num">{formatNumber(d.complementarity.both, lang)}</td></DrillRow>
                  <tr><td>{t('eval.bothOfPkh')}</td><td className="num">{formatPct(d.complementarity.both_share_of_pkh, lang)}</td></tr>
                  <tr><td>{t('eval.bothOfBpnt')}</td><td className="num">{formatPct(d.complementarity.both_share_of_bpnt, lang)}</td></tr>
                </tbody></table></div>
              )}
            </section>

            <section className="card eval-wide" data-testid="eval-adequacy">
              <h2>{t('eval.adequacy')}</h2>
              <p className="muted small">{t('eval.adequacyHint', { line: formatRp(d.params.poverty_line, lang) })}</p>
              <div className="table-scroll">
                <table className="table">
                  <thead><tr><th>{t('eval.program')}</th><th className="num">{t('eval.year')}</th><th className="num">{t('eval.households')}</th><th className="num">{t('eval.benefit')}</th><th className="num">{t('eval.aggregate')}</th><th className="num">{t('eval.median')}</th></tr></thead>
                  <tbody>{d.adequacy.map((a) => (
                    <DrillRow key={`${a.program}-${a.year}`} label={`${a.program} ${a.year}`}
                      onDrill={() => drill({ table: 'disbursements_enriched', label: `${a.program === 'ALL' ? t('eval.allPrograms') : a.program} · ${a.year}`, filter: [PAID, ...(a.program === 'ALL' ? [] : [{ column: 'program', op: 'eq' as const, value: a.program }]), { column: 'paid_date', op: 'between', value: `${a.year}-01-01`, value2: `${a.year}-12-31` }] })}>
                      <td>{a.program === 'ALL' ? t('eval.allPrograms') : a.program}</td><td className="num">{a.year}</td><td className="num">{formatNumber(a.households, lang)}</td><td className="num">{formatRp(a.benefit, lang)}</td>
                      <td className="num">{formatPct(a.aggregate_ratio, lang)}</td><td className="num">{formatPct(a.median_ratio, lang)}</td>
                    </DrillRow>))}</tbody>
                </table>
              </div>
            </section>

            <section className="card eval-wide" data-testid="eval-graduation">
              <h2>{t('eval.graduation')}</h2>
              {!g?.evaluated ? <Notice tone="info">{indicatorReason(g, lang) ?? oneLanguage(g?.reason ?? t('common.notEvaluated'), lang)}</Notice> : (
                <>
                  <p className="muted small">{t('eval.graduationHint', { a: g.earlier ?? '–', b: g.later ?? '–' })}</p>
                  <div className="cards">
                    <div className="kpi"><div className="kpi-label">{t('eval.poorEarlier')}</div><div className="kpi-value">{formatNumber(g.poor_earlier ?? 0, lang)}</div></div>
                    <div className="kpi"><div className="kpi-label">{t('eval.graduated')}</div><div className="kpi-value">{formatNumber(g.graduated ?? 0, lang)}</div><div className="kpi-sub">{formatPct(g.rate ?? null, lang)}</div></div>
                    <div className="kpi"><div className="kpi-label">{t('eval.fellIn')}</div><div className="kpi-value">{formatNumber(g.fell_in ?? 0, lang)}</div></div>
                    <button className="kpi kpi-alert kpi-button" data-testid="graduated-still-paid" disabled={!stillPaidSql}
                      onClick={() => stillPaidSql && drill({ sql: stillPaidSql, label: t('eval.stillPaid') })}>
                      <div className="kpi-label">⚠ {t('eval.stillPaid')}</div><div className="kpi-value">{formatNumber(g.graduated_still_paid ?? 0, lang)}</div><div className="kpi-sub">{t('eval.openRecords')}</div>
                    </button>
                  </div>
                </>
              )}
            </section>
          </div>
        </>
      )}
    </div>
  );
}
