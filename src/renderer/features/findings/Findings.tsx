import { useEffect, useRef, useState } from 'react';
import { api } from '../../bridge';
import { formatDateTime, formatNumber, formatRp } from '../../format';
import { useI18n, type MessageKey } from '../../i18n';
import { useApp } from '../../app/state';
import { NeedEngagement, Notice, PageHeader, StatusChip } from '../../app/ui';
import { DataGrid, type GridHandle } from '../../grid/DataGrid';
import { PeriodComparison } from '../continuity/PeriodComparison';
import { Tlhp } from '../continuity/Tlhp';
import { useText } from '../continuity/text';
import type { Row } from '../../grid/arrow';
import type { Finding, FindingSummary, FindingText, ReviewStatus } from '../../../shared/types';

const ELEMENTS: Array<keyof FindingText> = ['kondisi', 'kriteria', 'sebab', 'akibat', 'rekomendasi', 'tanggapan'];

export function Findings() {
  return <NeedEngagement><FindingsInner /></NeedEngagement>;
}

function FindingsInner() {
  const { t, lang } = useI18n();
  const { route, version } = useApp();
  const [list, setList] = useState<FindingSummary[]>([]);
  const [sel, setSel] = useState<string | null>(route.sub ?? null);
  const [reload, setReload] = useState(0);
  const [view, setView] = useState<'findings' | 'compare' | 'tlhp'>('findings');
  const x = useText();

  useEffect(() => {
    void api.listFindings({}).then((r) => {
      if (!r.ok) return;
      // Potential-loss findings first (by rupiah), then the others (budget differences, registry quality) by rupiah.
      const sorted = [...r.value].sort((a, b) => Number(b.in_potential_loss) - Number(a.in_potential_loss) || b.amount - a.amount || b.records - a.records);
      setList(sorted);
      setSel((cur) => cur ?? sorted[0]?.check_id ?? null);
    });
  }, [version, reload]);

  return (
    <div className="page findings">
      <PageHeader title={t('findings.title')}>
        <div className="seg-group" role="tablist">
          {(['findings', 'compare', 'tlhp'] as const).map((v) => (
            <button key={v} role="tab" aria-selected={view === v} className={view === v ? 'seg on' : 'seg'} onClick={() => setView(v)} data-testid={`findings-view-${v}`}>
              {x(v === 'findings' ? 'tabFindings' : v === 'compare' ? 'tabCompare' : 'tabTlhp')}
            </button>
          ))}
        </div>
      </PageHeader>
      {view === 'compare' ? <PeriodComparison /> : view === 'tlhp' ? <Tlhp /> : list.length === 0 ? <div className="empty">{t('findings.none')}</div> : (
        <div className="findings-layout">
          <aside className="side-list findings-list" aria-label={t('findings.ranked')}>
            <h2>{t('findings.ranked')}</h2>
            <ol>
              {list.map((f, i) => (
                <li key={f.check_id}>
                  <button className={sel === f.check_id ? 'side-item finding on' : 'side-item finding'} aria-current={sel === f.check_id} onClick={() => setSel(f.check_id)} data-finding={f.check_id}>
                    <span className="rank">{i + 1}</span>
                    <span className="f-body">
                      <span className="side-name">{lang === 'en' ? f.title_en : f.title_id}</span>
                      <span className="muted small f-figures">{f.in_potential_loss && <span className="chip chip-loss" title={t('dash.potentialLoss')} aria-label={t('dash.potentialLoss')}>⚠</span>} <span className="nowrap">{formatRp(f.amount, lang)}</span> · <span className="nowrap">{formatNumber(f.records, lang)} {t('common.records')}</span></span>
                      <span className="review-bar" aria-label={t('findings.reviewProgress', { c: f.reviews.confirmed, x: f.reviews.cleared, o: f.reviews.open })}>
                        <span className="small">✓{formatNumber(f.reviews.confirmed, lang)} ⊘{formatNumber(f.reviews.cleared, lang)} ○{formatNumber(f.reviews.open, lang)}</span>
                      </span>
                    </span>
                  </button>
                </li>
              ))}
            </ol>
          </aside>
          {sel && <FindingDetail key={sel} checkId={sel} onChanged={() => setReload((x) => x + 1)} />}
        </div>
      )}
    </div>
  );
}

