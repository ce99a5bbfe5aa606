// Temuan › Perbandingan Periode (issue 15.3): exceptions new / persisting / resolved against a previous engagement,
// per check with counts and rupiah; a number opens its records.
import { useState } from 'react';
import { api } from '../../bridge';
import { formatNumber, formatRp } from '../../format';
import { useI18n } from '../../i18n';
import { useApp } from '../../app/state';
import { Field, Notice } from '../../app/ui';
import type { ComparisonStatus, PeriodComparisonView } from '../../../shared/continuity';
import { useText } from './text';

export function PeriodComparison() {
  const { lang } = useI18n();
  const { errorText, masked } = useApp();
  const x = useText();
  const [prev, setPrev] = useState(() => { try { return localStorage.getItem('telisik.previous') ?? ''; } catch { return ''; } });
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [cmp, setCmp] = useState<PeriodComparisonView | null>(null);
  const [drill, setDrill] = useState<{ check: string; status: ComparisonStatus; rows: Record<string, unknown>[] } | null>(null);

  const run = async () => {
    setBusy(true); setError(null); setDrill(null);
    try { localStorage.setItem('telisik.previous', prev); } catch { /* private mode */ }
    const r = await api.comparePeriods({ previous: prev.trim() });
    setBusy(false);
    if (!r.ok) { setError(errorText(r.error)); return; }
    setCmp(r.value);
  };
  const open = async (check: string, status: ComparisonStatus) => {
    const r = await api.comparisonRecords({ previous: prev.trim(), check_id: check, status, limit: 200 });
    if (!r.ok) { setError(errorText(r.error)); return; }
    setDrill({ check, status, rows: r.value });
  };
  const mask = (v: unknown) => {
    const s = v == null ? '' : String(v);
    return masked && /^\d{16}$/.test(s) ? `${s.slice(0, 4)}${'*'.repeat(10)}${s.slice(-2)}` : s;
  };
  const cell = (c: string, st: ComparisonStatus, keys: number, amount: number) => (
    <td className="num">
      {keys > 0 ? <button className="btn ghost small" data-drill={`${c}:${st}`} onClick={() => void open(c, st)}>{formatNumber(keys, lang)}</button> : formatNumber(keys, lang)}
      <div className="muted small">{formatRp(amount, lang)}</div>
    </td>
  );
  return (
    <div className="continuity compare" data-testid="period-comparison">
      <p className="muted">{x('compareHint')}</p>
      <div className="toolbar" style={{ display: 'flex', gap: 8, alignItems: 'flex-end' }}>
        <Field label={x('previous')}><input value={prev} onChange={(e) => setPrev(e.target.value)} style={{ minWidth: 420 }} data-testid="previous-path" /></Field>
        <button className="btn primary" disabled={busy || !prev.trim()} onClick={() => void run()} data-testid="compare-run">{busy ? x('comparing') : x('compare')}</button>
      </div>
      {error && <Notice tone="error">{error}</Notice>}
      {cmp && (
        <div className="card" style={{ marginTop: 10 }}>
          <div className="muted small">{cmp.current.name}{cmp.current.period ? ` (${cmp.current.period})` : ''} ← {cmp.previous.name}{cmp.previous.period ? ` (${cmp.previous.period})` : ''}</div>
          <table className="table" data-testid="comparison-table">
            <thead><tr><th>{x('check')}</th><th className="num">{x('new')}</th><th className="num">{x('persisting')}</th><th className="num">{x('resolved')}</th></tr></thead>
            <tbody>
              {cmp.checks.map((c) => (
                <tr key={c.check_id} data-check={c.check_id}>
                  <td>{c.check_id}{!c.evaluated_previous && <div className="muted small">{x('notEvaluatedBefore')}</div>}</td>
                  {cell(c.check_id, 'new', c.new.keys, c.new.amount)}
                  {cell(c.check_id, 'persisting', c.persisting.keys, c.persisting.amount)}
                  {cell(c.check_id, 'resolved', c.resolved.keys, c.resolved.amount)}
                </tr>
              ))}
              <tr className="total"><th>{x('total')}</th>
                <th className="num">{formatNumber(cmp.totals.new.keys, lang)}<div className="muted small">{formatRp(cmp.totals.new.amount, lang)}</div></th>
                <th className="num">{formatNumber(cmp.totals.persisting.keys, lang)}<div className="muted small">{formatRp(cmp.totals.persisting.amount, lang)}</div></th>
                <th className="num">{formatNumber(cmp.totals.resolved.keys, lang)}<div className="muted small">{formatRp(cmp.totals.resolved.amount, lang)}</div></th>
              </tr>
            </tbody>
          </table>
        </div>
      )}
      {drill && (
        <div className="card" style={{ marginTop: 10 }} data-testid="comparison-drill">
          <div style={{ display: 'flex', justifyContent: 'space-between' }}>
            <strong>{x('drillOf', { status: x(drill.status), check: drill.check })} ({formatNumber(drill.rows.length, lang)})</strong>
            <button className="btn small" onClick={() => setDrill(null)}>{x('close')}</button>
          </div>
          <table className="table">
            <thead><tr><th>rec_id</th><th>NIK</th><th>Program</th><th>Periode</th><th className="num">Rp</th><th>File:baris</th></tr></thead>
            <tbody>{drill.rows.map((r, i) => (
              <tr key={i}><td>{String(r.rec_id)}</td><td>{mask(r.nik)}</td><td>{String(r.program ?? '')}</td><td>{String(r.period_key ?? '')}</td>
                <td className="num">{r.amount == null ? '' : formatRp(Number(r.amount), lang)}</td><td>{String(r._file ?? '')}:{String(r._line ?? '')}</td></tr>
            ))}</tbody>
          </table>
        </div>
      )}
    </div>
  );
}
