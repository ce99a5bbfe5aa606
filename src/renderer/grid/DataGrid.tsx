// The one grid: AG Grid's Infinite Row Model over any engine table. Each block the grid asks for becomes exactly one
// contract page call (tablePage / exceptionsPage) with the grid's sort and filter pushed down to DuckDB, so a
// 1M-row table scrolls with only the visible blocks in memory.
import { AllCommunityModule, ModuleRegistry, themeQuartz, type ColDef, type GridApi, type IDatasource, type IGetRowsParams, type CellKeyDownEvent, type SortModelItem } from 'ag-grid-community';
import { AgGridReact } from 'ag-grid-react';
import { forwardRef, useCallback, useEffect, useImperativeHandle, useMemo, useRef, useState } from 'react';
import { api } from '../bridge';
import { useI18n } from '../i18n';
import type { FilterSpec, SortSpec } from '../../shared/contract';
import type { ColumnInfo, ReviewStatus, TablePage } from '../../shared/types';
import type { AppError, Result } from '../../shared/result';
import { errorMessage } from '../i18n/labels';
import { decodeArrow, type Row } from './arrow';
import { REASON_SOURCE_COLUMNS, cellKind, headerLabel, isNumeric, rowCellText, toFilters } from './cells';

export { cellText } from './cells';

ModuleRegistry.registerModules([AllCommunityModule]);

export const gridTheme = themeQuartz.withParams({
  fontFamily: 'inherit',
  fontSize: 12.5,
  headerFontSize: 12.5,
  headerFontWeight: 600,
  rowHeight: 28,
  headerHeight: 32,
  spacing: 5,
  wrapperBorderRadius: 4,
  borderRadius: 3,
  accentColor: '#1f5f8b',
  headerBackgroundColor: '#eef2f5',
  oddRowBackgroundColor: '#fafbfc',
  foregroundColor: '#1d2329',
  borderColor: '#d5dbe1',
});

/** Column width in px by kind (the label may widen it). */
const WIDTH: Record<string, number> = { rupiah: 140, count: 100, ratio: 90, year: 70, date: 110, text: 190, code: 120, nik: 160, kk: 160, account: 160, boolean: 80, number: 110 };

export type GridSource =
  | { kind: 'table'; table: string }
  | { kind: 'query'; sql: string }
  | { kind: 'exceptions'; checkId: string; status?: ReviewStatus };

export interface GridHandle {
  api: GridApi | null;
  view: () => { sort: SortSpec[]; filter: FilterSpec[] };
  selected: () => Row[];
  refresh: () => void;
}

export interface DataGridProps {
  source: GridSource;
  /** Fixed filters (drill-down) added to whatever the user filters in the grid. */
  baseFilter?: FilterSpec[];
  search?: string;
  masked: boolean;
  selectable?: boolean;
  hideColumns?: string[];
  onColumnPick?: (col: ColumnInfo) => void;
  onCount?: (n: number) => void;
  /** The view's row count and rupiah total (first money column), after every page. */
  onTotals?: (t: { rows: number; sum: { column: string; value: number } | null }) => void;
  onViewChange?: (v: { sort: SortSpec[]; filter: FilterSpec[] }) => void;
  onSelection?: (rows: Row[]) => void;
  renderStatus?: (v: unknown) => string;
  height?: number | string;
  testId?: string;
  /** Columns shown first, in this order (the evidence an auditor reads first). */
  leadColumns?: string[];
  /** Scrolled into view once the first rows arrive (the drill-down's column). */
  focusColumn?: string;
}

