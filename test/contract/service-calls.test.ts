// Every contract call, for real, against a demo engagement (synthetic extracts generated and imported by openDemo).
// The list of exercised calls is compared with the contract, so a new call without a test fails here.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { tableFromIPC } from 'apache-arrow';
import { CALL_NAMES, type AnyEvent, type CompletedEvent, type FailedEvent } from '../../src/shared/contract';
import type { Result } from '../../src/shared/result';
import { createEngineService, type EngineService } from '../../src/engine/service';

let dir: string;
let svc: EngineService;
const events: AnyEvent[] = [];
const used = new Set<string>();

async function call<T = any>(name: string, args: unknown = {}): Promise<T> { // eslint-disable-line @typescript-eslint/no-explicit-any
  used.add(name);
  const r = (await svc.invoke(name, args)) as Result<T>;
  if (!r.ok) throw new Error(`${name} failed: ${r.error.code} ${r.error.message}`);
  return r.value;
}
async function settle(task_id: string): Promise<CompletedEvent | FailedEvent> {
  for (let i = 0; i < 1200; i++) {
    const e = events.find((x) => (x.event === 'completed' || x.event === 'failed') && x.data.task_id === task_id);
    if (e) return e.data as CompletedEvent | FailedEvent;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`task ${task_id} did not settle`);
}
async function task<T = any>(name: string, args: unknown): Promise<T> { // eslint-disable-line @typescript-eslint/no-explicit-any
  const { task_id } = await call<{ task_id: string }>(name, args);
  const e = await settle(task_id);
  if ('error' in e) throw new Error(`${name} task failed: ${e.error.code} ${e.error.message}`);
  return e.value as T;
}

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'telisik-calls-'));
  svc = createEngineService({ dataDir: join(dir, 'data'), mode: 'web', version: 'test' });
  svc.onEvent((e) => events.push(e));
});
afterAll(async () => {
  await svc.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('every contract call against a demo engagement', () => {
  it('runs the whole audit through the service', async () => {
    // ---- before any engagement
    expect(await call('appInfo')).toMatchObject({ name: 'telisik' });
    expect((await call('listDir', { path: dir })).path).toBe(dir);
    expect(await call('recentWorkspaces')).toEqual([]);
    expect(await call('workspaceInfo')).toBeNull();
    expect((await call('getSettings')).programme_rules.BPNT.expected_amount).toBe(200000);
    expect((await call('importKinds')).map((k: { kind: string }) => k.kind)).toContain('disbursements');
    const catalogue = await call('listChecks');
    expect(catalogue.length).toBeGreaterThanOrEqual(17);
    // each check's family and potential-loss membership come from its own definition
    expect(catalogue.find((c: { id: string }) => c.id === 'deceased')).toMatchObject({ family: 'ghost', family_label_id: 'Penerima Fiktif/Ganda', family_label_en: 'Ghost recipients', in_potential_loss: true });
    expect(catalogue.find((c: { id: string }) => c.id === 'flagged_recipient')).toMatchObject({ family: 'eligibility', family_label_en: 'Targeting accuracy', in_potential_loss: false });

    // ---- demo: generate + import as a task with progress
    const info = await task('openDemo', { dir: join(dir, 'demo') });
    expect(info.tables.disbursements).toBeGreaterThan(1000);
    expect(events.some((e) => e.event === 'progress' && e.data.kind === 'demo' && e.data.phase.startsWith('import:'))).toBe(true);
    expect(events.some((e) => e.event === 'workspace' && e.data.info?.is_demo)).toBe(true);
    expect((await call('workspaceInfo')).is_demo).toBe(true);
    expect((await call('recentWorkspaces'))[0].path).toBe(info.path);

    // ---- data
    const tables = await call('listTables', {});
    expect(tables.map((t: { name: string }) => t.name)).toEqual(expect.arrayContaining(['registry', 'disbursements', 'disbursements_enriched']));
    const page = await call('tablePage', { table: 'disbursements_enriched', offset: 0, limit: 50, filter: [{ column: 'desil', op: 'lte', value: 4 }, { column: 'paid_date', op: 'between', value: '2025-02-01', value2: '2025-02-31' }], sort: [{ column: 'amount', dir: 'desc' }] });
    const t = tableFromIPC(page.arrow);
    expect(t.numRows).toBeGreaterThan(0);
    for (const r of t.toArray()) expect(String(r.toJSON().paid_date).startsWith('2025-02')).toBe(true);
    expect((await call('columnProfile', { table: 'disbursements', column: 'amount' })).rows).toBe(info.tables.disbursements);
    const imports = await call('listImports');
    expect(imports.length).toBeGreaterThanOrEqual(4);
    expect(imports[0].quality).not.toBeNull();
    const withRejects = imports.find((i: { rows_rejected: number }) => i.rows_rejected > 0) ?? imports[0];
    expect((await call('rejectsPage', { import_id: withRejects.import_id, offset: 0, limit: 10 })).total).toBe(withRejects.rows_rejected);
    const csv = readdirSync(join(dir, 'demo')).find((f) => f.startsWith('penyaluran') && f.endsWith('.csv'))!;
    const pv = await call('previewFile', { path: join(dir, 'demo', csv) });
    expect(pv.suggested_kind).toBe('disbursements');
    expect(pv.missing_required).toEqual([]);
    await call('saveProfile', { name: 'salur-demo', kind: 'disbursements', mapping: pv.suggested_mapping });
    expect((await call('listProfiles', { kind: 'disbursements' })).map((p: { name: string }) => p.name)).toContain('salur-demo');
    expect(await call('deleteProfile', { name: 'salur-demo' })).toEqual({ deleted: true });

    // ---- analysis: cancel one run, then run all
    const cancelled = await call<{ task_id: string }>('runAnalysis', {});
    expect(await call('cancelTask', { task_id: cancelled.task_id })).toEqual({ cancelled: true });
    const ce = await settle(cancelled.task_id);
    expect('error' in ce && ce.error.code).toBe('cancelled');
    const run = await task('runAnalysis', {});
    expect(run.checks.length).toBeGreaterThanOrEqual(17);
    expect(run.potential_loss.amount).toBeGreaterThan(0);
    expect((await call('listTasks')).map((x: { status: string }) => x.status)).toEqual(expect.arrayContaining(['cancelled', 'completed']));
    expect((await call('analysisResults', {})).run_id).toBe(run.run_id);
    const summary = await call('analysisSummary');
    expect(summary.schema).toBe('telisik.summary/1');
    // contract 2: the impact/oversight calls carry the run's summary figures, and their full tables agree with them
    const imp = await call('impactIndicators', {});
    expect(imp.summary).toEqual(summary.impact);
    for (const c of imp.detail.coverage) {
      expect(summary.impact.coverage[c.program]).toMatchObject({ desil_1_2: c.desil_1_2.coverage, desil_1_4: c.desil_1_4.coverage });
    }
    expect(summary.impact.complementarity).toMatchObject({ pkh: imp.detail.complementarity.pkh, bpnt: imp.detail.complementarity.bpnt, both: imp.detail.complementarity.both });
    expect(summary.impact.graduation.evaluated).toBe(imp.detail.graduation.evaluated);
    const imp2 = await call('impactIndicators', { poverty_line: 700000 });
    expect(imp2.detail.params.poverty_line).toBe(700000);
    const ov = await call('oversightSignals', { min_history: 3, events: [{ date: '2025-06-01', label: 'Pilkada' }] });
    expect(ov.summary).toEqual(summary.oversight);
    expect(ov.detail.timing.params).toMatchObject({ minHistory: 3, events: [{ date: '2025-06-01', label: 'Pilkada' }] });
    expect(ov.detail.summary.total).toBe(summary.oversight.complaints.total ?? 0);
    const dash = await call('dashboard');
    expect(dash.headline.potential_loss.amount).toBe(run.potential_loss.amount);
    expect(dash.loss_by_check.length).toBeGreaterThan(0);
    expect(dash.monthly.length).toBeGreaterThan(0);
    expect(dash.incidence_by_desil.length).toBeGreaterThan(0);

    // ---- findings and reviews
    const findings = await call('listFindings');
    expect(findings.length).toBeGreaterThan(0);
    const f0 = findings[0];
    expect((await call('getFinding', { check_id: f0.check_id })).kondisi.length).toBeGreaterThan(0);
    expect((await call('updateFinding', { check_id: f0.check_id, text: { tanggapan: 'Entitas sependapat.' } })).tanggapan).toBe('Entitas sependapat.');
    const exc = await call('exceptionsPage', { check_id: 'deceased', offset: 0, limit: 5, mask: false });
    const recs = tableFromIPC(exc.arrow).toArray().map((r) => r.toJSON().rec_id as number);
    expect(recs.length).toBeGreaterThan(0);
    expect(await call('reviewExceptions', { check_id: 'deceased', rec_ids: recs.slice(0, 2), status: 'confirmed', note: 'cek lapangan' })).toEqual({ updated: 2 });
    const all = await call('reviewAll', { check_id: 'deceased', status: 'cleared', note: 'bulk', only_status: 'open' });
    expect(all.updated).toBe(exc.total_rows - 2);
    expect((await call('exceptionsPage', { check_id: 'deceased', offset: 0, limit: 1, status: 'confirmed' })).total_rows).toBe(2);
    // Without a sort the exceptions keep rec_id order after reviews (docs/contract-requests.md #7).
    const after = await call('exceptionsPage', { check_id: 'deceased', offset: 0, limit: 5, mask: false });
    expect(tableFromIPC(after.arrow).toArray().map((r) => r.toJSON().rec_id)).toEqual([...recs].sort((x, y) => x - y));
    // Concurrent reads on the shared read connection all complete (docs/contract-requests.md #6).
    const many = await Promise.all(Array.from({ length: 24 }, (_, i) => (i % 3 === 0 ? svc.invoke('listFindings', {})
      : i % 3 === 1 ? svc.invoke('exceptionsPage', { check_id: 'deceased', offset: i, limit: 20 })
        : svc.invoke('tablePage', { table: 'disbursements_enriched', offset: i * 10, limit: 5000, sort: [{ column: 'amount', dir: 'desc' }] }))));
    expect(many.map((r) => (r.ok ? 'ok' : r.error.message))).toEqual(many.map(() => 'ok'));
    // …and every page is complete: an interleaved DuckDB stream silently ends early instead of failing.
    for (const r of many) {
      if (!r.ok || !('arrow' in (r.value as object))) continue;
      const p = r.value as { table: string; arrow: Uint8Array; total_rows: number; offset: number };
      const want = Math.min(p.table === 'disbursements_enriched' ? 5000 : 20, p.total_rows - p.offset);
      expect(tableFromIPC(p.arrow).numRows).toBe(want);
    }

    // ---- general audit tools
    expect((await call('toolBenford', { table: 'disbursements', column: 'amount' })).rows.length).toBe(9);
    expect((await call('benfordRecords', { table: 'disbursements', column: 'amount', digit: 2, offset: 0, limit: 5 })).total).toBeGreaterThan(0);
    const dup = await call('toolDuplicates', { table: 'disbursements', keys: ['nik', 'program', 'period_key'] });
    expect(dup.summary.groups).toBeGreaterThan(0);
    // Masking is on by default: NIKs never leave the engine in clear, in grids, tool rows or tool data.
    for (const r of dup.rows) if (typeof r.nik === 'string' && r.nik.length === 16) expect(r.nik).toMatch(/^\d{4}\*{8}\d{4}$/);
    expect(JSON.stringify(dup.data)).not.toMatch(/(?<![0-9A-Za-z])\d{16}(?![0-9A-Za-z])/);
    const pg = await call('tablePage', { table: 'registry', offset: 0, limit: 20 });
    for (const r of tableFromIPC(pg.arrow).toArray()) expect(String(r.toJSON().nik)).not.toMatch(/^\d{16}$/);
    expect((await call('toolGaps', { table: 'disbursements', column: 'paid_date' })).tool).toBe('gaps');
    expect((await call('toolStratify', { table: 'disbursements', column: 'amount', strata: 4 })).rows.length).toBeGreaterThan(0);
    expect((await call('toolAgeing', { table: 'disbursements', column: 'paid_date', as_of: '2025-12-31', amount_column: 'amount' })).rows.length).toBeGreaterThan(0);
    expect((await call('toolPivot', { table: 'disbursements', rows: ['program'], value: 'amount' })).rows.length).toBeGreaterThan(0);
    const sample = await call('toolSample', { table: 'disbursements', method: 'random', size: 25, seed: 7, name: 'uji_petik' });
    expect(sample.result_table).toBe('sample_uji_petik');
    expect((await call('toolProfile', { table: 'registry' })).rows.length).toBeGreaterThan(5);

    // ---- exports and workbooks (tasks)
    // dir/out is outside the engagement's folder (dir/demo): the output-path policy asks for confirmation (issue 14).
    const out = await task('exportTable', { table: 'exc_deceased', format: 'csv', out: join(dir, 'out', 'deceased.csv'), confirm_outside: true });
    expect(out.rows).toBe(exc.total_rows);
    const wb = await task('writeReport', { kind: 'field_sample', out: join(dir, 'out', 'uji-petik.xlsx'), mask: true, sample_size: 10, seed: 1, confirm_outside: true });
    expect(wb.bytes).toBeGreaterThan(1000);
    expect(wb.rows).toBeGreaterThan(0);
    expect(wb.sha256).toMatch(/^[0-9a-f]{64}$/);
    // the summary file: the same summary as analysisSummary, with the trail head as its receipt
    const sf = await call('writeSummary', { out: join(dir, 'out', 'ringkasan.json'), confirm_outside: true });
    const written = JSON.parse(readFileSync(sf.path, 'utf8'));
    expect(written.trail_head.seq).toBeGreaterThan(0);
    expect({ ...written, trail_head: undefined }).toEqual({ ...summary, trail_head: undefined });
    expect((await call('importReviewWorkbook', { path: wb.path })).updated).toBe(0);

    // ---- trail and settings
    const trail = await call('listTrail', { offset: 0, limit: 500 });
    expect(trail.rows.map((e: { action: string }) => e.action)).toEqual(expect.arrayContaining(['demo.generate', 'export.table']));
    expect((await call('verifyTrail', { check_sources: true })).ok).toBe(true);
    const st = await call('updateSettings', { event_dates: [{ date: '2024-11-27', label: 'Pilkada serentak' }], thresholds: { spike_z: 3 }, programme_rules: { BPNT: { expected_amount: 250000 } }, language: 'en', masking_default: true });
    expect(st.programme_rules.BPNT.expected_amount).toBe(250000);
    expect(st.thresholds.spike_z).toBe(3);
    expect(st.event_dates).toHaveLength(1);
    expect((await call('resetProgrammeRules')).programme_rules.BPNT.expected_amount).toBe(200000);

    // ---- import of another extract as a task
    const other = join(dir, 'sekolah.csv');
    writeFileSync(other, 'NPSN;NAMA_SEKOLAH;SISWA\n20200001;SDN 1 Contoh;312\n20200002;SDN 2 Contoh;198\n');
    const imported = await task('importFiles', { files: [{ path: other, kind: 'other', table: 'sekolah' }] });
    expect(imported[0].rows_loaded).toBe(2);
    expect((await call('listTables', {})).map((x: { name: string }) => x.name)).toContain('other_sekolah');
    const qp = await call('query', { sql: 'SELECT count(*) AS n FROM other_sekolah', offset: 0, limit: 10 });
    expect(Number(tableFromIPC(qp.arrow).toArray()[0].toJSON().n)).toBe(2);
    expect((await call('removeImport', { import_id: imported[0].import_id, reason: 'uji penghapusan' })).rows_removed).toBe(2);
    expect((await call('revealFile', { path: out.path })).path).toBe(out.path);

    // ---- engagements
    const demoPath = info.path;
    const fresh = await call('createWorkspace', { path: join(dir, 'baru'), name: 'Penugasan Baru', entity: 'Inspektorat Kab. Contoh' });
    expect(fresh.tables.registry).toBe(0);
    expect(await call('closeWorkspace')).toBeNull();
    expect((await call('openWorkspace', { path: demoPath })).name).toMatch(/Contoh/);
    expect((await call('openWorkspace', { path: demoPath })).path).toBe(demoPath); // already open: no-op
    // A failed open or create leaves the current engagement open.
    expect(await svc.invoke('openWorkspace', { path: other })).toMatchObject({ ok: false, error: { code: 'invalid_input' } });
    expect(await svc.invoke('createWorkspace', { path: demoPath, name: 'dup' })).toMatchObject({ ok: false, error: { code: 'exists' } });
    expect((await call('workspaceInfo')).path).toBe(demoPath);

    // ---- continuity (issue 15): recipe, comparison with a previous engagement (the fresh one, closed), TLHP
    // outside the engagement's folders the output-path policy asks for confirmation first
    expect(await svc.invoke('saveRecipe', { out: join(dir, 'out', 'resep.json') })).toMatchObject({ ok: false, error: { code: 'confirm_required' } });
    const recipe = await call('saveRecipe', { out: join(dir, 'out', 'resep.json'), confirm_outside: true });
    expect(recipe.inputs).toBeGreaterThan(5);
    expect((await call('readRecipe', { path: recipe.path })).format).toBe('telisik.recipe/1');
    expect((await call('applyRecipe', { path: recipe.path })).inputs).toHaveLength(recipe.inputs);
    expect(await svc.invoke('readRecipe', { path: join(dir, 'out', 'uji-petik.xlsx') })).toMatchObject({ ok: false, error: { code: 'invalid_input' } });
    const cmp = await call('comparePeriods', { previous: fresh.path });
    expect(cmp.totals.resolved.keys).toBe(0);
    expect(cmp.totals.new.keys).toBeGreaterThan(10);
    const firstNew = cmp.checks.find((c: { new: { keys: number } }) => c.new.keys > 0);
    expect((await call('comparisonRecords', { previous: fresh.path, check_id: firstNew.check_id, status: 'new', limit: 5 })).length).toBeGreaterThan(0);
    const tl = await call('tlhpList');
    expect(tl.length).toBeGreaterThan(3);
    expect(await call('tlhpUpdate', { rec_key: tl[0].rec_key, status: 'belum_sesuai', action: 'Dalam proses', recovered: 1000 })).toMatchObject({ status: 'belum_sesuai', recovered: 1000 });
    expect(await call('tlhpCarry', { previous: fresh.path })).toEqual({ carried: 0, skipped_closed: 0, already: 0 });

    // ---- CLI parity calls (issue 16.1): what the command line needed, exercised here like every other call
    const receipt = await call('checkReceipt', { path: sf.path });
    expect(receipt).toMatchObject({ ok: true, seq: written.trail_head.seq, hash: written.trail_head.hash });
    const figures = await call('findingFigures', { check_id: 'deceased' });
    expect(figures.all.records).toBe(figures.confirmed.records + figures.cleared.records + figures.open.records);
    expect(figures.all.records).toBeGreaterThan(0);
    const drafted = await call('draftFindings', {});
    expect(drafted.drafted).toContain('deceased');
    expect(await call('tlhpSync')).toEqual({ added: 0, updated: expect.any(Number) }); // tlhpList synced already
    const gen = await task('generateDemo', { out: join(dir, 'gen'), households: 30, seed: 2 });
    expect(gen.files.map((f: { kind: string }) => f.kind)).toEqual(expect.arrayContaining(['registry', 'disbursements', 'deaths']));
    expect(gen.truth_path).toBe(join(dir, 'gen', 'truth.json'));
    const truthDiff = await call('compareDemoTruth', { summary: sf.path, truth: gen.truth_path });
    expect(truthDiff.differences.length).toBeGreaterThan(0); // another population: its truth differs from this summary
    expect(await call('compareDemoTruth', { summary: sf.path, truth: join(dir, 'demo', 'truth.json') })).toEqual({ differences: [] });
    // reperformRun on an engagement without a completed run: refused as invalid_input, the engagement open again after
    expect((await call('openWorkspace', { path: fresh.path })).path).toBe(fresh.path);
    const { task_id: rp } = await call<{ task_id: string }>('reperformRun', {});
    expect(await settle(rp)).toMatchObject({ error: { code: 'invalid_input' } });
    expect((await call('workspaceInfo')).path).toBe(fresh.path);

    expect([...used].sort()).toEqual([...CALL_NAMES].sort());
  }, 240_000);
});
