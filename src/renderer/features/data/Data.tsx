import { useEffect, useRef, useState } from 'react';
import { api } from '../../bridge';
import { formatNumber, formatPct } from '../../format';
import { useI18n, type MessageKey } from '../../i18n';
import { exportPath } from '../../app/paths';
import { useApp, type DrillTarget } from '../../app/state';
import { NeedEngagement, Notice, PageHeader } from '../../app/ui';
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
  const { route, version, go } = useApp();
  const [tables, setTables] = useState<TableInfo[]>([]);
  const [imports, setImports] = useState<ImportRecord[]>([]);
  const [mode, setMode] = useState<'explorer' | 'import' | 'recipe'>(route.sub === 'import' ? 'import' : 'explorer');
  const [table, setTable] = useState<string | null>(route.drill?.table ?? null);
  const [drill, setDrill] = useState<DrillTarget | null>(route.drill ?? null);
  const x = useText();

  useEffect(() => {
    void api.listTables({}).then((r) => {
      if (!r.ok) return;
      setTables(r.value);
      setTable((cur) => cur ?? r.value.find((x) => x.name === 'disbursements' && x.rows > 0)?.name ?? r.value.find((x) => x.rows > 0)?.name ?? null);
    });
    void api.listImports({}).then((r) => r.ok && setImports(r.value));
  }, [version]);

  const visible = tables.filter((x) => x.group !== 'raw');
  return (
    <div className="page data">
      <PageHeader title={t('data.title')}>
        <div className="seg-group" role="tablist">
          <button role="tab" aria-selected={mode === 'explorer'} className={mode === 'explorer' ? 'seg on' : 'seg'} onClick={() => setMode('explorer')}>{t('data.explorer')}</button>
          <button role="tab" aria-selected={mode === 'import'} className={mode === 'import' ? 'seg on' : 'seg'} onClick={() => setMode('import')} data-testid="import-tab">+ {t('data.import')}</button>
          <button role="tab" aria-selected={mode === 'recipe'} className={mode === 'recipe' ? 'seg on' : 'seg'} onClick={() => setMode('recipe')} data-testid="recipe-tab">{x('recipeTitle')}</button>
        </div>
      </PageHeader>
      {mode === 'recipe' ? <RecipePanel onImport={() => setMode('import')} /> : mode === 'import' ? (
        <ImportWizard onOpenTable={(name) => { setTable(name); setDrill(null); setMode('explorer'); }} />
      ) : (
        <div className="data-layout">
          <aside className="side-list">
            <h2>{t('data.tables')}</h2>
            {visible.length === 0 && <p className="muted">{t('data.noTables')}</p>}
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
                          <span className="side-name">{x.kind && x.group === 'canonical' ? t(`kind.${x.kind}` as MessageKey) : x.name}</span>
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
                    <li key={im.import_id} title={`${im.path}\nSHA-256 ${im.sha256}`}>
                      <div className="side-name">{im.file}</div>
                      <div className="muted small">
                        {t(`kind.${im.kind}` as MessageKey)} · {formatNumber(im.rows_loaded, lang)} {t('common.rows')}
                        {im.rows_rejected > 0 && <> · <span className="warn-text">⚠ {formatNumber(im.rows_rejected, lang)} {t('data.rowsRejected').toLowerCase()}</span></>}
                      </div>
                    </li>
                  ))}
                </ul>
              </>
            )}
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
  const [msg, setMsg] = useState<{ tone: 'ok' | 'error'; text: string } | null>(null);

  // Profiles scan the whole column (seconds on 1M rows): wait until the focus rests, and drop stale answers.
  useEffect(() => {
    if (!column) return;
    setProfile(null);
    let live = true;
    const h = setTimeout(() => {
      void api.columnProfile({ table, column: column.name }).then((r) => { if (live && r.ok) setProfile(r.value); });
    }, 350);
    return () => { live = false; clearTimeout(h); };
  }, [table, column]);

  const exportView = async (format: 'csv' | 'xlsx') => {
    if (!ws) return;
    setMsg(null);
    try {
      const v = grid.current?.view() ?? view;
      const out = exportPath(ws.path, table, format);
      const res = await tasks.track<FileWritten>('export', `${table}.${format}`, api.exportTable({
        table, format, out, sort: v.sort, filter: [...(drill?.filter ?? []), ...v.filter], mask: masked, ...(searchApplied ? { search: searchApplied } : {}),
      }));
      setMsg({ tone: 'ok', text: t('data.exported', { path: res.path }) });
      const tv = tasks.latest('export');
      if (tv) tasks.setMessage(tv.id, (tt) => tt('data.exported', { path: res.path }));
    } catch (e) {
      setMsg({ tone: 'error', text: errorText(e) });
    }
  };

  return (
    <section className="explorer">
      <div className="toolbar">
        <strong className="tb-title">{table}</strong>
        <span className="muted" data-testid="row-count">{count === null ? t('common.loading') : t('data.rowCount', { n: formatNumber(count, lang) })}</span>
        {view.sort.length > 0 && <span className="chip">↕ {t('data.sortedBy', { s: view.sort.map((s) => `${s.column} ${s.dir === 'asc' ? '↑' : '↓'}`).join(', ') })}</span>}
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
      {msg && <Notice tone={msg.tone}>{msg.text}</Notice>}
      <div className="explorer-body">
        <div className="explorer-grid">
          <DataGrid
            ref={grid}
            source={{ kind: 'table', table }}
            baseFilter={drill?.filter}
            search={searchApplied}
            masked={masked}
            onCount={setCount}
            onViewChange={(v) => setView(v)}
            onColumnPick={(c) => setColumn((cur) => (cur?.name === c.name ? cur : c))}
            focusColumn={drill?.filter?.[0]?.column}
          />
        </div>
        <aside className="profile-panel" aria-label={t('data.profile')}>
          <h2>{t('data.profile')}</h2>
          {!column ? <p className="muted">{t('data.profileHint')}</p> : (
            <>
              <div className="profile-col"><strong>{column.name}</strong> <span className="muted small">{column.type}</span></div>
              {!profile ? <p className="muted">{t('common.loading')}</p> : (
                <dl className="kv">
                  <dt>{t('profile.count')}</dt><dd>{formatNumber(profile.rows, lang)}</dd>
                  <dt>{t('profile.nulls')}</dt><dd>{formatNumber(profile.nulls, lang)} ({formatPct(profile.rows ? profile.nulls / profile.rows : 0, lang)})</dd>
                  <dt>{t('profile.distinct')}</dt><dd>{formatNumber(profile.distinct, lang)}</dd>
                  <dt>{t('profile.min')}</dt><dd className="trunc">{fmtScalar(profile.min, lang)}</dd>
                  <dt>{t('profile.max')}</dt><dd className="trunc">{fmtScalar(profile.max, lang)}</dd>
                  {profile.mean !== null && <><dt>{t('profile.mean')}</dt><dd>{formatNumber(profile.mean, lang, 2)}</dd></>}
                </dl>
              )}
              {profile && profile.top.length > 0 && (
                <>
                  <h3>{t('profile.top')}</h3>
                  <table className="mini">
                    <tbody>
                      {profile.top.slice(0, 10).map((x, i) => (
                        <tr key={i}><td className="trunc">{x.value ?? '∅'}</td><td className="num">{formatNumber(x.count, lang)}</td></tr>
                      ))}
                    </tbody>
                  </table>
                </>
              )}
            </>
          )}
          {info && <p className="muted small">{info.columns.length} · {info.group}</p>}
        </aside>
      </div>
    </section>
  );
}

function fmtScalar(v: string | number | null, lang: 'id' | 'en'): string {
  if (v === null || v === undefined) return '–';
  return typeof v === 'number' ? formatNumber(v, lang, Number.isInteger(v) ? 0 : 2) : String(v);
}
