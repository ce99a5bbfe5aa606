// Small shared pieces: notices with an icon + text (colour is never the only signal), status chips, empty states.
import { useState, type ReactNode } from 'react';
import { useI18n } from '../i18n';
import type { ReviewStatus } from '../../shared/types';
import { useApp } from './state';
import { api, canDownload, isDesktop, saveDownload } from '../bridge';
import { basename } from './paths';
import { errorMessage } from '../i18n/labels';

export function Notice({ tone, children, role }: { tone: 'info' | 'ok' | 'warn' | 'error'; children: ReactNode; role?: string }) {
  const icon = { info: 'ℹ', ok: '✓', warn: '⚠', error: '✕' }[tone];
  return (
    <div className={`notice notice-${tone}`} role={role ?? (tone === 'error' ? 'alert' : 'status')}>
      <span className="notice-icon" aria-hidden="true">{icon}</span>
      <div>{children}</div>
    </div>
  );
}

export function StatusChip({ status }: { status: ReviewStatus | string }) {
  const { t } = useI18n();
  const map: Record<string, [string, string]> = {
    confirmed: ['✓', t('review.confirmed')],
    cleared: ['⊘', t('review.cleared')],
    open: ['○', t('review.open')],
  };
  const [icon, label] = map[status] ?? ['○', String(status)];
  return <span className={`chip chip-${status}`}><span aria-hidden="true">{icon}</span> {label}</span>;
}

export function NeedEngagement({ children }: { children: ReactNode }) {
  const { info, go } = useApp();
  const { t } = useI18n();
  if (info) return <>{children}</>;
  return (
    <div className="empty">
      <p>{t('common.needEngagement')}</p>
      <button className="btn primary" onClick={() => go({ screen: 'home' })}>{t('common.goHome')}</button>
    </div>
  );
}

export function PageHeader({ title, children }: { title: string; children?: ReactNode }) {
  return (
    <div className="page-header">
      <h1>{title}</h1>
      <div className="page-actions">{children}</div>
    </div>
  );
}

export function Field({ label, children, hint }: { label: string; children: ReactNode; hint?: string }) {
  return (
    <label className="field">
      <span className="field-label">{label}</span>
      {children}
      {hint && <span className="field-hint">{hint}</span>}
    </label>
  );
}

/** What to do with a file the engine wrote: *Unduh* (browser: a download with its own name) or *Buka folder* (desktop). */
export function FileActions({ path }: { path: string }) {
  const { t, lang } = useI18n();
  const [err, setErr] = useState<string | null>(null);
  return (
    <span className="file-actions">
      {canDownload && <button className="btn small" data-testid="download" title={basename(path)}
        onClick={() => void saveDownload(path).then((r) => setErr(r.ok ? null : errorMessage(r.error, t, lang)))}>⤓ {t('file.download')}</button>}
      {err && <span className="field-hint" role="alert">{err}</span>}
      {isDesktop && <button className="btn small" onClick={() => void api.revealFile({ path })} data-testid="reveal">▸ {t('file.reveal')}</button>}
    </span>
  );
}
