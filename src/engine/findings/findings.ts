import { ident, type Workspace } from '../workspace/workspace';
import { appendTrail } from '../trail/trail';
import { addressedRecommendation, checkCriteria, kriteriaText } from './criteria';
import { daftar, fillTemplate, rupiah, angka, tanggal } from './format';
import { ensureFindingTables, LATEST_REVIEW_SQL } from './store';
import { InvalidInputError } from '../../shared/errors';

export const FINDING_FIELDS = ['kondisi', 'kriteria', 'sebab', 'akibat', 'rekomendasi', 'tanggapan'] as const;
export type FindingField = (typeof FINDING_FIELDS)[number];
export type FindingTexts = Record<FindingField, string>;

export interface FindingRow extends FindingTexts {
  check_id: string;
  title: string;
  run_id: string | null;
  records: number;
  recipients: number;
  amount: number;
  potential_loss: boolean;
  potential_loss_amount: number;   // amount when the check is in the potential-loss union, else 0
  criteria_refs: string[];
  edited: FindingField[];          // fields the user wrote; a re-draft keeps them
  stale: boolean;                  // user-edited kondisi/akibat while the figures changed since
  active: boolean;                 // false: the latest run has no exceptions for this check (kept for the user's text)
  updated_at: string | null;
  drafted_at: string | null;
  reviews: { confirmed: number; cleared: number; open: number };
}

export class FindingError extends InvalidInputError {}

/** The column of exc_<check_id> summed for the amount figure (DOMAIN.md: excess/shortfall, Σ |difference|). */
const AMOUNT_COLUMN: Record<string, string | null> = {
  overpayment: 'difference', underpayment: 'difference', realization_mismatch: 'abs_difference',
  registry_duplicate_nik: null, nik_attribute_mismatch: null,
};

export async function excAmountColumn(ws: Workspace, checkId: string): Promise<string | null> {
  const names = new Set((await ws.columns(`exc_${checkId}`)).map((x) => x.name));
  const want = checkId in AMOUNT_COLUMN ? AMOUNT_COLUMN[checkId] : 'amount';
  if (want === null) return null;
  if (names.has(want)) return want;
  return names.has('amount') ? 'amount' : null;
}

/** The run findings are drafted from: latest finished run in analysis_runs, else the highest run_id. */
export async function latestRun(ws: Workspace): Promise<string | null> {
  if (!(await ws.tableExists('check_results'))) return null;
  if (await ws.tableExists('analysis_runs')) {
    const r = await ws.one<{ run_id: unknown }>(
      `SELECT run_id FROM analysis_runs WHERE CAST(run_id AS VARCHAR) IN (SELECT CAST(run_id AS VARCHAR) FROM check_results)
       ORDER BY coalesce(CAST(finished_at AS VARCHAR), CAST(started_at AS VARCHAR)) DESC NULLS LAST, run_id DESC LIMIT 1`).catch(() => undefined);
    if (r) return String(r.run_id);
  }
  const m = await ws.one<{ r: unknown }>(`SELECT run_id AS r FROM check_results ORDER BY run_id DESC LIMIT 1`);
  return m ? String(m.r) : null;
}

interface CheckResultRow { check_id: string; evaluated: boolean; records: number; recipients: number; amount: number; extra: unknown }

function parseJson(v: unknown): Record<string, unknown> {
  if (v && typeof v === 'object') return v as Record<string, unknown>;
  if (typeof v === 'string' && v) { try { return JSON.parse(v); } catch { return {}; } }
  return {};
}

/** Period and programme facts of a check's exceptions, for the Kondisi. */
async function excFacts(ws: Workspace, checkId: string, amountCol: string | null) {
  const t = ident(`exc_${checkId}`);
  if (!(await ws.tableExists(`exc_${checkId}`))) return { period: 'periode data yang diperiksa', programs: [] as { program: string; records: number; amount: number }[], unit: 'transaksi' };
  const cols = new Set((await ws.columns(`exc_${checkId}`)).map((x) => x.name));
  let period = 'periode data yang diperiksa';
  if (cols.has('paid_date')) {
    const p = await ws.one<{ a: string | null; b: string | null; pa: string | null; pb: string | null }>(
      `SELECT min(paid_date) AS a, max(paid_date) AS b, min(period_key) AS pa, max(period_key) AS pb FROM ${t}`);
    if (p?.a && p.b) period = p.a === p.b ? tanggal(p.a) : `${tanggal(p.a)} s.d. ${tanggal(p.b)}`;
    else if (p?.pa && p.pb) period = p.pa === p.pb ? p.pa : `${p.pa} s.d. ${p.pb}`;
  }
  let programs: { program: string; records: number; amount: number }[] = [];
  const source = cols.has('source_table') ? await ws.scalar<string | null>(`SELECT any_value(source_table) FROM ${t}`) : null;
  const unit = source === 'budget' ? 'baris anggaran' : source === 'registry' ? 'baris' : 'transaksi';
  if (cols.has('program')) {
    programs = (await ws.all<{ program: string | null; records: number; amount: number | null }>(
      `SELECT program, count(*) AS records, ${amountCol ? `sum(${ident(amountCol)})::DOUBLE` : '0'} AS amount FROM ${t}
       GROUP BY program ORDER BY amount DESC NULLS LAST, program`))
      .filter((p) => p.program !== null).map((p) => ({ program: p.program!, records: Number(p.records), amount: Number(p.amount ?? 0) }));
  }
  return { period, programs, unit };
}

