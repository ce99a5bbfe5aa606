import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { writeFileSync } from 'node:fs';
import { Workspace } from '../../src/engine/workspace/workspace';
import { SqlGuardError, guardSelect, type SqlGuardCode } from '../../src/engine/sqlguard';
import { tempDir } from './helpers';

let t: ReturnType<typeof tempDir>;
let ws: Workspace;
let secret: string;

beforeAll(async () => {
  t = tempDir('telisik-sqlguard-');
  ws = await Workspace.create(join(t.dir, 'w.duckdb'), { name: 'guard' });
  await ws.run(`INSERT INTO disbursements (rec_id, _import_id, _file, _line, nik, name, program, amount) VALUES (10000000002, 1, 'a.csv', 2, '3201014101900001', 'Budi', 'BPNT', 200000)`);
  await ws.run(`CREATE VIEW v_paid AS SELECT * FROM disbursements`);
  secret = join(t.dir, 'secret.csv');
  writeFileSync(secret, 'a,b\n1,2\n');
});
afterAll(async () => { await ws?.close(); t?.remove(); });

async function refused(sql: string, code: SqlGuardCode): Promise<void> {
  let err: unknown;
  try { await guardSelect(ws, sql); } catch (e) { err = e; }
  expect(err, sql).toBeInstanceOf(SqlGuardError);
  expect((err as SqlGuardError).reason, sql).toBe(code);
}

describe('guardSelect accepts one SELECT over workspace tables', () => {
  it.each([
    'SELECT nik, sum(amount) FROM disbursements GROUP BY nik',
    'select * from Disbursements d join registry r on r.nik = d.nik;',
    'WITH x AS (SELECT nik FROM disbursements) SELECT * FROM x WHERE nik IN (SELECT nik FROM registry)',
    'FROM disbursements',
    'SELECT * FROM main.disbursements UNION ALL SELECT * FROM v_paid',
    'SELECT 1 + 1, upper(\'a\'), jaro_winkler_similarity(\'a\', \'b\')',
    'SELECT * FROM (VALUES (1), (2)) t(x)',
  ])('%s', async (sql) => {
    const g = await guardSelect(ws, sql);
    expect(g.sql.endsWith(';')).toBe(false);
    const rows = await ws.all(g.limited(5));
    expect(rows.length).toBeLessThanOrEqual(5);
  });

  it('reports the tables read', async () => {
    expect((await guardSelect(ws, 'WITH x AS (SELECT 1) SELECT * FROM disbursements, x, registry')).tables).toEqual(['disbursements', 'registry']);
  });
});

describe('guardSelect refuses everything else', () => {
  it.each([
    ['', 'empty'],
    ['  ;; ', 'empty'],
    ['SELEC nik FROM disbursements', 'parse'],
    ['SELECT 1; SELECT 2', 'multiple'],
    ['SELECT 1; DROP TABLE disbursements', 'not_select'],
    [`ATTACH '/tmp/x.db' AS x`, 'not_select'],
    [`COPY disbursements TO '/tmp/out.csv'`, 'not_select'],
    [`SET enable_external_access = true`, 'not_select'],
    ['PRAGMA database_list', 'not_select'],
    [`INSTALL httpfs`, 'not_select'],
    [`LOAD httpfs`, 'not_select'],
    ['DELETE FROM disbursements', 'not_select'],
    ['UPDATE disbursements SET amount = 0', 'not_select'],
    ['CREATE TABLE x AS SELECT 1', 'not_select'],
    ['DROP TABLE disbursements', 'not_select'],
    [`EXPORT DATABASE '/tmp/x'`, 'not_select'],
    ['CALL duckdb_settings()', 'not_select'],
    ['SELECT * FROM read_csv(\'SECRET\')', 'table_function'],
    ['SELECT * FROM read_parquet(\'/tmp/x.parquet\')', 'table_function'],
    ['SELECT * FROM read_json_auto(\'/tmp/x.json\')', 'table_function'],
    ['SELECT * FROM glob(\'/etc/*\')', 'table_function'],
    ['SELECT * FROM duckdb_settings()', 'table_function'],
    ['SELECT * FROM query(\'SELECT 1\')', 'table_function'],
    ['SELECT (SELECT count(*) FROM read_text(\'/etc/passwd\'))', 'table_function'],
    ['SELECT * FROM disbursements WHERE nik IN (SELECT a FROM read_csv(\'SECRET\'))', 'table_function'],
    ['SELECT * FROM \'SECRET\'', 'table'],
    ['SELECT * FROM "SECRET"', 'table'],
    ['SELECT * FROM other.main.disbursements', 'table'],
    ['SELECT * FROM information_schema.tables', 'table'],
    ['SELECT * FROM pg_catalog.pg_class', 'table'],
    ['SELECT * FROM no_such_table', 'table'],
    ['SELECT getenv(\'HOME\')', 'function'],
    ['SELECT current_setting(\'temp_directory\')', 'function'],
  ] as [string, SqlGuardCode][])('%s → %s', async (sql, code) => {
    await refused(sql.replace('SECRET', secret), code);
  });

  it('too long', async () => {
    let err: unknown;
    try { await guardSelect(ws, 'SELECT 1 ' + ' '.repeat(10) + '+ 1'.repeat(50), { maxLength: 100 }); } catch (e) { err = e; }
    expect((err as SqlGuardError).reason).toBe('too_long');
  });

  it('an explicit allow-list narrows the tables', async () => {
    let err: unknown;
    try { await guardSelect(ws, 'SELECT * FROM registry', { allowed: ['disbursements'] }); } catch (e) { err = e; }
    expect((err as SqlGuardError).reason).toBe('table');
  });

  it('internal tables of the workspace can be excluded by the caller (audit_trail)', async () => {
    const all = (await ws.all<{ t: string }>(`SELECT table_name AS t FROM duckdb_tables() WHERE NOT temporary`)).map((r) => r.t).filter((n) => n !== 'audit_trail');
    let err: unknown;
    try { await guardSelect(ws, 'SELECT * FROM audit_trail', { allowed: all }); } catch (e) { err = e; }
    expect((err as SqlGuardError).reason).toBe('table');
  });
});
