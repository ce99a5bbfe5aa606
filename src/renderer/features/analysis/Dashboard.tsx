import { useEffect, useMemo, useState } from 'react';
/* eslint-disable @typescript-eslint/no-explicit-any -- echarts hands its formatter callbacks loosely typed parameters */
import { api } from '../../bridge';
import { formatMonth, formatNumber, formatPct, formatRp, formatRpShort } from '../../format';
import { useI18n } from '../../i18n';
import { useApp } from '../../app/state';
import { Notice } from '../../app/ui';
import { Chart, PALETTE, type ChartOption } from '../../charts/Chart';
import type { FilterSpec } from '../../../shared/contract';
import type { Dashboard as DashboardData } from '../../../shared/types';

// Charts count paid records; their drill-downs show the same records.
const PAID: FilterSpec = { column: 'status', op: 'eq', value: 'PAID' };

function lastDay(month: string): string {
  const [y, m] = month.split('-').map(Number);
  return `${month}-${String(new Date(Date.UTC(y, m, 0)).getUTCDate()).padStart(2, '0')}`;
}

export function Dashboard() {
  const { t, lang } = useI18n();
  const { go, errorText, version } = useApp();
  const [d, setD] = useState<DashboardData | null>(null);
  const [err, setErr] = useState<string | null>(null);
  const [titles, setTitles] = useState<Record<string, { id: string; en: string }>>({});
  useEffect(() => {
    void api.listChecks({}).then((r) => r.ok && setTitles(Object.fromEntries(r.value.map((c) => [c.id, { id: c.title_id, en: c.title_en }]))));
  }, []);

  useEffect(() => {
    void api.dashboard({}).then((r) => (r.ok ? setD(r.value) : setErr(errorText(r.error))));
  }, [version, errorText]);

  const rp = (v: number) => formatRpShort(v, lang);
  const axisLabel = { fontSize: 10.5, color: '#4a5560' };
  const tooltipBase = { trigger: 'item' as const, confine: true };

  const options = useMemo(() => {
    if (!d) return null;
    const loss = [...d.loss_by_check].sort((a, b) => a.amount - b.amount);
    const lossOpt: ChartOption = {
      grid: { left: 8, right: 60, top: 8, bottom: 8, containLabel: true },
      tooltip: { ...tooltipBase, formatter: (p: any) => `${p.name}<br/>${formatRp(p.value, lang)} · ${formatNumber(loss[p.dataIndex].records, lang)} ${t('common.records')}` },
      xAxis: { type: 'value', axisLabel: { ...axisLabel, formatter: rp }, splitNumber: 3 },
      yAxis: { type: 'category', data: loss.map((x) => titles[x.check_id]?.[lang] ?? x.title_id ?? x.check_id), axisLabel: { ...axisLabel, width: 150, overflow: 'truncate' } },
      series: [{ type: 'bar', data: loss.map((x) => x.amount), barMaxWidth: 18, label: { show: true, position: 'right', fontSize: 10, formatter: (p: any) => rp(p.value) } }],
    };
    const desil = [...d.incidence_by_desil].sort((a, b) => (a.desil ?? 99) - (b.desil ?? 99));
    const desilOpt: ChartOption = {
      grid: { left: 8, right: 8, top: 24, bottom: 22, containLabel: true },
      tooltip: { ...tooltipBase, formatter: (p: any) => { const x = desil[p.dataIndex]; return `${x.desil === null ? t('dash.noDesil') : t('dash.desil', { d: x.desil })}<br/>${formatRp(x.amount, lang)} (${formatPct(x.share, lang)})<br/>${formatNumber(x.households, lang)} KPM`; } },
      xAxis: { type: 'category', data: desil.map((x) => (x.desil === null ? '–' : String(x.desil))), axisLabel: { ...axisLabel, interval: 0 }, name: t('dash.desilAxis'), nameLocation: 'middle', nameGap: 22, nameTextStyle: { fontSize: 10.5, color: '#4a5560' } },
      yAxis: { type: 'value', axisLabel: { ...axisLabel, formatter: rp }, splitNumber: 3 },
      series: [{ type: 'bar', data: desil.map((x) => ({ value: x.amount, itemStyle: { color: x.desil !== null && x.desil <= 4 ? PALETTE[0] : PALETTE[1] } })), barMaxWidth: 26,
        label: { show: true, position: 'top', fontSize: 9.5, formatter: (p: any) => formatPct(desil[p.dataIndex].share, lang, 0) } }],
    };
    const tg = d.targeting;
    const tgOpt: ChartOption = {
      aria: { enabled: true, decal: { show: true } },
      grid: { left: 8, right: 8, top: 28, bottom: 8, containLabel: true },
      legend: { top: 0, itemWidth: 14, itemHeight: 10, textStyle: { fontSize: 10.5 } },
      tooltip: { ...tooltipBase, formatter: (p: any) => `${p.name} · ${p.seriesName}: ${formatPct(p.value, lang)}` },
      xAxis: { type: 'category', data: tg.map((x) => x.program), axisLabel },
      yAxis: { type: 'value', max: 1, axisLabel: { ...axisLabel, formatter: (v: number) => formatPct(v, lang, 0) }, splitNumber: 4 },
      series: [
        { name: t('dash.inclusion'), type: 'bar', data: tg.map((x) => x.inclusion_error), barMaxWidth: 22, label: { show: true, position: 'top', fontSize: 9.5, formatter: (p: any) => formatPct(p.value, lang, 0) } },
        { name: t('dash.exclusion'), type: 'bar', data: tg.map((x) => x.exclusion_error), barMaxWidth: 22, label: { show: true, position: 'top', fontSize: 9.5, formatter: (p: any) => formatPct(p.value, lang, 0) } },
      ],
    };
    const abs = [...d.absorption_by_region].sort((a, b) => (a.absorption ?? 0) - (b.absorption ?? 0)).slice(-15);
    const absOpt: ChartOption = {
      grid: { left: 8, right: 48, top: 8, bottom: 8, containLabel: true },
      tooltip: { ...tooltipBase, formatter: (p: any) => { const x = abs[p.dataIndex]; return `${x.region_name || x.region_code} (${x.region_code})<br/>${t('dash.absorptionPct')}: ${formatPct(x.absorption, lang)}<br/>${formatRp(x.realization, lang)} / ${formatRp(x.allocation, lang)}`; } },
      xAxis: { type: 'value', axisLabel: { ...axisLabel, formatter: (v: number) => formatPct(v, lang, 0) }, splitNumber: 3 },
      yAxis: { type: 'category', data: abs.map((x) => x.region_name || x.region_code || '—'), axisLabel: { ...axisLabel, width: 120, overflow: 'truncate' } },
      series: [{ type: 'bar', data: abs.map((x) => ({ value: x.absorption, itemStyle: { color: (x.absorption ?? 0) < 0.9 ? PALETTE[1] : PALETTE[0] } })), barMaxWidth: 14,
        label: { show: true, position: 'right', fontSize: 9.5, formatter: (p: any) => formatPct(p.value, lang, 0) } }],
    };
    const mon = d.monthly;
    const monOpt: ChartOption = {
      grid: { left: 8, right: 16, top: 28, bottom: 8, containLabel: true },
      tooltip: { trigger: 'axis', confine: true, formatter: (ps: any) => { const x = mon[ps[0].dataIndex]; return `${formatMonth(x.month, lang)}<br/>${formatRp(x.amount, lang)} · ${formatNumber(x.records, lang)} ${t('common.records')}${x.spike ? `<br/>⚠ ${t('dash.spike')} (z = ${formatNumber(x.z ?? 0, lang, 1)})` : ''}`; } },
      xAxis: { type: 'category', data: mon.map((x) => formatMonth(x.month, lang)), axisLabel },
      yAxis: { type: 'value', axisLabel: { ...axisLabel, formatter: rp }, splitNumber: 3 },
      series: [{
        name: t('dash.paid'), type: 'bar', barMaxWidth: 22,
        data: mon.map((x) => ({ value: x.amount, itemStyle: { color: x.spike ? PALETTE[1] : PALETTE[0] } })),
        markLine: {
          symbol: 'none', lineStyle: { type: 'dashed', color: '#8a5a00' }, label: { formatter: '{b}', fontSize: 9.5, color: '#8a5a00' },
          data: d.event_dates.map((e) => ({ name: e.label, xAxis: mon.findIndex((x) => x.month === e.date.slice(0, 7)) })).filter((e) => e.xAxis >= 0),
        },
        markPoint: {
          symbol: 'pin', symbolSize: 34, label: { fontSize: 9, formatter: '⚠' },
          data: mon.map((x, i) => (x.spike ? { name: t('dash.spike'), coord: [i, x.amount], value: t('dash.spike') } : null)).filter(Boolean),
        },
      }],
    };
    return { lossOpt, desilOpt, tgOpt, absOpt, monOpt, loss, desil, tg, abs, mon };
  }, [d, lang, t, titles]);

  if (err) return <Notice tone="error">{err}</Notice>;
  if (!d || !options) return <div className="muted">{t('common.loading')}</div>;
  const h = d.headline;
  const { loss, desil, tg, abs, mon } = options;
  const openLoss = (i: number) => go({ screen: 'findings', sub: loss[i].check_id });
  const openDesil = (i: number) => {
    const x = desil[i];
    go({ screen: 'data', drill: { table: 'disbursements_enriched', label: x.desil === null ? t('dash.noDesil') : t('dash.desil', { d: x.desil }),
      filter: [...(x.desil === null ? [{ column: 'desil', op: 'null' as const }] : [{ column: 'desil', op: 'eq' as const, value: x.desil }]), PAID] } });
  };
  const openTg = (i: number) => { const prog = tg[i].program; go({ screen: 'data', drill: { table: 'disbursements_enriched', label: prog, filter: [{ column: 'program', op: 'eq', value: prog }, PAID] } }); };
  const openAbs = (i: number) => { const x = abs[i]; go({ screen: 'data', drill: { table: 'disbursements', label: `${x.region_name || x.region_code}`, filter: [{ column: 'region_code', op: 'starts', value: x.region_code }, PAID] } }); };
  const openMon = (i: number) => { const x = mon[i]; if (!x) return; go({ screen: 'data', drill: { table: 'disbursements', label: formatMonth(x.month, lang), filter: [{ column: 'paid_date', op: 'between', value: `${x.month}-01`, value2: lastDay(x.month) }, PAID] } }); };
  return (
    <section className="dashboard" aria-label={t('dash.title')} data-testid="dashboard">
      <div className="cards">
        <div className="kpi"><div className="kpi-label">{t('dash.totalDisbursed')}</div><div className="kpi-value" data-testid="kpi-total">{formatRp(h.total_disbursed, lang)}</div><div className="kpi-sub">{formatNumber(h.paid_records, lang)} {t('common.records')}</div></div>
        <div className="kpi"><div className="kpi-label">{t('dash.recipients')}</div><div className="kpi-value">{formatNumber(h.recipients, lang)}</div></div>
        <div className="kpi kpi-alert">
          <div className="kpi-label"><span aria-hidden="true">⚠ </span>{t('dash.potentialLoss')}</div>
          <div className="kpi-value" data-testid="kpi-loss">{formatRp(h.potential_loss.amount, lang)}</div>
          <div className="kpi-sub">{t('dash.potentialLossRecords', { n: formatNumber(h.potential_loss.records, lang), r: formatNumber(h.potential_loss.recipients, lang) })}</div>
          {h.potential_loss_reviewed && (
            <div className="kpi-sub" data-testid="kpi-loss-reviewed">
              {t('dash.lossAfterReview')}: <strong data-testid="kpi-loss-after">{formatRp(h.potential_loss_reviewed.after_review.amount, lang)}</strong>
              {' · '}{t('dash.lossConfirmed')}: <strong data-testid="kpi-loss-confirmed">{formatRp(h.potential_loss_reviewed.confirmed.amount, lang)}</strong>
            </div>
          )}
        </div>
        <div className="kpi"><div className="kpi-label">{t('dash.inclusion')}</div><div className="kpi-value" data-testid="kpi-inclusion">{formatPct(h.inclusion_error, lang)}</div><div className="kpi-sub">{t('dash.weighted')}</div></div>
        <div className="kpi"><div className="kpi-label">{t('dash.exclusion')}</div><div className="kpi-value">{formatPct(h.exclusion_error, lang)}</div><div className="kpi-sub">{t('dash.weighted')}</div></div>
      </div>
      <p className="muted small hint">ℹ {t('dash.clickHint')}</p>
      <div className="charts">
        <ChartCard title={t('dash.lossByCheck')} testId="chart-loss" option={options.lossOpt} height={250} onOpen={openLoss}
          rows={[...loss].reverse().map((x) => [titles[x.check_id]?.[lang] ?? x.title_id, `${formatRp(x.amount, lang)} · ${formatNumber(x.records, lang)}`])} reverse />
        <ChartCard title={t('dash.incidence')} testId="chart-desil" option={options.desilOpt} height={250} onOpen={openDesil}
          rows={desil.map((x) => [x.desil === null ? t('dash.noDesil') : t('dash.desil', { d: x.desil }), `${formatRp(x.amount, lang)} (${formatPct(x.share, lang)})`])} />
        <ChartCard title={t('dash.inclExcl')} testId="chart-targeting" option={options.tgOpt} height={250} onOpen={openTg}
          rows={tg.map((x) => [x.program, `${t('dash.inclusion')} ${formatPct(x.inclusion_error, lang)} · ${t('dash.exclusion')} ${formatPct(x.exclusion_error, lang)}`])} />
        <ChartCard title={t('dash.absorption')} testId="chart-absorption" option={options.absOpt} height={250} onOpen={openAbs}
          rows={[...abs].reverse().map((x) => [x.region_name || x.region_code || '—', `${formatPct(x.absorption, lang)} · ${formatRp(x.realization, lang)} / ${formatRp(x.allocation, lang)}`])} reverse />
        <ChartCard title={t('dash.monthly')} testId="chart-monthly" option={options.monOpt} height={230} onOpen={openMon} wide
          rows={mon.map((x) => [`${formatMonth(x.month, lang)}${x.spike ? ` ⚠ ${t('dash.spike')}` : ''}`, `${formatRp(x.amount, lang)} · ${formatNumber(x.records, lang)}`])} />
      </div>
    </section>
  );
}

