import { useEffect, useState, type FormEvent } from 'react';
import { api } from '../../bridge';
import { formatDateTime } from '../../format';
import { useI18n } from '../../i18n';
import { join, slug } from '../../app/paths';
import { useApp } from '../../app/state';
import { Field, Notice, PageHeader } from '../../app/ui';
import type { AppInfo, DirListing, RecentWorkspace, WorkspaceInfo } from '../../../shared/types';

/**
 * The recent list last shown. Beranda opens with it, so the cards below do not jump down when the fresh list arrives
 * (a click aimed at "Buka" while it loaded landed on empty space: seen in the UI test under load).
 */
let lastRecent: RecentWorkspace[] = [];

export function Home() {
  const { t, lang } = useI18n();
  const { info, tasks, refresh, go, errorText, version } = useApp();
  const [recent, setRecent] = useState<RecentWorkspace[]>(lastRecent);
  const [appInfo, setAppInfo] = useState<AppInfo | null>(null);
  const [form, setForm] = useState({ name: '', entity: '', period: '', team: '', path: '' });
  const [openPath, setOpenPath] = useState('');
  const [browse, setBrowse] = useState<DirListing | null>(null);
  const [msg, setMsg] = useState<{ tone: 'ok' | 'error'; text: string } | null>(null);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    void api.recentWorkspaces({}).then((r) => { if (r.ok) { lastRecent = r.value; setRecent(r.value); } });
    void api.appInfo({}).then((r) => r.ok && setAppInfo(r.value));
  }, [version]);

  const opened = async (p: Promise<{ ok: true; value: WorkspaceInfo } | { ok: false; error: { code: string; message: string } }>) => {
    setBusy(true); setMsg(null);
    const r = await p;
    setBusy(false);
    if (!r.ok) { setMsg({ tone: 'error', text: errorText(r.error) }); return; }
    await refresh();
    go({ screen: 'data' });
  };

  const create = (e: FormEvent) => {
    e.preventDefault();
    if (!form.name.trim()) { setMsg({ tone: 'error', text: t('home.nameRequired') }); return; }
    const path = form.path.trim() || join(appInfo?.default_dir ?? '.', `${slug(form.name)}.duckdb`);
    void opened(api.createWorkspace({
      path, name: form.name.trim(),
      ...(form.entity.trim() ? { entity: form.entity.trim() } : {}),
      ...(form.period.trim() ? { period: form.period.trim() } : {}),
      ...(form.team.trim() ? { team: form.team.trim() } : {}),
    }));
  };

  const demo = async () => {
    setMsg(null);
    try {
      const ws = await tasks.track<WorkspaceInfo>('demo', '', api.openDemo({}));
      const tv = tasks.latest('demo');
      if (tv) tasks.setMessage(tv.id, ws.name);
      setMsg({ tone: 'ok', text: ws.name });
      await refresh();
      go({ screen: 'analysis' });
    } catch (e) {
      setMsg({ tone: 'error', text: errorText(e) });
    }
  };

  const listDir = async (path?: string) => {
    const r = await api.listDir({ ...(path ? { path } : {}), extensions: ['.duckdb'] });
    if (r.ok) setBrowse(r.value); else setMsg({ tone: 'error', text: errorText(r.error) });
  };

  return (
    <div className="page home">
      <PageHeader title={t('home.title')} />
      {msg && <Notice tone={msg.tone}>{msg.text}</Notice>}
      {info && (
        <div className="row-actions home-current">
          <span className="muted small">{t('home.current')}: <strong>{info.name}</strong></span>
          <button className="btn small" disabled={busy} data-testid="close-engagement" onClick={async () => {
            // Closing is safe from any state: a running import/analysis is cancelled first by the engine.
            setBusy(true);
            const r = await api.closeWorkspace({});
            setBusy(false);
            if (!r.ok) setMsg({ tone: 'error', text: errorText(r.error) }); else await refresh();
          }}>✕ {t('home.close')}</button>
        </div>
      )}
      <div className="home-grid">
        <section className="card demo-card">
          <h2>{t('home.demo')}</h2>
          <p className="muted">{t('home.demoHint')}</p>
          <button className="btn primary" onClick={demo} data-testid="open-demo">▶ {t('home.demo')}</button>
        </section>

        <section className="card">
          <h2>{t('home.recent')}</h2>
          {recent.length === 0 ? <p className="muted">{t('home.noRecent')}</p> : (
            <ul className="recent">
              {recent.map((w) => (
                <li key={w.path}>
                  <button className="link-row" disabled={!w.exists || busy} onClick={() => void opened(api.openWorkspace({ path: w.path }))} title={w.path}>
                    <strong>{w.name}</strong>
                    {info?.path === w.path && <span className="chip chip-open">● {t('home.current')}</span>}
                    <span className="muted small">{t('home.lastOpened')}: {formatDateTime(w.opened_at, lang)}</span>
                    <span className="muted small path">{w.path}</span>
                  </button>
                </li>
              ))}
            </ul>
          )}
        </section>

        <section className="card">
          <h2>{t('home.new')}</h2>
          <form onSubmit={create} className="form">
            <Field label={t('home.name')}><input value={form.name} onChange={(e) => setForm({ ...form, name: e.target.value })} placeholder={t('home.namePh')} required /></Field>
            <Field label={t('home.entity')}><input value={form.entity} onChange={(e) => setForm({ ...form, entity: e.target.value })} placeholder={t('home.entityPh')} /></Field>
            <Field label={t('home.period')}><input value={form.period} onChange={(e) => setForm({ ...form, period: e.target.value })} placeholder={t('home.periodPh')} /></Field>
            <Field label={t('home.team')}><input value={form.team} onChange={(e) => setForm({ ...form, team: e.target.value })} placeholder={t('home.teamPh')} /></Field>
            <Field label={t('home.path')}><input value={form.path} onChange={(e) => setForm({ ...form, path: e.target.value })} placeholder={appInfo ? join(appInfo.default_dir, `${slug(form.name || 'penugasan')}.duckdb`) : t('home.pathPh')} /></Field>
            <button className="btn primary" type="submit" disabled={busy}>{t('home.createBtn')}</button>
          </form>
        </section>

        <section className="card">
          <h2>{t('home.openFile')}</h2>
          <form className="form row" onSubmit={(e) => { e.preventDefault(); if (openPath.trim()) void opened(api.openWorkspace({ path: openPath.trim() })); }}>
            <input value={openPath} onChange={(e) => setOpenPath(e.target.value)} placeholder={t('home.openPathPh')} aria-label={t('home.openFile')} data-testid="open-path" />
            <button className="btn" type="button" onClick={() => void listDir(openPath.trim() || appInfo?.default_dir)}>…</button>
            <button className="btn primary" type="submit" disabled={busy || !openPath.trim()} data-testid="open-submit">{t('common.open')}</button>
          </form>
          {browse && <DirBrowser listing={browse} onDir={listDir} onFile={(p) => { setOpenPath(p); setBrowse(null); }} />}
        </section>
      </div>
    </div>
  );
}

export function DirBrowser({ listing, onDir, onFile }: { listing: DirListing; onDir: (p: string) => void; onFile: (p: string) => void }) {
  return (
    <div className="dir-browser">
      <div className="dir-path">{listing.path}</div>
      <ul>
        {listing.parent && <li><button className="link-row" onClick={() => onDir(listing.parent!)}>↑ ..</button></li>}
        {listing.entries.map((e) => (
          <li key={e.path}>
            <button className="link-row" onClick={() => (e.dir ? onDir(e.path) : onFile(e.path))}>
              <span aria-hidden="true">{e.dir ? '▸' : '·'}</span> {e.name}
            </button>
          </li>
        ))}
      </ul>
    </div>
  );
}