/** Drafted texts of one check of a run without storing them (the workbooks use them when no finding is stored). */
export async function draftFindingTexts(ws: Workspace, c: { check_id: string; evaluated: boolean; records: number; recipients: number; amount: number; extra: unknown }): Promise<Omit<FindingTexts, 'tanggapan'> & { title: string }> {
  return draftTexts(ws, c);
}

/** Draft texts of one check from its figures (pure apart from the exceptions facts). */
async function draftTexts(ws: Workspace, c: CheckResultRow): Promise<Omit<FindingTexts, 'tanggapan'> & { title: string }> {
  const cat = checkCriteria(c.check_id);
  const amountCol = await excAmountColumn(ws, c.check_id);
  const facts = await excFacts(ws, c.check_id, amountCol);
  const extra = parseJson(c.extra);
  const vars: Record<string, string> = {
    records: angka(c.records), recipients: angka(c.recipients), amount: rupiah(c.amount), period: facts.period,
    programs: facts.programs.length ? daftar(facts.programs.map((p) => p.program)) : '',
    accounts: angka(Number(extra.accounts ?? 0)), pairs: angka(Number(extra.pairs ?? 0)), unit: 'transaksi',
  };
  if (!cat) {
    return {
      title: c.check_id, kondisi: `Prosedur ${c.check_id} menghasilkan ${vars.records} pengecualian senilai ${vars.amount} (${facts.period}).`,
      kriteria: '', sebab: '', akibat: '', rekomendasi: '',
    };
  }
  let kondisi = fillTemplate(cat.kondisi, vars).replace(/ +/g, ' ').replace(' ()', '');
  if (facts.programs.length > 1 && amountCol) {
    kondisi += ` Rincian per program: ${facts.programs.map((p) => `${p.program} ${angka(p.records)} ${facts.unit} ${c.check_id === 'realization_mismatch' ? 'dengan selisih' : 'senilai'} ${rupiah(p.amount)}`).join('; ')}.`;
  }
  return {
    title: cat.title, kondisi, kriteria: kriteriaText(c.check_id), sebab: cat.sebab,
    akibat: fillTemplate(cat.akibat, vars), rekomendasi: addressedRecommendation(c.check_id, cat.rekomendasi),
  };
}

function editedOf(v: unknown): FindingField[] {
  const a = typeof v === 'string' ? (JSON.parse(v) as unknown) : v;
  return Array.isArray(a) ? (a.filter((x) => (FINDING_FIELDS as readonly string[]).includes(x)) as FindingField[]) : [];
}

export interface DraftResult { run_id: string | null; drafted: string[]; kept_edits: Record<string, FindingField[]>; deactivated: string[] }

/**
 * Creates or refreshes one finding per check with exceptions in the latest (or given) run. Figures and drafted
 * texts are refreshed; fields the user edited are kept unless `reset` names the check (true = all checks).
 * A finding whose check no longer has exceptions is removed, or kept inactive when the user wrote in it.
 */
