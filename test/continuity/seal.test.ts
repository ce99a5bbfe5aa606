import { chmodSync, copyFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyTrail } from '../../src/engine/trail/trail';
import { verifyCommand, EXIT_SOURCE_MISSING } from '../../src/cli/commands/verify';
import { auditCommand } from '../../src/cli/commands/audit';
import { reperform } from '../../src/engine/checks/reperform';
import { ident } from '../../src/engine/workspace/workspace';
import { demoEngagement, runCli, withWs, type DemoEngagement } from './fixture';

let e: DemoEngagement;
let pristine: string;
beforeAll(async () => {
  e = await demoEngagement({ seed: 7, households: 150, label: 'seal' });
  pristine = join(e.dir, 'pristine.duckdb');
  copyFileSync(e.wsPath, pristine);
}, 120_000);
afterAll(() => e?.dispose());

/** A fresh copy of the untouched engagement for each tamper (the copy keeps the source paths). */
function fresh(name: string): string {
  const p = join(e.dir, `${name}.duckdb`);
  for (const x of [p, `${p}.wal`]) if (existsSync(x)) rmSync(x);
  copyFileSync(pristine, p);
  return p;
}

describe('sealed results', () => {
  it('every exc_* table and potential_loss is in the run\'s seal and verifies', async () => {
    const v = await withWs(fresh('ok'), (ws) => verifyTrail(ws));
    expect(v.breaks).toEqual([]);
    expect(v.ok).toBe(true);
    const tables = await withWs(fresh('ok'), (ws) => ws.all<{ t: string }>(
      `SELECT table_name AS t FROM duckdb_tables() WHERE starts_with(table_name, 'exc_') OR table_name = 'potential_loss' ORDER BY 1`));
    expect(v.results?.sealed).toBe(true);
    expect(v.results?.tables).toBe(tables.length);
    expect(tables.length).toBeGreaterThanOrEqual(18);
  });

  it('delete, insert or edit one row of ANY sealed table: verify exits 1 naming each table', async () => {
    const tables = await withWs(fresh('list'), (ws) => ws.all<{ t: string; n: number }>(
      `SELECT table_name AS t FROM duckdb_tables() WHERE starts_with(table_name, 'exc_') OR table_name = 'potential_loss' ORDER BY 1`));
    const counts = new Map<string, number>();
    await withWs(fresh('count'), async (ws) => { for (const { t } of tables) counts.set(t, Number(await ws.scalar(`SELECT count(*) FROM ${ident(t)}`))); });
    const ops: Record<string, { label: RegExp; sql: (t: string) => string | null }> = {
      delete: { label: /1 row\(s\) deleted/, sql: (t) => (counts.get(t) ? `DELETE FROM ${ident(t)} WHERE rowid = (SELECT min(rowid) FROM ${ident(t)})` : null) },
      insert: { label: /1 row\(s\) added/, sql: (t) => (counts.get(t) ? `INSERT INTO ${ident(t)} SELECT * FROM ${ident(t)} LIMIT 1` : `INSERT INTO ${ident(t)} (rec_id) VALUES (1)`) },
      edit: { label: /row\(s\) edited/, sql: (t) => (counts.get(t) ? `UPDATE ${ident(t)} SET rec_id = rec_id + 1 WHERE rowid = (SELECT min(rowid) FROM ${ident(t)})` : null) },
    };
    let tampered = 0;
    for (const [op, o] of Object.entries(ops)) {
      const p = fresh(`tamper-${op}`);
      const hit: string[] = [];
      await withWs(p, async (ws) => { for (const { t } of tables) { const q = o.sql(t); if (q) { await ws.run(q); hit.push(t); } } });
      const r = await runCli(verifyCommand, ['--workspace', p, '--no-sources']);
      expect(r.code, op).toBe(1);
      const lines = r.out.split('\n').filter((l) => /sealed results: \S+ differs from its seal/.test(l));
      for (const t of hit) {
        const line = lines.find((l) => l.includes(`sealed results: ${t} differs`));
        expect(line, `${op} ${t}`).toBeDefined();
        expect(line!, `${op} ${t}`).toMatch(o.label);
        tampered++;
      }
      expect(lines.length, op).toBe(hit.length);
    }
    expect(tampered).toBeGreaterThanOrEqual(50);
  }, 120_000);

  it('a dropped exceptions table, an edited figure and an edited data row are each named', async () => {
    let p = fresh('drop');
    await withWs(p, (ws) => ws.run('DROP TABLE exc_deceased'));
    let r = await runCli(verifyCommand, ['--workspace', p, '--no-sources']);
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/table exc_deceased was dropped after the run/);
    p = fresh('figure');
    await withWs(p, (ws) => ws.run(`UPDATE check_results SET amount = amount - 1 WHERE check_id = 'deceased'`));
    r = await runCli(verifyCommand, ['--workspace', p, '--no-sources']);
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/summary figures .* differ from the run's seal/);
    p = fresh('datadel');
    await withWs(p, (ws) => ws.run(`DELETE FROM disbursements WHERE rowid = (SELECT min(rowid) FROM disbursements)`));
    r = await runCli(verifyCommand, ['--workspace', p, '--no-sources']);
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/data table disbursements has \d+ rows, \d+ at the run, and no import or removal since/);
  });
});

