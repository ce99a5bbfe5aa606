// Issue 16.1: every CLI command is a client of the service (src/cli/service.ts → the in-process transport). Each
// command moved onto it runs here through the CLI on one small real engagement (demo files written by `telisik demo`,
// imported and analysed by `telisik audit`); the test reads back the trail entry it left and checks a figure it printed
// against the workspace's own tables. Then `verify` and `compare` are asked through the HTTP server of a second
// service for the same workspaces: the same answers.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Workspace } from '../../src/engine/workspace/workspace';
import { createEngineService, type EngineService } from '../../src/engine/service';
import { startServer, type RunningServer } from '../../src/server/server';
import { fromWireJson } from '../../src/shared/wire';
import type { Result } from '../../src/shared/result';
import { rupiah } from '../../src/shared/format';
import { demoCommand } from '../../src/cli/commands/demo';
import { auditCommand } from '../../src/cli/commands/audit';
import { verifyCommand } from '../../src/cli/commands/verify';
import { compareCommand } from '../../src/cli/commands/compare';
import { findingsCommand } from '../../src/cli/commands/findings';
import { tlhpCommand } from '../../src/cli/commands/tlhp';
import { queryCommand } from '../../src/cli/commands/query';
import { toolCommand } from '../../src/cli/commands/tool';
import { recipeCommand } from '../../src/cli/commands/recipe';
import { reportCommand } from '../../src/cli/commands/report';
import { reviewImportCommand } from '../../src/cli/commands/review-import';
import { runCli } from '../continuity/fixture';

let dir: string;
let ws1: string;
let ws0: string;
let files: { kind: string; path: string; rows: number }[] = [];