export const DataGrid = forwardRef<GridHandle, DataGridProps>(function DataGrid(props, ref) {
  const { lang, t } = useI18n();
  const describe = (e: AppError) => errorMessage(e, t, lang);
  const [columns, setColumns] = useState<ColumnInfo[] | null>(null);
  const columnsRef = useRef<ColumnInfo[] | null>(null);
  columnsRef.current = columns;
  const [error, setError] = useState<string | null>(null);
  const gridApi = useRef<GridApi | null>(null);
  const view = useRef<{ sort: SortSpec[]; filter: FilterSpec[] }>({ sort: [], filter: [] });
  const propsRef = useRef(props);
  propsRef.current = props;
  const sourceKey = JSON.stringify(props.source);
  const baseKey = JSON.stringify(props.baseFilter ?? []);

  const fetchPage = useCallback((offset: number, limit: number, sort: SortSpec[], filter: FilterSpec[], signal?: AbortSignal): Promise<Result<TablePage>> => {
    const p = propsRef.current;
    const all = [...(p.baseFilter ?? []), ...filter];
    const common = { offset, limit, sort, filter: all, mask: p.masked, ...(p.search ? { search: p.search } : {}) };
    return p.source.kind === 'table'
      ? api.tablePage({ table: p.source.table, ...common }, { signal })
      : p.source.kind === 'query'
        ? api.query({ sql: p.source.sql, ...common }, { signal })
        : api.exceptionsPage({ check_id: p.source.checkId, ...common, ...(p.source.status ? { status: p.source.status } : {}) }, { signal });
  }, []);

  // Page requests in flight, by the view they belong to. A request whose view the user has left — sorted, filtered or
  // searched again, another table — is superseded: it is cancelled (the engine interrupts its SQL) instead of keeping
  // the engine busy with a count or a sort nobody will look at.
  const inflight = useRef(new Map<AbortController, string>());
  const cancelOthers = (keep: string | null) => {
    for (const [c, k] of inflight.current) if (k !== keep) { c.abort(); inflight.current.delete(c); }
  };
  useEffect(() => () => cancelOthers(null), []);

  // Column set from a one-row probe; the grid is (re)built when the source changes.
  useEffect(() => {
    const ac = new AbortController();
    setColumns(null);
    setError(null);
    void fetchPage(0, 1, [], [], ac.signal).then((r) => {
      if (ac.signal.aborted) return;
      if (!r.ok) { setError(describe(r.error)); return; }
      setColumns(r.value.columns);
    });
    return () => ac.abort();
  }, [sourceKey, fetchPage]);

  const datasource = useMemo<IDatasource>(() => ({
    getRows(params: IGetRowsParams) {
      const sort: SortSpec[] = params.sortModel.map((s: SortModelItem) => ({ column: s.colId, dir: s.sort }));
      // Blocks are fetched independently: without a total order a row could appear in two blocks or in none.
      const stable: SortSpec[] = sort.length === 0 && columnsRef.current?.some((c) => c.name === 'rec_id') ? [{ column: 'rec_id', dir: 'asc' }] : sort;
      const filter = toFilters(params.filterModel);
      view.current = { sort, filter };
      propsRef.current.onViewChange?.(view.current);
      const p = propsRef.current;
      const viewKey = JSON.stringify([sourceKey, baseKey, p.search ?? '', p.masked, stable, filter]);
      cancelOthers(viewKey);
      const ac = new AbortController();
      inflight.current.set(ac, viewKey);
      void fetchPage(params.startRow, params.endRow - params.startRow, stable, filter, ac.signal).then((r) => {
        inflight.current.delete(ac);
        // A superseded page: its block belongs to a view the grid has already dropped.
        if (ac.signal.aborted) { params.failCallback(); return; }
        if (!r.ok) { setError(describe(r.error)); params.failCallback(); return; }
        setError(null);
        const { rows } = decodeArrow(r.value.arrow);
        propsRef.current.onCount?.(r.value.total_rows);
        propsRef.current.onTotals?.({ rows: r.value.total_rows, sum: r.value.sum ?? null });
        params.successCallback(rows, r.value.total_rows);
        const focus = propsRef.current.focusColumn;
        if (focus && params.startRow === 0) gridApi.current?.ensureColumnVisible(focus, 'middle');
      });
    },
  // masked/search/baseFilter changes must re-query: a new datasource object makes the grid purge its cache.
  // eslint-disable-next-line react-hooks/exhaustive-deps
  }), [fetchPage, sourceKey, baseKey, props.masked, props.search, lang]);

  const fill = (columns?.length ?? 0) <= 8;
  const lead = props.leadColumns ?? ['review_status'];
  const rank = (name: string) => (lead.includes(name) ? lead.indexOf(name) : lead.length);
  const colDefs = useMemo<ColDef[]>(() => [...(columns ?? [])]
    .filter((c) => !(props.hideColumns ?? []).includes(c.name))
    // reason_code / reason_params are shown through the reason column, rendered in the UI language.
    .filter((c) => !(REASON_SOURCE_COLUMNS.includes(c.name) && columns?.some((x) => x.name === 'reason')))
    // Lead columns (e.g. review status, NIK, name, amount, reason) first; the rest keep the engine's order.
    .sort((a, b) => rank(a.name) - rank(b.name))
    .map((c) => {
      const type = c.type.toUpperCase();
      const numeric = isNumeric(type);
      const date = type === 'DATE' || type.startsWith('TIMESTAMP');
      const kind = cellKind(c);
      const label = headerLabel(c.name, lang);
      const def: ColDef = {
        field: c.name,
        colId: c.name,
        headerName: label,
        headerTooltip: `${label} · ${c.name}`,
        sortable: true,
        resizable: true,
        filter: numeric ? 'agNumberColumnFilter' : date ? 'agDateColumnFilter' : 'agTextColumnFilter',
        filterParams: { maxNumConditions: 1, buttons: ['apply', 'reset'], closeOnApply: true },
        type: numeric && (kind === 'rupiah' || kind === 'count' || kind === 'ratio' || kind === 'number') ? 'rightAligned' : undefined,
        valueFormatter: (p) => (!p.data ? '' : c.name === 'review_status' && propsRef.current.renderStatus ? propsRef.current.renderStatus(p.value) : rowCellText(p.value, c, p.data as Row, lang, t)),
        // Few columns fill the width; many keep widths from their kind (and their label).
        flex: fill ? 1 : undefined,
        width: c.name === 'review_status' ? 150 : c.name === 'reason' ? 420 : Math.max(90, Math.min(260, Math.max(WIDTH[kind] ?? 140, label.length * 7.5 + 40))),
        // A reason is a sentence: the whole of it on hover.
        ...(c.name === 'reason' ? { tooltipValueGetter: (p: { data?: unknown; value?: unknown }) => (p.data ? rowCellText(p.value, c, p.data as Row, lang, t) : '') } : {}),
      };
      return def;
    }), [columns, lang, t, props.hideColumns, fill, JSON.stringify(lead)]);

  useImperativeHandle(ref, () => ({
    get api() { return gridApi.current; },
    view: () => view.current,
    selected: () => (gridApi.current?.getSelectedRows() ?? []) as Row[],
    refresh: () => gridApi.current?.refreshInfiniteCache(),
  }), []);

  // Copy the cell as displayed: a masked NIK copies masked (the server already masked it), money as formatted.
  const onCellKeyDown = useCallback((e: CellKeyDownEvent) => {
    const ev = e.event as KeyboardEvent | undefined;
    if (!ev || !(ev.ctrlKey || ev.metaKey) || ev.key.toLowerCase() !== 'c') return;
    const col = columns?.find((c) => c.name === e.column.getColId());
    if (!col) return;
    const text = rowCellText(e.value, col, e.data as Row | undefined, lang, t);
    void navigator.clipboard?.writeText(text).catch(() => undefined);
  }, [columns, lang, t]);

  if (error && !columns) return <div className="notice notice-error" role="alert"><span className="notice-icon" aria-hidden="true">✕</span><div>{error}</div></div>;
  if (!columns) return <div className="grid-loading">{t('common.loading')}</div>;
  return (
    <div className="grid-wrap" style={{ height: props.height ?? '100%' }} data-testid={props.testId ?? 'grid'}>
      {error && <div className="notice notice-error grid-error" role="alert"><span className="notice-icon" aria-hidden="true">✕</span><div>{error}</div></div>}
      <AgGridReact
        key={sourceKey}
        theme={gridTheme}
        rowModelType="infinite"
        datasource={datasource}
        cacheBlockSize={200}
        maxBlocksInCache={50}
        infiniteInitialRowCount={200}
        columnDefs={colDefs}
        defaultColDef={{ minWidth: 70, suppressHeaderMenuButton: false }}
        enableCellTextSelection
        ensureDomOrder
        getRowId={(p) => String((p.data as Row).rec_id ?? (p.data as Row).seq ?? JSON.stringify(p.data))}
        rowSelection={props.selectable ? { mode: 'multiRow', checkboxes: true, headerCheckbox: false, enableClickSelection: false } : undefined}
        onSelectionChanged={(e) => props.onSelection?.(e.api.getSelectedRows() as Row[])}
        onGridReady={(e) => { gridApi.current = e.api; }}
        onColumnHeaderClicked={(e) => {
          const id = 'getColId' in e.column ? e.column.getColId() : null;
          const col = columns.find((c) => c.name === id);
          if (col) props.onColumnPick?.(col);
        }}
        onCellFocused={(e) => {
          const id = e.column && typeof e.column === 'object' && 'getColId' in e.column ? e.column.getColId() : null;
          const col = columns.find((c) => c.name === id);
          if (col) props.onColumnPick?.(col);
        }}
        onCellKeyDown={onCellKeyDown}
        localeText={lang === 'id' ? ID_LOCALE : undefined}
      />
    </div>
  );
});

