import { useEffect, useRef, useState } from 'react';
import { api } from '../../bridge';
import { formatNumber, formatPct, formatRp } from '../../format';
import { useI18n, type MessageKey } from '../../i18n';
import { exportPath } from '../../app/paths';
import { useApp, type DrillTarget } from '../../app/state';
import { FileActions, NeedEngagement, Notice, PageHeader } from '../../app/ui';
import { columnLabel } from '../../../shared/vocabulary';
import { cellKind, cellText } from '../../grid/cells';
import { tableLabel } from './tables';
import { DataGrid, type GridHandle } from '../../grid/DataGrid';
import type { FilterSpec, SortSpec } from '../../../shared/contract';
import type { ColumnInfo, ColumnProfile, FileWritten, ImportRecord, TableInfo } from '../../../shared/types';
import { ImportWizard } from './ImportWizard';
import { RecipePanel } from '../continuity/RecipePanel';
import { useText } from '../continuity/text';

const GROUPS: Array<[TableInfo['group'], MessageKey]> = [
  ['canonical', 'data.extracts'], ['other', 'data.groupOther'], ['exceptions', 'data.groupExceptions'], ['tool', 'data.groupTools'],
];

export function Data() {
  const { route } = useApp();
  return <NeedEngagement><DataInner key={route.nonce ?? 0} /></NeedEngagement>;
}

