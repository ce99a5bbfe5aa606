import { Fragment, useEffect, useState } from 'react';
import { api } from '../../bridge';
import { formatDateTime, formatNumber, maskNik } from '../../format';
import { useI18n } from '../../i18n';
import { useApp } from '../../app/state';
import { NeedEngagement, Notice, PageHeader } from '../../app/ui';
import type { TrailEntryView, TrailVerificationView } from '../../../shared/types';
import { trailAction, trailDetails } from '../../i18n/labels';

const PAGE = 100;

export function Trail() {
  return <NeedEngagement><TrailInner /></NeedEngagement>;
}


function TrailInner() {
  const { t, lang } = useI18n();
  const { version, errorText, masked } = useApp();
  const [rows, setRows] = useState<TrailEntryView[]>([]);
  const [total, setTotal] = useState(0);
  const [offset, setOffset] = useState(0);
  const [ver, setVer] = useState<TrailVerificationView | null>(null);
  const [err, setErr] = useState<string | null>(null);
  const [open, setOpen] = useState<number | null>(null);

  useEffect(() => {
    void api.listTrail({ offset, limit: PAGE }).then((r) => { if (r.ok) { setRows(r.value.rows); setTotal(r.value.total); } else setErr(errorText(r.error)); });
  }, [offset, version, errorText]);
  const verify = async () => {
    setErr(null);
    const r = await api.verifyTrail({ check_sources: true });
    if (r.ok) setVer(r.value); else setErr(errorText(r.error));
  };
  useEffect(() => { void verify(); /* verify on open: the status is the first thing a reviewer looks for */ }, [version]); // eslint-disable-line react-hooks/exhaustive-deps

  return (
    <div className="page trail">
      <PageHeader title={t('trail.title')}>
        <button className="btn" onClick={() => void verify()} data-testid="verify-trail">≡ {t('trail.verify')}</button>
      </PageHeader>
      {err && <Notice tone="error">{err}</Notice>}
      {!ver ? <Notice tone="info">{t('trail.notVerified')}</Notice> : ver.ok ? (
        <Notice tone="ok"><span data-testid="trail-status">{t('trail.ok', { n: formatNumber(ver.entries, lang) })}</span> <span className="mono small muted">head {ver.head.slice(0, 16)}…</span></Notice>
      ) : (
        <Notice tone="error"><span data-testid="trail-status">{ver.breaks.length ? t('trail.broken', { seq: ver.breaks[0].seq, msg: ver.breaks[0].problem }) : t('trail.broken', { seq: '?', msg: '' })}</span></Notice>
      )}
      {ver && ver.sources.some((s) => s.status !== 'ok') && (
        <Notice tone="warn">{ver.sources.filter((s) => s.status !== 'ok').map((s) => `${s.file}: ${s.status}`).join(' · ')}</Notice>
      )}
      <div className="table-scroll">
        <table className="table trail-table">
          <thead><tr><th className="num">{t('trail.seq')}</th><th>{t('trail.at')}</th><th>{t('trail.actor')}</th><th>{t('trail.action')}</th><th>{t('trail.details')}</th><th>{t('trail.hash')}</th></tr></thead>
          <tbody>
            {rows.map((e) => {
              const broken = ver?.breaks.some((b) => b.seq === e.seq);
              return (
                <Fragment key={e.seq}>
                <tr className={broken ? 'row-bad' : ''}>
                  <td className="num">{broken && <span aria-label="broken">✕ </span>}{e.seq}</td>
                  <td className="nowrap">{formatDateTime(e.at, lang)}</td>
                  <td>{e.actor}</td>
                  <td title={e.action} data-action={e.action}>{trailAction(e.action, lang)}</td>
                  <td className="small trunc-cell"><button className="link" onClick={() => setOpen(open === e.seq ? null : e.seq)} aria-expanded={open === e.seq} title={t('trail.showRecord')}>{trailDetails(e, lang, masked) || '…'}</button></td>
                  <td className="mono small">{e.hash.slice(0, 12)}</td>
                </tr>
                {open === e.seq ? <tr><td colSpan={6}><pre className="json">{((j) => (masked ? j.replace(/\b\d{15,17}\b/g, (m) => maskNik(m)) : j))(JSON.stringify({ params: e.params, inputs: e.inputs, result: e.result, prev_hash: e.prev_hash, hash: e.hash }, null, 2))}</pre></td></tr> : null}
                </Fragment>
              );
            })}
          </tbody>
        </table>
      </div>
      <div className="pager">
        <button className="btn small" disabled={offset === 0} onClick={() => setOffset(Math.max(0, offset - PAGE))}>‹</button>
        <span className="small">{formatNumber(offset + 1, lang)}–{formatNumber(Math.min(total, offset + PAGE), lang)} / {formatNumber(total, lang)}</span>
        <button className="btn small" disabled={offset + PAGE >= total} onClick={() => setOffset(offset + PAGE)}>›</button>
      </div>
    </div>
  );
}
