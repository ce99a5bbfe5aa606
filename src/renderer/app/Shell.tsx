import { useEffect, useState } from 'react';
import { api } from '../bridge';
import { formatDuration, formatNumber } from '../format';
import { useI18n, type MessageKey } from '../i18n';
import { useApp, useTasks, type Screen } from './state';
import type { TaskView } from './tasks';
import { phaseLabel } from '../i18n/labels';
import { useCheckTitles } from './checkTitles';

const NAV: Array<{ screen: Screen; key: MessageKey; icon: string }> = [
  { screen: 'home', key: 'nav.home', icon: '⌂' },
  { screen: 'data', key: 'nav.data', icon: '▦' },
  { screen: 'analysis', key: 'nav.analysis', icon: '◔' },
  { screen: 'evaluation', key: 'nav.evaluation', icon: '◎' },
  { screen: 'oversight', key: 'nav.oversight', icon: '⚐' },
  { screen: 'tools', key: 'nav.tools', icon: '⚒' },
  { screen: 'findings', key: 'nav.findings', icon: '⚑' },
  { screen: 'reports', key: 'nav.reports', icon: '▤' },
  { screen: 'trail', key: 'nav.trail', icon: '≡' },
  { screen: 'settings', key: 'nav.settings', icon: '⚙' },
];

export function Nav() {
  const { route, go } = useApp();
  const { t } = useI18n();
  return (
    <nav className="nav" aria-label={t('nav.label')}>
      <div className="brand"><span className="brand-mark" aria-hidden="true">T</span> {t('app.name')}</div>
      <ul>
        {NAV.map((n, i) => (
          <li key={n.screen}>
            <button
              className={route.screen === n.screen ? 'nav-item active' : 'nav-item'}
              aria-current={route.screen === n.screen ? 'page' : undefined}
              data-nav={n.screen}
              onClick={() => go({ screen: n.screen })}
              title={`Alt+${(i + 1) % 10}`}
            >
              <span className="nav-icon" aria-hidden="true">{n.icon}</span>
              <span>{t(n.key)}</span>
            </button>
          </li>
        ))}
      </ul>
    </nav>
  );
}

export function Header() {
  const { info, lang, setLang, masked, setMasked, settings, setSettings } = useApp();
  const { t } = useI18n();
  const switchLang = async (l: 'id' | 'en') => {
    setLang(l);
    if (info) {
      const r = await api.updateSettings({ language: l });
      if (r.ok) setSettings(r.value);
    }
  };
  return (
    <header className="header">
      <div className="engagement" data-testid="engagement">
        {info ? (
          <>
            <span className="eng-label">{t('header.engagement')}</span>
            <strong className="eng-name">{info.name}</strong>
            {info.entity && <span className="eng-meta" title={t('header.entity')}>{info.entity}</span>}
            {info.period && <span className="eng-meta" title={t('header.period')}>{info.period}</span>}
          </>
        ) : (
          <span className="eng-none">{t('header.noEngagement')}</span>
        )}
      </div>
      <div className="header-tools">
        <button
          className={masked ? 'toggle on' : 'toggle'}
          aria-pressed={masked}
          onClick={() => setMasked(!masked)}
          title={settings ? t('settings.maskingHint') : undefined}
          data-testid="mask-toggle"
        >
          <span aria-hidden="true">{masked ? '◉' : '○'}</span> {masked ? t('header.masked') : t('header.unmasked')}
        </button>
        <div className="lang-switch" role="group" aria-label={t('header.language')}>
          {(['id', 'en'] as const).map((l) => (
            <button key={l} className={lang === l ? 'seg on' : 'seg'} aria-pressed={lang === l} onClick={() => switchLang(l)} data-lang={l}>
              {l.toUpperCase()}
            </button>
          ))}
        </div>
      </div>
    </header>
  );
}