function DataInner() {
  const { t, lang } = useI18n();
  const { route, version, go, errorText } = useApp();
  const [tables, setTables] = useState<TableInfo[]>([]);
  const [imports, setImports] = useState<ImportRecord[]>([]);
  const [mode, setMode] = useState<'explorer' | 'import' | 'recipe' | 'query'>(route.sub === 'import' ? 'import' : route.sub === 'query' || route.drill?.sql ? 'query' : 'explorer');
  const [loadErr, setLoadErr] = useState<string | null>(null);
  const [removing, setRemoving] = useState<number | null>(null);
  const [reason, setReason] = useState('');
  const [removeMsg, setRemoveMsg] = useState<{ tone: 'ok' | 'error'; text: string } | null>(null);
  const [table, setTable] = useState<string | null>(route.drill?.table ?? null);
  const [drill, setDrill] = useState<DrillTarget | null>(route.drill ?? null);
  const x = useText();

  useEffect(() => {
    void api.listTables({}).then((r) => {
      if (!r.ok) { setLoadErr(errorText(r.error)); return; }
      setLoadErr(null);
      setTables(r.value);
      setTable((cur) => cur ?? r.value.find((x) => x.name === 'disbursements' && x.rows > 0)?.name ?? r.value.find((x) => x.rows > 0)?.name ?? null);
    });
    void api.listImports({}).then((r) => r.ok && setImports(r.value));
  }, [version]); // eslint-disable-line react-hooks/exhaustive-deps

  const remove = async (im: ImportRecord) => {
    setRemoveMsg(null);
    const r = await api.removeImport({ import_id: im.import_id, reason: reason.trim() });
    if (!r.ok) { setRemoveMsg({ tone: 'error', text: errorText(r.error) }); return; }
    setRemoving(null); setReason('');
    setRemoveMsg({ tone: 'ok', text: t('data.removed', { file: r.value.file, n: formatNumber(r.value.rows_removed, lang) }) });
  };

  const visible = tables.filter((x) => x.group !== 'raw');
  return (
    <div className="page data">
      <PageHeader title={t('data.title')}>
        <div className="seg-group" role="tablist">
          <button role="tab" aria-selected={mode === 'explorer'} className={mode === 'explorer' ? 'seg on' : 'seg'} onClick={() => setMode('explorer')}>{t('data.explorer')}</button>
          <button role="tab" aria-selected={mode === 'query'} className={mode === 'query' ? 'seg on' : 'seg'} onClick={() => setMode('query')} data-testid="query-tab">⌘ {t('data.query')}</button>
          <button role="tab" aria-selected={mode === 'import'} className={mode === 'import' ? 'seg on' : 'seg'} onClick={() => setMode('import')} data-testid="import-tab">+ {t('data.import')}</button>
          <button role="tab" aria-selected={mode === 'recipe'} className={mode === 'recipe' ? 'seg on' : 'seg'} onClick={() => setMode('recipe')} data-testid="recipe-tab">{x('recipeTitle')}</button>
        </div>
      </PageHeader>
      {loadErr && <Notice tone="error">{t('data.loadFailed', { msg: loadErr })}</Notice>}
      {removeMsg && <Notice tone={removeMsg.tone}><span data-testid="remove-result">{removeMsg.text}</span></Notice>}
      {mode === 'recipe' ? <RecipePanel onImport={() => setMode('import')} /> : mode === 'query' ? <QueryPanel initial={route.drill?.sql} label={route.drill?.sql ? route.drill.label : undefined} /> : mode === 'import' ? (
        <ImportWizard onOpenTable={(name) => { setTable(name); setDrill(null); setMode('explorer'); }} />
      ) : (
        <div className="data-layout">
          <aside className="side-list">
            <h2>{t('data.tables')}</h2>
            {visible.length === 0 && !loadErr && <p className="muted">{t('data.noTables')}</p>}
            {GROUPS.map(([group, key]) => {
              const list = visible.filter((x) => x.group === group);
              if (list.length === 0) return null;
              return (
                <div key={group}>
                  {group !== 'canonical' && <h3 className="side-group">{t(key)}</h3>}
                  <ul>
                    {list.map((x) => (
                      <li key={x.name}>
                        <button className={table === x.name ? 'side-item on' : 'side-item'} aria-current={table === x.name} onClick={() => { setTable(x.name); setDrill(null); }} data-table={x.name} title={x.name}>
                          <span className="side-name">{tableLabel(x, t, lang)}</span>
                          <span className="side-count">{formatNumber(x.rows, lang)}</span>
                        </button>
                      </li>
                    ))}
                  </ul>
                </div>
              );
            })}
            {imports.length > 0 && (
              <>
                <h2>{t('data.extracts')}</h2>
                <ul className="imports">
                  {imports.map((im) => (
                    <li key={im.import_id} title={`${im.path}\nSHA-256 ${im.sha256}`} data-import={im.file}>
                      <div className="side-name">{im.file}</div>
                      <div className="muted small">
                        {t(`kind.${im.kind}` as MessageKey)} · {formatNumber(im.rows_loaded, lang)} {t('common.rows')}
                        {im.rows_rejected > 0 && <> · <span className="warn-text">⚠ {formatNumber(im.rows_rejected, lang)} {t('data.rowsRejected').toLowerCase()}</span></>}
                      </div>
                      {removing === im.import_id ? (
                        <form className="remove-form" onSubmit={(e) => { e.preventDefault(); void remove(im); }}>
                          <label className="field"><span className="field-label">{t('data.removeReason')}</span>
                            <input value={reason} onChange={(e) => setReason(e.target.value)} required minLength={3} data-testid="remove-reason" autoFocus /></label>
                          <div className="row-actions">
                            <button className="btn small danger" type="submit" disabled={reason.trim().length < 3} data-testid="remove-confirm">{t('data.removeConfirm')}</button>
                            <button className="btn small ghost" type="button" onClick={() => { setRemoving(null); setReason(''); }}>{t('common.cancel')}</button>
                          </div>
                        </form>
                      ) : (
                        <button className="link small" onClick={() => { setRemoving(im.import_id); setReason(''); }} data-testid="remove-import">✕ {t('data.remove')}</button>
                      )}
                    </li>
                  ))}
                </ul>
              </>
            )}
            <p className="muted small">{t('data.internalHint')}</p>
            <button className="btn small" onClick={() => go({ screen: 'tools' })}>⚒ {t('nav.tools')}</button>
          </aside>
          {table ? <Explorer key={table + JSON.stringify(drill?.filter ?? [])} table={table} info={tables.find((x) => x.name === table)} drill={drill} onClearDrill={() => setDrill(null)} /> : <div className="empty">{t('data.noTables')}</div>}
        </div>
      )}
    </div>
  );
}