interface TrailRow { seq: number; action: string; params: Record<string, unknown>; result: Record<string, unknown> }
async function sql<T>(path: string, q: string): Promise<T[]> {
  const ws = await Workspace.open(path);
  try { return await ws.all<T>(q); } finally { await ws.close(); }
}
const headSeq = async (path: string) => Number((await sql<{ n: number }>(path, 'SELECT coalesce(max(seq), 0) AS n FROM audit_trail'))[0].n);
/** The trail entries a command left (after `seq`). */
async function since(path: string, seq: number): Promise<TrailRow[]> {
  const rows = await sql<{ seq: number; action: string; params: string; result: string }>(path,
    `SELECT seq, "action", params::VARCHAR AS params, "result"::VARCHAR AS result FROM audit_trail WHERE seq > ${seq} ORDER BY seq`);
  return rows.map((r) => ({ seq: Number(r.seq), action: r.action, params: JSON.parse(r.params ?? 'null') ?? {}, result: JSON.parse(r.result ?? 'null') ?? {} }));
}
/** Runs a command and answers its output with the trail entries it left on `path`. */
async function cli(cmd: { run(a: string[]): Promise<number> }, argv: string[], path = ws1) {
  const before = await headSeq(path);
  const r = await runCli(cmd, argv);
  return { ...r, trail: await since(path, before) };
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'telisik-clipath-'));
  // telisik demo: the generator through the service's generateDemo task (no engagement); it prints each file's rows
  const out = join(dir, 'demo');
  const d = await runCli(demoCommand, ['--out', out, '--households', '80', '--seed', '3', '--no-truth']);
  expect(d.code).toBe(0);
  files = [...d.out.matchAll(/^(\w+)\s+(\S+)\s+\((\d+) rows\)$/gm)].map((m) => ({ kind: m[1], path: m[2], rows: Number(m[3]) }));
  expect(files.length).toBeGreaterThanOrEqual(6);
  const flags = (fs: typeof files) => fs.flatMap((f) => [`--${f.kind.replace(/_/g, '-')}`, f.path]);
  ws1 = join(dir, 'periode2.duckdb');
  expect(await auditCommand.run(['--workspace', ws1, ...flags(files), '--quiet'])).toBe(0);
  // the previous period: the disbursements and registry only
  ws0 = join(dir, 'periode1.duckdb');
  expect(await auditCommand.run(['--workspace', ws0, ...flags(files.filter((f) => f.kind === 'registry' || f.kind === 'disbursements')), '--quiet'])).toBe(0);
}, 240_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('every command through the service: its trail entry and a figure it prints', () => {
  it('demo: the rows it printed are the rows the import read', async () => {
    const log = await sql<{ file: string; rows_read: number; kind: string }>(ws1, `SELECT file, rows_read, kind FROM import_log WHERE status = 'completed'`);
    for (const f of files.filter((x) => /\.csv$/i.test(x.path))) {
      const name = f.path.split('/').pop()!;
      const imp = log.find((l) => l.file === name);
      expect(imp, name).toBeDefined();
      expect(Number(imp!.rows_read), name).toBe(f.rows);
    }
  });

  it('verify: the entry count and head it prints are the trail\'s; it writes no entry', async () => {
    const r = await cli(verifyCommand, ['--workspace', ws1, '--no-sources']);
    expect(r.code).toBe(0);
    expect(r.trail).toEqual([]);
    const [h] = await sql<{ seq: number; hash: string }>(ws1, 'SELECT seq, hash FROM audit_trail ORDER BY seq DESC LIMIT 1');
    expect(r.out).toContain(`${Number(h.seq)} entri — rantai utuh`);
    expect(r.out).toContain(`head ${Number(h.seq)}:${h.hash}`);
    expect(r.out).toMatch(/Hasil tersegel \(sealed results\), run 1: \d+ tabel cocok/);
  });

  it('findings: the ranked list prints each finding\'s rupiah; a review leaves review.exceptions and moves the figures', async () => {
    const r = await cli(findingsCommand, ['--workspace', ws1]);
    expect(r.code).toBe(0);
    expect(r.trail).toEqual([]);
    const [top] = await sql<{ check_id: string; amount: number; records: number }>(ws1,
      `SELECT check_id, amount::DOUBLE AS amount, records FROM findings ORDER BY active DESC, CASE WHEN potential_loss THEN amount ELSE 0 END DESC, amount DESC, check_id LIMIT 1`);
    const line = r.out.split('\n').find((l) => /^ 1 {2}/.test(l))!;
    expect(line).toContain(top.check_id);
    expect(line).toContain(rupiah(top.amount));
    const [rec] = await sql<{ rec_id: number }>(ws1, `SELECT rec_id FROM exc_${top.check_id} ORDER BY rec_id LIMIT 1`);
    const rv = await cli(findingsCommand, ['--workspace', ws1, '--review', top.check_id, '--status', 'confirmed', '--rec', String(rec.rec_id), '--reviewer', 'Ketua Tim']);
    expect(rv.code).toBe(0);
    expect(rv.out).toMatch(new RegExp(`^1 pengecualian ${top.check_id} -> confirmed\\. Terkonfirmasi 1, dikecualikan 0, belum direviu ${Number(top.records) - 1}\\.`, 'm'));
    expect(rv.trail.map((t) => t.action)).toEqual(['review.exceptions']);
    const dr = await cli(findingsCommand, ['--workspace', ws1, '--draft']);
    expect(dr.code).toBe(0);
    expect(dr.trail.map((t) => t.action)).toEqual(['findings.draft']);
  });

  it('tlhp: sync leaves tlhp.sync and lists the findings\' recommendations; set leaves tlhp.update', async () => {
    const r = await cli(tlhpCommand, ['sync', '--workspace', ws1]);
    expect(r.code).toBe(0);
    expect(r.trail.map((t) => t.action)).toContain('tlhp.sync');
    const n = (await sql<{ n: number }>(ws1, 'SELECT count(*) AS n FROM tlhp_recommendations'))[0].n;
    expect(Number(n)).toBeGreaterThan(0);
    expect(r.out).toMatch(new RegExp(`^${Number(n)} rekomendasi — `, 'm'));
    const key = (await sql<{ rec_key: string }>(ws1, 'SELECT rec_key FROM tlhp_recommendations ORDER BY rec_key LIMIT 1'))[0].rec_key;
    const s = await cli(tlhpCommand, ['set', '--workspace', ws1, '--rec', key, '--status', 'sesuai', '--by', 'Auditor B', '--recovered', '1500000']);
    expect(s.code).toBe(0);
    expect(s.out).toContain(`${key}: Sesuai dengan rekomendasi (dinilai Auditor B)`);
    expect(s.trail.map((t) => t.action)).toEqual(['tlhp.update']);
  });

  it('query: the count it prints is the table\'s; the statement is in the trail with via cli', async () => {
    const r = await cli(queryCommand, ['--workspace', ws1, 'SELECT program, count(*) AS n, sum(amount) AS rp FROM disbursements GROUP BY 1 ORDER BY 1', '--csv']);
    expect(r.code).toBe(0);
    const want = await sql<{ program: string; n: number; rp: number }>(ws1, 'SELECT program, count(*) AS n, sum(amount)::DOUBLE AS rp FROM disbursements GROUP BY 1 ORDER BY 1');
    expect(r.out.split('\n')).toEqual(['program,n,rp', ...want.map((w) => `${w.program},${Number(w.n)},${w.rp}`)]);
    expect(r.trail).toHaveLength(1);
    expect(r.trail[0]).toMatchObject({ action: 'query.run', params: { via: 'cli', tables: ['disbursements'] }, result: { rows: want.length } });
  });

  it('tool: benford prints n = the positive amounts and leaves tool.benford; sample leaves its draw', async () => {
    const r = await cli(toolCommand, ['benford', '--workspace', ws1, '--table', 'disbursements', '--column', 'amount']);
    expect(r.code).toBe(0);
    const n = Number((await sql<{ n: number }>(ws1, 'SELECT count(*) AS n FROM disbursements WHERE amount >= 10'))[0].n);
    expect(r.out).toMatch(new RegExp(`amount: n = ${n} `));
    expect(r.trail.map((t) => t.action)).toEqual(['tool.benford']);
    const s = await cli(toolCommand, ['sample', '--workspace', ws1, '--table', 'disbursements', '--method', 'random', '--size', '7', '--seed', '4', '--name', 'uji_cli']);
    expect(s.code).toBe(0);
    const pop = Number((await sql<{ n: number }>(ws1, 'SELECT count(*) AS n FROM disbursements'))[0].n);
    expect(s.out).toContain(`Sampel random sample_uji_cli: 7 dari ${pop} record, seed 4`);
    expect(s.trail.map((t) => t.action)).toEqual(['sample.random']);
    expect(Number((await sql<{ n: number }>(ws1, 'SELECT count(*) AS n FROM sample_uji_cli'))[0].n)).toBe(7);
  });

  it('recipe: save leaves recipe.save and prints the inputs it holds', async () => {
    const out = join(dir, 'resep.json');
    const r = await cli(recipeCommand, ['save', '--workspace', ws1, '--out', out]);
    expect(r.code).toBe(0);
    expect(r.trail.map((t) => t.action)).toEqual(['recipe.save']);
    expect(r.out).toContain(`Resep ditulis: ${out}`);
    expect(r.out).toMatch(new RegExp(`^  ${files.length} input \\(`, 'm'));
    const chk = await runCli(recipeCommand, ['check', out]);
    expect(chk.out).toContain(`resep telisik.recipe/1 sah — ${files.length} input, 0 workbook`);
  });

  it('review-import: a field sheet returned unfilled applies nothing, leaves review.import, prints its rows', async () => {
    const book = join(dir, 'uji-petik.xlsx');
    expect((await runCli(reportCommand, ['--workspace', ws1, '--kind', 'field-sample', '--out', book, '--sample', '5', '--seed', '1'])).code).toBe(0);
    const r = await cli(reviewImportCommand, ['--workspace', ws1, book, '--reviewer', 'Ketua Tim']);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^ {2}baris 5, terisi 0, kosong 5$/m);
    expect(r.out).toMatch(/reviu ditulis 0/);
    expect(r.trail.map((t) => t.action)).toEqual(['review.import']);
  });

  it('compare: the rupiah it prints per status is the sum of the exception amounts; leaves compare.periods', async () => {
    const r = await cli(compareCommand, ['--workspace', ws1, '--previous', ws0, '--json']);
    expect(r.code).toBe(0);
    expect(r.trail.map((t) => t.action)).toEqual(['compare.periods']);
    const c = JSON.parse(r.out) as { totals: { new: { amount: number; keys: number } }; checks: { check_id: string; new: { amount: number }; persisting: { amount: number } }[] };
    const t = await cli(compareCommand, ['--workspace', ws1, '--previous', ws0]);
    const total = t.out.split('\n').find((l) => l.startsWith('total'))!;
    expect(total).toContain(`Rp ${Math.round(c.totals.new.amount).toLocaleString('id-ID')}`);
    // this period's exceptions of a check are new or persisting: their rupiah add up to the exceptions table's
    const dec = (await sql<{ n: number; rp: number }>(ws1, 'SELECT count(*) AS n, coalesce(sum(amount), 0)::DOUBLE AS rp FROM exc_deceased'))[0];
    expect(Number(dec.n)).toBeGreaterThan(0);
    const row = c.checks.find((x) => x.check_id === 'deceased')!;
    expect(row.new.amount + row.persisting.amount).toBeCloseTo(dec.rp, 2);
  });
});

