import { useEffect, useState } from 'react';
import { api } from '../../bridge';
import { useI18n, type MessageKey } from '../../i18n';
import { useApp } from '../../app/state';
import { Field, Notice, PageHeader } from '../../app/ui';
import type { ProgrammeRule, Settings as SettingsT } from '../../../shared/types';

const THRESHOLD_LABELS: Record<string, MessageKey> = {
  identity_similarity: 'settings.nameSim',
  name_mismatch_similarity: 'settings.nameMismatch',
  realization_tolerance: 'settings.realTol',
  cgh_max_desil: 'settings.cghDesil',
  spike_z: 'settings.spikeZ',
};

export function Settings() {
  const { t, lang } = useI18n();
  const { info, settings, setSettings, setLang, masked, setMasked, errorText } = useApp();
  const [draft, setDraft] = useState<SettingsT | null>(settings);
  const [msg, setMsg] = useState<{ tone: 'ok' | 'error'; text: string } | null>(null);
  useEffect(() => setDraft(settings), [settings]);

  const save = async () => {
    if (!draft) return;
    const r = await api.updateSettings({
      language: draft.language, masking_default: draft.masking_default,
      programme_rules: Object.fromEntries(Object.entries(draft.programme_rules).map(([k, v]) => [k, { unit: v.unit, expected_amount: v.expected_amount, months_per_stage: v.months_per_stage, max_desil: v.max_desil }])),
      thresholds: draft.thresholds, event_dates: draft.event_dates, reviewer: draft.reviewer,
    });
    if (!r.ok) { setMsg({ tone: 'error', text: errorText(r.error) }); return; }
    setSettings(r.value); setMasked(r.value.masking_default); setLang(r.value.language);
    setMsg({ tone: 'ok', text: t('settings.saved') });
  };
  const setRule = (prog: string, patch: Partial<ProgrammeRule>) => draft && setDraft({ ...draft, programme_rules: { ...draft.programme_rules, [prog]: { ...draft.programme_rules[prog], ...patch } } });

  return (
    <div className="page settings">
      <PageHeader title={t('settings.title')}>{draft && <button className="btn primary" onClick={() => void save()} data-testid="save-settings">{t('common.save')}</button>}</PageHeader>
      {msg && <Notice tone={msg.tone}>{msg.text}</Notice>}
      <div className="settings-grid">
        <section className="card form">
          <Field label={t('settings.language')}>
            <select value={draft?.language ?? lang} onChange={(e) => { const l = e.target.value as 'id' | 'en'; setLang(l); if (draft) setDraft({ ...draft, language: l }); }} data-testid="language-select">
              <option value="id">{t('lang.id')}</option>
              <option value="en">{t('lang.en')}</option>
            </select>
          </Field>
          <label className="check">
            <input type="checkbox" checked={draft?.masking_default ?? masked} onChange={(e) => { setMasked(e.target.checked); if (draft) setDraft({ ...draft, masking_default: e.target.checked }); }} />
            {t('settings.masking')}
          </label>
          <p className="muted small">{t('settings.maskingHint')}</p>
          {draft && <Field label={t('reports.reviewedBy')}><input value={draft.reviewer} onChange={(e) => setDraft({ ...draft, reviewer: e.target.value })} /></Field>}
        </section>
        {!info || !draft ? <Notice tone="info">{t('common.needEngagement')}</Notice> : (
          <>
            <section className="card">
              <div className="card-head">
                <h2>{t('settings.rules')}</h2>
                <button className="btn small ghost" onClick={() => void api.resetProgrammeRules({}).then((r) => { if (r.ok) { setSettings(r.value); setMsg({ tone: 'ok', text: t('settings.resetDone') }); } else setMsg({ tone: 'error', text: errorText(r.error) }); })}>↺ {t('settings.reset')}</button>
              </div>
              <table className="table">
                <thead><tr><th>{t('settings.program')}</th><th>{t('settings.unit')}</th><th className="num">{t('settings.expected')}</th><th className="num">{t('settings.monthsPerStage')}</th><th className="num">{t('settings.maxDesil')}</th></tr></thead>
                <tbody>
                  {Object.entries(draft.programme_rules).map(([prog, r]) => (
                    <tr key={prog}>
                      <td><strong>{prog}</strong></td>
                      <td>
                        <select value={r.unit} onChange={(e) => setRule(prog, { unit: e.target.value as ProgrammeRule['unit'] })} aria-label={`${prog} ${t('settings.unit')}`}>
                          <option value="household">{t('settings.household')}</option>
                          <option value="individual">{t('settings.individual')}</option>
                        </select>
                      </td>
                      <td className="num"><input type="number" min={0} step={1000} value={r.expected_amount ?? ''} placeholder="–" aria-label={`${prog} ${t('settings.expected')}`}
                        onChange={(e) => setRule(prog, { expected_amount: e.target.value === '' ? null : Number(e.target.value) })} /></td>
                      <td className="num"><input className="desil" type="number" min={1} max={12} value={r.months_per_stage ?? 3} aria-label={`${prog} ${t('settings.monthsPerStage')}`} onChange={(e) => setRule(prog, { months_per_stage: Number(e.target.value) })} /></td>
                      <td className="num"><input className="desil" type="number" min={1} max={10} value={r.max_desil ?? ""} aria-label={`${prog} ${t('settings.maxDesil')}`} onChange={(e) => setRule(prog, { max_desil: Number(e.target.value) })} /></td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </section>
            <section className="card form">
              <h2>{t('settings.thresholds')}</h2>
              {Object.entries(draft.thresholds).map(([k, v]) => (
                <Field key={k} label={THRESHOLD_LABELS[k] ? t(THRESHOLD_LABELS[k]) : k}>
                  <input type="number" step="any" value={v} onChange={(e) => setDraft({ ...draft, thresholds: { ...draft.thresholds, [k]: Number(e.target.value) } })} />
                </Field>
              ))}
              <h3>{t('settings.events')}</h3>
              {draft.event_dates.map((ev, i) => (
                <div key={i} className="form row">
                  <input type="date" aria-label={t('over.eventDate')} value={ev.date} onChange={(e) => setDraft({ ...draft, event_dates: draft.event_dates.map((x, j) => (j === i ? { ...x, date: e.target.value } : x)) })} />
                  <input aria-label={t('over.eventLabel')} value={ev.label} onChange={(e) => setDraft({ ...draft, event_dates: draft.event_dates.map((x, j) => (j === i ? { ...x, label: e.target.value } : x)) })} />
                  <button className="btn small ghost" onClick={() => setDraft({ ...draft, event_dates: draft.event_dates.filter((_, j) => j !== i) })} aria-label="×">×</button>
                </div>
              ))}
              <button className="btn small" onClick={() => setDraft({ ...draft, event_dates: [...draft.event_dates, { date: new Date().toISOString().slice(0, 10), label: 'Pilkada' }] })}>+</button>
            </section>
          </>
        )}
      </div>
    </div>
  );
}
