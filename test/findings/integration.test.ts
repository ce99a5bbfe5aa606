import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { join } from 'node:path';
import type { Workspace } from '../../src/engine/workspace/workspace';
import { generateDemo } from '../../src/engine/demo';
import { importFile } from '../../src/engine/ingest';
import { runChecks, POTENTIAL_LOSS_CHECKS } from '../../src/engine/checks';
import { draftFindings, findingFigures, listFindings, reviewExceptions } from '../../src/engine/findings';
import { computeImpact } from '../../src/engine/indicators/impact/impact';
import { complaintsSummary, disbursementTiming, flaggedComplaints } from '../../src/engine/indicators/oversight/oversight';
import { benford, sampleMus } from '../../src/engine/tools';
import { verifyTrail } from '../../src/engine/trail/trail';
import { findingsCommand } from '../../src/cli/commands/findings';
import { toolCommand } from '../../src/cli/commands/tool';
import { tempWorkspace } from '../tools/_ws';
import { InputError } from '../../src/cli/args';

let ws: Workspace;
let dir: string;
let dispose: () => Promise<void>;
const timings: Record<string, number> = {};

async function timed<T>(label: string, f: () => Promise<T>): Promise<T> {
  const t = Date.now();
  try { return await f(); } finally { timings[label] = Date.now() - t; }
}

async function cli(cmd: { run(a: string[]): Promise<number> }, args: string[]): Promise<{ code: number; out: string }> {
  const lines: string[] = [];
  const log = vi.spyOn(console, 'log').mockImplementation((...a: unknown[]) => { lines.push(a.join(' ')); });
  const err = vi.spyOn(console, 'error').mockImplementation((...a: unknown[]) => { lines.push(a.join(' ')); });
  try { return { code: await cmd.run(args), out: lines.join('\n') }; } finally { log.mockRestore(); err.mockRestore(); }
}

beforeAll(async () => {
  ({ ws, dir, dispose } = await tempWorkspace('integration'));
  const demo = await timed('demo', () => generateDemo({ outDir: join(dir, 'demo'), households: 600, seed: 11, truth: false }));
  await timed('import', async () => { for (const f of demo.files) await importFile(ws, { kind: f.kind, path: f.path }); });
  await timed('checks', () => runChecks(ws, {}));
});
afterAll(async () => { console.info('integration timings (ms)', timings); await ws.close().catch(() => undefined); await dispose(); });

describe('findings over a real check run (demo engagement)', () => {
  it('drafts a finding per check with exceptions, matching check_results', async () => {
    const d = await timed('draft', () => draftFindings(ws));
    const results = await ws.all<{ check_id: string; records: number; amount: number }>(
      `SELECT check_id, records, amount FROM check_results WHERE CAST(run_id AS VARCHAR) = $r AND evaluated AND records > 0`, { r: d.run_id });
    expect(d.drafted.sort()).toEqual(results.map((r) => r.check_id).sort());
    expect(d.drafted.length).toBeGreaterThan(5);
    const list = await listFindings(ws);
    const loss = list.filter((f) => POTENTIAL_LOSS_CHECKS.includes(f.check_id));
    // ranked: potential-loss findings first, by amount
    expect(list.slice(0, loss.length).map((f) => f.check_id)).toEqual(loss.map((f) => f.check_id));
    for (let i = 1; i < loss.length; i++) expect(loss[i - 1].amount).toBeGreaterThanOrEqual(loss[i].amount);
    for (const f of list) {
      const r = results.find((x) => x.check_id === f.check_id)!;
      expect(f.records).toBe(Number(r.records));
      expect(f.kondisi).toMatch(/^Terdapat /);
      expect(f.kriteria.length).toBeGreaterThan(50);
      const fig = await findingFigures(ws, f.check_id);
      expect(fig.all.records).toBe(Number(r.records));
      expect(fig.all.amount).toBeCloseTo(Number(r.amount), 2);
    }
    const first = list[0];
    const recs = await ws.all<{ rec_id: number }>(`SELECT rec_id FROM exc_${first.check_id} ORDER BY rec_id LIMIT 2`);
    await reviewExceptions(ws, { check_id: first.check_id, rec_ids: recs.map((r) => r.rec_id), status: 'confirmed', reviewer: 'tester' });
    expect((await findingFigures(ws, first.check_id)).confirmed.records).toBe(2);
    expect((await verifyTrail(ws)).ok).toBe(true);
  });

  it('CLI: findings list/show/review and tool benford/sample', async () => {
    // the CLI opens the workspace itself: one DuckDB instance per file at a time
    const top = (await listFindings(ws))[0].check_id;
    const rec = (await ws.all<{ rec_id: number }>(`SELECT rec_id FROM exc_${top} ORDER BY rec_id DESC LIMIT 1`))[0].rec_id;
    const path = ws.path;
    await ws.close();
    let r = await cli(findingsCommand, ['--workspace', ws.path]);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^ 1 {2}\w+/m);
    r = await cli(findingsCommand, ['--workspace', ws.path, '--show', top]);
    expect(r.out).toMatch(/KONDISI/);
    r = await cli(findingsCommand, ['--workspace', ws.path, '--review', top, '--status', 'cleared', '--rec', String(rec), '--note', 'dokumen lengkap']);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/dikecualikan 1/);
    r = await cli(toolCommand, ['benford', '--workspace', ws.path, '--table', 'disbursements', '--column', 'amount']);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/MAD/);
    r = await cli(toolCommand, ['sample', '--workspace', ws.path, '--table', 'disbursements', '--method', 'mus', '--amount', 'amount', '--size', '30', '--seed', '5', '--name', 'uji']);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/Sampel mus sample_uji: \d+ dari \d+ record, seed 5/);
    // a wrong column is an input error (exit 3 through main)
    await expect(cli(toolCommand, ['profile', '--workspace', ws.path, '--table', 'disbursements', '--column', 'nope'])).rejects.toBeInstanceOf(InputError);
    const { Workspace: W } = await import('../../src/engine/workspace/workspace');
    ws = await W.open(path);
    expect(await ws.tableExists('sample_uji')).toBe(true);
    expect((await findingFigures(ws, top)).cleared.records).toBe(1);
  });

  it('tools, impact and oversight run on the demo data', async () => {
    const b = await timed('benford', () => benford(ws, { table: 'disbursements', column: 'amount' }));
    // fixed programme amounts (BPNT 200.000, BLT_DD 300.000) dominate: Benford does not apply
    expect(b.applicable).toBe(false);
    const s = await sampleMus(ws, { name: 'mus_demo', table: 'disbursements', amountColumn: 'amount', size: 50, seed: 1 });
    expect(s.sample_size).toBeGreaterThan(0);
    const imp = await timed('impact', () => computeImpact(ws));
    expect(imp.evaluated).toBe(true);
    expect(imp.coverage.length).toBeGreaterThan(0);
    const t = await timed('timing', () => disbursementTiming(ws, { events: [{ date: '2024-11-27', label: 'Pilkada 2024' }] }));
    expect(t.evaluated).toBe(true);
    const c = await complaintsSummary(ws);
    const fc = await flaggedComplaints(ws);
    expect(c.evaluated ? c.total : 0).toBeGreaterThanOrEqual(fc.total);
  });
});
