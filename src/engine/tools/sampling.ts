import { createHash, randomInt } from 'node:crypto';
import { ident, type Workspace } from '../workspace/workspace';
import { appendTrail } from '../trail/trail';
import { positiveInt, resultTableName, ToolError, ToolTable } from './table';

/** Parameters and outcome of every sample drawn; the seed makes it reproducible by any examiner. */
const SAMPLES_DDL = `CREATE TABLE IF NOT EXISTS samples (
  name VARCHAR PRIMARY KEY, method VARCHAR, source_table VARCHAR, params JSON, seed BIGINT,
  population_count BIGINT, population_amount DOUBLE, sample_size BIGINT, sample_amount DOUBLE,
  interval_amount DOUBLE, random_start DOUBLE, top_stratum BIGINT, result_table VARCHAR, created_at TIMESTAMP, actor VARCHAR)`;

export interface SampleResult {
  name: string;
  method: 'random' | 'mus';
  source_table: string;
  result_table: string;     // sample_<name>
  seed: number;
  population_count: number;
  population_amount: number | null;
  sample_size: number;
  sample_amount: number | null;
  interval?: number;        // MUS sampling interval (rupiah)
  random_start?: number;    // MUS random start (rupiah, in [0.01, interval])
  top_stratum?: number;     // MUS items >= interval, all selected
  excluded?: number;        // MUS items with amount null or <= 0 (not in the monetary population)
  params: Record<string, unknown>;
}

function newSeed(seed?: number): number {
  if (seed === undefined || seed === null) return randomInt(1, 2 ** 31 - 1);
  if (!Number.isSafeInteger(seed) || seed < 0) throw new ToolError('seed harus bilangan bulat ≥ 0');
  return seed;
}

/** Uniform [0,1) from the seed, platform-independent (SHA-256, first 48 bits). */
export function seedUniform(seed: number, purpose: string): number {
  const h = createHash('sha256').update(`telisik:${purpose}:${seed}`).digest();
  return h.readUIntBE(0, 6) / 2 ** 48;
}

/** MUS random start in cents: 1 + floor(u × interval), so it lies in [1 cent, interval]. */
export function musRandomStartCents(seed: number, intervalCents: number): number {
  return 1 + Math.floor(seedUniform(seed, 'mus-start') * intervalCents);
}

async function record(ws: Workspace, r: SampleResult): Promise<void> {
  await ws.run(SAMPLES_DDL);
  await ws.run(`INSERT OR REPLACE INTO samples VALUES ($name, $method, $src, $params, $seed, $pc, $pa, $ss, $sa, $iv, $rs, $ts, $rt, now()::TIMESTAMP, $actor)`, {
    name: r.name, method: r.method, src: r.source_table, params: JSON.stringify(r.params), seed: r.seed,
    pc: r.population_count, pa: r.population_amount, ss: r.sample_size, sa: r.sample_amount,
    iv: r.interval ?? null, rs: r.random_start ?? null, ts: r.top_stratum ?? null, rt: r.result_table, actor: ws.actor(),
  });
  await appendTrail(ws, { action: `sample.${r.method}`, params: r.params, result: { ...r, params: undefined } });
}

/**
 * Simple random sample without replacement: rows ordered by md5(seed:key) (key = rec_id, else rowid), first `size`
 * taken. Same seed, same table -> same sample, on any machine.
 */
export async function sampleRandom(ws: Workspace, opts: { name: string; table: string; size: number; seed?: number;
  amountColumn?: string }): Promise<SampleResult> {
  const rt = resultTableName('sample', opts.name);
  const t = await ToolTable.open(ws, opts.table);
  const size = positiveInt(opts.size, 'size', 10_000_000);
  const amt = opts.amountColumn ? t.col(opts.amountColumn, ['numeric']) : null;
  const seed = newSeed(opts.seed);
  // Rank only keys (cheap), keep the first `size`, then join the rows back.
  return ws.transaction(async () => {
    await ws.run(`CREATE OR REPLACE TABLE ${ident(rt)} AS
      WITH _rk AS (SELECT ${t.keySql} AS _k, md5($seed::VARCHAR || ':' || ${t.keySql}::VARCHAR) AS _h FROM ${t.sql} ORDER BY _h, _k LIMIT ${size})
      SELECT row_number() OVER (ORDER BY _rk._h, _rk._k) AS _sample_seq, _rk._h AS _sample_hash, s.*
      FROM _rk JOIN ${t.sql} s ON s.${t.keySql} = _rk._k ORDER BY _rk._h, _rk._k`, { seed: String(seed) });
    const pop = await ws.one<{ n: number; a: number | null }>(`SELECT count(*) AS n, ${amt ? `sum(${amt})::DOUBLE` : 'NULL'} AS a FROM ${t.sql}`);
    const smp = await ws.one<{ n: number; a: number | null }>(`SELECT count(*) AS n, ${amt ? `sum(${amt})::DOUBLE` : 'NULL'} AS a FROM ${ident(rt)}`);
    const r: SampleResult = {
      name: opts.name, method: 'random', source_table: t.name, result_table: rt, seed,
      population_count: Number(pop!.n), population_amount: pop!.a, sample_size: Number(smp!.n), sample_amount: smp!.a,
      params: { table: t.name, size, seed, amountColumn: opts.amountColumn ?? null, order: 'md5(seed:key)', key: t.keySql },
    };
    await record(ws, r);
    return r;
  });
}