describe('the CLI and the service (HTTP) give the same answers', () => {
  let svc: EngineService;
  let srv: RunningServer;
  async function api<T>(name: string, args: unknown = {}): Promise<T> {
    const body = JSON.stringify(args);
    const text = await new Promise<string>((ok, fail) => {
      const req = request({ host: '127.0.0.1', port: srv.port, method: 'POST', path: `/api/${name}`, headers: { 'x-telisik-token': srv.token, 'content-type': 'application/json' } }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c) => chunks.push(c));
        res.on('end', () => ok(Buffer.concat(chunks).toString('utf8')));
      });
      req.on('error', fail);
      req.end(body);
    });
    const r = fromWireJson(text) as Result<T>;
    if (!r.ok) throw new Error(`${name}: ${r.error.code} ${r.error.message}`);
    return r.value;
  }
  beforeAll(async () => {
    const data = join(dir, 'svc');
    mkdirSync(data, { recursive: true });
    svc = createEngineService({ dataDir: data, mode: 'web', version: 'test' });
    srv = await startServer({ service: svc, port: 0 });
  });
  afterAll(async () => { await srv?.close(); await svc?.close(); });

  it('verify: the trail verification and the sealed results', async () => {
    await api('openWorkspace', { path: ws1 });
    const viaHttp = await api<Record<string, unknown>>('verifyTrail', { check_sources: true });
    await api('closeWorkspace');
    const r = await runCli(verifyCommand, ['--workspace', ws1, '--json']);
    const viaCli = JSON.parse(r.out) as Record<string, unknown>;
    expect(viaCli.read_only).toBe(false);
    delete viaCli.read_only;
    expect(viaCli).toEqual(viaHttp);
    expect(viaHttp).toMatchObject({ ok: true, breaks: [] });
    expect((viaHttp.sources as unknown[]).length).toBe(files.length);
    expect(r.code).toBe(0);
  });

  it('compare: the period comparison and a drill-down', async () => {
    await api('openWorkspace', { path: ws1 });
    const viaHttp = await api<{ checks: { check_id: string; new: { keys: number } }[] }>('comparePeriods', { previous: ws0 });
    const check = viaHttp.checks.find((c) => c.new.keys > 0)!.check_id;
    const recsHttp = await api<Record<string, unknown>[]>('comparisonRecords', { previous: ws0, check_id: check, status: 'new', limit: 20 });
    await api('closeWorkspace');
    const r = await runCli(compareCommand, ['--workspace', ws1, '--previous', ws0, '--json']);
    expect(JSON.parse(r.out)).toEqual(viaHttp);
    const d = await runCli(compareCommand, ['--workspace', ws1, '--previous', ws0, '--check', check, '--status', 'new', '--limit', '20', '--json']);
    expect(JSON.parse(d.out)).toEqual(JSON.parse(JSON.stringify(recsHttp)));
    expect(recsHttp.length).toBeGreaterThan(0);
  });
});