describe('re-performance', () => {
  it('equal on an untouched workspace; different after an UPDATE of a canonical row', async () => {
    const p = fresh('rp');
    const same = await reperform(p);
    expect(same.ok).toBe(true);
    expect(same.tables.length).toBeGreaterThanOrEqual(18);
    expect(same.tables.every((t) => t.only_stored === 0 && t.only_reperformed === 0)).toBe(true);
    // a paid record with an invalid NIK gets a valid registry NIK: nik_invalid loses it, the potential-loss union changes
    const victim = await withWs(p, (ws) => ws.one<{ rec_id: number }>('SELECT rec_id FROM exc_nik_invalid ORDER BY rec_id LIMIT 1'));
    expect(victim).toBeDefined();
    await withWs(p, (ws) => ws.run(`UPDATE disbursements SET nik = (SELECT nik FROM registry ORDER BY rec_id LIMIT 1) WHERE rec_id = $r`, { r: victim!.rec_id }));
    const diff = await reperform(p);
    expect(diff.ok).toBe(false);
    const t = diff.tables.find((x) => x.table === 'exc_nik_invalid')!;
    expect(t.only_stored).toBe(1);
    expect(t.only_reperformed).toBe(0);
    expect(t.examples[0].row).toContain(String(victim!.rec_id));
    expect(diff.figures.some((f) => f.check_id === 'nik_invalid' && f.field === 'records')).toBe(true);
    const cli = await runCli(verifyCommand, ['--workspace', p, '--no-sources', '--reperform']);
    expect(cli.code).toBe(1);
    expect(cli.out).toMatch(/✗ exc_nik_invalid: (\d+) stored, \d+ re-performed — 1 only stored, 0 only re-performed/);
  }, 120_000);

  it('--from-sources re-imports every source checking its SHA-256 and gets the same tables', async () => {
    const p = fresh('rps');
    const r = await runCli(verifyCommand, ['--workspace', p, '--reperform', '--from-sources', '--json']);
    const j = JSON.parse(r.out);
    expect(j.reperform).toMatchObject({ ok: true, from_sources: true, run_id: 1 });
    expect(j.reperform.sources.length).toBe(e.files.length);
    expect(j.reperform.sources.every((s: { status: string; rows_loaded: number; stored_rows_loaded: number }) => s.status === 'ok' && s.rows_loaded === s.stored_rows_loaded)).toBe(true);
    expect(j.reperform.tables.every((t: { only_stored: number; only_reperformed: number }) => t.only_stored === 0 && t.only_reperformed === 0)).toBe(true);
    expect(r.code).toBe(0);
  }, 300_000);
});

