// Temuan › Tindak Lanjut (TLHP, issue 15.4): each recommendation with the entity's action, evidence, date, value
// recovered and the auditor's judgement in BPK's four categories; recommendations carried from a previous engagement.
import { useEffect, useRef, useState } from 'react';
import { api } from '../../bridge';
import { formatRp } from '../../format';
import { useI18n } from '../../i18n';
import { useApp } from '../../app/state';
import { Field, Notice } from '../../app/ui';
import { TLHP_STATUSES, type TlhpRecommendationView, type TlhpStatus } from '../../../shared/continuity';
import { useText, type TextKey } from './text';

export function Tlhp() {
  const { lang } = useI18n();
  const { errorText, version } = useApp();
  const x = useText();
  const [recs, setRecs] = useState<TlhpRecommendationView[]>([]);
  const [msg, setMsg] = useState<{ tone: 'ok' | 'error'; text: string } | null>(null);
  const [prev, setPrev] = useState(() => { try { return localStorage.getItem('telisik.previous') ?? ''; } catch { return ''; } });
  const [edit, setEdit] = useState<Record<string, Partial<TlhpRecommendationView>>>({});

  // Calls run side by side: only the answer of the latest load is shown (an earlier one may arrive after it).
  const loads = useRef(0);
  const load = async () => {
    const n = ++loads.current;
    const r = await api.tlhpList({});
    if (n !== loads.current) return;
    if (r.ok) setRecs(r.value); else setMsg({ tone: 'error', text: errorText(r.error) });
  };
  useEffect(() => { void load(); }, [version]); // eslint-disable-line react-hooks/exhaustive-deps

  const carry = async () => {
    const r = await api.tlhpCarry({ previous: prev.trim() });
    if (!r.ok) { setMsg({ tone: 'error', text: errorText(r.error) }); return; }
    setMsg({ tone: 'ok', text: x('carried', { n: r.value.carried, s: r.value.skipped_closed, a: r.value.already }) });
    void load();
  };
  const save = async (rec: TlhpRecommendationView) => {
    const e = edit[rec.rec_key] ?? {};
    const r = await api.tlhpUpdate({
      rec_key: rec.rec_key, ...(e.status && e.status !== rec.status ? { status: e.status } : {}),
      ...(e.judged_by ? { judged_by: e.judged_by } : {}),
      ...(e.action !== undefined ? { action: e.action || null } : {}), ...(e.evidence !== undefined ? { evidence: e.evidence || null } : {}),
      ...(e.action_date !== undefined ? { action_date: e.action_date || null } : {}),
      ...(e.recovered !== undefined ? { recovered: e.recovered === null || Number.isNaN(e.recovered) ? null : e.recovered } : {}),
    });
    if (!r.ok) { setMsg({ tone: 'error', text: errorText(r.error) }); return; }
    setMsg({ tone: 'ok', text: `${rec.finding_ref} — ${x('saved')}` });
    setEdit((m) => { const n = { ...m }; delete n[rec.rec_key]; return n; });
    void load();
  };
  const set = (key: string, patch: Partial<TlhpRecommendationView>) => setEdit((m) => ({ ...m, [key]: { ...m[key], ...patch } }));
  return (
    <div className="continuity tlhp" data-testid="tlhp">
      <p className="muted">{x('tlhpHint')}</p>
      <div style={{ display: 'flex', gap: 8, alignItems: 'flex-end' }}>
        <Field label={x('previous')}><input value={prev} onChange={(e) => setPrev(e.target.value)} style={{ minWidth: 380 }} /></Field>
        <button className="btn" disabled={!prev.trim()} onClick={() => void carry()} data-testid="tlhp-carry">{x('carry')}</button>
      </div>
      {msg && <Notice tone={msg.tone}>{msg.text}</Notice>}
      <div style={{ overflowX: 'auto' }}>
      <table className="table" style={{ marginTop: 10, tableLayout: 'fixed' }} data-testid="tlhp-table">
        <colgroup><col style={{ width: '22%' }} /><col style={{ width: '23%' }} /><col style={{ width: '24%' }} /><col style={{ width: '19%' }} /><col style={{ width: '12%' }} /></colgroup>
        <thead><tr><th>{x('finding')}</th><th>{x('recommendation')}</th><th>{x('action')} / {x('evidence')} / {x('date')}</th><th>{x('status')}</th><th className="num">{x('recovered')}</th></tr></thead>
        <tbody>
          {recs.map((r) => {
            const e = edit[r.rec_key] ?? {};
            return (
              <tr key={r.rec_key} data-rec={r.rec_key}>
                <td><strong>{r.finding_ref}</strong> {r.finding_title}<div className="muted small">{x('origin')}: {r.origin}{r.carried_from ? ' ↩' : ''}</div><div className="muted small">{x('value')}: {formatRp(r.finding_amount, lang)}</div></td>
                <td>{r.recommendation}</td>
                <td>
                  <input aria-label={x('action')} value={e.action ?? r.action ?? ''} onChange={(ev) => set(r.rec_key, { action: ev.target.value })} placeholder={x('action')} style={{ width: '100%', boxSizing: 'border-box' }} />
                  <input aria-label={x('evidence')} value={e.evidence ?? r.evidence ?? ''} onChange={(ev) => set(r.rec_key, { evidence: ev.target.value })} placeholder={x('evidence')} style={{ width: '100%', boxSizing: 'border-box', marginTop: 3 }} />
                  <input aria-label={x('date')} type="date" value={e.action_date ?? r.action_date ?? ''} onChange={(ev) => set(r.rec_key, { action_date: ev.target.value })} style={{ marginTop: 3 }} />
                </td>
                <td>
                  <select aria-label={x('status')} style={{ width: '100%' }} value={e.status ?? r.status} onChange={(ev) => set(r.rec_key, { status: ev.target.value as TlhpStatus })} data-status={r.status}>
                    {TLHP_STATUSES.map((s) => <option key={s} value={s}>{x(`s_${s}` as TextKey)}</option>)}
                  </select>
                  {r.judged_by && <div className="muted small">{x('judgedBy')}: {r.judged_by}</div>}
                </td>
                <td className="num">
                  <input aria-label={x('recovered')} type="number" min={0} value={e.recovered ?? r.recovered ?? ''} onChange={(ev) => set(r.rec_key, { recovered: ev.target.value === '' ? null : Number(ev.target.value) })} style={{ width: '100%', boxSizing: 'border-box' }} />
                  <button className="btn small primary" style={{ marginTop: 4, display: 'block', marginLeft: 'auto' }} disabled={!edit[r.rec_key]} onClick={() => void save(r)}>{x('save')}</button>
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
      </div>
    </div>
  );
}