export function Explorer({ table, info, drill, onClearDrill }: { table: string; info?: TableInfo; drill: DrillTarget | null; onClearDrill: () => void }) {
  const { t, lang } = useI18n();
  const { masked, info: ws, tasks, errorText } = useApp();
  const grid = useRef<GridHandle>(null);
  const [count, setCount] = useState<number | null>(null);
  const [column, setColumn] = useState<ColumnInfo | null>(null);
  const [profile, setProfile] = useState<ColumnProfile | null>(null);
  const [view, setView] = useState<{ sort: SortSpec[]; filter: FilterSpec[] }>({ sort: [], filter: [] });
  const [search, setSearch] = useState('');
  const [searchApplied, setSearchApplied] = useState('');
  const [msg, setMsg] = useState<{ tone: 'ok' | 'error'; text: string; path?: string } | null>(null);
  const [sum, setSum] = useState<{ column: string; value: number } | null>(null);
  const [profileErr, setProfileErr] = useState<string | null>(null);

  // Profiles scan the whole column (seconds on 1M rows, more on a national extract): wait until the focus rests; a
  // profile of a column the user has moved away from is cancelled (its SQL interrupted), and Batal stops one at will.
  const profileRun = useRef<AbortController | null>(null);
  const [profileStopped, setProfileStopped] = useState(false);
  const [profileTry, setProfileTry] = useState(0);
  useEffect(() => {
    if (!column) return;
    setProfile(null);
    setProfileErr(null);
    setProfileStopped(false);
    // The run is this column's from the start: Batal during the wait (before the request is sent) stops it too.
    const ac = new AbortController();
    profileRun.current = ac;
    const h = setTimeout(() => {
      if (ac.signal.aborted) return;
      void api.columnProfile({ table, column: column.name }, { signal: ac.signal }).then((r) => {
        if (profileRun.current === ac) profileRun.current = null;
        if (ac.signal.aborted) return;
        if (r.ok) setProfile(r.value); else setProfileErr(errorText(r.error));
      });
    }, 350);
    return () => { clearTimeout(h); ac.abort(); };
  }, [table, column, profileTry]); // eslint-disable-line react-hooks/exhaustive-deps
  const stopProfile = () => { profileRun.current?.abort(); profileRun.current = null; setProfileStopped(true); };

  const exportView = async (format: 'csv' | 'xlsx') => {
    if (!ws) return;
    setMsg(null);
    try {
      const v = grid.current?.view() ?? view;
      const out = exportPath(ws.path, table, format);
      const res = await tasks.track<FileWritten>('export', (tt, l) => `${tableLabel(info ?? table, tt, l)} (${format.toUpperCase()})`, api.exportTable({
        table, format, out, sort: v.sort, filter: [...(drill?.filter ?? []), ...v.filter], mask: masked, ...(searchApplied ? { search: searchApplied } : {}),
      }));
      setMsg({ tone: 'ok', text: t('data.exported', { path: res.path }), path: res.path });
      const tv = tasks.latest('export');
      if (tv) tasks.setMessage(tv.id, (tt) => tt('data.exported', { path: res.path }));
    } catch (e) {
      setMsg({ tone: 'error', text: errorText(e) });
    }
  };

  return (
    <section className="explorer">
      <div className="toolbar">
        <strong className="tb-title" title={table}>{tableLabel(info ?? table, t, lang)}</strong>
        <span className="muted" data-testid="row-count">{count === null ? t('common.loading') : t('data.rowCount', { n: formatNumber(count, lang) })}</span>
        {sum && count !== null && <span className="chip chip-sum" data-testid="row-sum">Σ {columnLabel(sum.column, lang)}: {formatRp(sum.value, lang)}</span>}
        {view.sort.length > 0 && <span className="chip">↕ {t('data.sortedBy', { s: view.sort.map((s) => `${columnLabel(s.column, lang)} ${s.dir === 'asc' ? '↑' : '↓'}`).join(', ') })}</span>}
        {view.filter.length > 0 && <span className="chip">⚲ {t('data.filtered')}</span>}
        {drill && (
          <span className="chip chip-drill">
            ⤷ {t('data.drill', { what: drill.label })}
            <button className="chip-x" onClick={onClearDrill} aria-label={t('data.clearFilters')}>×</button>
          </span>
        )}
        <form className="tb-search" onSubmit={(e) => { e.preventDefault(); setSearchApplied(search.trim()); }}>
          <input type="search" value={search} onChange={(e) => setSearch(e.target.value)} placeholder={t('common.search')} aria-label={t('common.search')} data-testid="grid-search" />
        </form>
        <button className="btn small" onClick={() => void exportView('csv')} data-testid="export-csv">⤓ {t('data.exportView')} (CSV)</button>
        <button className="btn small" onClick={() => void exportView('xlsx')}>⤓ XLSX</button>
      </div>
      {msg && <Notice tone={msg.tone}>{msg.text} {msg.path && <FileActions path={msg.path} />}</Notice>}
      <div className="explorer-body">
        <div className="explorer-grid">
          <DataGrid
            ref={grid}
            source={{ kind: 'table', table }}
            baseFilter={drill?.filter}
            search={searchApplied}
            masked={masked}
            onCount={setCount}
            onTotals={(x) => setSum(x.sum)}
            onViewChange={(v) => setView(v)}
            onColumnPick={(c) => setColumn((cur) => (cur?.name === c.name ? cur : c))}
            focusColumn={drill?.filter?.[0]?.column}
          />
        </div>
        <aside className="profile-panel" aria-label={t('data.profile')}>
          <h2>{t('data.profile')}</h2>
          {!column ? <p className="muted">{t('data.profileHint')}</p> : (
            <>
              <div className="profile-col"><strong>{columnLabel(column.name, lang)}</strong> <span className="muted small" title={column.type}>{column.name}</span></div>
              {profileErr ? <Notice tone="error">{profileErr}</Notice> : profileStopped ? (
                <p className="muted" data-testid="profile-stopped">{t('profile.stopped')}{' '}
                  <button className="btn small" onClick={() => setProfileTry((n) => n + 1)}>{t('profile.again')}</button></p>
              ) : !profile ? (
                <p className="muted profile-loading" data-testid="profile-loading">{t('common.loading')}{' '}
                  <button className="btn small" onClick={stopProfile} data-testid="profile-cancel">{t('common.cancel')}</button></p>
              ) : (
                <>
                <dl className="kv">
                  <dt>{t('profile.count')}</dt><dd>{formatNumber(profile.rows, lang)}</dd>
                  <dt>{t('profile.nulls')}</dt><dd>{formatNumber(profile.nulls, lang)} ({formatPct(profile.rows ? profile.nulls / profile.rows : 0, lang)})</dd>
                  <dt>{t('profile.distinct')}</dt><dd>{formatNumber(profile.distinct, lang)}</dd>
                  <dt>{t('profile.min')}</dt><dd className="trunc">{fmtScalar(profile.min, column, lang, t)}</dd>
                  <dt>{t('profile.max')}</dt><dd className="trunc">{fmtScalar(profile.max, column, lang, t)}</dd>
                  {profile.mean !== null && <><dt>{t('profile.mean')}</dt><dd>{cellKind(column) === 'rupiah' ? formatRp(profile.mean, lang) : formatNumber(profile.mean, lang, 2)}</dd></>}
                  {profile.sum !== null && cellKind(column) === 'rupiah' && <><dt>Σ</dt><dd>{formatRp(profile.sum, lang)}</dd></>}
                </dl>
                {profile.top.length > 0 && (
                  <>
                    <h3>{t('profile.top')}</h3>
                    <table className="mini">
                      <tbody>
                        {profile.top.slice(0, 10).map((x, i) => (
                          <tr key={i}><td className="trunc">{x.value === null ? '∅' : fmtScalar(x.value, column, lang, t)}</td><td className="num">{formatNumber(x.count, lang)}</td></tr>
                        ))}
                      </tbody>
                    </table>
                  </>
                )}
                </>
              )}
            </>
          )}
          {info && <p className="muted small">{formatNumber(info.columns.length, lang)} {t('data.columns')}</p>}
        </aside>
      </div>
    </section>
  );
}

