import { columnLabel } from '../../../shared/vocabulary';
import { Fragment, useEffect, useMemo, useState, type DragEvent } from 'react';
import { recipeMapping } from '../continuity/recipeStore';
import { api, fileToPath } from '../../bridge';
import { formatDuration, formatNumber } from '../../format';
import { useI18n, type MessageKey } from '../../i18n';
import { basename } from '../../app/paths';
import { useApp, useTasks } from '../../app/state';
import { Field, Notice } from '../../app/ui';
import { DirBrowser } from '../home/Home';
import { KINDS, type DirListing, type FilePreview, type ImportRecord, type Kind, type KindSpec, type MappingProfile, type RejectRow } from '../../../shared/types';

type Step = 1 | 2 | 3 | 4;

export function ImportWizard({ onOpenTable }: { onOpenTable: (table: string) => void }) {
  const { t, lang } = useI18n();
  const { tasks, errorText } = useApp();
  const taskList = useTasks(tasks);
  const [step, setStep] = useState<Step>(1);
  const [kinds, setKinds] = useState<KindSpec[]>([]);
  const [path, setPath] = useState('');
  const [preview, setPreview] = useState<FilePreview | null>(null);
  const [kind, setKind] = useState<Kind>('disbursements');
  const [map, setMap] = useState<Record<string, string>>({});
  const [profiles, setProfiles] = useState<MappingProfile[]>([]);
  const [profile, setProfile] = useState('');
  const [saveAs, setSaveAs] = useState('');
  // kind 'flags' (contract 2): the comparison-list name for a file without a list column (default: the file name)
  const [listName, setListName] = useState('');
  const [saveProfile, setSaveProfile] = useState(false);
  const [busy, setBusy] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [result, setResult] = useState<ImportRecord | null>(null);
  const [taskId, setTaskId] = useState<string | null>(null);
  const [dragOver, setDragOver] = useState(false);
  const [browse, setBrowse] = useState<DirListing | null>(null);

  useEffect(() => { void api.importKinds({}).then((r) => r.ok && setKinds(r.value)); }, []);
  useEffect(() => { void api.listProfiles({ kind }).then((r) => r.ok && setProfiles(r.value)); }, [kind, result]);

  const spec = kinds.find((k) => k.kind === kind);
  const file = preview?.file ?? basename(path);

  const loadPreview = async (p: string, k?: Kind) => {
    setBusy(t('common.loading')); setError(null);
    const r = await api.previewFile({ path: p, ...(k ? { kind: k } : {}), rows: 12 });
    setBusy(null);
    if (!r.ok) { setError(errorText(r.error)); return; }
    setPreview(r.value);
    setPath(p);
    if (!k) setKind(r.value.suggested_kind);
    // Jalankan resep: the recipe's mapping for this kind, where the file has the headers (issue 15.2)
    setMap(recipeMapping(k ?? r.value.suggested_kind, r.value.file, r.value.headers, r.value.suggested_mapping) ?? { ...r.value.suggested_mapping });
    setStep(2);
  };

  // Several files can be chosen or dropped at once: each goes through mapping and import in turn.
  const [queue, setQueue] = useState<File[]>([]);
  const takeFile = async (f: File | undefined) => {
    if (!f) return;
    setBusy(t('wiz.uploading', { file: f.name })); setError(null);
    const r = await fileToPath(f);
    setBusy(null);
    if (!r.ok) { setError(errorText(r.error)); return; }
    await loadPreview(r.value.path);
  };
  const takeFiles = (list: FileList | null | undefined) => {
    const files = [...(list ?? [])];
    setQueue(files.slice(1));
    void takeFile(files[0]);
  };
  const nextFile = () => {
    const [head, ...rest] = queue;
    setQueue(rest);
    setStep(1); setPreview(null); setPath(''); setResult(null);
    if (head) void takeFile(head);
  };

  const onDrop = (e: DragEvent) => {
    e.preventDefault(); setDragOver(false);
    takeFiles(e.dataTransfer.files);
  };

  // a comparison list without a list column takes its name from the field below (or the file name): not missing
  const missing = useMemo(() => (spec?.columns ?? []).filter((c) => c.required && !map[c.name] && !(kind === 'flags' && c.name === 'list')).map((c) => c.name), [spec, map, kind]);
  const listDefault = (preview?.file ?? '').replace(/\.[^.]*$/, '').trim().replace(/\s+/g, ' ').toUpperCase();

  // A duplicate import (same SHA-256 already imported) is refused with code confirm_required: ask, then resend.
  const [duplicate, setDuplicate] = useState<string | null>(null);
  const start = async (allowDuplicate = false) => {
    if (!preview) return;
    setError(null);
    setDuplicate(null);
    if (saveProfile && saveAs.trim()) {
      const r = await api.saveProfile({ name: saveAs.trim(), kind, mapping: map });
      if (!r.ok) { setError(errorText(r.error)); return; }
    }
    setStep(3);
    try {
      const list = kind === 'flags' && !map.list && listName.trim() ? { list: listName.trim() } : {};
      const call = api.importFiles({ files: [{ path: preview.path, kind, map, ...(preview.sheet ? { sheet: preview.sheet } : {}), ...list }], ...(allowDuplicate ? { allow_duplicate: true } : {}) });
      void call.then((r) => r.ok && setTaskId(r.value.task_id));
      const recs = await tasks.track<ImportRecord[]>('import', file, call);
      const rec = recs[0];
      setResult(rec);
      const taskView = tasks.latest('import');
      if (taskView && rec) tasks.setMessage(taskView.id, (tt, l) => tt('wiz.resultOk', { file: rec.file, loaded: formatNumber(rec.rows_loaded, l), rejected: formatNumber(rec.rows_rejected, l), read: formatNumber(rec.rows_read, l) }));
      setStep(4);
    } catch (e) {
      if (e && typeof e === 'object' && (e as { code?: string }).code === 'confirm_required') setDuplicate(errorText(e));
      else setError(errorText(e));
      setStep(2);
    }
  };

  const running = taskList.find((x) => x.id === taskId && x.status === 'running');
  const p = running?.progress;

  return (
    <div className="wizard" data-testid="import-wizard">
      <ol className="steps" aria-label={t('wiz.title')}>
        {(['wiz.step1', 'wiz.step2', 'wiz.step3', 'wiz.step4'] as MessageKey[]).map((k, i) => (
          <li key={k} className={step === i + 1 ? 'on' : step > i + 1 ? 'done' : ''} aria-current={step === i + 1 ? 'step' : undefined}>
            {step > i + 1 ? '✓ ' : ''}{t(k)}
          </li>
        ))}
      </ol>
      {error && <Notice tone="error">{error}</Notice>}
      {duplicate && (
        <Notice tone="error">
          <span data-testid="import-duplicate">{duplicate}</span>{' '}
          <button className="btn" data-testid="import-anyway" onClick={() => void start(true)}>{t('wiz.importAnyway')}</button>
        </Notice>
      )}
      {busy && <Notice tone="info">{busy}</Notice>}

      {step === 1 && (
        <div className="card">
          <div
            className={dragOver ? 'dropzone over' : 'dropzone'}
            onDragOver={(e) => { e.preventDefault(); setDragOver(true); }}
            onDragLeave={() => setDragOver(false)}
            onDrop={onDrop}
            data-testid="dropzone"
          >
            <span aria-hidden="true" className="drop-icon">⇪</span>
            <span>{t('wiz.drop')}</span>
            <label className="btn primary file-btn">
              {t('wiz.choose')}
              <input type="file" multiple className="visually-hidden" accept=".csv,.tsv,.txt,.xlsx,.parquet,.json" onChange={(e) => takeFiles(e.target.files)} data-testid="file-input" />
            </label>
            <span className="muted small">{t('wiz.formats')}</span>
          </div>
          <form className="form row" onSubmit={(e) => { e.preventDefault(); if (path.trim()) void loadPreview(path.trim()); }}>
            <input value={path} onChange={(e) => setPath(e.target.value)} placeholder="/path/ke/penyaluran_2025.csv" aria-label={t('data.file')} data-testid="path-input" />
            <button className="btn" type="button" onClick={() => void api.listDir({ ...(path.trim() ? { path: path.trim() } : {}) }).then((r) => r.ok && setBrowse(r.value))}>…</button>
            <button className="btn" type="submit" disabled={!path.trim()}>{t('common.next')}</button>
          </form>
          {browse && <DirBrowser listing={browse} onDir={(d) => void api.listDir({ path: d }).then((r) => r.ok && setBrowse(r.value))} onFile={(f) => { setBrowse(null); void loadPreview(f); }} />}
        </div>
      )}

      {step === 2 && preview && (
        <div className="wiz-map">
          <div className="card wiz-meta">
            <dl className="kv inline">
              <dt>{t('data.file')}</dt><dd>{preview.file}</dd>
              <dt>{t('wiz.format')}</dt><dd>{preview.format.toUpperCase()}</dd>
              <dt>{t('wiz.encoding')}</dt><dd>{preview.encoding ?? '–'}</dd>
              <dt>{t('wiz.delimiter')}</dt><dd>{preview.delimiter === '\t' ? 'TAB' : preview.delimiter ?? '–'}</dd>
              <dt>{t('wiz.detected')}</dt><dd data-testid="detected-kind">{t(`kind.${preview.suggested_kind}` as MessageKey)}</dd>
            </dl>
            <div className="form row">
              <Field label={t('wiz.kind')}>
                <select value={kind} onChange={(e) => { const k = e.target.value as Kind; setKind(k); void loadPreview(preview.path, k); }} data-testid="kind-select">
                  {KINDS.map((k) => <option key={k} value={k}>{t(`kind.${k}` as MessageKey)}</option>)}
                </select>
              </Field>
              {kind === 'flags' && !map.list && (
                <Field label={t('wiz.listName')} hint={t('wiz.listNameHint', { name: listDefault })}>
                  <input value={listName} placeholder={listDefault} onChange={(e) => setListName(e.target.value)} data-testid="list-name" />
                </Field>
              )}
              {preview.sheets.length > 1 && (
                <Field label={t('wiz.sheet')}>
                  <select value={preview.sheet ?? ''} onChange={(e) => void api.previewFile({ path: preview.path, kind, sheet: e.target.value, rows: 12 }).then((r) => { if (r.ok) { setPreview(r.value); setMap({ ...r.value.suggested_mapping }); } })}>
                    {preview.sheets.map((s) => <option key={s}>{s}</option>)}
                  </select>
                </Field>
              )}
              <Field label={t('wiz.profile')}>
                <select value={profile} onChange={(e) => { setProfile(e.target.value); const pr = profiles.find((x) => x.name === e.target.value); if (pr) setMap({ ...pr.mapping }); }}>
                  <option value="">{t('wiz.profileNone')}</option>
                  {profiles.map((x) => <option key={x.name} value={x.name}>{x.name}</option>)}
                </select>
              </Field>
            </div>
          </div>
          {preview.warnings.length > 0 && <Notice tone="warn">{preview.warnings.join(' · ')}</Notice>}
          {missing.map((c) => <Notice key={c} tone="error">{t('wiz.missingRequired', { col: c.toUpperCase(), file: preview.file })}</Notice>)}
          <div className="wiz-columns">
            <table className="table map-table">
              <thead><tr><th>{t('wiz.canonical')}</th><th>{t('wiz.source')}</th></tr></thead>
              <tbody>
                {(spec?.columns ?? []).map((c) => (
                  <tr key={c.name}>
                    <td>{columnLabel(c.name, lang)}{c.required && !(kind === 'flags' && c.name === 'list') && <span className="req"> * {t('wiz.required')}</span>}</td>
                    <td>
                      <select value={map[c.name] ?? ''} aria-label={columnLabel(c.name, lang)} data-map={c.name} className={c.required && !map[c.name] && !(kind === 'flags' && c.name === 'list') ? 'invalid' : ''}
                        onChange={(e) => { const m = { ...map }; if (e.target.value) m[c.name] = e.target.value; else delete m[c.name]; setMap(m); }}>
                        <option value="">{t('wiz.unmapped')}</option>
                        {preview.headers.map((h) => <option key={h} value={h}>{h}</option>)}
                      </select>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
            <div className="preview-box">
              <h3>{t('wiz.preview')}</h3>
              <div className="preview-scroll">
                <table className="table preview" data-testid="preview">
                  <thead><tr>{preview.headers.map((h) => {
                    const canon = Object.entries(map).find(([, v]) => v === h)?.[0];
                    return <th key={h}>{h}{canon && <div className="canon">→ {columnLabel(canon, lang)}</div>}</th>;
                  })}</tr></thead>
                  <tbody>{preview.rows.map((r, i) => <tr key={i}>{r.map((v, j) => <td key={j}>{v}</td>)}</tr>)}</tbody>
                </table>
              </div>
            </div>
          </div>
          <div className="wiz-actions">
            <label className="check"><input type="checkbox" checked={saveProfile} onChange={(e) => setSaveProfile(e.target.checked)} /> {t('wiz.saveProfile')}</label>
            {saveProfile && <input value={saveAs} onChange={(e) => setSaveAs(e.target.value)} placeholder={t('wiz.profileName')} aria-label={t('wiz.profileName')} />}
            <span className="spacer" />
            <button className="btn" onClick={() => setStep(1)}>{t('common.back')}</button>
            <button className="btn primary" onClick={() => void start()} disabled={missing.length > 0} data-testid="start-import">{t('wiz.start')}</button>
          </div>
        </div>
      )}

      {step === 3 && (
        <div className="card">
          <p>{t('wiz.importing', { file })}</p>
          <progress max={100} value={p && p.total > 0 ? (p.done / p.total) * 100 : undefined} className="wide" />
          <p className="muted small">
            {p?.phase} {p && p.rows_per_s ? `· ${t('status.rowsPerSec', { n: formatNumber(p.rows_per_s, lang) })}` : ''}
            {p && p.eta_s !== null ? ` · ${t('status.timeLeft', { t: formatDuration(p.eta_s, lang) })}` : ''}
          </p>
          {taskId && <button className="btn" onClick={() => void api.cancelTask({ task_id: taskId })}>{t('status.cancel')}</button>}
        </div>
      )}

      {step === 4 && result && <ImportResult rec={result} queued={queue.length} onNext={nextFile} onAnother={() => { setQueue([]); setStep(1); setPreview(null); setPath(''); setResult(null); }} onOpenTable={onOpenTable} />}
    </div>
  );
}

function ImportResult({ rec, queued, onNext, onAnother, onOpenTable }: { rec: ImportRecord; queued: number; onNext: () => void; onAnother: () => void; onOpenTable: (t: string) => void }) {
  const { t, lang } = useI18n();
  const [rejects, setRejects] = useState<RejectRow[]>([]);
  useEffect(() => {
    if (rec.rows_rejected > 0) void api.rejectsPage({ import_id: rec.import_id, offset: 0, limit: 200 }).then((r) => r.ok && setRejects(r.value.rows));
  }, [rec]);
  const reasons = useMemo(() => {
    const m = new Map<string, number>();
    for (const r of rejects) m.set(r.reason, (m.get(r.reason) ?? 0) + 1);
    return [...m.entries()].sort((a, b) => b[1] - a[1]);
  }, [rejects]);
  return (
    <div className="import-result" data-testid="import-result">
      <Notice tone={rec.rows_rejected > 0 ? 'warn' : 'ok'}>
        {t('wiz.resultOk', { file: rec.file, loaded: formatNumber(rec.rows_loaded, lang), rejected: formatNumber(rec.rows_rejected, lang), read: formatNumber(rec.rows_read, lang) })}
        <div className="muted small">SHA-256 {rec.sha256}</div>
      </Notice>
      {rec.warnings.length > 0 && <Notice tone="warn"><strong>{t('wiz.warnings')}:</strong> {rec.warnings.join(' · ')}</Notice>}
      <div className="result-grid">
        <section className="card">
          <h3>{t('data.quality')}</h3>
          <QualityView q={rec.quality as QualityShape | null} />
        </section>
        <section className="card">
          <h3>{t('data.rejects')} ({formatNumber(rec.rows_rejected, lang)})</h3>
          {reasons.length > 0 && (
            <>
              <h4>{t('wiz.reasons')}</h4>
              <ul className="reasons">{reasons.map(([r, n]) => <li key={r}>⚠ {r} — {formatNumber(n, lang)}</li>)}</ul>
            </>
          )}
          {rejects.length > 0 && (
            <div className="preview-scroll">
              <table className="table" data-testid="rejects">
                <thead><tr><th>{t('wiz.line')}</th><th>{t('wiz.reason')}</th><th>{t('wiz.column')}</th><th>{t('wiz.raw')}</th></tr></thead>
                <tbody>{rejects.slice(0, 50).map((r, i) => <tr key={i}><td className="num">{r.line}</td><td>{r.reason}</td><td>{r.column_name ?? ''}</td><td className="mono trunc">{r.raw_text}</td></tr>)}</tbody>
              </table>
            </div>
          )}
        </section>
      </div>
      <div className="wiz-actions">
        {queued > 0 && <button className="btn primary" onClick={onNext} data-testid="next-file">{t('wiz.nextFile', { n: queued })}</button>}
        <button className="btn" onClick={onAnother}>{t('wiz.another')}</button>
        {rec.target_table && <button className="btn primary" onClick={() => onOpenTable(rec.target_table!)}>{t('wiz.toExplorer')}</button>}
      </div>
    </div>
  );
}

interface ColumnQuality { nulls: number; unparseable: number; distinct: number; min: unknown; max: unknown; mapped: boolean }
interface QualityShape {
  rows_read?: number; rows_loaded?: number; rows_rejected?: number; blank_lines?: number; malformed_rows?: number; title_lines_skipped?: number;
  columns?: Record<string, ColumnQuality>;
  nik?: { invalid: number; damaged: number; unknown_region_prefix: number; empty: number; invalid_by_reason?: Record<string, number> };
  kk?: { invalid: number };
  registry_duplicates?: { duplicate_niks: number; duplicate_rows: number };
}

/** The import's data-quality report: file-level counts, NIK/KK validity, then one line per canonical column. */
function QualityView({ q }: { q: QualityShape | null }) {
  const { t, lang } = useI18n();
  if (!q) return <p className="muted">{t('common.none')}</p>;
  const n = (v: number | undefined) => formatNumber(v ?? 0, lang);
  const facts: Array<[string, string, boolean]> = [
    [t('q.blank'), n(q.blank_lines), false],
    [t('q.malformed'), n(q.malformed_rows), (q.malformed_rows ?? 0) > 0],
    ...(q.nik ? [
      [t('q.nikInvalid'), n(q.nik.invalid), q.nik.invalid > 0] as [string, string, boolean],
      [t('q.nikDamaged'), n(q.nik.damaged), q.nik.damaged > 0] as [string, string, boolean],
      [t('q.nikEmpty'), n(q.nik.empty), q.nik.empty > 0] as [string, string, boolean],
    ] : []),
    ...(q.kk ? [[t('q.kkInvalid'), n(q.kk.invalid), q.kk.invalid > 0] as [string, string, boolean]] : []),
    ...(q.registry_duplicates ? [[t('q.dupNik'), n(q.registry_duplicates.duplicate_niks), q.registry_duplicates.duplicate_niks > 0] as [string, string, boolean]] : []),
  ];
  const cols = Object.entries(q.columns ?? {});
  const scalar = (v: unknown) => (v === null || v === undefined ? '–' : typeof v === 'number' ? formatNumber(v, lang, Number.isInteger(v) ? 0 : 2) : String(v));
  return (
    <>
      <dl className="kv inline">
        {facts.map(([k, v, bad]) => <Fragment key={k}><dt>{k}</dt><dd className={bad ? 'warn-text' : ''}>{bad ? '⚠ ' : ''}{v}</dd></Fragment>)}
      </dl>
      {cols.length > 0 && (
        <div className="preview-scroll">
          <table className="table quality">
            <thead><tr><th>{t('wiz.qualityCol')}</th><th className="num">{t('profile.nulls')}</th><th className="num">{t('q.unparseable')}</th><th className="num">{t('profile.distinct')}</th><th>{t('profile.min')}</th><th>{t('profile.max')}</th></tr></thead>
            <tbody>
              {cols.map(([name, c]) => (
                <tr key={name} className={c.mapped ? '' : 'muted'}>
                  <td><code>{name}</code>{!c.mapped && <span className="small"> ({t('wiz.unmapped').replace(/—/g, '').trim()})</span>}</td>
                  <td className="num">{n(c.nulls)}</td>
                  <td className={c.unparseable > 0 ? 'num warn-text' : 'num'}>{c.unparseable > 0 ? '⚠ ' : ''}{n(c.unparseable)}</td>
                  <td className="num">{c.mapped ? n(c.distinct) : '–'}</td>
                  <td className="trunc">{scalar(c.min)}</td>
                  <td className="trunc">{scalar(c.max)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </>
  );
}
