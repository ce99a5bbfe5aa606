import { useState } from 'react';
import { api } from '../../bridge';
import { formatNumber } from '../../format';
import { useI18n, type MessageKey } from '../../i18n';
import { exportPath } from '../../app/paths';
import { useApp } from '../../app/state';
import { Field, FileActions, NeedEngagement, Notice, PageHeader } from '../../app/ui';
import type { FileWritten, ReportKind } from '../../../shared/types';

const KINDS: Array<{ kind: ReportKind; title: MessageKey; desc: MessageKey; file: string }> = [
  { kind: 'bpk', title: 'reports.bpk', desc: 'reports.bpkDesc', file: 'temuan-bpk' },
  { kind: 'kkp', title: 'reports.kkp', desc: 'reports.kkpDesc', file: 'kkp-inspektorat' },
  { kind: 'evaluator', title: 'reports.evaluator', desc: 'reports.evaluatorDesc', file: 'indikator-evaluator' },
  { kind: 'field_sample', title: 'reports.field', desc: 'reports.fieldDesc', file: 'uji-petik' },
  { kind: 'tlhp', title: 'reports.tlhp', desc: 'reports.tlhpDesc', file: 'tlhp' },
];

export function Reports() {
  return <NeedEngagement><ReportsInner /></NeedEngagement>;
}

/** A field-verification sheet comes back filled in: its confirmed/cleared answers become exception reviews. */
function ReviewReturn() {
  const { t, lang } = useI18n();
  const { errorText } = useApp();
  const [path, setPath] = useState('');
  const [busy, setBusy] = useState(false);
  const [msg, setMsg] = useState<{ tone: 'ok' | 'error'; text: string } | null>(null);
  const run = async () => {
    setBusy(true); setMsg(null);
    const r = await api.importReviewWorkbook({ path: path.trim() });
    setBusy(false);
    if (!r.ok) { setMsg({ tone: 'error', text: errorText(r.error) }); return; }
    setMsg({ tone: 'ok', text: [t('reports.returned', { n: formatNumber(r.value.updated, lang), s: formatNumber(r.value.skipped, lang) }), ...r.value.messages].join(' · ') });
  };
  return (
    <section className="card form report-return">
      <h2>{t('reports.return')}</h2>
      <p className="muted small">{t('reports.returnHint')}</p>
      <div className="form row">
        <input value={path} onChange={(e) => setPath(e.target.value)} placeholder="/path/ke/uji-petik-terisi.xlsx" aria-label={t('reports.return')} />
        <button className="btn" disabled={busy || !path.trim()} onClick={() => void run()}>{t('reports.returnBtn')}</button>
      </div>
      {msg && <Notice tone={msg.tone}>{msg.text}</Notice>}
    </section>
  );
}

function ReportsInner() {
  const { t, lang } = useI18n();
  const { info, masked, settings, tasks, errorText } = useApp();
  const [kind, setKind] = useState<ReportKind>('bpk');
  const [previous, setPrevious] = useState('');
  const [mask, setMask] = useState(masked);
  const [out, setOut] = useState('');
  const [prepared, setPrepared] = useState(settings?.reviewer ?? '');
  const [reviewed, setReviewed] = useState('');
  const [size, setSize] = useState(50);
  const [busy, setBusy] = useState(false);
  const [msg, setMsg] = useState<{ tone: 'ok' | 'error'; text: string; path?: string } | null>(null);
  const spec = KINDS.find((k) => k.kind === kind)!;
  const defaultOut = info ? exportPath(info.path, spec.file, 'xlsx') : '';

  const run = async (confirmOutside = false): Promise<void> => {
    setBusy(true); setMsg(null);
    try {
      const res = await tasks.track<FileWritten>('export', (tt) => tt(spec.title), api.writeReport({
        kind, out: out.trim() || defaultOut, mask, ...(confirmOutside ? { confirm_outside: true } : {}),
        ...(prepared.trim() ? { prepared_by: prepared.trim() } : {}), ...(reviewed.trim() ? { reviewed_by: reviewed.trim() } : {}),
        ...(kind === 'field_sample' ? { sample_size: size } : {}),
        ...((kind === 'bpk' || kind === 'kkp') && previous.trim() ? { previous: previous.trim() } : {}),
      }));
      const text = t('reports.done', { path: res.path });
      const tv = tasks.latest('export');
      if (tv) tasks.setMessage(tv.id, (tt) => tt('reports.done', { path: res.path }));
      setMsg({ tone: 'ok', text: `${text} (${formatNumber(res.rows, lang)} ${t('common.rows')}${res.sheets ? ` · ${res.sheets.length} sheet` : ''})`, path: res.path });
    } catch (e) {
      // An output outside the engagement's folder needs the user's confirmation (output-path policy).
      if (!confirmOutside && (e as { code?: string })?.code === 'confirm_required' && window.confirm(errorText(e))) { setBusy(false); return run(true); }
      setMsg({ tone: 'error', text: errorText(e) });
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className="page reports">
      <PageHeader title={t('reports.title')} />
      <div className="reports-layout">
        <fieldset className="card report-kinds">
          <legend>{t('reports.choose')}</legend>
          {KINDS.map((k) => (
            <label key={k.kind} className={kind === k.kind ? 'report-kind on' : 'report-kind'}>
              <input type="radio" name="report" value={k.kind} checked={kind === k.kind} onChange={() => setKind(k.kind)} data-report={k.kind} />
              <span><strong>{t(k.title)}</strong><span className="muted small block">{t(k.desc)}</span></span>
            </label>
          ))}
        </fieldset>
        <div className="card form">
          <label className="check"><input type="checkbox" checked={mask} onChange={(e) => setMask(e.target.checked)} data-testid="report-mask" /> {t('reports.mask')} <span className="muted small">(3201**********01)</span></label>
          {kind === 'kkp' && (
            <>
              <Field label={t('reports.preparedBy')}><input value={prepared} onChange={(e) => setPrepared(e.target.value)} /></Field>
              <Field label={t('reports.reviewedBy')}><input value={reviewed} onChange={(e) => setReviewed(e.target.value)} /></Field>
            </>
          )}
          {(kind === 'bpk' || kind === 'kkp') && <Field label={t('reports.previous')}><input value={previous} onChange={(e) => setPrevious(e.target.value)} data-testid="report-previous" /></Field>}
          {kind === 'field_sample' && <Field label={t('tools.size')}><input type="number" min={1} value={size} onChange={(e) => setSize(Math.max(1, Number(e.target.value)))} /></Field>}
          <Field label={t('reports.output')} hint={t('reports.outputPh')}><input value={out} onChange={(e) => setOut(e.target.value)} placeholder={defaultOut} data-testid="report-out" /></Field>
          <div className="wiz-actions"><span className="spacer" /><button className="btn primary" disabled={busy} onClick={() => void run()} data-testid="export-report">⤓ {t('reports.export')}</button></div>
          {msg && <Notice tone={msg.tone}><span data-testid="report-result">{msg.text}</span> {msg.path && <FileActions path={msg.path} />}</Notice>}
        </div>
        <ReviewReturn />
      </div>
    </div>
  );
}
