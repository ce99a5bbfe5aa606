import { ident, type Row, type Workspace } from '../workspace/workspace';
import { resultTableName, ToolError, ToolTable } from './table';

export interface DuplicateGroup {
  keys: Record<string, unknown>;
  count: number;
  sum?: number | null;
}

export interface ExactDuplicatesResult {
  table: string;
  keys: string[];
  groups: number;        // key combinations occurring more than once
  records: number;       // records in those groups
  excess: number;        // records beyond the first of each group
  amount?: number | null;
  top: DuplicateGroup[]; // largest groups first (up to `limit`)
  result_table?: string; // every duplicate record with _dup_group and _dup_size
}

/** Exact duplicates on one or more key columns (NULL keys are not duplicates of each other). */
export async function duplicates(ws: Workspace, opts: { table: string; keys: string[]; amountColumn?: string;
  limit?: number; resultName?: string }): Promise<ExactDuplicatesResult> {
  const t = await ToolTable.open(ws, opts.table);
  if (!Array.isArray(opts.keys) || opts.keys.length === 0) throw new ToolError('Pilih minimal satu kolom kunci');
  const keys = opts.keys.map((k) => t.col(k));
  const amt = opts.amountColumn ? t.col(opts.amountColumn, ['numeric']) : null;
  const limit = Math.min(Math.max(Math.trunc(opts.limit ?? 100), 1), 10000);
  const notNull = keys.map((k) => `${k} IS NOT NULL`).join(' AND ');
  const groupsSql = `SELECT ${keys.join(', ')}, count(*) AS _dup_size${amt ? `, sum(${amt})::DOUBLE AS _dup_sum` : ''}
    FROM ${t.sql} WHERE ${notNull} GROUP BY ${keys.join(', ')} HAVING count(*) > 1`;
  await ws.run(`CREATE OR REPLACE TEMP TABLE _dup_groups AS ${groupsSql}`);
  const s = await ws.one<{ groups: number; records: number; amount: number | null }>(
    `SELECT count(*) AS groups, coalesce(sum(_dup_size), 0) AS records${amt ? ', sum(_dup_sum) AS amount' : ''} FROM _dup_groups`);
  const top = await ws.all<Row>(`SELECT * FROM _dup_groups ORDER BY _dup_size DESC, ${keys.map((_, i) => i + 1).join(', ')} LIMIT ${limit}`);
  const res: ExactDuplicatesResult = {
    table: t.name, keys: opts.keys, groups: Number(s!.groups), records: Number(s!.records),
    excess: Number(s!.records) - Number(s!.groups),
    ...(amt ? { amount: s!.amount === null ? 0 : Number(s!.amount) } : {}),
    top: top.map((r) => ({
      keys: Object.fromEntries(opts.keys.map((k) => [k, r[k]])), count: Number(r._dup_size),
      ...(amt ? { sum: r._dup_sum as number | null } : {}),
    })),
  };
  if (opts.resultName) {
    const rt = resultTableName('tool', opts.resultName);
    await ws.run(`CREATE OR REPLACE TABLE ${ident(rt)} AS
      SELECT s.*, dense_rank() OVER (ORDER BY ${keys.map((k) => `s.${k}`).join(', ')}) AS _dup_group, g._dup_size
      FROM ${t.sql} s JOIN _dup_groups g USING (${keys.join(', ')})
      ORDER BY _dup_group, s.${t.keySql}`);
    res.result_table = rt;
  }
  await ws.run('DROP TABLE IF EXISTS _dup_groups');
  return res;
}

export interface FuzzyPair {
  block: Record<string, unknown>;
  key_a: unknown;
  key_b: unknown;
  name_a: string | null;
  name_b: string | null;
  similarity: number;
}

export interface FuzzyDuplicatesResult {
  table: string;
  name_column: string;
  block_keys: string[];
  threshold: number;
  pairs: number;
  records: number;       // distinct records in at least one pair
  top: FuzzyPair[];
  result_table?: string;
}