export async function draftFindings(ws: Workspace, opts: { runId?: string; reset?: boolean | string[] } = {}): Promise<DraftResult> {
  await ensureFindingTables(ws);
  const run = opts.runId ?? (await latestRun(ws));
  const results = run === null ? [] : await ws.all<CheckResultRow>(
    `SELECT check_id, evaluated, records, recipients, amount, extra FROM check_results WHERE CAST(run_id AS VARCHAR) = $r ORDER BY check_id`, { r: run });
  const withExc = results.filter((r) => r.evaluated && Number(r.records) > 0);
  const isReset = (id: string) => opts.reset === true || (Array.isArray(opts.reset) && opts.reset.includes(id));
  const out: DraftResult = { run_id: run, drafted: [], kept_edits: {}, deactivated: [] };
  return ws.transaction(async () => {
    for (const c of withExc) {
      const fig = { records: Number(c.records), recipients: Number(c.recipients ?? 0), amount: Number(c.amount ?? 0) };
      const d = await draftTexts(ws, { ...c, ...fig });
      const cat = checkCriteria(c.check_id);
      const old = await ws.one<Record<string, unknown>>(`SELECT * FROM findings WHERE check_id = $c`, { c: c.check_id });
      const edited = old && !isReset(c.check_id) ? editedOf(old.edited) : [];
      const pick = (f: FindingField, drafted: string) => (edited.includes(f) ? String(old![f] ?? '') : drafted);
      const figuresChanged = !!old && (Number(old.records) !== fig.records || Number(old.amount) !== fig.amount);
      const stale = edited.some((f) => f === 'kondisi' || f === 'akibat') && (figuresChanged || old?.stale === true);
      const row = {
        check_id: c.check_id, kondisi: pick('kondisi', d.kondisi), kriteria: pick('kriteria', d.kriteria), sebab: pick('sebab', d.sebab),
        akibat: pick('akibat', d.akibat), rekomendasi: pick('rekomendasi', d.rekomendasi), tanggapan: pick('tanggapan', ''),
        title: d.title, run_id: run, ...fig, potential_loss: cat?.potential_loss ?? false,
        criteria_refs: JSON.stringify(cat?.criteria ?? []), edited: JSON.stringify(edited), stale,
      };
      await ws.run(`DELETE FROM findings WHERE check_id = $c`, { c: c.check_id });
      await ws.run(`INSERT INTO findings VALUES ($check_id, $kondisi, $kriteria, $sebab, $akibat, $rekomendasi, $tanggapan,
        ${old?.updated_at ? `$updated_at::TIMESTAMP` : 'NULL'}, $title, $run_id, $records, $recipients, $amount, $potential_loss,
        $criteria_refs, $edited, $stale, true, now()::TIMESTAMP)`,
        { ...row, ...(old?.updated_at ? { updated_at: String(old.updated_at) } : {}) });
      out.drafted.push(c.check_id);
      if (edited.length) out.kept_edits[c.check_id] = edited;
    }
    const ids = withExc.map((c) => c.check_id);
    const others = await ws.all<{ check_id: string; edited: unknown }>(`SELECT check_id, edited FROM findings`);
    for (const o of others.filter((x) => !ids.includes(x.check_id))) {
      if (editedOf(o.edited).length && !isReset(o.check_id)) {
        await ws.run(`UPDATE findings SET active = false, records = 0, recipients = 0, amount = 0, run_id = $r WHERE check_id = $c`, { c: o.check_id, r: run });
      } else await ws.run(`DELETE FROM findings WHERE check_id = $c`, { c: o.check_id });
      out.deactivated.push(o.check_id);
    }
    await appendTrail(ws, { action: 'findings.draft', params: { run_id: run, reset: opts.reset ?? false }, result: out });
    return out;
  });
}

/** User edit of finding texts; edited fields survive re-drafts until reset. */
export async function updateFinding(ws: Workspace, checkId: string, fields: Partial<FindingTexts>, opts: { actor?: string } = {}): Promise<FindingRow> {
  await ensureFindingTables(ws);
  const keys = Object.keys(fields).filter((k) => (fields as Record<string, unknown>)[k] !== undefined);
  const bad = keys.filter((k) => !(FINDING_FIELDS as readonly string[]).includes(k));
  if (bad.length) throw new FindingError(`Kolom temuan tidak dikenal: ${bad.join(', ')}`);
  for (const k of keys) if (typeof (fields as Record<string, unknown>)[k] !== 'string') throw new FindingError(`${k} harus teks`);
  return ws.transaction(async () => {
    const old = await ws.one<Record<string, unknown>>(`SELECT * FROM findings WHERE check_id = $c`, { c: checkId });
    if (!old) throw new FindingError(`Temuan ${checkId} belum ada (jalankan draf temuan dulu)`);
    const edited = new Set(editedOf(old.edited));
    const sets: string[] = [];
    const params: Record<string, string | boolean> = { c: checkId };
    for (const k of keys as FindingField[]) { sets.push(`${k} = $${k}`); params[k] = fields[k]!; edited.add(k); }
    params.edited = JSON.stringify([...edited]);
    const clearsStale = keys.includes('kondisi') || keys.includes('akibat');
    await ws.run(`UPDATE findings SET ${[...sets, 'edited = $edited', 'updated_at = now()::TIMESTAMP', ...(clearsStale ? ['stale = false'] : [])].join(', ')} WHERE check_id = $c`, params);
    await appendTrail(ws, { action: 'finding.update', actor: opts.actor, params: { check_id: checkId, fields: keys },
      result: { before: Object.fromEntries(keys.map((k) => [k, old[k]])), after: Object.fromEntries(keys.map((k) => [k, (fields as Record<string, string>)[k]])) } });
    return (await getFinding(ws, checkId))!;
  });
}

