import { Fragment, useEffect, useMemo, useRef, useState } from 'react';
import { api } from '../../bridge';
import { formatNumber, formatPct } from '../../format';
import { useI18n, type MessageKey } from '../../i18n';
import { useApp } from '../../app/state';
import { Field, NeedEngagement, Notice, PageHeader } from '../../app/ui';
import { Chart, PALETTE, type ChartOption } from '../../charts/Chart';
import { fieldLabel, fieldValue, oneLanguage } from '../../i18n/labels';
import { columnLabel } from '../../../shared/vocabulary';
import { tableLabel } from '../data/tables';
import type { FilterSpec } from '../../../shared/contract';
import type { Result } from '../../../shared/result';
import type { TableInfo, ToolResult } from '../../../shared/types';

type Tool = 'benford' | 'duplicates' | 'gaps' | 'stratify' | 'ageing' | 'pivot' | 'sample';
const TOOLS: Array<[Tool, MessageKey]> = [
  ['benford', 'tools.benford'], ['duplicates', 'tools.duplicates'], ['gaps', 'tools.gaps'], ['stratify', 'tools.stratify'],
  ['ageing', 'tools.ageing'], ['pivot', 'tools.pivot'], ['sample', 'tools.sample'],
];

interface BenfordData {
  test: 1 | 2; n: number; mad: number; conformity: 'close' | 'acceptable' | 'marginal' | 'nonconformity'; chi_square: number; df: number;
  digits: Array<{ digit: number; count: number; actual: number; expected: number; diff: number; z: number; significant: boolean }>;
  notes: string[]; applicable: boolean; min_value: number;
}

export function Tools() {
  return <NeedEngagement><ToolsInner /></NeedEngagement>;
}

