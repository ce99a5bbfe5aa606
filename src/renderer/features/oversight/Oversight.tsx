// Pengawasan (issue 13 item 4): complaints by channel, category and region with resolution times; complaints naming
// recipients that checks flagged; disbursement timing spikes per region around the event dates the auditor enters.
// Every row drills down to the records behind it.
import { useEffect, useRef, useState } from 'react';
import { api } from '../../bridge';
import { formatMonth, formatNumber, formatRp } from '../../format';
import { maskText } from '../../../shared/masking';
import { useI18n } from '../../i18n';
import { useApp, type DrillTarget } from '../../app/state';
import { Field, NeedEngagement, Notice, PageHeader } from '../../app/ui';
import type { FilterSpec } from '../../../shared/contract';
import type { ComplaintGroup, EventDate, OversightView } from '../../../shared/indicators';
import { oneLanguage } from '../../i18n/labels';
import { indicatorReason } from '../../../shared/reasons';

const q = (s: string) => `'${s.replace(/'/g, "''")}'`;
/** The region key of a code as the engine groups it (dots and spaces dropped, first `len` characters). */
const REGION_KEY_SQL = (expr: string, len: number) => `nullif(left(replace(replace(coalesce(${expr}, ''), '.', ''), ' ', ''), ${len}), '')`;
/** The name of the region of a code's first four digits (kab/kota), else of its first two (province), from ref_regions. */
const REGION_NAME_SQL = (expr: string) => `coalesce((SELECT name FROM ref_regions rr WHERE rr.code = left(regexp_replace(coalesce(${expr}, ''), '[^0-9]', '', 'g'), 4) LIMIT 1),
  (SELECT name FROM ref_regions rr WHERE rr.code = left(regexp_replace(coalesce(${expr}, ''), '[^0-9]', '', 'g'), 2) LIMIT 1))`;
function lastDay(month: string): string {
  const [y, m] = month.split('-').map(Number);
  return `${month}-${String(new Date(Date.UTC(y, m, 0)).getUTCDate()).padStart(2, '0')}`;
}

export function Oversight() {
  return <NeedEngagement><OversightInner /></NeedEngagement>;
}