describe('verification gaps (issue 14.6)', () => {
  it('an emptied trail (rows and head key deleted) with data present is broken', async () => {
    const p = fresh('empty');
    await withWs(p, async (ws) => { await ws.run('DELETE FROM audit_trail'); await ws.run(`DELETE FROM meta WHERE key = 'trail_head'`); });
    const r = await runCli(verifyCommand, ['--workspace', p, '--no-sources']);
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/the trail is empty but the workspace holds data \(\d+ import\(s\), registry: \d+ rows/);
  });

  it('a rewritten import_log.sha256 is caught against the trail, and the changed source is still reported', async () => {
    const p = fresh('sha');
    const src = e.files.find((f) => f.kind === 'deaths')!.path;
    const copy = join(e.dir, 'deaths-copy.csv');
    copyFileSync(src, copy);
    await withWs(p, (ws) => ws.run(`UPDATE import_log SET path = $p WHERE kind = 'deaths'`, { p: copy }));
    writeFileSync(copy, 'NIK,TGL_MENINGGAL\n3201010101900001,2025-01-01\n');
    const { sha256File } = await import('../../src/engine/trail/trail');
    const forged = await sha256File(copy);
    await withWs(p, (ws) => ws.run(`UPDATE import_log SET sha256 = $s WHERE kind = 'deaths'`, { s: forged }));
    const r = await runCli(verifyCommand, ['--workspace', p]);
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/import_log\.sha256 of import #\d+ \(kematian[^)]*\) was changed: the trail records [0-9a-f]{64}/);
    expect(r.out).toMatch(/CHANGED +#\d+ kematian/);
  });

  it('a missing source file has its own exit code', async () => {
    const p = fresh('missing');
    const gone = join(e.dir, 'gone.csv');
    await withWs(p, (ws) => ws.run(`UPDATE import_log SET path = $p WHERE kind = 'complaints'`, { p: gone }));
    const r = await runCli(verifyCommand, ['--workspace', p]);
    expect(EXIT_SOURCE_MISSING).toBe(5);
    expect(r.code).toBe(EXIT_SOURCE_MISSING);
    expect(r.out).toMatch(/missing +#\d+ pengaduan/);
  });

  it('--receipt: a workbook and a summary of this chain pass; after a rewritten chain they fail', async () => {
    const p = fresh('receipt');
    const files = e.files;
    const summary = join(e.dir, 'receipt-summary.json');
    const book = join(e.dir, 'receipt.xlsx');
    expect(await auditCommand.run(['--workspace', p, '--disbursements', files.find((f) => f.kind === 'disbursements')!.path,
      '--summary', summary, '--out', book, '--quiet'])).toBe(0);
    for (const rc of [summary, book]) {
      const r = await runCli(verifyCommand, ['--workspace', p, '--no-sources', '--receipt', rc]);
      expect(r.code, rc).toBe(0);
      expect(r.out).toMatch(/ADA DALAM RANTAI .* is entry \d+ of \d+/);
    }
    // Rewrite the whole chain consistently (every hash recomputed, head key too): verify alone says OK
    const { createHash } = await import('node:crypto');
    await withWs(p, async (ws) => {
      const rows = await ws.all<Record<string, string | number>>('SELECT * FROM audit_trail ORDER BY seq');
      let prev = '0'.repeat(64);
      for (const r of rows) {
        const actor = 'forger';
        const h = createHash('sha256').update([r.seq, r.at, actor, r.action, r.params, r.inputs, r.result, prev].join('\u001f'), 'utf8').digest('hex');
        await ws.run('UPDATE audit_trail SET actor = $a, prev_hash = $p, hash = $h WHERE seq = $s', { a: actor, p: prev, h, s: r.seq });
        prev = h;
      }
      await ws.run(`UPDATE meta SET value = $v WHERE key = 'trail_head'`, { v: `${rows[rows.length - 1].seq}:${prev}` });
    });
    expect((await runCli(verifyCommand, ['--workspace', p, '--no-sources'])).code).toBe(0);
    for (const rc of [summary, book]) {
      const r = await runCli(verifyCommand, ['--workspace', p, '--no-sources', '--receipt', rc]);
      expect(r.code, rc).toBe(1);
      expect(r.out).toMatch(/TIDAK ADA .* the chain was rewritten/);
    }
  }, 120_000);

  it('a read-only copy verifies (opened read-only, nothing written)', async () => {
    const p = fresh('ro');
    chmodSync(p, 0o400);
    try {
      // root may write a 0400 file anyway: --read-only says it explicitly (a non-root user gets it from the mode)
      const r = await runCli(verifyCommand, ['--workspace', p, '--no-sources', '--reperform', ...(process.getuid?.() === 0 ? ['--read-only'] : [])]);
      expect(r.out).toMatch(/dibuka hanya-baca/);
      expect(r.out).toMatch(/SAMA \(identical\)/);
      expect(r.code).toBe(0);
    } finally { chmodSync(p, 0o600); }
  }, 120_000);
});
