import { spawnSync } from 'node:child_process';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { importCommand } from '../../src/cli/commands/import';
import { tablesCommand } from '../../src/cli/commands/tables';
import { InputError, UsageError } from '../../src/cli/args';
import { detectKind, importFile, ImportError, listTables, pageTable } from '../../src/engine/ingest';
import { NIK1, NIK2, setup, type Ctx } from './helpers';

let c: Ctx;
beforeAll(async () => { c = await setup(); });
afterAll(async () => { await c.close(); });

describe('other kinds', () => {
  it('registry: sex, desil, birth date, KK, region code; quality counts duplicates, invalid NIKs and unknown prefixes', async () => {
    const p = c.file('dtks.csv', [
      'NIK|NO_KK|NAMA_LENGKAP|TGL_LAHIR|JENIS_KELAMIN|DESIL|KODE_DESA|ALAMAT|PERIODE_DATA',
      `${NIK1}|320101010190000|Budi|01-01-1990|LAKI-LAKI|DESIL 3|32.01.01.2001|Jl. A|2025-01`,
      `${NIK1}|320101010190000|Budi|01-01-1990|L|3.0|32.01.01.2001|Jl. A|2025-01`,
      `${NIK2}||Ani|15 Mei 1985|Perempuan|11|3201012001||2025-01`,
      `9901014101900001||X|tanggal?|?||||`,
    ].join('\n'));
    const r = await importFile(c.ws, { kind: 'registry', path: p });
    expect(r.rows_loaded).toBe(4);
    const rows = await c.ws.all<Record<string, unknown>>(`SELECT * FROM registry WHERE _import_id = $id ORDER BY _line`, { id: r.import_id });
    expect(rows.map((x) => [x.sex, x.desil, x.birth_date, x.region_code])).toEqual([
      ['L', 3, '1990-01-01', '3201012001'], ['L', 3, '1990-01-01', '3201012001'], ['P', null, '1985-05-15', '3201012001'], [null, null, null, null]]);
    expect(r.quality.registry_duplicates).toEqual({ duplicate_niks: 1, duplicate_rows: 1 });
    expect(r.quality.nik?.invalid_by_reason).toEqual({ province: 1 });
    expect(r.quality.columns.desil.unparseable).toBe(1);
    expect(r.quality.columns.birth_date.unparseable).toBe(1);
    expect(r.quality.columns.sex.unparseable).toBe(1);
    expect(r.quality.kk?.invalid).toBe(2);
    const log = await c.ws.one<{ quality: string }>(`SELECT quality::VARCHAR AS quality FROM import_log WHERE import_id = $id`, { id: r.import_id });
    expect(JSON.parse(log!.quality).registry_duplicates.duplicate_rows).toBe(1);
  });

  it('deaths require death_date; budget requires program and allocation; complaints require received_date', async () => {
    const d = c.file('mati.csv', `NIK,TGL_KEMATIAN\n${NIK1},2024-02-30\n${NIK2},2024-03-01\n`);
    const rd = await importFile(c.ws, { kind: 'deaths', path: d });
    expect([rd.rows_loaded, rd.rows_rejected]).toEqual([1, 1]);
    const b = c.file('pagu.csv', `PROGRAM;PAGU;REALISASI;SUMBER_DANA;TAHUN_ANGGARAN;KODE_KAB;TARGET_KPM\nBLT Desa;Rp 1.000.000.000;950.000.000,50;Dana Desa;TA 2025;32.01;1.234\nPKH;;5;APBN;2025;;\n`);
    const rb = await importFile(c.ws, { kind: 'budget', path: b });
    expect([rb.rows_loaded, rb.rows_rejected]).toEqual([1, 1]);
    const [line] = await c.ws.all<Record<string, unknown>>(`SELECT * FROM budget WHERE _import_id = $id`, { id: rb.import_id });
    expect(line).toMatchObject({ program: 'BLT_DD', allocation: 1e9, realization: 950000000.5, year: 2025, region_code: '3201', target_recipients: 1234 });
    const k = c.file('lapor.csv', `NO_TIKET,TGL_PENGADUAN,KANAL,KATEGORI,NIK,ISI_PENGADUAN,TGL_SELESAI\nT1,05/03/2025,LAPOR!,Salah sasaran,${NIK1},"Tetangga kaya dapat, saya tidak",\nT2,,WA,X,,y,\n`);
    const rk = await importFile(c.ws, { kind: 'complaints', path: k });
    expect([rk.rows_loaded, rk.rows_rejected]).toEqual([1, 1]);
  });

  it("kind 'other': types inferred, long digit strings and leading zeros stay text", async () => {
    const p = c.file('Sekolah 2025.csv', `NPSN,NAMA_SEKOLAH,JUMLAH_SISWA,RASIO,TGL_DATA,KODE,NIK_KEPSEK\n20201234,SD 1,120,1.5,2025-01-02,007,${NIK1}\n20201235,SD 2,80,2.25,2025-01-03,010,${NIK2}\n`);
    const r = await importFile(c.ws, { kind: 'other', path: p });
    expect(r.target_table).toBe('other_sekolah_2025');
    const types = Object.fromEntries((await c.ws.all<{ column_name: string; data_type: string }>(`SELECT column_name, data_type FROM duckdb_columns() WHERE table_name = 'other_sekolah_2025'`)).map((x) => [x.column_name, x.data_type]));
    expect(types).toMatchObject({ NPSN: 'BIGINT', NAMA_SEKOLAH: 'VARCHAR', JUMLAH_SISWA: 'BIGINT', RASIO: 'DOUBLE', TGL_DATA: 'DATE', KODE: 'VARCHAR', NIK_KEPSEK: 'VARCHAR' });
    const r2 = await importFile(c.ws, { kind: 'other', path: p, table: 'sekolah' });
    expect(r2.target_table).toBe('other_sekolah');
    const tables = await listTables(c.ws);
    expect(tables.find((t) => t.table === 'other_sekolah')?.rows).toBe(2);
  });

  it('detectKind guesses from headers', () => {
    expect(detectKind(['NIK', 'NAMA', 'JENIS_BANSOS', 'NOMINAL'])).toBe('disbursements');
    expect(detectKind(['NIK', 'NAMA', 'TGL_MENINGGAL'])).toBe('deaths');
    expect(detectKind(['NIK', 'NAMA', 'TGL_LAHIR', 'DESIL'])).toBe('registry');
    expect(detectKind(['NIK', 'NAMA', 'INSTANSI'])).toBe('civil_servants');
    expect(detectKind(['PROGRAM', 'PAGU', 'REALISASI'])).toBe('budget');
    expect(detectKind(['NO_TIKET', 'TGL_PENGADUAN', 'URAIAN'])).toBe('complaints');
    expect(detectKind(['NPSN', 'NAMA_SEKOLAH'])).toBe('other');
  });
});

