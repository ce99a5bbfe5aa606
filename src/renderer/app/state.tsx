import { createContext, useCallback, useContext, useEffect, useMemo, useRef, useState, useSyncExternalStore, type ReactNode } from 'react';
import { api, CallError, isOnline, onConnection } from '../bridge';
import type { Lang } from '../format';
import { LangContext, translator, type Translate } from '../i18n';
import { errorMessage as describeError } from '../i18n/labels';
import type { Settings, WorkspaceInfo } from '../../shared/types';
import type { FilterSpec } from '../../shared/contract';
import { TaskBoard, type TaskView } from './tasks';

export type Screen = 'home' | 'data' | 'analysis' | 'evaluation' | 'oversight' | 'tools' | 'findings' | 'reports' | 'trail' | 'settings';

/** Where a drill-down lands: a table (or a check's exceptions) with filters already applied. */
export interface DrillTarget {
  table?: string;
  checkId?: string;
  filter?: FilterSpec[];
  /** A read-only SQL query (opens the Data screen's query box, run) — for drill-downs no single table holds. */
  sql?: string;
  label: string;
}

export interface Route {
  screen: Screen;
  sub?: string;
  drill?: DrillTarget;
  nonce?: number;
}

interface AppState {
  info: WorkspaceInfo | null;
  settings: Settings | null;
  lang: Lang;
  masked: boolean;
  connected: boolean;
  route: Route;
  tasks: TaskBoard;
  go: (r: Route) => void;
  setLang: (l: Lang) => void;
  setMasked: (m: boolean) => void;
  refresh: () => Promise<void>;
  setSettings: (s: Settings) => void;
  /** Data version: bumps when the workspace changes so screens reload. */
  version: number;
  errorText: (e: unknown) => string;
}

const Ctx = createContext<AppState | null>(null);
export const useApp = () => {
  const c = useContext(Ctx);
  if (!c) throw new Error('useApp outside AppProvider');
  return c;
};

export function useTasks(board: TaskBoard): TaskView[] {
  return useSyncExternalStore(board.subscribe, board.list, board.list);
}

function storedLang(): Lang {
  try { const l = localStorage.getItem('telisik.lang'); return l === 'en' ? 'en' : 'id'; } catch { return 'id'; }
}

export function errorMessage(e: unknown, t: Translate, lang: Lang = 'id'): string {
  return describeError(e instanceof CallError ? e.error : e, t, lang);
}

export function AppProvider({ children }: { children: ReactNode }) {
  const [info, setInfo] = useState<WorkspaceInfo | null>(null);
  const [settings, setSettings] = useState<Settings | null>(null);
  const [lang, setLangState] = useState<Lang>(storedLang);
  const [masked, setMasked] = useState(true);
  const [connected, setConnected] = useState(true);
  const [route, setRoute] = useState<Route>({ screen: 'home' });
  const [version, setVersion] = useState(0);
  const tasks = useRef(new TaskBoard()).current;
  const t = useMemo(() => translator(lang), [lang]);

  const setLang = useCallback((l: Lang) => {
    setLangState(l);
    try { localStorage.setItem('telisik.lang', l); } catch { /* ignore */ }
    document.documentElement.lang = l;
  }, []);

  const refresh = useCallback(async () => {
    const r = await api.workspaceInfo({});
    if (!r.ok) return;
    setInfo(r.value);
    setVersion((v) => v + 1);
    if (r.value) {
      const s = await api.getSettings({});
      if (s.ok) {
        setSettings(s.value);
        setMasked(s.value.masking_default);
      }
    } else {
      setSettings(null);
    }
  }, []);

  useEffect(() => {
    document.documentElement.lang = lang;
    void refresh();
    const unsub = api.subscribe((e) => {
      tasks.onEvent(e);
      if (e.event === 'workspace') {
        setInfo(e.data.info);
        setVersion((v) => v + 1);
      }
    });
    // Connection: lost when a call cannot reach the engine; while lost, a heartbeat polls until it answers, then the
    // screens reload (the event stream reconnects by itself).
    const offConn = onConnection((v) => {
      setConnected(v);
      if (v) void refresh();
    });
    setConnected(isOnline());
    const beat = setInterval(() => { void api.appInfo({}); }, 3000);
    return () => { unsub(); offConn(); clearInterval(beat); };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);

  const go = useCallback((r: Route) => setRoute({ ...r, nonce: Date.now() }), []);
  const errorText = useCallback((e: unknown) => errorMessage(e, t, lang), [t, lang]);

  const value: AppState = {
    info, settings, lang, masked, connected, route, tasks, go, setLang, setMasked, refresh, setSettings, version, errorText,
  };
  return (
    <LangContext.Provider value={{ lang, t }}>
      <Ctx.Provider value={value}>{children}</Ctx.Provider>
    </LangContext.Provider>
  );
}
