// The workspace's cached catalog answers (tableExists, knownOwnTable, columns) against DuckDB's own catalog: every
// statement that may change the catalog — on the write connection or the read one, inside a transaction, rolled
// back, an ATTACH — is seen by the next question on either connection.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mayChangeCatalog, Workspace, type WorkspaceReader } from '../../src/engine/workspace/workspace';

let dir: string;
let ws: Workspace;
let reader: WorkspaceReader;

/** DuckDB's answer, asked directly (no cache). */
async function truth(w: Workspace, name: string): Promise<boolean> {
  return Number(await w.scalar(`SELECT count(*) FROM duckdb_tables() WHERE table_name = $n AND NOT temporary`, { n: name })) > 0;
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'telisik-catalog-'));
  ws = await Workspace.create(join(dir, 'w.duckdb'), { name: 'catalog' });
  reader = await ws.openReader();
});
afterAll(async () => {
  await reader?.close();
  await ws?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('cached catalog answers', () => {
  it('follow CREATE, ALTER and DROP on the write side, on both connections', async () => {
    expect(await ws.tableExists('a')).toBe(false);
    expect(await reader.tableExists('a')).toBe(false);
    await ws.run('CREATE TABLE a (x INTEGER)');
    expect(await ws.tableExists('a')).toBe(true);
    expect(await reader.tableExists('a')).toBe(true);
    expect(await reader.columns('a')).toEqual([{ name: 'x', type: 'INTEGER' }]);
    await ws.run('ALTER TABLE a ADD COLUMN y VARCHAR');
    expect(await reader.columns('a')).toEqual([{ name: 'x', type: 'INTEGER' }, { name: 'y', type: 'VARCHAR' }]);
    expect(await ws.columns('a')).toEqual(await reader.columns('a'));
    await ws.run('DROP TABLE a');
    expect(await ws.tableExists('a')).toBe(false);
    expect(await reader.tableExists('a')).toBe(false);
    expect(await reader.columns('a')).toEqual([]);
  });

  it('inside a transaction: the writer sees its own table, the reader only after COMMIT; a ROLLBACK takes it away', async () => {
    await ws.transaction(async () => {
      await ws.run('CREATE TABLE b (x INTEGER)');
      expect(await ws.tableExists('b')).toBe(true);
      expect(await reader.tableExists('b')).toBe(false);
      expect(await truth(reader, 'b')).toBe(false);
    });
    expect(await reader.tableExists('b')).toBe(true);
    await ws.transaction(async () => {
      await ws.run('CREATE TABLE c (x INTEGER)');
      expect(await ws.tableExists('c')).toBe(true);
      throw new Error('roll back');
    }).catch(() => undefined);
    expect(await ws.tableExists('c')).toBe(false);
    expect(await truth(ws, 'c')).toBe(false);
    expect(await reader.tableExists('c')).toBe(false);
  });

  it('a view and a TEMP table are not tables; columns() lists a view as information_schema does', async () => {
    await ws.run('CREATE VIEW v AS SELECT 1::BIGINT AS one');
    expect(await ws.tableExists('v')).toBe(false);
    expect(await ws.columns('v')).toEqual([{ name: 'one', type: 'BIGINT' }]);
    await reader.run('CREATE TEMP TABLE scratch_t AS SELECT 1 AS k');
    expect(await reader.tableExists('scratch_t')).toBe(false);
    expect(await truth(reader, 'scratch_t')).toBe(false);
  });

  it('an attached database: tableExists sees its tables, knownOwnTable does not; a changed catalog is not known', async () => {
    const other = await Workspace.create(join(dir, 'other.duckdb'), { name: 'other' });
    await other.run('CREATE TABLE only_there (x INTEGER)');
    await other.close();
    await ws.run(`ATTACH '${join(dir, 'other.duckdb')}' AS other (READ_ONLY)`);
    expect(await ws.tableExists('only_there')).toBe(true);
    expect(ws.knownOwnTable('only_there')).toBe(false);
    expect(ws.knownOwnTable('meta')).toBe(true);
    await ws.run('CREATE TABLE own_new (x INTEGER)');
    expect(ws.knownOwnTable('own_new')).toBeUndefined();
    expect(await ws.tableExists('own_new')).toBe(true);
    expect(ws.knownOwnTable('own_new')).toBe(true);
    await ws.run('DETACH other');
    expect(await ws.tableExists('only_there')).toBe(false);
  });

  it('many concurrent questions on the read side give DuckDB\'s answers', async () => {
    await ws.run('CREATE TABLE d (x INTEGER)');
    const names = ['d', 'meta', 'nope', 'b', 'a', 'engagement'];
    const asked = await Promise.all(Array.from({ length: 60 }, (_, i) => reader.tableExists(names[i % names.length])));
    const expected = await Promise.all(names.map((n) => truth(ws, n)));
    expect(asked).toEqual(Array.from({ length: 60 }, (_, i) => expected[i % names.length]));
  });

  it('columns() gives what information_schema.columns gives, for tables and views of every column type', async () => {
    await ws.run(`CREATE TABLE typed (rec_id BIGINT, amount DECIMAL(18,2), share DOUBLE, paid DATE, stamped TIMESTAMP, ok BOOLEAN,
      checks VARCHAR[], extra JSON, big HUGEINT, n INTEGER, note VARCHAR)`);
    await ws.run(`CREATE VIEW typed_v AS SELECT amount * 2 AS twice, list_sort(checks) AS sorted, paid FROM typed`);
    const own = `table_schema = 'main' AND table_catalog = current_database()`;
    const names = (await ws.all<{ t: string }>(`SELECT DISTINCT table_name AS t FROM information_schema.columns WHERE ${own} ORDER BY 1`)).map((r) => r.t);
    expect(names).toEqual(expect.arrayContaining(['typed', 'typed_v', 'meta', 'engagement']));
    const expected = async (t: string) => ws.all<{ name: string; type: string }>(
      `SELECT column_name AS name, data_type AS type FROM information_schema.columns WHERE ${own} AND table_name = $t ORDER BY ordinal_position`, { t });
    for (const t of names) {
      expect({ t, cols: await ws.columns(t) }).toEqual({ t, cols: await expected(t) });
      expect({ t, cols: await reader.columns(t) }).toEqual({ t, cols: await expected(t) });
    }
    // an attached engagement has the same tables: only this workspace's own columns are listed
    const other = await Workspace.create(join(dir, 'other2.duckdb'), { name: 'other' });
    await other.run('ALTER TABLE budget ADD COLUMN only_in_other INTEGER');
    await other.close();
    await ws.run(`ATTACH '${join(dir, 'other2.duckdb')}' AS other2 (READ_ONLY)`);
    try {
      expect(await ws.columns('budget')).toEqual(await expected('budget'));
      expect((await ws.columns('budget')).map((c) => c.name)).not.toContain('only_in_other');
    } finally { await ws.run('DETACH other2'); }
    // a TEMP table is listed when the database has no table of that name
    await reader.run('CREATE TEMP TABLE scratch_cols AS SELECT 1::INTEGER AS k, 2.5::DOUBLE AS v');
    expect(await reader.columns('scratch_cols')).toEqual([{ name: 'k', type: 'INTEGER' }, { name: 'v', type: 'DOUBLE' }]);
  });

  it('columns() of a view that no longer binds, of a quoted name, of nothing', async () => {
    // columns() binds `SELECT * FROM <relation>`; a view whose table is gone cannot be bound, the catalog still lists it
    await ws.run('CREATE TABLE gone_soon (g INTEGER, h VARCHAR)');
    await ws.run('CREATE VIEW over_gone AS SELECT h, g FROM gone_soon');
    await ws.run('DROP TABLE gone_soon');
    expect(await ws.columns('over_gone')).toEqual([{ name: 'h', type: 'VARCHAR' }, { name: 'g', type: 'INTEGER' }]);
    await ws.run('CREATE TABLE "we""ird name" ("a""b" DATE)');
    expect(await reader.columns('we"ird name')).toEqual([{ name: 'a"b', type: 'DATE' }]);
    expect(await ws.columns('no_such_table')).toEqual([]);
    expect(await reader.columns('no_such_table')).toEqual([]);
  });

  it('says which statements may change the catalog', () => {
    for (const sql of ['SELECT 1', '  -- note\nSELECT * FROM t', 'WITH x AS (SELECT 1) SELECT * FROM x', 'INSERT INTO t VALUES (1)',
      'UPDATE t SET x = 1', 'DELETE FROM t', 'EXPLAIN SELECT 1', "COPY (SELECT 1) TO 'x.csv'", 'DESCRIBE t']) {
      expect({ sql, may: mayChangeCatalog(sql) }).toEqual({ sql, may: false });
    }
    for (const sql of ['CREATE TABLE t (x INT)', 'DROP TABLE t', 'ALTER TABLE t ADD COLUMN y INT', 'BEGIN TRANSACTION', 'COMMIT',
      'ROLLBACK', "ATTACH 'x.duckdb' AS x", 'DETACH x', 'EXPLAIN ANALYZE CREATE TABLE t AS SELECT 1', 'SELECT 1; DROP TABLE t',
      "SELECT * FROM read_csv('x.csv', store_rejects = true)", 'PRAGMA enable_profiling', 'CHECKPOINT']) {
      expect({ sql, may: mayChangeCatalog(sql) }).toEqual({ sql, may: true });
    }
  });
});