describe('the boundary stays: src/cli reaches src/engine only through src/cli/service.ts', () => {
  it('the layer lint refuses an engine import in a command', async () => {
    const { spawnSync } = await import('node:child_process');
    const root = mkdtempSync(join(tmpdir(), 'lint-cli-'));
    try {
      const put = (p: string, text: string) => { mkdirSync(join(root, p, '..'), { recursive: true }); writeFileSync(join(root, p), text); };
      put('src/cli/service.ts', "import { inProcessClient } from '../engine/service/inprocess';\n");
      put('src/cli/commands/x.ts', "import { withService } from '../service';\nimport { Workspace } from '../../engine/workspace/workspace';\n");
      put('src/cli/main.ts', "import type { Summary } from '../shared/summary';\n");
      const r = spawnSync(process.execPath, [join(__dirname, '..', '..', 'scripts', 'lint-layers.mjs')], { encoding: 'utf8', env: { ...process.env, LINT_LAYERS_ROOT: root } });
      expect(r.status).toBe(1);
      expect(r.stderr.split('\n').filter((l) => l.startsWith('src/'))).toEqual([
        "src/cli/commands/x.ts:2: src/cli must not import from src/engine except in src/cli/service.ts (commands call the service) ('../../engine/workspace/workspace')",
      ]);
    } finally { rmSync(root, { recursive: true, force: true }); }
  });
});
