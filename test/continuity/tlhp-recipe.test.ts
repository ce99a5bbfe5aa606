import { copyFileSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { carryRecommendations, listRecommendations, syncRecommendations, updateRecommendation } from '../../src/engine/continuity/tlhp';
import { parseRecipe, RECIPE_FORMAT } from '../../src/engine/continuity/recipe';
import { recipeCommand } from '../../src/cli/commands/recipe';
import { auditCommand } from '../../src/cli/commands/audit';
import { tlhpCommand } from '../../src/cli/commands/tlhp';
import { writeReport } from '../../src/engine/reports';
import { verifyTrail } from '../../src/engine/trail/trail';
import { demoEngagement, runCli, withWs, type DemoEngagement } from './fixture';
import { Workspace } from '../../src/engine/workspace/workspace';

let s1: DemoEngagement;   // semester I (seed 11)
let s2: DemoEngagement;   // semester II (seed 12)
beforeAll(async () => {
  s1 = await demoEngagement({ seed: 11, households: 120, label: 'tlhp1', period: 'Semester I 2025' });
  s2 = await demoEngagement({ seed: 12, households: 120, label: 'tlhp2', period: 'Semester II 2025' });
}, 180_000);
afterAll(() => { s1?.dispose(); s2?.dispose(); });

describe('TLHP', () => {
  it('recommendations carried across two engagements with their follow-up, written to the TLHP workbook and read back', async () => {
    const keys = await withWs(s1.wsPath, async (ws) => {
      const r = await syncRecommendations(ws);
      expect(r.added).toBeGreaterThan(3);
      const recs = await listRecommendations(ws);
      const byCheck = (c: string) => recs.find((x) => x.check_id === c)!.rec_key;
      await updateRecommendation(ws, byCheck('deceased'), { status: 'belum_sesuai', judged_by: 'Auditor A', action: 'Penagihan ke ahli waris', evidence: 'Surat 12/2025', action_date: '2025-06-30', recovered: 450000 });
      await updateRecommendation(ws, byCheck('duplicate_payment'), { status: 'sesuai', judged_by: 'Auditor A', action: 'Disetor ke kas negara', recovered: 200000 });
      await expect(updateRecommendation(ws, byCheck('nik_invalid'), { status: 'sesuai' })).rejects.toThrow(/auditor/);
      const tl = await ws.all<{ action: string }>(`SELECT "action" FROM audit_trail WHERE starts_with("action", 'tlhp.')`);
      expect(tl.map((t) => t.action)).toEqual(['tlhp.sync', 'tlhp.update', 'tlhp.update']);
      return { total: recs.length, deceased: byCheck('deceased'), dup: byCheck('duplicate_payment') };
    });
    const own2 = await withWs(s2.wsPath, async (ws) => { await syncRecommendations(ws); return (await listRecommendations(ws)).length; });
    const carried = await withWs(s2.wsPath, (ws) => carryRecommendations(ws, s1.wsPath));
    expect(carried).toEqual({ carried: keys.total - 1, skipped_closed: 1, already: 0 });   // the `sesuai` one is closed
    const again = await withWs(s2.wsPath, (ws) => carryRecommendations(ws, s1.wsPath));
    expect(again).toMatchObject({ carried: 0, already: keys.total - 1 });
    const recs = await withWs(s2.wsPath, (ws) => listRecommendations(ws));
    expect(recs.length).toBe(own2 + keys.total - 1);
    const dec = recs.find((r) => r.rec_key === keys.deceased)!;
    expect(dec).toMatchObject({ status: 'belum_sesuai', action: 'Penagihan ke ahli waris', evidence: 'Surat 12/2025', action_date: '2025-06-30', recovered: 450000, judged_by: 'Auditor A' });
    expect(dec.origin).toMatch(/Semester I 2025/);
    expect(dec.carried_from).toContain(s1.wsPath);
    expect(recs.some((r) => r.rec_key === keys.dup)).toBe(false);
    // judged again in semester II, through the CLI
    const set = await runCli(tlhpCommand, ['set', '--workspace', s2.wsPath, '--rec', keys.deceased, '--status', 'sesuai', '--by', 'Auditor B', '--recovered', '900000']);
    expect(set.code).toBe(0);
    const out = join(s2.dir, 'tlhp.xlsx');
    const r = await withWs(s2.wsPath, (ws) => writeReport(ws, { kind: 'tlhp', out }));
    expect(r.sheets.slice(0, 2)).toEqual(['Matriks TLHP', 'Rekap Status TLHP']);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(out);
    const m = wb.getWorksheet('Matriks TLHP')!;
    let header = 0;
    m.eachRow((row, n) => { if (row.getCell(1).value === 'No') header = n; });
    const hdr = (m.getRow(header).values as unknown[]).map(String);
    const col = (h: string) => hdr.indexOf(h);
    const rows = [];
    for (let n = header + 1; n <= m.rowCount; n++) rows.push(m.getRow(n));
    expect(rows.length).toBe(recs.length);
    const decRow = rows.find((row) => row.getCell(col('Kunci rekomendasi')).value === keys.deceased)!;
    expect(decRow.getCell(col('Status')).value).toBe('Sesuai dengan rekomendasi');
    expect(decRow.getCell(col('Nilai pemulihan (Rp)')).value).toBe(900000);
    expect(decRow.getCell(col('Tindak lanjut entitas')).value).toBe('Penagihan ke ahli waris');
    expect(decRow.getCell(col('Dinilai oleh')).value).toBe('Auditor B');
    const recap = wb.getWorksheet('Rekap Status TLHP')!;
    const counts: Record<string, unknown> = {};
    recap.eachRow((row, n) => { if (n > 1) counts[String(row.getCell(1).value)] = row.getCell(2).value; });
    expect(counts['Sesuai dengan rekomendasi']).toBe(1);
    expect(counts.Jumlah).toBe(recs.length);
    expect(await withWs(s2.wsPath, async (ws) => (await verifyTrail(ws, { checkSources: false })).breaks)).toEqual([]);
  }, 120_000);
});

describe('audit recipes', () => {
  it('a recipe saved on one demo seed and replayed on another gives the same checks, parameters and mappings', async () => {
    // engagement settings to carry: a programme rule, event dates, a profile; a run of a subset with a parameter
    await withWs(s1.wsPath, async (ws) => {
      await ws.run(`INSERT OR REPLACE INTO settings VALUES ('programme_rules', '{"programmes":{"BPNT":{"max_desil":5}}}'::JSON)`);
      await ws.run(`INSERT OR REPLACE INTO settings VALUES ('event_dates', '[{"date":"2025-02-14","label":"Pilkada"}]'::JSON)`);
      await ws.run(`INSERT OR REPLACE INTO mapping_profiles VALUES ('salur-bank', 'disbursements', '{"nik":"NIK","amount":"NOMINAL"}'::JSON, now()::TIMESTAMP)`);
      const { runChecks } = await import('../../src/engine/checks');
      await runChecks(ws, { only: ['deceased', 'identity_duplicate', 'ineligible_desil', 'targeting'], params: { identity_duplicate: { min_similarity: 0.95 } } });
      await writeReport(ws, { kind: 'kkp', out: join(s1.dir, 'kkp.xlsx'), maskNik: true, preparedBy: 'Auditor A' });
    });
    const recipePath = join(s1.dir, 'resep.json');
    const saved = await runCli(recipeCommand, ['save', '--workspace', s1.wsPath, '--out', recipePath]);
    expect(saved.code).toBe(0);
    const text = readFileSync(recipePath, 'utf8');
    expect(text).not.toContain(s1.dir);                 // no machine paths
    expect(text).not.toMatch(/\d{16}/);                  // no NIKs (no data)
    const recipe = JSON.parse(text);
    expect(recipe.format).toBe(RECIPE_FORMAT);
    expect(recipe.run.only).toEqual(['deceased', 'identity_duplicate', 'ineligible_desil', 'targeting']);
    expect(recipe.workbooks).toEqual([expect.objectContaining({ kind: 'kkp', mask_nik: true, prepared_by: 'Auditor A' })]);

    // replay on semester II's files (seed 12) into a new workspace
    const w2 = join(s2.dir, 'replay.duckdb');
    const flags: Record<string, string> = { registry: 'registry', disbursements: 'disbursements', deaths: 'deaths', civil_servants: 'civil-servants', budget: 'budget', complaints: 'complaints', flags: 'flags' };
    const argv = ['--workspace', w2, '--recipe', recipePath, '--out-dir', join(s2.dir, 'out'), '--quiet'];
    for (const [kind, f] of Object.entries(flags)) {
      const files = s2.files.filter((x) => x.kind === kind).map((x) => x.path);
      if (files.length) argv.push(`--${f}`, ...files);
    }
    expect(await auditCommand.run(argv)).toBe(0);
    const replayed = await withWs(w2, async (ws) => ({
      run: await ws.scalar<string>(`SELECT params::VARCHAR FROM analysis_runs ORDER BY run_id DESC LIMIT 1`),
      checks: (await ws.all<{ check_id: string }>('SELECT check_id FROM check_results ORDER BY check_id')).map((r) => r.check_id),
      mappings: await ws.all<{ kind: string; file: string; mapping: string }>(`SELECT kind, file, mapping::VARCHAR AS mapping FROM import_log ORDER BY import_id`),
      rules: await ws.scalar<string>(`SELECT value::VARCHAR FROM settings WHERE key = 'programme_rules'`),
      events: await ws.scalar<string>(`SELECT value::VARCHAR FROM settings WHERE key = 'event_dates'`),
      profiles: await ws.scalar<number>(`SELECT count(*) FROM mapping_profiles WHERE name = 'salur-bank'`),
    }));
    const original = await withWs(s1.wsPath, async (ws) => ({
      run: await ws.scalar<string>(`SELECT params::VARCHAR FROM analysis_runs ORDER BY run_id DESC LIMIT 1`),
      mappings: await ws.all<{ kind: string; file: string; mapping: string }>(`SELECT kind, file, mapping::VARCHAR AS mapping FROM import_log ORDER BY import_id`),
    }));
    expect(JSON.parse(replayed.run)).toEqual(JSON.parse(original.run));    // checks, effective rules, every resolved parameter
    expect(JSON.parse(replayed.run).params.identity_duplicate.min_similarity).toBe(0.95);
    expect(JSON.parse(replayed.run).rules.programmes.BPNT.max_desil).toBe(5);
    expect(replayed.checks).toEqual(['deceased', 'identity_duplicate', 'ineligible_desil']);
    const norm = (ms: { kind: string; file: string; mapping: string }[]) => ms.map((m) => [m.kind, m.file, JSON.parse(m.mapping)]).sort((a, b) => `${a[0]}/${a[1]}`.localeCompare(`${b[0]}/${b[1]}`));
    expect(replayed.mappings.length).toBe(s2.files.length);   // every demo extract (13 since contract 2's three comparison lists)
    expect(norm(replayed.mappings)).toEqual(norm(original.mappings));   // import order may differ: same files, same mappings
    expect(JSON.parse(replayed.events)).toEqual([{ date: '2025-02-14', label: 'Pilkada' }]);
    expect(JSON.parse(replayed.rules)).toMatchObject({ programmes: { BPNT: { max_desil: 5 } } });
    expect(Number(replayed.profiles)).toBe(1);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(join(s2.dir, 'out', '01-kkp.xlsx'));
    expect(wb.getWorksheet('KKP')).toBeDefined();
  }, 180_000);

  it('wrong kind of file, unknown version and unknown field are clear errors', async () => {
    const ok = JSON.parse(readFileSync(join(s1.dir, 'resep.json'), 'utf8'));
    expect(() => parseRecipe('{"schema":"telisik.summary/1","checks":{}}', 's.json')).toThrow(/ringkasan hasil .* not a recipe/);
    expect(() => parseRecipe('NIK;NAMA\n1;2\n', 'x.csv')).toThrow(/bukan JSON/);
    expect(() => parseRecipe('PK\u0003\u0004....', 'x.xlsx')).toThrow(/workbook\/zip, bukan resep/);
    expect(() => parseRecipe(JSON.stringify({ ...ok, format: 'telisik.recipe/9' }))).toThrow(/versi resep telisik\.recipe\/9 tidak didukung/);
    expect(() => parseRecipe(JSON.stringify({ ...ok, colour: 'red' }))).toThrow(/kolom tidak dikenal "colour"/);
    expect(() => parseRecipe(JSON.stringify({ ...ok, inputs: [{ ...ok.inputs[0], delimiter: ';' }] }))).toThrow(/"inputs\[0\]\.delimiter"/);
    expect(() => parseRecipe(JSON.stringify({ ...ok, run: { ...ok.run, only: ['bogus_check'] } }))).toThrow(/prosedur tidak dikenal "bogus_check"/);
    const bad = join(s1.dir, 'bad.json');
    writeFileSync(bad, JSON.stringify({ ...ok, extra: 1 }));
    await expect(auditCommand.run(['--recipe', bad, '--disbursements', s2.files.find((f) => f.kind === 'disbursements')!.path])).rejects.toThrow(/kolom tidak dikenal "extra"/);
    copyFileSync(join(s1.dir, 'kkp.xlsx'), join(s1.dir, 'kkp-as-recipe.json'));
    const chk = runCli(recipeCommand, ['check', join(s1.dir, 'kkp-as-recipe.json')]);
    await expect(chk).rejects.toThrow(/bukan resep/);
    expect(Workspace).toBeDefined();
  });
});