describe('pageTable', () => {
  it('sorts and filters in SQL with validated identifiers and bound values', async () => {
    const p = c.file('page.csv', ['NIK,NAMA,PROGRAM,NOMINAL', ...Array.from({ length: 30 }, (_, i) => `${NIK1},N${i},${i % 2 ? 'PKH' : 'BPNT'},${(i + 1) * 1000}`)].join('\n'));
    await importFile(c.ws, { kind: 'disbursements', path: p });
    const r = await pageTable(c.ws, { table: 'disbursements', offset: 2, limit: 3, sort: [{ column: 'amount', dir: 'desc' }], filter: [{ column: 'program', op: '=', value: 'PKH' }, { column: 'amount', op: '>=', value: '5000' }] });
    expect(r.total).toBe(13);
    expect(r.rows.map((x) => x.amount)).toEqual([26000, 24000, 22000]);
    const s = await pageTable(c.ws, { table: 'disbursements', filter: [{ column: 'name', op: 'contains', value: "n1'; DROP TABLE registry; --" }] });
    expect(s.total).toBe(0);
    expect(await c.ws.tableExists('registry')).toBe(true);
    await expect(pageTable(c.ws, { table: 'disbursements', sort: [{ column: 'amount; DROP TABLE x', dir: 'asc' }] })).rejects.toThrow(/unknown column/);
    await expect(pageTable(c.ws, { table: 'nope' })).rejects.toThrow(/not found/);
  });
});