// The grid's own words in Indonesian (filter menus, loading).
const ID_LOCALE: Record<string, string> = {
  loadingOoo: 'Memuat…', noRowsToShow: 'Tidak ada baris', filterOoo: 'Filter…', equals: 'Sama dengan', notEqual: 'Tidak sama dengan',
  contains: 'Mengandung', notContains: 'Tidak mengandung', startsWith: 'Diawali', endsWith: 'Diakhiri', blank: 'Kosong', notBlank: 'Tidak kosong',
  lessThan: 'Kurang dari', greaterThan: 'Lebih dari', lessThanOrEqual: 'Kurang dari atau sama', greaterThanOrEqual: 'Lebih dari atau sama',
  inRange: 'Antara', inRangeStart: 'Dari', inRangeEnd: 'Sampai', applyFilter: 'Terapkan', resetFilter: 'Atur ulang', clearFilter: 'Hapus',
  cancelFilter: 'Batal', andCondition: 'DAN', orCondition: 'ATAU', dateFormatOoo: 'hh/bb/tttt', sortAscending: 'Urut naik', sortDescending: 'Urut turun',
  pinColumn: 'Sematkan kolom', autosizeThisColumn: 'Ukuran otomatis kolom ini', resetColumns: 'Atur ulang kolom', columns: 'Kolom', filters: 'Filter',
  page: 'Halaman', of: 'dari', to: 'sampai', more: 'lagi', selectAll: 'Pilih semua', searchOoo: 'Cari…', ariaChecked: 'dicentang', ariaUnchecked: 'tidak dicentang',
};