function TaskLine({ task }: { task: TaskView }) {
  const { tasks, lang } = useApp();
  const { t } = useI18n();
  const p = task.progress;
  // An analysis reports the check it is on as its phase: shown by the check's title in the UI language.
  const titles = useCheckTitles(task.kind === 'analysis' && task.status === 'running');
  const pct = p && p.total > 0 ? Math.min(100, (p.done / p.total) * 100) : null;
  const kindKey = (`task.${task.kind}` as MessageKey);
  const label = typeof task.label === 'string' ? task.label : task.label(t, lang);
  const statusIcon = { running: '⟳', completed: '✓', failed: '✕', cancelled: '⊘' }[task.status];
  const statusText = { running: '', completed: t('status.done'), failed: t('status.failed'), cancelled: t('status.cancelled') }[task.status];
  return (
    <div className={`task task-${task.status}`} data-testid="task" data-status={task.status}>
      <span className="task-icon" aria-hidden="true">{statusIcon}</span>
      <span className="task-label">{t(kindKey)}{label ? `: ${label}` : ''}</span>
      {task.status === 'running' && (
        <>
          <span className="task-phase">{p ? [phaseLabel(p.phase, lang, (id) => titles[id]?.[lang]), p.message].filter(Boolean).join(' · ') : ''}</span>
          <progress max={100} value={pct ?? undefined} aria-label={`${t(kindKey)} ${label}`} />
          {pct !== null && <span className="task-num">{formatNumber(pct, lang, 0)}%</span>}
          {p?.rows_per_s ? <span className="task-num">{t('status.rowsPerSec', { n: formatNumber(p.rows_per_s, lang) })}</span> : null}
          {p?.eta_s !== null && p?.eta_s !== undefined ? <span className="task-num">{t('status.timeLeft', { t: formatDuration(p.eta_s, lang) })}</span> : null}
          <button className="btn small" onClick={() => void api.cancelTask({ task_id: task.id })}>{t('status.cancel')}</button>
        </>
      )}
      {task.status !== 'running' && (
        <>
          <span className="task-result">{statusText}{task.message ? ` — ${typeof task.message === 'string' ? task.message : task.message(t, lang)}` : ''}</span>
          <button className="btn small ghost" onClick={() => tasks.dismiss(task.id)} aria-label={t('status.dismiss')}>×</button>
        </>
      )}
    </div>
  );
}

/** A clear banner while the engine cannot be reached; it goes away by itself when the engine answers again. */
export function ConnectionBanner() {
  const { connected } = useApp();
  const { t } = useI18n();
  if (connected) return null;
  return <div className="conn-banner" role="alert" data-testid="conn-banner"><span aria-hidden="true">⚠</span> {t('conn.lost')}</div>;
}

export function StatusBar() {
  const { tasks, connected, info } = useApp();
  const { t } = useI18n();
  // Check titles loaded as soon as an engagement is open: an analysis's first progress already names its check.
  useCheckTitles(!!info, info?.path);
  const list = useTasks(tasks);
  const running = list.filter((x) => x.status === 'running');
  const shown = running.length > 0 ? running : list.slice(0, 1);
  return (
    <footer className="statusbar" aria-label={t('status.tasks')} aria-live="polite">
      <span className={connected ? 'conn ok' : 'conn bad'}>
        <span aria-hidden="true">{connected ? '●' : '○'}</span> {connected ? t('status.connection') : t('status.noConnection')}
      </span>
      <div className="tasks">
        {shown.length === 0 ? <span className="task-idle">{t('status.ready')}</span> : shown.map((x) => <TaskLine key={x.id} task={x} />)}
      </div>
    </footer>
  );
}

/** Alt+1…9, Alt+0 jump between screens (in navigation order). */
export function useNavShortcuts() {
  const { go } = useApp();
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (!e.altKey || e.ctrlKey || e.metaKey) return;
      if (!/^[0-9]$/.test(e.key)) return;
      const i = e.key === '0' ? 9 : Number(e.key) - 1;
      if (i >= 0 && i < NAV.length) { e.preventDefault(); go({ screen: NAV[i].screen }); }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [go]);
}

export function useTick(ms: number) {
  const [, set] = useState(0);
  useEffect(() => { const h = setInterval(() => set((x) => x + 1), ms); return () => clearInterval(h); }, [ms]);
}