function fmtScalar(v: string | number | null, col: ColumnInfo, lang: 'id' | 'en', t: Parameters<typeof cellText>[3]): string {
  if (v === null || v === undefined) return '–';
  const kind = cellKind(col);
  if (typeof v === 'string' && /^-?\d+(\.\d+)?$/.test(v) && (kind === 'rupiah' || kind === 'count' || kind === 'number' || kind === 'ratio')) return cellText(Number(v), col, lang, t);
  return cellText(v, col, lang, t) || '–';
}

/** The SQL box: one read-only SELECT; the result in the same grid, exportable; the statement goes into the trail. */
function QueryPanel({ initial, label }: { initial?: string; label?: string }) {
  const { t, lang } = useI18n();
  const { masked, info: ws, tasks, errorText } = useApp();
  const [sql, setSql] = useState(initial ?? 'SELECT program, count(*) AS records, sum(amount) AS amount\nFROM disbursements\nGROUP BY program\nORDER BY amount DESC');
  const [ran, setRan] = useState<{ sql: string; n: number } | null>(initial ? { sql: initial, n: 1 } : null);
  const [count, setCount] = useState<number | null>(null);
  const [sum, setSum] = useState<{ column: string; value: number } | null>(null);
  const [err, setErr] = useState<string | null>(null);
  const [msg, setMsg] = useState<{ tone: 'ok' | 'error'; text: string; path?: string } | null>(null);
  const grid = useRef<GridHandle>(null);
  const run = async () => {
    setErr(null); setMsg(null);
    // Checked once up front so a refusal reads as a clear message rather than an empty grid.
    const r = await api.query({ sql, offset: 0, limit: 1, mask: masked });
    if (!r.ok) { setErr(errorText(r.error)); setRan(null); return; }
    setRan({ sql, n: (ran?.n ?? 0) + 1 });
  };
  const exportQ = async (format: 'csv' | 'xlsx') => {
    if (!ws || !ran) return;
    try {
      const v = grid.current?.view() ?? { sort: [], filter: [] };
      const res = await tasks.track<FileWritten>('export', (tt) => `${tt('data.query')} (${format.toUpperCase()})`, api.exportTable({
        table: 'kueri', sql: ran.sql, format, out: exportPath(ws.path, 'kueri', format), sort: v.sort, filter: v.filter, mask: masked,
      }));
      setMsg({ tone: 'ok', text: t('data.exported', { path: res.path }), path: res.path });
    } catch (e) { setMsg({ tone: 'error', text: errorText(e) }); }
  };
  return (
    <section className="query-panel">
      {label && <span className="chip chip-drill">⤷ {t('data.drill', { what: label })}</span>}
      <form className="card form query-form" onSubmit={(e) => { e.preventDefault(); void run(); }}>
        <label className="field"><span className="field-label">{t('data.query')}</span>
          <textarea value={sql} onChange={(e) => setSql(e.target.value)} rows={4} spellCheck={false} className="mono" data-testid="sql-box"
            onKeyDown={(e) => { if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) { e.preventDefault(); void run(); } }} /></label>
        <span className="field-hint">{t('data.queryHint')}</span>
        <div className="row-actions">
          <button className="btn primary" type="submit" data-testid="run-query">▶ {t('data.queryRun')}</button>
          {ran && <span className="muted" data-testid="query-count">{count === null ? t('common.loading') : t('data.rowCount', { n: formatNumber(count, lang) })}</span>}
          {ran && sum && <span className="chip chip-sum">Σ {columnLabel(sum.column, lang)}: {formatRp(sum.value, lang)}</span>}
          <span className="spacer" />
          {ran && <button className="btn small" type="button" onClick={() => void exportQ('csv')} data-testid="export-query">⤓ CSV</button>}
          {ran && <button className="btn small" type="button" onClick={() => void exportQ('xlsx')}>⤓ XLSX</button>}
        </div>
      </form>
      {err && <Notice tone="error"><span data-testid="query-error">{err}</span></Notice>}
      {msg && <Notice tone={msg.tone}>{msg.text} {msg.path && <FileActions path={msg.path} />}</Notice>}
      {ran && (
        <div className="query-grid">
          <DataGrid key={ran.n} ref={grid} source={{ kind: 'query', sql: ran.sql }} masked={masked} onCount={setCount} onTotals={(x) => setSum(x.sum)} testId="query-grid" />
        </div>
      )}
    </section>
  );
}
