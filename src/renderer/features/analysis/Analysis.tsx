import { Fragment, useEffect, useMemo, useRef, useState } from 'react';
import { api } from '../../bridge';
import { formatDateTime, formatNumber, formatRp } from '../../format';
import { columnLabel } from '../../../shared/vocabulary';
import { useI18n, type MessageKey } from '../../i18n';
import { useApp, useTasks } from '../../app/state';
import { NeedEngagement, Notice, PageHeader } from '../../app/ui';
import type { CheckDefinition, CheckResult, RunSummary } from '../../../shared/types';
import { Dashboard } from './Dashboard';
import { FAMILY_ORDER, familyKey } from './families';
import { phaseLabel } from '../../i18n/labels';

export function Analysis() {
  return <NeedEngagement><AnalysisInner /></NeedEngagement>;
}

function AnalysisInner() {
  const { t, lang } = useI18n();
  const { tasks, errorText, version, go, refresh } = useApp();
  const taskList = useTasks(tasks);
  const [checks, setChecks] = useState<CheckDefinition[]>([]);
  const [run, setRun] = useState<RunSummary | null>(null);
  const [taskId, setTaskId] = useState<string | null>(null);
  const [running, setRunning] = useState<string[] | null>(null);
  const [msg, setMsg] = useState<{ tone: 'ok' | 'error'; text: string } | null>(null);
  const [params, setParams] = useState<Record<string, Record<string, unknown>>>({});
  const [open, setOpen] = useState<string | null>(null);
  const [dashVersion, setDashVersion] = useState(0);

  const load = () => {
    void api.listChecks({}).then((r) => r.ok && setChecks(r.value));
    void api.analysisResults({}).then((r) => r.ok && setRun(r.value));
  };
  useEffect(load, [version]);

  const byFamily = useMemo(() => {
    const m = new Map<string, CheckDefinition[]>();
    for (const c of checks) {
      const k = familyKey(c.family, c.family_label_en);
      m.set(k, [...(m.get(k) ?? []), c]);
    }
    return FAMILY_ORDER.filter((k) => m.has(k)).map((k) => [k, m.get(k)!] as const);
  }, [checks]);

  const results = useMemo(() => new Map<string, CheckResult>((run?.checks ?? []).map((c) => [c.check_id, c])), [run]);
  const task = taskList.find((x) => x.id === taskId);
  const phase = task?.status === 'running' ? task.progress?.phase ?? null : null;

  const start = async (only?: string[]) => {
    setMsg(null);
    setRunning(only ?? checks.map((c) => c.id));
    const flat: Record<string, unknown> = {};
    for (const [id, p] of Object.entries(params)) if ((!only || only.includes(id)) && Object.keys(p).length) flat[id] = p;
    try {
      const call = api.runAnalysis({ ...(only ? { only } : {}), ...(Object.keys(flat).length ? { params: flat as Record<string, never> } : {}) });
      void call.then((r) => r.ok && setTaskId(r.value.task_id));
      const titleOf = (id: string, l: typeof lang) => { const c = checks.find((x) => x.id === id); return c ? (l === 'en' ? c.title_en : c.title_id) : id; };
      const label = only ? (_tt: typeof t, l: typeof lang) => only.map((id) => titleOf(id, l)).join(', ') : (tt: typeof t) => tt('analysis.runAll');
      const res = await tasks.track<RunSummary>('analysis', label, call);
      setRun(res);
      const msgFor = (tt: typeof t, l: typeof lang) => `${tt('dash.potentialLoss')}: ${formatRp(res.potential_loss.amount, l)} · ${tt('dash.potentialLossRecords', { n: formatNumber(res.potential_loss.records, l), r: formatNumber(res.potential_loss.recipients, l) })}`;
      const text = msgFor(t, lang);
      const tv = tasks.latest('analysis');
      if (tv) tasks.setMessage(tv.id, msgFor);
      setMsg({ tone: 'ok', text });
      setDashVersion((v) => v + 1);
      void refresh();
    } catch (e) {
      setMsg({ tone: 'error', text: errorText(e) });
    } finally {
      setRunning(null);
    }
  };

  // The engine reports the check it is on as the progress phase; every check seen before the current one is done.
  const seen = useRef<string[]>([]);
  useEffect(() => {
    if (!running) { seen.current = []; return; }
    if (phase && !seen.current.includes(phase)) seen.current = [...seen.current, phase];
  }, [phase, running]);
  const checkState = (id: string): 'running' | 'queued' | 'done' | null => {
    if (!running || !running.includes(id)) return null;
    if (phase === id) return 'running';
    // The engine runs the checks in catalogue order and progress events are throttled (a quick check may never be
    // reported): every check before the current one is done; after the checks (potential loss, targeting …) all are.
    const cur = phase ? running.indexOf(phase) : -1;
    if (cur >= 0) return running.indexOf(id) < cur ? 'done' : 'queued';
    return seen.current.some((s) => running.includes(s)) || seen.current.includes(id) ? 'done' : 'queued';
  };

  return (
    <div className="page analysis">
      <PageHeader title={t('analysis.title')}>
        <span className="muted small">{run?.finished_at ? t('analysis.lastRun', { t: formatDateTime(run.finished_at, lang) }) : t('analysis.neverRun')}</span>
        {task?.status === 'running' && phase && (
          <span className="muted small run-phase" data-testid="run-phase" aria-live="polite">
            ⟳ {phaseLabel(phase, lang, (id) => { const c = checks.find((x) => x.id === id); return c ? (lang === 'en' ? c.title_en : c.title_id) : undefined; })}
            {task.progress && task.progress.total > 0 ? ` (${formatNumber(task.progress.done, lang)}/${formatNumber(task.progress.total, lang)})` : ''}
          </span>
        )}
        {task?.status === 'running' && <button className="btn" onClick={() => void api.cancelTask({ task_id: task.id })}>{t('status.cancel')}</button>}
        <button className="btn primary" disabled={!!running || checks.length === 0} onClick={() => void start()} data-testid="run-all">▶ {t('analysis.runAll')}</button>
      </PageHeader>
      {msg && <Notice tone={msg.tone}>{msg.text}</Notice>}
      {run && <Dashboard key={`${run.run_id}-${dashVersion}`} />}
      <section className="catalogue" aria-label={t('analysis.catalogue')}>
        <h2>{t('analysis.catalogue')}</h2>
        {byFamily.map(([fam, list]) => (
          <div key={fam} className="family">
            <h3>{t(fam)}</h3>
            <table className="table checks">
              <thead>
                <tr>
                  <th className="w-title">{t('analysis.catalogue')}</th>
                  <th>{t('analysis.inputs')}</th>
                  <th className="num">{t('analysis.records')}</th>
                  <th className="num">{t('analysis.recipients')}</th>
                  <th className="num">{t('analysis.amount')}</th>
                  <th>{t('analysis.status')}</th>
                  <th />
                </tr>
              </thead>
              <tbody>
                {list.map((c) => {
                  const r = results.get(c.id);
                  const st = checkState(c.id);
                  return (
                    <Fragment key={c.id}>
                    <tr data-check={c.id}>
                      <td>
                        <div className="check-title">{lang === 'en' ? c.title_en : c.title_id}{c.in_potential_loss && <span className="chip chip-loss" title={t('dash.potentialLoss')}>Rp</span>}</div>
                        <div className="muted small" title={`${lang === 'en' ? c.description_en : c.description_id} (${c.id})`}>{c.criteria.join(', ')}</div>
                      </td>
                      <td className="small inputs">{c.inputs_ready ? '' : <span aria-hidden="true">∅ </span>}{c.inputs.map((g) => g.map((k) => inputLabel(k, t)).join(' / ')).join(' + ')}</td>
                      <td className="num">{r ? (r.evaluated ? formatNumber(r.records, lang) : '–') : ''}</td>
                      <td className="num">{r?.evaluated ? formatNumber(r.recipients, lang) : ''}</td>
                      <td className="num">{r?.evaluated ? formatRp(r.amount, lang) : ''}</td>
                      <td className="small">
                        {st === 'running' ? <span className="chip chip-run">⟳ {t('analysis.running')}</span>
                          : st === 'queued' ? <span className="chip">… {t('analysis.queued')}</span>
                          : st === 'done' ? <span className="chip chip-confirmed">✓ {t('analysis.doneCheck')}</span>
                          : r && !r.evaluated ? <span className="chip chip-muted">∅ {t('common.notEvaluated')}</span>
                          : r ? <span className="chip chip-confirmed">✓ {formatNumber(r.ms ?? 0, lang)} ms</span> : ''}
                      </td>
                      <td className="actions"><div className="row-actions">
                        {c.parameters.length > 0 && <button className="btn small ghost" aria-expanded={open === c.id} onClick={() => setOpen(open === c.id ? null : c.id)}>{t('analysis.params')}</button>}
                        {r?.evaluated && r.records > 0 && <button className="btn small ghost" onClick={() => go({ screen: 'findings', sub: c.id })}>{t('analysis.viewExceptions')}</button>}
                        <button className="btn small" disabled={!!running} onClick={() => void start([c.id])}>{t('analysis.runOne')}</button>
                      </div></td>
                    </tr>
                    {open === c.id ? (
                      <tr className="params-row">
                        <td colSpan={7}>
                          <div className="params">
                            {c.parameters.map((p) => {
                              const v = params[c.id]?.[p.name] ?? p.default;
                              return (
                                <label key={p.name} className="field inline">
                                  <span className="field-label">{lang === 'en' ? p.label_en : p.label_id}</span>
                                  <input type={p.type === 'number' || p.type === 'integer' ? 'number' : p.type === 'date' ? 'date' : 'text'}
                                    step={p.type === 'integer' ? 1 : 'any'} min={p.min} max={p.max} value={String(v ?? '')}
                                    onChange={(e) => setParams({ ...params, [c.id]: { ...params[c.id], [p.name]: p.type === 'number' || p.type === 'integer' ? Number(e.target.value) : e.target.value } })} />
                                </label>
                              );
                            })}
                          </div>
                        </td>
                      </tr>
                    ) : null}
                    </Fragment>
                  );
                })}
              </tbody>
            </table>
          </div>
        ))}
      </section>
    </div>
  );
}

/** An input requirement as words: 'registry' → Registri, 'registry.death_date' → Registri (tanggal meninggal). */
function inputLabel(k: string, t: (key: MessageKey) => string): string {
  const [kind, col] = k.split('.');
  const base = /^(registry|disbursements|budget|deaths|civil_servants|complaints|flags|other)$/.test(kind) ? t(`kind.${kind}` as MessageKey).replace(/ \(.*\)$/, '') : kind;
  return col ? `${base} (${columnLabel(col, 'id').toLowerCase()})` : base;
}