function ToolsInner() {
  const { t, lang } = useI18n();
  const { version, errorText, go } = useApp();
  const [tables, setTables] = useState<TableInfo[]>([]);
  const [tool, setTool] = useState<Tool>('benford');
  const [table, setTable] = useState('disbursements');
  const [column, setColumn] = useState('amount');
  const [keys, setKeys] = useState<string[]>(['nik']);
  const [fuzzy, setFuzzy] = useState(false);
  const [digits, setDigits] = useState<'first' | 'first_two'>('first');
  const [strata, setStrata] = useState(5);
  const [asOf, setAsOf] = useState('');
  const [groupBy, setGroupBy] = useState('program');
  const [method, setMethod] = useState<'random' | 'mus'>('random');
  const [size, setSize] = useState(50);
  const [seed, setSeed] = useState(20250101);
  const [res, setRes] = useState<ToolResult | null>(null);
  const [err, setErr] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  useEffect(() => { void api.listTables({}).then((r) => r.ok && setTables(r.value.filter((x) => x.group !== 'raw' && x.rows > 0))); }, [version]);
  const cols = useMemo(() => tables.find((x) => x.name === table)?.columns ?? [], [tables, table]);
  const numCols = cols.filter((c) => /INT|DEC|DOUBLE|FLOAT|REAL|NUMERIC/i.test(c.type));
  const dateCols = cols.filter((c) => /DATE|TIMESTAMP/i.test(c.type));
  const amountCol = cols.find((c) => c.name === 'amount')?.name;
  // Each tool takes its own kind of column; keep the choice valid when the tool or table changes.
  const validCols = tool === 'ageing' ? dateCols : tool === 'gaps' ? [...numCols, ...dateCols] : tool === 'benford' || tool === 'stratify' ? numCols : cols;
  useEffect(() => {
    if (validCols.length && !validCols.some((c) => c.name === column)) setColumn(validCols[0].name);
    if (cols.length && !cols.some((c) => c.name === groupBy)) setGroupBy(cols.find((c) => /program|kind|status/.test(c.name))?.name ?? cols[0].name);
    if (cols.length && keys.some((k) => !cols.some((c) => c.name === k))) setKeys([cols.find((c) => c.name === 'nik')?.name ?? cols[0].name]);
  }, [tool, table, cols]); // eslint-disable-line react-hooks/exhaustive-deps

  // A tool scans the whole table (fuzzy duplicates compare every pair in a block: minutes on a national extract):
  // Batal cancels the run — the engine interrupts its SQL and rolls back, so nothing is kept or recorded.
  const running = useRef<AbortController | null>(null);
  const [stopped, setStopped] = useState(false);
  useEffect(() => () => running.current?.abort(), []);
  const run = async () => {
    setBusy(true); setErr(null); setRes(null); setStopped(false);
    const ac = new AbortController();
    running.current = ac;
    const o = { signal: ac.signal };
    let r: Result<ToolResult>;
    switch (tool) {
      case 'benford': r = await api.toolBenford({ table, column, digits }, o); break;
      case 'duplicates': r = await api.toolDuplicates({ table, keys, ...(amountCol ? { amount_column: amountCol } : {}), ...(fuzzy && cols.some((c) => c.name === 'name') ? { fuzzy: { name_column: 'name' } } : {}) }, o); break;
      case 'gaps': r = await api.toolGaps({ table, column }, o); break;
      case 'stratify': r = await api.toolStratify({ table, column, strata }, o); break;
      case 'ageing': r = await api.toolAgeing({ table, column, ...(asOf ? { as_of: asOf } : {}), ...(amountCol ? { amount_column: amountCol } : {}) }, o); break;
      case 'pivot': r = await api.toolPivot({ table, rows: [groupBy], ...(amountCol ? { value: amountCol } : {}) }, o); break;
      case 'sample': r = await api.toolSample({ table, method, size, seed, ...(method === 'mus' && amountCol ? { amount_column: amountCol } : {}) }, o); break;
    }
    if (running.current === ac) running.current = null;
    setBusy(false);
    if (r.ok) setRes(r.value);
    else if (r.error.code === 'cancelled') setStopped(true);
    else setErr(errorText(r.error));
  };

  const columnField = (list: typeof cols) => (
    <Field label={t('tools.column')}>
      <select value={column} onChange={(e) => setColumn(e.target.value)} data-testid="tool-column">
        {(list.length ? list : cols).map((c) => <option key={c.name} value={c.name}>{columnLabel(c.name, lang)}</option>)}
      </select>
    </Field>
  );

  // The result's title in the UI language (the engine's title names raw columns).
  const toolLabel = t(TOOLS.find(([k]) => k === tool)![1]);
  const toolTitle = res ? `${toolLabel} — ${tool === 'duplicates' ? keys.map((k) => columnLabel(k, lang)).join(', ') : tool === 'pivot' ? columnLabel(groupBy, lang) : tool === 'sample' ? tableLabel(table, t, lang) : columnLabel(column, lang)}` : '';
  const drillBenford = (digit: number) => {
    const filter: FilterSpec[] = [{ column, op: 'starts', value: String(digit) }, { column, op: 'gte', value: (res?.data as BenfordData | undefined)?.min_value ?? 10 }];
    go({ screen: 'data', drill: { table, label: `${columnLabel(column, lang)} · ${t('tools.digit')} ${digit}`, filter } });
  };

  return (
    <div className="page tools">
      <PageHeader title={t('tools.title')} />
      <div className="seg-group tools-tabs" role="tablist">
        {TOOLS.map(([k, label]) => <button key={k} role="tab" aria-selected={tool === k} className={tool === k ? 'seg on' : 'seg'} onClick={() => { setTool(k); setRes(null); setErr(null); }} data-tool={k}>{t(label)}</button>)}
      </div>
      <div className="card form row tool-form">
        <Field label={t('tools.table')}>
          <select value={table} onChange={(e) => setTable(e.target.value)} data-testid="tool-table">
            {tables.map((x) => <option key={x.name} value={x.name}>{tableLabel(x, t, lang)} ({formatNumber(x.rows, lang)})</option>)}
          </select>
        </Field>
        {tool === 'benford' && <>{columnField(numCols)}
          <Field label={t('tools.digits')}><select value={digits} onChange={(e) => setDigits(e.target.value as 'first' | 'first_two')}><option value="first">{t('tools.first')}</option><option value="first_two">{t('tools.firstTwo')}</option></select></Field></>}
        {tool === 'duplicates' && <>
          <Field label={t('tools.keys')}>
            <select multiple size={4} value={keys} onChange={(e) => setKeys([...e.target.selectedOptions].map((o) => o.value))}>
              {cols.map((c) => <option key={c.name} value={c.name}>{columnLabel(c.name, lang)}</option>)}
            </select>
          </Field>
          <label className="check"><input type="checkbox" checked={fuzzy} onChange={(e) => setFuzzy(e.target.checked)} /> {t('tools.fuzzy')}</label></>}
        {tool === 'gaps' && columnField([...numCols, ...dateCols])}
        {tool === 'stratify' && <>{columnField(numCols)}<Field label={t('tools.strata')}><input type="number" min={2} max={100} value={strata} onChange={(e) => setStrata(Number(e.target.value))} /></Field></>}
        {tool === 'ageing' && <>{columnField(dateCols)}<Field label={t('tools.asOf')}><input type="date" value={asOf} onChange={(e) => setAsOf(e.target.value)} /></Field></>}
        {tool === 'pivot' && <Field label={t('tools.groupBy')}><select value={groupBy} onChange={(e) => setGroupBy(e.target.value)}>{cols.map((c) => <option key={c.name} value={c.name}>{columnLabel(c.name, lang)}</option>)}</select></Field>}
        {tool === 'sample' && <>
          <Field label={t('tools.method')}><select value={method} onChange={(e) => setMethod(e.target.value as 'random' | 'mus')}><option value="random">{t('tools.random')}</option><option value="mus">{t('tools.mus')}</option></select></Field>
          <Field label={t('tools.size')}><input type="number" min={1} value={size} onChange={(e) => setSize(Number(e.target.value))} /></Field>
          <Field label={t('tools.seed')}><input type="number" min={0} value={seed} onChange={(e) => setSeed(Number(e.target.value))} /></Field></>}
        <button className="btn primary" onClick={() => void run()} disabled={busy || !table} data-testid="run-tool">{busy ? t('common.loading') : `▶ ${t('tools.run')}`}</button>
        {busy && <button className="btn" onClick={() => running.current?.abort()} data-testid="cancel-tool">■ {t('common.cancel')}</button>}
      </div>
      {err && <Notice tone="error">{err}</Notice>}
      {stopped && <Notice tone="info"><span data-testid="tool-stopped">{t('tools.stopped')}</span></Notice>}
      {!res && !err && !stopped && !busy && <p className="muted">{t('tools.noResult')}</p>}
      {res && tool === 'benford' && res.data ? <BenfordView data={res.data as BenfordData} onDrill={drillBenford} /> : null}
      {res && <GenericResult res={res} title={toolTitle} hideRows={tool === 'benford'} onOpen={(tb) => go({ screen: 'data', drill: { table: tb, label: toolTitle } })} />}
    </div>
  );
}