function OversightInner() {
  const { t, lang } = useI18n();
  const { go, errorText, version, settings, masked, setSettings } = useApp();
  const [data, setData] = useState<OversightView | null>(null);
  const [err, setErr] = useState<string | null>(null);
  const [events, setEvents] = useState<EventDate[]>(settings?.event_dates ?? []);
  const [newDate, setNewDate] = useState('');
  const [newLabel, setNewLabel] = useState('');
  const [saved, setSaved] = useState<string | null>(null);

  const [titles, setTitles] = useState<Record<string, { id: string; en: string }>>({});
  useEffect(() => { void api.listChecks({}).then((r) => r.ok && setTitles(Object.fromEntries(r.value.map((c) => [c.id, { id: c.title_id, en: c.title_en }])))); }, []);
  // A new load supersedes the one in flight: that one is cancelled (its SQL interrupted) and its answer dropped.
  const loading = useRef<AbortController | null>(null);
  useEffect(() => () => loading.current?.abort(), []);
  const load = (ev: EventDate[]) => {
    loading.current?.abort();
    const ac = new AbortController();
    loading.current = ac;
    void api.oversightSignals({ events: ev }, { signal: ac.signal }).then((r) => {
      if (ac.signal.aborted) return;
      if (r.ok) { setData(r.value); setErr(null); } else setErr(errorText(r.error));
    });
  };
  useEffect(() => { load(events); }, [version]); // eslint-disable-line react-hooks/exhaustive-deps

  const saveEvents = async (ev: EventDate[]) => {
    setEvents(ev);
    load(ev);
    const r = await api.updateSettings({ event_dates: ev });
    if (r.ok) { setSettings(r.value); setSaved(t('common.saved')); } else setErr(errorText(r.error));
  };
  const drill = (d: DrillTarget) => go({ screen: 'data', drill: d });
  const det = data?.detail;

  const groupTable = (title: string, rows: ComplaintGroup[], column: 'channel' | 'category' | 'region', testId: string) => (
    <section className="card" data-testid={testId}>
      <h2>{title}</h2>
      <div className="table-scroll">
        <table className="table">
          <thead><tr><th>{t(`over.${column}`)}</th><th className="num">{t('over.count')}</th><th className="num">{t('over.open')}</th><th className="num">{t('over.medianDays')}</th><th className="num">{t('over.p90Days')}</th></tr></thead>
          <tbody>{rows.slice(0, 30).map((g) => {
            const label = g.key ?? t('over.unknown');
            // Regions: the code with its kab/kota (or province) name from the region reference.
            const named = column === 'region' && g.key && g.name ? `${g.key} · ${g.name}` : label;
            const filter: FilterSpec[] = g.key ? [{ column, op: 'eq', value: g.key }] : [{ column: column === 'region' ? 'region_code' : column, op: 'null' }];
            const go2 = () => drill(column === 'region' && g.key
              // The drill-down lists the complaints of the region with the region's name beside its code.
              ? { sql: `SELECT c.region_code, ${REGION_NAME_SQL('c.region_code')} AS region_name, c.* EXCLUDE (region_code) FROM complaints c WHERE ${REGION_KEY_SQL('c.region_code', g.key.length)} = ${q(g.key)} ORDER BY c.received_date`, label: `${t('over.region')}: ${named}` }
              : !g.key ? { table: 'complaints', label: `${t(`over.${column}`)}: ${label}`, filter }
              : { sql: `SELECT * FROM complaints WHERE upper(trim(${column})) = ${q(g.key)} ORDER BY received_date`, label: `${t(`over.${column}`)}: ${label}` });
            return (
              <tr key={label} className="clickable" tabIndex={0} onClick={go2} onKeyDown={(e) => { if (e.key === 'Enter') go2(); }} data-region={column === 'region' ? g.key ?? '' : undefined}>
                <td>{column === 'region' && g.key ? <><span className="mono">{g.key}</span>{g.name ? <span className="region-name"> {g.name}</span> : null}</> : label}</td><td className="num">{formatNumber(g.count, lang)}</td><td className="num">{formatNumber(g.open, lang)}</td>
                <td className="num">{g.median_days === null ? '–' : formatNumber(g.median_days, lang, 0)}</td><td className="num">{g.p90_days === null ? '–' : formatNumber(g.p90_days, lang, 0)}</td>
              </tr>
            );
          })}</tbody>
        </table>
      </div>
    </section>
  );

  return (
    <div className="page oversight">
      <PageHeader title={t('over.title')} />
      {err && <Notice tone="error">{err}</Notice>}
      {!det ? (!err && <p className="muted">{t('common.loading')}</p>) : (
        <>
          <p className="muted small">{t('over.intro')}</p>
          {!det.summary.evaluated ? <Notice tone="info">{indicatorReason(det.summary, lang) ?? oneLanguage(det.summary.reason ?? t('common.notEvaluated'), lang)}</Notice> : (
            <>
              <div className="cards">
                <div className="kpi"><div className="kpi-label">{t('over.total')}</div><div className="kpi-value" data-testid="complaints-total">{formatNumber(det.summary.total, lang)}</div></div>
                <div className="kpi"><div className="kpi-label">{t('over.open')}</div><div className="kpi-value">{formatNumber(det.summary.open, lang)}</div></div>
                <div className="kpi"><div className="kpi-label">{t('over.medianDays')}</div><div className="kpi-value">{det.summary.median_days === null ? '–' : formatNumber(det.summary.median_days, lang, 0)}</div><div className="kpi-sub">{t('over.days')}</div></div>
                <div className="kpi"><div className="kpi-label">{t('over.p90Days')}</div><div className="kpi-value">{det.summary.p90_days === null ? '–' : formatNumber(det.summary.p90_days, lang, 0)}</div><div className="kpi-sub">{t('over.days')}</div></div>
                <button className={det.flagged.total > 0 ? 'kpi kpi-alert kpi-button' : 'kpi kpi-button'} data-testid="flagged-complaints"
                  onClick={() => drill({ sql: `SELECT c.* FROM complaints c WHERE trim(c.nik) IN (${det.flagged.rows.slice(0, 2000).map((r) => q(r.nik)).join(', ') || "''"}) ORDER BY c.received_date`, label: t('over.flagged') })}>
                  <div className="kpi-label">⚑ {t('over.flagged')}</div><div className="kpi-value">{formatNumber(det.flagged.total, lang)}</div><div className="kpi-sub">{t('eval.openRecords')}</div>
                </button>
              </div>
              <div className="eval-grid">
                {groupTable(t('over.byChannel'), det.summary.by_channel, 'channel', 'over-channel')}
                {groupTable(t('over.byCategory'), det.summary.by_category, 'category', 'over-category')}
                {groupTable(t('over.byRegion'), det.summary.by_region, 'region', 'over-region')}
                <section className="card" data-testid="over-flagged">
                  <h2>{t('over.flaggedTitle')}</h2>
                  {det.flagged.rows.length === 0 ? <p className="muted">{t('common.none')}</p> : (
                    <div className="table-scroll">
                      <table className="table">
                        <thead><tr><th>{t('over.received')}</th><th>NIK</th><th>{t('over.category')}</th><th>{t('over.checks')}</th></tr></thead>
                        <tbody>{det.flagged.rows.slice(0, 50).map((r) => {
                          const go2 = () => drill({ table: 'complaints', label: `${t('over.flagged')} · ${masked ? maskText(r.nik) : r.nik}`, filter: [{ column: 'nik', op: 'eq', value: r.nik }] });
                          return (
                            <tr key={r.rec_id} className="clickable" tabIndex={0} onClick={go2} onKeyDown={(e) => { if (e.key === 'Enter') go2(); }}>
                              <td className="nowrap">{r.received_date ?? '–'}</td><td className="mono">{masked ? maskText(r.nik) : r.nik}</td><td>{r.category ?? '–'}</td><td className="small">{r.checks.map((c) => titles[c]?.[lang] ?? c).join(', ')}</td>
                            </tr>
                          );
                        })}</tbody>
                      </table>
                    </div>
                  )}
                </section>
              </div>
            </>
          )}

          <section className="card" data-testid="over-timing">
            <h2>{t('over.timing')}</h2>
            <p className="muted small">{t('over.timingHint', { z: formatNumber(det.timing.params.threshold, lang, 1), n: det.timing.params.minHistory })}</p>
            <div className="events">
              <ul className="event-list">
                {events.map((e, i) => (
                  <li key={`${e.date}-${i}`} className="chip">{e.date} · {e.label}
                    <button className="chip-x" onClick={() => void saveEvents(events.filter((_, j) => j !== i))} aria-label={`${t('over.removeEvent')} ${e.label}`}>×</button></li>
                ))}
              </ul>
              <form className="form row" onSubmit={(e) => { e.preventDefault(); if (/^\d{4}-\d{2}-\d{2}$/.test(newDate) && newLabel.trim()) { void saveEvents([...events, { date: newDate, label: newLabel.trim() }]); setNewDate(''); setNewLabel(''); } }}>
                <Field label={t('over.eventDate')}><input type="date" value={newDate} onChange={(e) => setNewDate(e.target.value)} data-testid="event-date" /></Field>
                <Field label={t('over.eventLabel')}><input value={newLabel} onChange={(e) => setNewLabel(e.target.value)} placeholder={t('over.eventPh')} data-testid="event-label" /></Field>
                <button className="btn" type="submit" data-testid="add-event">+ {t('over.addEvent')}</button>
                {saved && <span className="muted small">✓ {saved}</span>}
              </form>
            </div>
            {!det.timing.evaluated ? <Notice tone="info">{indicatorReason(det.timing, lang) ?? oneLanguage(det.timing.reason ?? t('common.notEvaluated'), lang)}</Notice> : (
              <>
                <p className="small">{t('over.spikes', { n: formatNumber(det.timing.spikes.length, lang), e: formatNumber(det.timing.spikes_near_events, lang), j: formatNumber(det.timing.not_judged, lang) })}</p>
                {det.timing.spikes.length > 0 && (
                  <div className="table-scroll">
                    <table className="table" data-testid="spikes">
                      <thead><tr><th>{t('over.region')}</th><th>{t('over.month')}</th><th className="num">{t('over.amount')}</th><th className="num">{t('over.newRecipients')}</th><th className="num">z</th><th>{t('over.events')}</th></tr></thead>
                      <tbody>{det.timing.spikes.slice(0, 100).map((s) => {
                        const filter: FilterSpec[] = [{ column: 'status', op: 'eq', value: 'PAID' }, { column: 'paid_date', op: 'between', value: `${s.month}-01`, value2: lastDay(s.month) }, ...(s.region === '?' ? [{ column: 'region_code', op: 'null' as const }] : s.region !== '*' ? [{ column: 'region_code', op: 'starts' as const, value: s.region }] : [])];
                        const region = s.region === '*' ? t('over.allRegions') : s.region === '?' ? t('over.unknown') : s.region_name ? `${s.region} · ${s.region_name}` : s.region;
                        const go2 = () => drill({ table: 'disbursements', label: `${region} · ${formatMonth(s.month, lang)}`, filter });
                        return (
                          <tr key={`${s.region}-${s.month}`} className="clickable" tabIndex={0} onClick={go2} onKeyDown={(e) => { if (e.key === 'Enter') go2(); }}>
                            <td>{s.region === '*' ? t('over.allRegions') : s.region === '?' ? t('over.unknown') : <><span className="mono">{s.region}</span>{s.region_name ? <span className="region-name"> {s.region_name}</span> : null}</>}</td><td>{formatMonth(s.month, lang)}</td><td className="num">{formatRp(s.amount, lang)}</td>
                            <td className="num">{formatNumber(s.new_recipients, lang)}</td><td className="num">{s.z_amount === null ? '–' : formatNumber(s.z_amount, lang, 1)}</td>
                            <td>{s.events.length ? `⚑ ${s.events.join(', ')}` : '–'}</td>
                          </tr>
                        );
                      })}</tbody>
                    </table>
                  </div>
                )}
              </>
            )}
          </section>
        </>
      )}
    </div>
  );
}