/** Forgets the user's edits of a finding (all fields, or the given ones) and re-drafts it from the latest run. */
export async function resetFinding(ws: Workspace, checkId: string, fields?: FindingField[]): Promise<FindingRow | undefined> {
  await ensureFindingTables(ws);
  if (fields && fields.length) {
    await ws.transaction(async () => {
      const old = await ws.one<{ edited: unknown }>(`SELECT edited FROM findings WHERE check_id = $c`, { c: checkId });
      if (!old) throw new FindingError(`Temuan ${checkId} belum ada`);
      const keep = editedOf(old.edited).filter((f) => !fields.includes(f));
      await ws.run(`UPDATE findings SET edited = $e WHERE check_id = $c`, { c: checkId, e: JSON.stringify(keep) });
      await appendTrail(ws, { action: 'finding.reset', params: { check_id: checkId, fields } });
    });
    await draftFindings(ws);
  } else {
    await appendTrail(ws, { action: 'finding.reset', params: { check_id: checkId, fields: 'all' } });
    await draftFindings(ws, { reset: [checkId] });
  }
  return getFinding(ws, checkId);
}

async function rowsToFindings(ws: Workspace, rows: Record<string, unknown>[]): Promise<FindingRow[]> {
  const out: FindingRow[] = [];
  for (const r of rows) {
    const reviews = await reviewCounts(ws, String(r.check_id), Number(r.records));
    const pl = r.potential_loss === true;
    out.push({
      check_id: String(r.check_id), kondisi: String(r.kondisi ?? ''), kriteria: String(r.kriteria ?? ''), sebab: String(r.sebab ?? ''),
      akibat: String(r.akibat ?? ''), rekomendasi: String(r.rekomendasi ?? ''), tanggapan: String(r.tanggapan ?? ''),
      title: String(r.title ?? r.check_id), run_id: r.run_id === null ? null : String(r.run_id),
      records: Number(r.records ?? 0), recipients: Number(r.recipients ?? 0), amount: Number(r.amount ?? 0),
      potential_loss: pl, potential_loss_amount: pl ? Number(r.amount ?? 0) : 0,
      criteria_refs: (typeof r.criteria_refs === 'string' ? JSON.parse(r.criteria_refs) : r.criteria_refs ?? []) as string[],
      edited: editedOf(r.edited), stale: r.stale === true, active: r.active !== false,
      updated_at: (r.updated_at as string | null) ?? null, drafted_at: (r.drafted_at as string | null) ?? null, reviews,
    });
  }
  return out;
}

/** Findings ranked by potential loss (then amount, then check id); inactive ones last. */
/** Reads only (the service's read connection): no findings table yet means no findings. */
export async function listFindings(ws: Workspace): Promise<FindingRow[]> {
  if (!(await ws.tableExists('findings'))) return [];
  const rows = await ws.all<Record<string, unknown>>(`SELECT * FROM findings
    ORDER BY active DESC, CASE WHEN potential_loss THEN amount ELSE 0 END DESC, amount DESC, check_id`);
  return rowsToFindings(ws, rows);
}

export async function getFinding(ws: Workspace, checkId: string): Promise<FindingRow | undefined> {
  if (!(await ws.tableExists('findings'))) return undefined;
  return (await rowsToFindings(ws, await ws.all(`SELECT * FROM findings WHERE check_id = $c`, { c: checkId })))[0];
}

async function reviewCounts(ws: Workspace, checkId: string, records: number): Promise<{ confirmed: number; cleared: number; open: number }> {
  if (!(await ws.tableExists(`exc_${checkId}`))) return { confirmed: 0, cleared: 0, open: records };
  const r = await ws.one<{ confirmed: number; cleared: number; n: number }>(
    `WITH lr AS (${LATEST_REVIEW_SQL}) SELECT count(*) AS n, count(*) FILTER (WHERE lr.status = 'confirmed') AS confirmed,
       count(*) FILTER (WHERE lr.status = 'cleared') AS cleared
     FROM ${ident(`exc_${checkId}`)} e LEFT JOIN lr ON lr.check_id = $c AND lr.rec_id = e.rec_id`, { c: checkId });
  const confirmed = Number(r?.confirmed ?? 0);
  const cleared = Number(r?.cleared ?? 0);
  return { confirmed, cleared, open: Number(r?.n ?? 0) - confirmed - cleared };
}