/**
 * Monetary-unit sampling (systematic PPS). Interval J = given, or ceil(population amount / size). Items with
 * amount >= J form the top stratum and are all selected. The other positive items, in key order, are laid end to end
 * by cumulative amount; selection points are start, start + J, start + 2J, … with start in [0.01, J] from the seed
 * (or given); an item is selected when a point falls in (cum - amount, cum]. Computed in whole cents (no float drift).
 */
export async function sampleMus(ws: Workspace, opts: { name: string; table: string; amountColumn: string; size?: number;
  interval?: number; seed?: number; randomStart?: number }): Promise<SampleResult> {
  const rt = resultTableName('sample', opts.name);
  const t = await ToolTable.open(ws, opts.table);
  const aInfo = t.column(opts.amountColumn, ['numeric']);
  const a = ident(aInfo.name);
  const seed = newSeed(opts.seed);
  const cents = `round(${a} * 100)::BIGINT`;
  const pop = await ws.one<{ n: number; c: bigint | number | string | null; excl: number }>(
    `SELECT count(*) FILTER (WHERE ${a} > 0) AS n, sum(${cents}) FILTER (WHERE ${a} > 0)::VARCHAR AS c,
       count(*) FILTER (WHERE ${a} IS NULL OR ${a} <= 0) AS excl FROM ${t.sql}`);
  const popCents = Number(pop!.c ?? 0);
  if (!popCents) throw new ToolError('Populasi tidak memiliki nilai positif untuk sampling unit moneter');
  let J: number;
  if (opts.interval !== undefined) {
    J = Math.round(Number(opts.interval) * 100);
    if (!(J > 0)) throw new ToolError('interval harus positif');
  } else {
    const size = positiveInt(opts.size, 'size (atau interval)', 10_000_000);
    J = Math.ceil(popCents / size);
  }
  const start = opts.randomStart !== undefined ? Math.round(Number(opts.randomStart) * 100) : musRandomStartCents(seed, J);
  if (!(start >= 1 && start <= J)) throw new ToolError('randomStart harus di antara 0,01 dan interval');
  const f = (x: string) => `(CASE WHEN ${x} >= $start::BIGINT THEN (${x} - $start::BIGINT) // $J::BIGINT + 1 ELSE 0 END)`;
  const p = { J: String(J), start: String(start) };
  // Selection runs on (key, cents) only; the selected rows are joined back at the end.
  return ws.transaction(async () => {
    await ws.run(`CREATE OR REPLACE TABLE ${ident(rt)} AS
      WITH _mpop AS (SELECT ${t.keySql} AS _k, ${cents} AS _c FROM ${t.sql} WHERE ${a} > 0),
      _mrest AS (SELECT _k, _c, (sum(_c) OVER (ORDER BY _k ROWS UNBOUNDED PRECEDING))::BIGINT AS _cum FROM _mpop WHERE _c < $J::BIGINT),
      _mhit AS (SELECT _k, _cum, ${f('_cum')} - ${f('(_cum - _c)')} AS _h, ${f('(_cum - _c)')} AS _first FROM _mrest),
      _msel AS (
        SELECT _k, 'top' AS _selection, 1::BIGINT AS _hits, NULL::DOUBLE AS _cum_amount, NULL::DOUBLE AS _selection_point
        FROM _mpop WHERE _c >= $J::BIGINT
        UNION ALL
        SELECT _k, 'interval', _h::BIGINT, (_cum / 100)::DOUBLE, (($start::BIGINT + _first * $J::BIGINT) / 100)::DOUBLE
        FROM _mhit WHERE _h > 0)
      SELECT row_number() OVER (ORDER BY _msel._k) AS _sample_seq, s.*, _msel._selection, _msel._hits, _msel._cum_amount, _msel._selection_point
      FROM _msel JOIN ${t.sql} s ON s.${t.keySql} = _msel._k ORDER BY _msel._k`, p);
    const smp = await ws.one<{ n: number; a: number | null; top: number }>(
      `SELECT count(*) AS n, sum(${a})::DOUBLE AS a, count(*) FILTER (WHERE _selection = 'top') AS top FROM ${ident(rt)}`);
    const r: SampleResult = {
      name: opts.name, method: 'mus', source_table: t.name, result_table: rt, seed,
      population_count: Number(pop!.n), population_amount: popCents / 100, sample_size: Number(smp!.n), sample_amount: smp!.a ?? 0,
      interval: J / 100, random_start: start / 100, top_stratum: Number(smp!.top), excluded: Number(pop!.excl),
      params: { table: t.name, amountColumn: aInfo.name, size: opts.size ?? null, interval: J / 100, seed,
        randomStart: start / 100, randomStartGiven: opts.randomStart !== undefined, order: t.keySql },
    };
    await record(ws, r);
    return r;
  });
}

export async function listSamples(ws: Workspace): Promise<Record<string, unknown>[]> {
  await ws.run(SAMPLES_DDL);
  return ws.all('SELECT * FROM samples ORDER BY created_at, name');
}