function FindingDetail({ checkId, onChanged }: { checkId: string; onChanged: () => void }) {
  const { t, lang } = useI18n();
  const { masked, errorText } = useApp();
  const [f, setF] = useState<Finding | null>(null);
  const [text, setText] = useState<FindingText | null>(null);
  const [dirty, setDirty] = useState(false);
  const [msg, setMsg] = useState<{ tone: 'ok' | 'error'; text: string } | null>(null);
  const [status, setStatus] = useState<ReviewStatus | ''>('');
  const [selected, setSelected] = useState<Row[]>([]);
  const [note, setNote] = useState('');
  const [count, setCount] = useState<number | null>(null);
  const [tab, setTab] = useState<'text' | 'exceptions'>('exceptions');
  const grid = useRef<GridHandle>(null);

  // Calls run side by side: the answer for a check the user has already left (or an older load) is dropped.
  const loads = useRef(0);
  const load = () => { const n = ++loads.current; void api.getFinding({ check_id: checkId }).then((r) => {
    if (n !== loads.current) return;
    if (!r.ok) { setMsg({ tone: 'error', text: errorText(r.error) }); return; }
    setF(r.value);
    setText({ kondisi: r.value.kondisi, kriteria: r.value.kriteria, sebab: r.value.sebab, akibat: r.value.akibat, rekomendasi: r.value.rekomendasi, tanggapan: r.value.tanggapan });
  }); };
  useEffect(load, [checkId]);

  const save = async () => {
    if (!text) return;
    const r = await api.updateFinding({ check_id: checkId, text });
    if (!r.ok) { setMsg({ tone: 'error', text: errorText(r.error) }); return; }
    setF(r.value); setDirty(false); setMsg({ tone: 'ok', text: t('common.saved') });
  };

  const review = async (st: ReviewStatus, all = false) => {
    setMsg(null);
    const ids = selected.map((r) => Number(r.rec_id)).filter((x) => Number.isFinite(x));
    const r = all
      ? await api.reviewAll({ check_id: checkId, status: st, ...(note ? { note } : {}), ...(status ? { only_status: status } : {}), filter: grid.current?.view().filter ?? [] })
      : await api.reviewExceptions({ check_id: checkId, rec_ids: ids, status: st, ...(note ? { note } : {}) });
    if (!r.ok) { setMsg({ tone: 'error', text: errorText(r.error) }); return; }
    setMsg({ tone: 'ok', text: t('review.saved', { n: formatNumber(r.value.updated, lang) }) });
    setSelected([]);
    grid.current?.api?.deselectAll();
    grid.current?.refresh();
    load();
    onChanged();
  };

  if (!f || !text) return <div className="muted">{msg ? <Notice tone={msg.tone}>{msg.text}</Notice> : t('common.loading')}</div>;
  return (
    <section className="finding-detail" data-testid="finding-detail">
      <div className="finding-head">
        <div>
          <h2>{lang === 'en' ? f.title_en : f.title_id}</h2>
          <div className="muted small" title={f.check_id}>{f.criteria_refs.length ? f.criteria_refs.join(', ') : ''}{f.updated_at ? ` · ${formatDateTime(f.updated_at, lang)}` : ''}</div>
        </div>
        <div className="finding-figures">
          <div><span className="muted small">{f.in_potential_loss ? t('findings.potentialLoss') : t('analysis.amount')}</span><strong>{formatRp(f.amount, lang)}</strong></div>
          <div><span className="muted small">{t('analysis.records')}</span><strong>{formatNumber(f.records, lang)}</strong></div>
          <div><span className="muted small">{t('analysis.recipients')}</span><strong>{formatNumber(f.recipients, lang)}</strong></div>
        </div>
      </div>
      <div className="review-summary small">
        <StatusChip status="confirmed" /> {formatNumber(f.reviews.confirmed, lang)}
        <StatusChip status="cleared" /> {formatNumber(f.reviews.cleared, lang)}
        <StatusChip status="open" /> {formatNumber(f.reviews.open, lang)}
      </div>
      <div className="seg-group" role="tablist">
        <button role="tab" aria-selected={tab === 'exceptions'} className={tab === 'exceptions' ? 'seg on' : 'seg'} onClick={() => setTab('exceptions')}>{t('findings.exceptions')} ({formatNumber(f.records, lang)})</button>
        <button role="tab" aria-selected={tab === 'text'} className={tab === 'text' ? 'seg on' : 'seg'} onClick={() => setTab('text')} data-testid="tab-text">{t('findings.kondisi')} · {t('findings.kriteria')} · {t('findings.sebab')} · {t('findings.akibat')}</button>
      </div>
      {msg && <Notice tone={msg.tone}>{msg.text}</Notice>}
      {tab === 'text' ? (
        <div className="elements">
          {ELEMENTS.map((k) => (
            <label key={k} className="field element">
              <span className="field-label">{t(`findings.${k}` as MessageKey)}</span>
              <textarea value={text[k]} rows={k === 'kondisi' || k === 'rekomendasi' ? 4 : 3} onChange={(e) => { setText({ ...text, [k]: e.target.value }); setDirty(true); }} data-element={k} />
            </label>
          ))}
          <div className="wiz-actions"><span className="spacer" /><button className="btn primary" disabled={!dirty} onClick={() => void save()} data-testid="save-finding">{t('common.save')}</button></div>
        </div>
      ) : (
        <div className="exceptions">
          <div className="toolbar">
            <label className="field inline">
              <span className="field-label">{t('review.filter')}</span>
              <select value={status} onChange={(e) => setStatus(e.target.value as ReviewStatus | '')} data-testid="status-filter">
                <option value="">{t('common.all')}</option>
                <option value="open">{t('review.open')}</option>
                <option value="confirmed">{t('review.confirmed')}</option>
                <option value="cleared">{t('review.cleared')}</option>
              </select>
            </label>
            <span className="muted small">{count !== null ? t('data.rowCount', { n: formatNumber(count, lang) }) : ''}</span>
            <span className="muted small">{t('review.selected', { n: selected.length })}</span>
            <input className="note" value={note} onChange={(e) => setNote(e.target.value)} placeholder={t('review.notePh')} aria-label={t('review.note')} data-testid="review-note" />
            <button className="btn small ok" disabled={selected.length === 0} onClick={() => void review('confirmed')} data-testid="confirm-selected">✓ {t('review.confirm')}</button>
            <button className="btn small" disabled={selected.length === 0} onClick={() => void review('cleared')}>⊘ {t('review.clear')}</button>
            <button className="btn small ghost" disabled={selected.length === 0} onClick={() => void review('open')}>○ {t('review.reopen')}</button>
            <details className="bulk">
              <summary className="btn small ghost">{t('common.all')} …</summary>
              <div className="bulk-menu">
                <button className="btn small" onClick={() => void review('confirmed', true)}>✓ {t('review.confirm')} — {t('common.all')}</button>
                <button className="btn small" onClick={() => void review('cleared', true)}>⊘ {t('review.clear')} — {t('common.all')}</button>
              </div>
            </details>
          </div>
          <div className="exc-grid">
            <DataGrid
              ref={grid}
              testId="exceptions-grid"
              source={{ kind: 'exceptions', checkId, ...(status ? { status } : {}) }}
              masked={masked}
              selectable
              leadColumns={['review_status', 'nik', 'name', 'program', 'amount', 'paid_date', 'reason', 'review_note']}
              hideColumns={['check_id', 'source_table', '_import_id']}
              onCount={setCount}
              onSelection={setSelected}
              renderStatus={(v) => ({ confirmed: `✓ ${t('review.confirmed')}`, cleared: `⊘ ${t('review.cleared')}`, open: `○ ${t('review.open')}` } as Record<string, string>)[String(v ?? 'open')] ?? String(v)}
            />
          </div>
        </div>
      )}
    </section>
  );
}
