import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditCommand, parseMaps } from '../../src/cli/commands/audit';
import { UsageError } from '../../src/cli/args';
import { Workspace } from '../../src/engine/workspace/workspace';

// End to end through the ingest module: CSV extracts → `telisik audit --summary`.
let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'telisik-audit-'));
  writeFileSync(join(dir, 'dtks.csv'), [
    'NIK;NO_KK;NAMA;TGL_LAHIR;JENIS_KELAMIN;DESIL;KODE_WILAYAH',
    '3201011505900001;3201010101100001;BUDI SANTOSO;15/05/1990;L;2;32.01.01.2001',
    '3201015203850002;3201010101100001;SRI WAHYUNI;12/03/1985;P;3;32.01.01.2001',
    '3201012007700003;3201010101100003;JOKO;20/07/1970;L;6;32.01.01.2001',
  ].join('\n') + '\n');
  writeFileSync(join(dir, 'salur.csv'), [
    'NIK,NAMA_PENERIMA,JENIS_BANSOS,NOMINAL,PERIODE,TGL_SALUR,STATUS,NO_REKENING',
    '3201011505900001,Budi Santoso,SEMBAKO,"Rp 200.000",Januari 2024,15/01/2024,TERSALUR,111', // line 2
    '3201011505900001,Budi Santoso,SEMBAKO,200000,Januari 2024,20/01/2024,SUKSES,111', // line 3: duplicate of line 2
    '3201015203850002,Sri Wahyuni,BPNT,200000,2024-01,15/01/2024,,222', // line 4: same household as line 2
    '3201012007700003,Joko,BPNT,200000,2024-03,01/03/2024,TERSALUR,333', // line 5: after death; desil 6
    '\'3.20101E+15,X,BLT DESA,300000,2024-01,15/01/2024,GAGAL,444', // line 6: failed
  ].join('\n') + '\n');
  writeFileSync(join(dir, 'mati.csv'), 'NIK,TGL_MENINGGAL\n3201012007700003,10/02/2024\n');
});
afterAll(() => { rmSync(dir, { recursive: true, force: true }); });

describe('telisik audit', () => {
  it('imports, runs and writes the summary', async () => {
    const out = join(dir, 'summary.json');
    const log = console.log; const err = console.error;
    console.log = () => undefined; console.error = () => undefined;
    try {
      expect(await auditCommand.run(['--registry', join(dir, 'dtks.csv'), '--disbursements', join(dir, 'salur.csv'),
        '--deaths', join(dir, 'mati.csv'), '--summary', out])).toBe(0);
    } finally { console.log = log; console.error = err; }
    const s = JSON.parse(readFileSync(out, 'utf8'));
    expect(s.schema).toBe('telisik.summary/1');
    expect(s.inputs.map((i: { kind: string; rows_read: number; rows_loaded: number }) => [i.kind, i.rows_read, i.rows_loaded]))
      .toEqual([['registry', 3, 3], ['disbursements', 5, 5], ['deaths', 1, 1]]);
    expect(s.checks.duplicate_payment).toMatchObject({ evaluated: true, records: 1, recipients: 1, amount: 200000 });
    expect(s.checks.household_duplicate).toMatchObject({ records: 1, amount: 200000 });
    expect(s.checks.deceased).toMatchObject({ records: 1, amount: 200000 });
    expect(s.checks.ineligible_desil).toMatchObject({ records: 1, amount: 200000 });
    expect(s.checks.undistributed).toMatchObject({ records: 1, amount: 300000 });
    expect(s.checks.civil_servant).toEqual({ evaluated: false });
    expect(s.checks.realization_mismatch).toEqual({ evaluated: false });
    // potential loss: lines 3 (duplicate), 4 (household), 5 (deceased + desil: once)
    expect(s.potential_loss).toMatchObject({ records: 3, recipients: 3, amount: 600000 });
    // BPNT: B = {KK …0001 (lines 2, 3, 4: 600k), KK …0003 (line 5: 200k)}; T = {…0001} (desil 2; …0003 has desil 6)
    expect(s.targeting.BPNT).toMatchObject({ beneficiary_households: 2, target_households: 1, inclusion_error: 0.5, exclusion_error: 0 });
    expect(s.targeting.BPNT.leakage).toBeCloseTo(200000 / 800000, 12);
    expect(s.budget).toEqual({ evaluated: false });
  });

  it('re-running on the same workspace does not import an extract twice', async () => {
    const ws = join(dir, 'ws.duckdb');
    const a = join(dir, 'a.json'); const b = join(dir, 'b.json');
    const args = ['--workspace', ws, '--registry', join(dir, 'dtks.csv'), '--disbursements', join(dir, 'salur.csv'), '--quiet'];
    expect(await auditCommand.run([...args, '--summary', a])).toBe(0);
    expect(await auditCommand.run([...args, '--summary', b])).toBe(0);
    // Byte-identical apart from trail_head (the receipt of each run: issue 14.6), which names a later chain entry.
    const ja = JSON.parse(readFileSync(a, 'utf8')); const jb = JSON.parse(readFileSync(b, 'utf8'));
    expect(jb.trail_head.seq).toBeGreaterThan(ja.trail_head.seq);
    delete ja.trail_head; delete jb.trail_head;
    expect(JSON.stringify(jb, null, 2)).toBe(JSON.stringify(ja, null, 2));
    expect(JSON.parse(readFileSync(b, 'utf8')).inputs).toHaveLength(2);
    // The CLI runs the app's analysis (one path through the service): each run drafts the findings and records it.
    const w = await Workspace.open(ws);
    try {
      const drafted = await w.all<{ check_id: string; records: number }>(`SELECT check_id, records FROM findings WHERE active ORDER BY check_id`);
      expect(drafted.find((f) => f.check_id === 'duplicate_payment')).toMatchObject({ records: 1 });
      expect(drafted.find((f) => f.check_id === 'household_duplicate')).toMatchObject({ records: 1 });
      const actions = (await w.all<{ action: string }>(`SELECT action FROM audit_trail ORDER BY seq`)).map((x) => x.action);
      expect(actions.filter((x) => x === 'run_checks')).toHaveLength(2);
      expect(actions.filter((x) => x === 'findings.draft')).toHaveLength(2);
      expect(actions.indexOf('findings.draft')).toBeGreaterThan(actions.indexOf('run_checks'));
    } finally { await w.close(); }
  });

  it('flags', async () => {
    expect(parseMaps(['registry.nik=NO NIK', 'civil-servants.agency=SATKER'])).toEqual({ registry: { nik: 'NO NIK' }, civil_servants: { agency: 'SATKER' } });
    expect(() => parseMaps(['nik=NIK'])).toThrow(UsageError);
    await expect(auditCommand.run(['--registry', 'a.csv'])).rejects.toThrow(/--disbursements is required/);
    await expect(auditCommand.run(['--disbursements', 'a.csv', '--bogus', '1'])).rejects.toThrow(/unknown option --bogus/);
  });
});