/**
 * A chart with the same figures one click away as a table: keyboard and screen-reader users open the records with
 * Enter, and nobody has to read values off colours.
 */
function ChartCard({ title, testId, option, height, onOpen, rows, wide, reverse }: {
  title: string; testId: string; option: ChartOption; height: number; onOpen: (i: number) => void;
  rows: Array<[string, string]>; wide?: boolean; reverse?: boolean;
}) {
  const { t } = useI18n();
  const [asTable, setAsTable] = useState(false);
  const n = rows.length;
  return (
    <figure className={wide ? 'chart-card wide' : 'chart-card'} data-chart={testId}>
      <figcaption>
        <span>{title}</span>
        <button className="btn small ghost" aria-pressed={asTable} onClick={() => setAsTable(!asTable)}>{asTable ? t('dash.asChart') : t('dash.asTable')}</button>
      </figcaption>
      {n === 0 ? <p className="muted">{t('dash.noData')}</p> : asTable ? (
        <div className="table-scroll" style={{ height }}>
          <table className="table">
            <tbody>
              {rows.map(([label, value], i) => (
                <tr key={i} className="clickable" tabIndex={0} onClick={() => onOpen(reverse ? n - 1 - i : i)} onKeyDown={(e) => { if (e.key === 'Enter') onOpen(reverse ? n - 1 - i : i); }}>
                  <td>{label}</td><td className="num">{value}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : <Chart testId={testId} label={title} option={option} height={height} onClick={(p) => onOpen(p.dataIndex)} />}
    </figure>
  );
}
