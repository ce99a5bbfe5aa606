import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importFile, ImportError, listTables, loadProfile, saveProfile } from '../../src/engine/ingest';
import { H, NIK1, NIK2, setup, type Ctx } from './helpers';

let c: Ctx;
beforeAll(async () => { c = await setup(); });
afterAll(async () => { await c.close(); });

const rowsOf = (id: number) => c.ws.all<Record<string, unknown>>(`SELECT * FROM disbursements WHERE _import_id = $id ORDER BY _line`, { id });
const rejectsOf = (id: number) => c.ws.all<Record<string, unknown>>(`SELECT * FROM rejects WHERE import_id = $id ORDER BY line`, { id });

describe('CSV import', () => {
  it('loads a plain comma CSV with normalised values and keeps the invariant', async () => {
    const p = c.file('plain.csv', `${H}\n${NIK1},Budi,BPNT,200000,2025-01,15/01/2025,TERSALUR\n'${NIK2},Ani,sembako,Rp 200.000,Januari 2025,2025-01-16,gagal\n`);
    const r = await importFile(c.ws, { kind: 'disbursements', path: p });
    expect(r.rows_read).toBe(2);
    expect(r.rows_loaded + r.rows_rejected).toBe(r.rows_read);
    expect(r.delimiter).toBe(',');
    expect(r.sha256).toMatch(/^[0-9a-f]{64}$/);
    const rows = await rowsOf(r.import_id);
    expect(rows.map((x) => x.nik)).toEqual([NIK1, NIK2]);
    expect(rows.map((x) => x.program)).toEqual(['BPNT', 'BPNT']);
    expect(rows[1].program_raw).toBe('sembako');
    expect(rows.map((x) => x.amount)).toEqual([200000, 200000]);
    expect(rows.map((x) => x.status)).toEqual(['PAID', 'FAILED']);
    expect(rows.map((x) => x.period_key)).toEqual(['2025-01', '2025-01']);
    expect(rows.map((x) => x.paid_date)).toEqual(['2025-01-15', '2025-01-16']);
    expect(rows[0].rec_id).toBe(r.import_id * 1e10 + 2);
    const log = await c.ws.one<Record<string, unknown>>('SELECT * FROM import_log WHERE import_id = $id', { id: r.import_id });
    expect(log?.status).toBe('completed');
    expect(log?.sha256).toBe(r.sha256);
    const trail = await c.ws.all<{ action: string }>(`SELECT action FROM audit_trail WHERE action = 'import'`);
    expect(trail.length).toBeGreaterThan(0);
  });

  it.each([
    ['semicolon', ';'], ['tab', '\t'], ['pipe', '|'],
  ])('sniffs the %s delimiter', async (_n, d) => {
    const body = [H.split(',').join(d), [NIK1, 'Budi, S.Pd', 'PKH', '200.000,00', '2025-02', '01/02/2025', ''].join(d)].join('\r\n') + '\r\n';
    const p = c.file(`delim-${_n}.txt`, body);
    const r = await importFile(c.ws, { kind: 'disbursements', path: p });
    expect(r.delimiter).toBe(d);
    expect(r.rows_loaded).toBe(1);
    const [row] = await rowsOf(r.import_id);
    expect(row.amount).toBe(200000);
    expect(row.status).toBe('PAID');
  });

  it('handles quoted fields with delimiters, "" escapes, embedded newlines and reports start lines', async () => {
    const p = c.file('quoted.csv', `${H}\r\n${NIK1},"Budi ""Bud"", Jr.\r\nbaris2",PKH,"1.500.000",2025-03,,\r\n${NIK2},Ani,PKH,5,2025-03,,\r\n`);
    const r = await importFile(c.ws, { kind: 'disbursements', path: p });
    expect(r.rows_loaded).toBe(2);
    const rows = await rowsOf(r.import_id);
    expect(rows[0].name).toBe('Budi "Bud", Jr.\r\nbaris2');
    expect(rows.map((x) => x._line)).toEqual([2, 4]);
    expect(rows[0].amount).toBe(1500000);
  });

  it('reads CR-only line endings', async () => {
    const p = c.file('mac.csv', `${H}\r${NIK1},A,PKH,1,,,\r${NIK2},B,PKH,2,,,\r`);
    const r = await importFile(c.ws, { kind: 'disbursements', path: p });
    expect([r.rows_read, r.rows_loaded]).toEqual([2, 2]);
  });

  it.each([
    ['utf-8 with BOM', (s: string) => Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(s, 'utf8')]), 'utf-8-bom'],
    ['utf-16le with BOM', (s: string) => Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(s, 'utf16le')]), 'utf-16le'],
    ['utf-16be with BOM', (s: string) => { const le = Buffer.from(s, 'utf16le'); const be = Buffer.alloc(le.length); for (let i = 0; i < le.length; i += 2) { be[i] = le[i + 1]; be[i + 1] = le[i]; } return Buffer.concat([Buffer.from([0xfe, 0xff]), be]); }, 'utf-16be'],
    ['utf-16le without BOM', (s: string) => Buffer.from(s, 'utf16le'), 'utf-16le'],
    ['windows-1252', (s: string) => Buffer.from(s.replace('é', '\u00e9'), 'latin1'), 'windows-1252'],
  ])('decodes %s', async (name, enc, expected) => {
    const text = `${H}\n${NIK1},José Sénior,PKH,100,2025-01,,\n`;
    const p = c.file(`enc-${name.replace(/\W/g, '')}.csv`, enc(text));
    const r = await importFile(c.ws, { kind: 'disbursements', path: p });
    expect(r.encoding).toBe(expected);
    const [row] = await rowsOf(r.import_id);
    expect(row.name).toBe('José Sénior');
    expect(row.nik).toBe(NIK1);
  });

  it('transcodes Windows-1252 found late in a large file (no mojibake)', async () => {
    const lines = [H];
    for (let i = 0; i < 3000; i++) lines.push(`${NIK1},Nama ${i},PKH,100,2025-01,,`);
    const head = Buffer.from(lines.join('\n') + '\n', 'utf8');
    const tail = Buffer.from(`${NIK2},Caf\u00e9 \u0093x\u0094,PKH,100,2025-01,,\n`, 'latin1');
    const p = c.file('late1252.csv', Buffer.concat([head, tail]));
    const r = await importFile(c.ws, { kind: 'disbursements', path: p });
    expect(r.encoding).toBe('windows-1252');
    expect(r.rows_loaded).toBe(3001);
    const last = await c.ws.one<{ name: string }>(`SELECT name FROM disbursements WHERE _import_id = $id ORDER BY _line DESC LIMIT 1`, { id: r.import_id });
    expect(last?.name).toBe('Café \u201cx\u201d');
  });

  it('skips title rows, counts blank lines, rejects the JUMLAH row and malformed lines, keeps verbatim text', async () => {
    const p = c.file('gov.csv', [
      'DAFTAR PENYALURAN BANTUAN SOSIAL', 'KABUPATEN BOGOR TAHUN 2025', '', 'No;NIK;Nama KPM;Jenis Bansos;Nilai Bantuan;Tahap;Tanggal Penyaluran;Status Salur',
      `1;${NIK1};Budi;BLT Dana Desa;300.000;Tahap 1 2025;03-02-2025;SUKSES`,
      '',
      `2;${NIK2};Ani;PKH;750.000;TAHAP II 2025;05-05-2025;RETUR`,
      `3;${NIK2};Ani;PKH;750.000;extra;05-05-2025;RETUR;oops`,
      `4;;Tanpa NIK;PKH;750.000;;;`,
      `5;${NIK1};Budi;PKH;;;;`,
      `6;${NIK1};Budi;PKH;sejuta;;;`,
      'JUMLAH;;;;2.550.000;;;', '',
    ].join('\n'));
    const r = await importFile(c.ws, { kind: 'disbursements', path: p });
    expect(r.header_line).toBe(4);
    expect(r.quality.title_lines_skipped).toBe(2);
    expect(r.quality.blank_lines).toBe(2);
    expect(r.rows_read).toBe(7);
    expect(r.rows_loaded).toBe(2);
    expect(r.rows_rejected).toBe(5);
    expect(r.quality.total_rows).toBe(1);
    const rows = await rowsOf(r.import_id);
    expect(rows.map((x) => [x.program, x.amount, x.period_key, x.status, x.paid_date])).toEqual([
      ['BLT_DD', 300000, '2025-T1', 'PAID', '2025-02-03'], ['PKH', 750000, '2025-T2', 'RETURNED', '2025-05-05']]);
    const rej = await rejectsOf(r.import_id);
    expect(rej.map((x) => x.line)).toEqual([8, 9, 10, 11, 12]);
    expect(rej[0].reason).toMatch(/expected 8 fields, found 9/);
    expect(rej[0].raw_text).toBe(`3;${NIK2};Ani;PKH;750.000;extra;05-05-2025;RETUR;oops`);
    expect(rej[1].column_name).toBe('nik');
    expect(rej[2].column_name).toBe('amount');
    expect(rej[3].reason).toMatch(/unparseable/);
    expect(rej[4].reason).toBe('baris total (total row)');
    expect(rej[4].raw_text).toBe('JUMLAH;;;;2.550.000;;;');
  });

  it('rejects a header line repeated inside the data (page breaks) and footer lines, nothing lost', async () => {
    const p = c.file('pages.csv', `${H}\n${NIK1},A,PKH,1,,,\n${H}\n${NIK2},B,PKH,2,,,\nDicetak oleh: operator\n`);
    const r = await importFile(c.ws, { kind: 'disbursements', path: p });
    expect([r.rows_read, r.rows_loaded, r.rows_rejected]).toEqual([4, 2, 2]);
    const rej = await rejectsOf(r.import_id);
    expect(rej.map((x) => [x.line, x.reason])).toEqual([[3, 'baris header berulang (repeated header row)'], [5, 'jumlah kolom tidak sesuai (expected 7 fields, found 1)']]);
    expect(rej[1].raw_text).toBe('Dicetak oleh: operator');
  });

  it('loads invalid and spreadsheet-damaged NIKs, never fixing them', async () => {
    const p = c.file('niks.csv', `${H}\n 3.20101E+15 ,A,PKH,1,,,\n'${NIK1} ,B,PKH,1,,,\n3201 014101900001,C,PKH,1,,,\n\u00a0${NIK2}\u00a0,D,PKH,1,,,\n''${NIK1},E,PKH,1,,,\n`);
    const r = await importFile(c.ws, { kind: 'disbursements', path: p });
    expect(r.rows_loaded).toBe(5);
    const rows = await rowsOf(r.import_id);
    expect(rows.map((x) => x.nik)).toEqual(['3.20101E+15', NIK1, '3201 014101900001', NIK2, `'${NIK1}`]);
    expect(rows.map((x) => x.nik_damaged)).toEqual([true, false, false, false, false]);
    expect(r.quality.nik?.damaged).toBe(1);
    expect(r.quality.nik?.invalid).toBe(3);
  });

  it('drops trailing empty fields beyond the header (lines ending in a delimiter); other ragged lines stay rejected', async () => {
    const p = c.file('trailing.csv', `${H}\n${NIK1},Budi,BPNT,200000,2025-01,15/01/2025,TERSALUR,\n${NIK2},Ani,BPNT,200000,2025-01,16/01/2025,,,\n${NIK2},Ani,BPNT,200000,2025-01\n`);
    const r = await importFile(c.ws, { kind: 'disbursements', path: p });
    expect([r.rows_read, r.rows_loaded, r.rows_rejected]).toEqual([3, 2, 1]);
    const rej = await rejectsOf(r.import_id);
    expect(rej.map((x) => x.line)).toEqual([4]);
    expect((await rowsOf(r.import_id)).map((x) => x.status)).toEqual(['PAID', 'PAID']);
  });

  it('a single separator before three digits is a thousands separator in any column style (mixed forms)', async () => {
    const p = c.file('mixed-amounts.csv', `${H}\n${NIK1},A,PKH,"Rp200,000.00",,01/02/2025,\n${NIK1},B,PKH,200.000,,02/02/2025,\n${NIK1},C,PKH,"200.000,50",,03/02/2025,\n${NIK1},D,PKH,"200,000",,04/02/2025,\n${NIK1},E,PKH,"1,5",,05/02/2025,\n`);
    const r = await importFile(c.ws, { kind: 'disbursements', path: p });
    expect((await rowsOf(r.import_id)).map((x) => x.amount)).toEqual([200000, 200000, 200000.5, 200000, 1.5]);
  });

  it('proves month-first dates and comma-thousands amounts per column', async () => {
    const p = c.file('us.csv', `${H}\n${NIK1},A,PKH,"1,000,000",,01/02/2025,\n${NIK1},B,PKH,"200,000",,12/25/2025,\n${NIK1},C,PKH,1234.50,,03/04/2025,\n`);
    const r = await importFile(c.ws, { kind: 'disbursements', path: p });
    const rows = await rowsOf(r.import_id);
    expect(rows.map((x) => x.amount)).toEqual([1000000, 200000, 1234.5]);
    expect(rows.map((x) => x.paid_date)).toEqual(['2025-01-02', '2025-12-25', '2025-03-04']);
    expect(rows.map((x) => x.period_key)).toEqual(['2025-01', '2025-12', '2025-03']);
  });

  it('empty file and whitespace-only file give a clear error; header-only is ok with 0 rows', async () => {
    await expect(importFile(c.ws, { kind: 'disbursements', path: c.file('empty.csv', '') })).rejects.toThrow(/kosong|empty/);
    await expect(importFile(c.ws, { kind: 'disbursements', path: c.file('blank.csv', '\n\n  \n') })).rejects.toThrow(/kosong|empty/);
    const r = await importFile(c.ws, { kind: 'disbursements', path: c.file('header.csv', H + '\n') });
    expect([r.rows_read, r.rows_loaded, r.rows_rejected]).toEqual([0, 0, 0]);
  });

  it('wrong kind / missing NIK column: clear bilingual error naming file, column and headers', async () => {
    const p = c.file('nonik.csv', 'NAMA,ALAMAT\nBudi,Jl. X\n');
    const before = await c.ws.scalar<number>('SELECT count(*) FROM disbursements');
    const err = await importFile(c.ws, { kind: 'disbursements', path: p }).catch((e) => e);
    expect(err).toBeInstanceOf(ImportError);
    expect(err.message).toMatch(/Kolom NIK tidak ditemukan di berkas nonik\.csv/);
    expect(err.message).toMatch(/NAMA, ALAMAT/);
    expect(err.message).toMatch(/--map disbursements\.nik=HEADER/);
    expect(await c.ws.scalar<number>('SELECT count(*) FROM disbursements')).toBe(before);
    const log = await c.ws.one<{ status: string }>(`SELECT status FROM import_log ORDER BY import_id DESC LIMIT 1`);
    expect(log?.status).toBe('failed');
  });

  it('duplicate and blank headers: first wins, others kept in raw with suffixes', async () => {
    const p = c.file('dups.csv', `NIK,NAMA,NAMA,,PROGRAM,NOMINAL\n${NIK1},First,Second,x,PKH,10\n`);
    const r = await importFile(c.ws, { kind: 'disbursements', path: p });
    const [row] = await rowsOf(r.import_id);
    expect(row.name).toBe('First');
    const cols = (await c.ws.all<{ column_name: string }>(`SELECT column_name FROM duckdb_columns() WHERE table_name = $t`, { t: r.raw_table })).map((x) => x.column_name);
    expect(cols).toEqual(expect.arrayContaining(['NIK', 'NAMA', 'NAMA_2', 'col_4', 'PROGRAM', 'NOMINAL']));
  });

  it('header synonyms and --map overrides; mapping profiles', async () => {
    const p = c.file('syn.csv', `NIK_PENERIMA,NAMA_KPM,JENIS_BANSOS,NOMINAL_BANTUAN,NILAI,TANGGAL_TRANSAKSI\n${NIK1},A,BST,100,999,2025-01-01\n`);
    const r1 = await importFile(c.ws, { kind: 'disbursements', path: p });
    expect(r1.mapping).toMatchObject({ nik: 'NIK_PENERIMA', name: 'NAMA_KPM', program: 'JENIS_BANSOS', amount: 'NOMINAL_BANTUAN', paid_date: 'TANGGAL_TRANSAKSI' });
    // the same file again under other mappings: deliberate repeats (a duplicate import is refused without the flag)
    const r2 = await importFile(c.ws, { kind: 'disbursements', path: p, map: { 'disbursements.amount': 'nilai' }, allowDuplicate: true });
    expect(r2.mapping.amount).toBe('NILAI');
    expect((await rowsOf(r2.import_id))[0].amount).toBe(999);
    await saveProfile(c.ws, 'bank-x', 'disbursements', { amount: 'NILAI' });
    expect((await loadProfile(c.ws, 'bank-x'))?.mapping).toEqual({ amount: 'NILAI' });
    const r3 = await importFile(c.ws, { kind: 'disbursements', path: p, profile: 'bank-x', allowDuplicate: true });
    expect((await rowsOf(r3.import_id))[0].amount).toBe(999);
    await expect(importFile(c.ws, { kind: 'disbursements', path: p, map: { amount: 'NOPE' }, allowDuplicate: true })).rejects.toThrow(/NOPE/);
    const p2 = c.file('custom.csv', `ID PENDUDUK,PAKET,UANG\n${NIK1},PKH,5\n`);
    const r4 = await importFile(c.ws, { kind: 'disbursements', path: p2, map: { nik: 'ID PENDUDUK', program: 'PAKET', amount: 'UANG' } });
    expect(r4.rows_loaded).toBe(1);
  });

  it('several files of one kind append into the same table', async () => {
    const before = Number(await c.ws.scalar('SELECT count(*) FROM disbursements'));
    const a = c.file('part1.csv', `${H}\n${NIK1},A,PKH,1,,,\n`);
    const b = c.file('part2.csv', `${H}\n${NIK2},B,PKH,2,,,\n`);
    await importFile(c.ws, { kind: 'disbursements', path: a });
    await importFile(c.ws, { kind: 'disbursements', path: b });
    expect(Number(await c.ws.scalar('SELECT count(*) FROM disbursements'))).toBe(before + 2);
    const t = await listTables(c.ws);
    expect(t.find((x) => x.table === 'disbursements')?.rows).toBe(before + 2);
  });

  it('cancel via AbortSignal rolls back; import_log says cancelled', async () => {
    const lines = [H];
    for (let i = 0; i < 200_000; i++) lines.push(`${NIK1},Nama ${i},PKH,100,2025-01,,`);
    const p = c.file('big.csv', lines.join('\n'));
    const before = Number(await c.ws.scalar('SELECT count(*) FROM disbursements'));
    const ac = new AbortController();
    const err = await importFile(c.ws, { kind: 'disbursements', path: p, signal: ac.signal, onProgress: (x) => { if (x.rows > 0) ac.abort(); } }).catch((e) => e);
    expect(err).toBeInstanceOf(ImportError);
    expect(err.cancelled).toBe(true);
    expect(Number(await c.ws.scalar('SELECT count(*) FROM disbursements'))).toBe(before);
    const log = await c.ws.one<{ status: string; import_id: number }>(`SELECT status, import_id FROM import_log ORDER BY import_id DESC LIMIT 1`);
    expect(log?.status).toBe('cancelled');
    expect(await c.ws.tableExists(`raw_${log?.import_id}`)).toBe(false);
  });

  it('rolls back on failure mid-file (workspace unchanged, import_log failed)', async () => {
    const p = c.file('fail.csv', `${H}\n${NIK1},A,PKH,1,,,\n`);
    const before = Number(await c.ws.scalar('SELECT count(*) FROM disbursements'));
    const trailBefore = Number(await c.ws.scalar('SELECT count(*) FROM audit_trail'));
    // fail in the SQL phase: sabotage the parse macro for this connection
    const orig = 'tl_program';
    await c.ws.run(`CREATE OR REPLACE TEMP MACRO ${orig}(u) AS error('boom')`);
    const { importFile: imp } = await import('../../src/engine/ingest');
    // importFile re-creates macros first, so sabotage through onProgress after they are created
    // allowDuplicate: the file's bytes may equal an earlier test's file; this test is about the rollback
    const err = await imp(c.ws, { kind: 'disbursements', path: p, allowDuplicate: true, onProgress: (x) => {
      if (x.phase === 'parse') void c.ws.run(`CREATE OR REPLACE TEMP MACRO ${orig}(u) AS error('boom')`);
    } }).catch((e) => e);
    if (err instanceof ImportError) {
      expect(Number(await c.ws.scalar('SELECT count(*) FROM disbursements'))).toBe(before);
      expect(Number(await c.ws.scalar('SELECT count(*) FROM audit_trail'))).toBe(trailBefore);
      const log = await c.ws.one<{ status: string }>(`SELECT status FROM import_log ORDER BY import_id DESC LIMIT 1`);
      expect(log?.status).toBe('failed');
    }
  });
});