function BenfordView({ data, onDrill }: { data: BenfordData; onDrill: (d: number) => void }) {
  const { t, lang } = useI18n();
  const option: ChartOption = {
    grid: { left: 8, right: 8, top: 28, bottom: 8, containLabel: true },
    legend: { top: 0, textStyle: { fontSize: 10.5 } },
    tooltip: { trigger: 'axis', confine: true, valueFormatter: (v: number) => formatPct(v, lang, 2) },
    xAxis: { type: 'category', data: data.digits.map((d) => String(d.digit)), axisLabel: { fontSize: 10 } },
    yAxis: { type: 'value', axisLabel: { fontSize: 10, formatter: (v: number) => formatPct(v, lang, 0) } },
    series: [
      { name: t('tools.actual'), type: 'bar', data: data.digits.map((d) => ({ value: d.actual, itemStyle: { color: d.significant ? PALETTE[1] : PALETTE[0] } })), barMaxWidth: 24 },
      { name: t('tools.expected'), type: 'line', data: data.digits.map((d) => d.expected), symbol: 'circle', symbolSize: 5, lineStyle: { color: '#222', width: 1.5 }, itemStyle: { color: '#222' } },
    ],
  };
  const confKey = `tools.conf.${data.conformity}` as MessageKey;
  return (
    <section className="benford" data-testid="benford">
      <div className="cards">
        <div className="kpi"><div className="kpi-label">{fieldLabel('n', lang)}</div><div className="kpi-value">{formatNumber(data.n, lang)}</div></div>
        <div className="kpi"><div className="kpi-label">{t('tools.mad')}</div><div className="kpi-value">{formatNumber(data.mad, lang, 4)}</div></div>
        <div className={data.conformity === 'nonconformity' || data.conformity === 'marginal' ? 'kpi kpi-alert' : 'kpi'}>
          <div className="kpi-label">{t('tools.conformity')}</div>
          <div className="kpi-value">{data.conformity === 'nonconformity' ? '⚠ ' : data.conformity === 'close' ? '✓ ' : ''}{t(confKey)}</div>
        </div>
        <div className="kpi"><div className="kpi-label">{t('tools.chi')}</div><div className="kpi-value">{formatNumber(data.chi_square, lang, 1)}</div><div className="kpi-sub">df = {data.df}</div></div>
      </div>
      {data.notes.map((n, i) => <Notice key={i} tone="warn">{oneLanguage(n, lang)}</Notice>)}
      <p className="muted small">ℹ {t('tools.drill')}</p>
      <div className="benford-body">
        <figure className="chart-card"><Chart label={t('tools.benford')} option={option} height={280} onClick={(p) => onDrill(data.digits[p.dataIndex].digit)} testId="benford-chart" /></figure>
        <div className="table-scroll benford-table">
          <table className="table">
            <thead><tr><th>{t('tools.digit')}</th><th className="num">{t('tools.count')}</th><th className="num">{t('tools.actual')}</th><th className="num">{t('tools.expected')}</th><th className="num">{t('tools.diff')}</th><th className="num">z</th></tr></thead>
            <tbody>
              {data.digits.map((d) => (
                <tr key={d.digit} className="clickable" tabIndex={0} onClick={() => onDrill(d.digit)} onKeyDown={(e) => { if (e.key === 'Enter') onDrill(d.digit); }}>
                  <td>{d.digit}</td><td className="num">{formatNumber(d.count, lang)}</td><td className="num">{formatPct(d.actual, lang, 2)}</td>
                  <td className="num">{formatPct(d.expected, lang, 2)}</td><td className="num">{formatPct(d.diff, lang, 2)}</td>
                  <td className="num">{d.significant ? '⚠ ' : ''}{formatNumber(d.z, lang, 2)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </div>
    </section>
  );
}

function GenericResult({ res, title, hideRows, onOpen }: { res: ToolResult; title: string; hideRows: boolean; onOpen: (table: string) => void }) {
  const { t, lang } = useI18n();
  const summary = Object.entries(res.summary ?? {}).filter(([, v]) => v === null || typeof v !== 'object');
  return (
    <section className="card tool-result" data-testid="tool-result">
      <h2>{title}</h2>
      {summary.length > 0 && (
        <dl className="kv inline">
          {summary.map(([k, v]) => <Fragment key={k}><dt>{fieldLabel(k, lang)}</dt><dd>{typeof v === 'number' && /seed|year|tahun|(^|_)id$/i.test(k) ? String(v) : fieldValue(k, v, lang)}</dd></Fragment>)}
        </dl>
      )}
      {!hideRows && res.notes.map((n, i) => <Notice key={i} tone="info">{oneLanguage(n, lang)}</Notice>)}
      {!hideRows && res.rows.length > 0 && (
        <div className="table-scroll tool-rows">
          <table className="table">
            <thead><tr>{res.columns.map((c) => <th key={c.name} title={c.name} data-col={c.name}>{fieldLabel(c.name, lang)}</th>)}</tr></thead>
            <tbody>{res.rows.slice(0, 500).map((r, i) => <tr key={i}>{res.columns.map((c) => <td key={c.name} className={typeof r[c.name] === 'number' ? 'num' : ''}>{fieldValue(c.name, r[c.name], lang)}</td>)}</tr>)}</tbody>
          </table>
        </div>
      )}
      {res.result_table && <button className="btn" onClick={() => onOpen(res.result_table!)}>▦ {t('tools.openResult')}</button>}
    </section>
  );
}