describe('failure mid-file', () => {
  it('rolls back: canonical table, rejects and trail unchanged; raw table gone; import_log failed', async () => {
    const w = await setup('telisik-ingest-fail-');
    try {
      // a budget table that refuses large allocations: the INSERT fails after the raw rows were appended
      await w.ws.run(`DROP TABLE budget`);
      await w.ws.run(`CREATE TABLE budget (rec_id BIGINT, _import_id INTEGER, _file VARCHAR, _line BIGINT, program VARCHAR, program_raw VARCHAR,
        allocation DECIMAL(18,2) CHECK (allocation < 1000), realization DECIMAL(18,2), fund_source VARCHAR, year INTEGER, period VARCHAR,
        region_code VARCHAR, target_recipients BIGINT, kk VARCHAR, name VARCHAR)`);
      const ok = w.file('ok.csv', 'PROGRAM,PAGU\nPKH,5\n');
      await importFile(w.ws, { kind: 'budget', path: ok });
      const snap = async () => [await w.ws.scalar('SELECT count(*) FROM budget'), await w.ws.scalar('SELECT count(*) FROM rejects'), await w.ws.scalar('SELECT count(*) FROM audit_trail')].map(Number);
      const before = await snap();
      const bad = w.file('bad.csv', ['PROGRAM,PAGU', ...Array.from({ length: 500 }, (_, i) => `PKH,${i < 499 ? 5 : 5000}`), 'BPNT,'].join('\n'));
      const err = await importFile(w.ws, { kind: 'budget', path: bad }).catch((e) => e);
      expect(err).toBeInstanceOf(ImportError);
      expect(err.message).toMatch(/bad\.csv/);
      expect(await snap()).toEqual(before);
      const log = await w.ws.one<{ status: string; import_id: number; message: string }>(`SELECT status, import_id, message FROM import_log ORDER BY import_id DESC LIMIT 1`);
      expect(log?.status).toBe('failed');
      expect(await w.ws.tableExists(`raw_${log!.import_id}`)).toBe(false);
    } finally { await w.close(); }
  });
});

describe('CLI', () => {
  /** Runs `telisik …` in-process (no child process: fast) and captures its output. */
  async function cli(args: string[]): Promise<{ code: number; out: string; err: string }> {
    const out: string[] = [], err: string[] = [];
    const log = vi.spyOn(console, 'log').mockImplementation((...a: unknown[]) => { out.push(a.join(' ')); });
    const error = vi.spyOn(console, 'error').mockImplementation((...a: unknown[]) => { err.push(a.join(' ')); });
    const cmd = args[0] === 'import' ? importCommand : tablesCommand;
    let code: number;
    try { code = await cmd.run(args.slice(1)); } catch (e) {
      // the same mapping as src/cli/main.ts
      if (e instanceof UsageError) code = 2; else if (e instanceof InputError) code = 3; else throw e;
      err.push((e as Error).message);
    } finally { log.mockRestore(); error.mockRestore(); }
    return { code, out: out.join('\n'), err: err.join('\n') };
  }
  it('import prints counts and quality; tables lists; exit codes 0/2/3', async () => {
    const wsPath = join(c.dir, 'cli.duckdb');
    const f = c.file('cli.csv', `NIK_KTP;NAMA;BANSOS;NILAI\n${NIK1};A;PKH;"1.000"\n;B;PKH;5\n`);
    const r = await cli(['import', '--workspace', wsPath, '--kind', 'disbursements', f, '--map', 'disbursements.program=BANSOS', '--save-profile', 'p1']);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/rows read 2, loaded 1, rejected 1/);
    expect(r.out).toMatch(/profile "p1" saved/);
    const t = await cli(['tables', '--workspace', wsPath]);
    expect(t.out).toMatch(/disbursements\s+disbursements\s+1/);
    // The same file again is a duplicate import (issue 14): refused, exit 3, naming the earlier import …
    const dup = await cli(['import', '--workspace', wsPath, '--kind', 'disbursements', '--profile', 'p1', f]);
    expect(dup.code).toBe(3);
    expect(dup.err).toMatch(/#1/);
    // … unless the user says so.
    const again = await cli(['import', '--workspace', wsPath, '--kind', 'disbursements', '--profile', 'p1', '--allow-duplicate', f]);
    expect(again.code).toBe(0);
    const bad = await cli(['import', '--workspace', wsPath, '--kind', 'deaths', f]);
    expect(bad.code).toBe(3);
    expect(bad.err).toMatch(/cli\.csv/);
    expect((await cli(['import', '--workspace', wsPath, f])).code).toBe(2);
  });
  it('the bin entry point runs (one child process)', () => {
    const bin = resolve(__dirname, '../../bin/telisik.js');
    const r = spawnSync('node', [bin, 'import', '--help'], { encoding: 'utf8' });
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/telisik import --workspace/);
  });
});