/**
 * Fuzzy duplicates: pairs of records in the same exact block (e.g. birth date, village) whose names, normalised as
 * in the contract (name_norm), have Jaro-Winkler similarity >= threshold. Blocking is the user's choice: it decides
 * which pairs are compared at all, so the result is exact within the blocks and silent outside them.
 */
export async function fuzzyDuplicates(ws: Workspace, opts: { table: string; nameColumn: string; blockKeys: string[];
  threshold?: number; limit?: number; resultName?: string }): Promise<FuzzyDuplicatesResult> {
  const t = await ToolTable.open(ws, opts.table);
  const name = t.col(opts.nameColumn, ['text']);
  if (!Array.isArray(opts.blockKeys) || opts.blockKeys.length === 0) throw new ToolError('Pilih minimal satu kolom blok (kunci persis)');
  const blocks = opts.blockKeys.map((k) => t.col(k));
  const threshold = opts.threshold ?? 0.92;
  if (!(threshold > 0 && threshold <= 1)) throw new ToolError('Ambang kemiripan harus di antara 0 dan 1');
  const limit = Math.min(Math.max(Math.trunc(opts.limit ?? 100), 1), 10000);
  const key = t.keySql;
  const pairsSql = `WITH _fb AS (
      SELECT ${key} AS _k, ${blocks.map((b, i) => `${b} AS _b${i}`).join(', ')}, ${name} AS _name, name_norm(${name}) AS _norm
      FROM ${t.sql} WHERE ${blocks.map((b) => `${b} IS NOT NULL`).join(' AND ')} AND name_norm(${name}) <> ''),
    _fcand AS (SELECT ${blocks.map((_, i) => `_b${i}`).join(', ')} FROM _fb GROUP BY ALL HAVING count(*) > 1)
    SELECT ${blocks.map((_, i) => `a._b${i}`).join(', ')}, a._k AS key_a, c._k AS key_b, a._name AS name_a, c._name AS name_b,
      jaro_winkler_similarity(a._norm, c._norm) AS similarity
    FROM _fb a JOIN _fcand USING (${blocks.map((_, i) => `_b${i}`).join(', ')})
    JOIN _fb c ON ${blocks.map((_, i) => `c._b${i} = a._b${i}`).join(' AND ')} AND c._k > a._k
    WHERE jaro_winkler_similarity(a._norm, c._norm) >= $th`;
  // Pairs are computed once (the expensive part) and every figure is read from them.
  await ws.run(`CREATE OR REPLACE TEMP TABLE _fuzzy_pairs AS ${pairsSql}`, { th: threshold });
  const s = await ws.one<{ pairs: number; records: number }>(
    `SELECT (SELECT count(*) FROM _fuzzy_pairs) AS pairs,
       (SELECT count(*) FROM (SELECT key_a FROM _fuzzy_pairs UNION SELECT key_b FROM _fuzzy_pairs)) AS records`);
  const top = await ws.all<Row>(`SELECT * FROM _fuzzy_pairs ORDER BY similarity DESC, key_a, key_b LIMIT ${limit}`);
  const res: FuzzyDuplicatesResult = {
    table: t.name, name_column: opts.nameColumn, block_keys: opts.blockKeys, threshold,
    pairs: Number(s!.pairs), records: Number(s!.records),
    top: top.map((r) => ({
      block: Object.fromEntries(opts.blockKeys.map((k, i) => [k, r[`_b${i}`]])),
      key_a: r.key_a, key_b: r.key_b, name_a: r.name_a as string | null, name_b: r.name_b as string | null,
      similarity: Number(r.similarity),
    })),
  };
  if (opts.resultName) {
    const rt = resultTableName('tool', opts.resultName);
    await ws.run(`CREATE OR REPLACE TABLE ${ident(rt)} AS SELECT * FROM _fuzzy_pairs ORDER BY similarity DESC, key_a, key_b`);
    res.result_table = rt;
  }
  await ws.run('DROP TABLE IF EXISTS _fuzzy_pairs');
  return res;
}
