/**
 * Re-performance (issue 15.1): an examiner proves that every stored result is what the data and the recorded
 * parameters produce. The latest completed run's options (checks, programme rules, resolved parameters) are read
 * from analysis_runs; the checks run again in a scratch workspace — on a copy of the canonical tables, or
 * (`fromSources`) on a fresh import of every source file from its recorded path, its SHA-256 checked against the
 * trail first — and every exceptions table is compared row by row with the stored one (EXCEPT ALL both ways).
 *
 * The engagement itself is only ATTACHed READ_ONLY: nothing in it changes, and an archived read-only copy can be
 * re-performed. It must not be open in this process (close it first; the CLI does).
 */
import { mkdtempSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Workspace, ident } from '../workspace/workspace';
import { runChecks } from './run';
import { importFile, type Kind } from '../ingest';
import { sha256File } from '../trail/trail';
import { maskText } from '../reports/format';
import type { ProgrammeRulesOverride } from '../rules/rules';
import { InvalidInputError } from '../../shared/errors';

// The result shapes are the wire types (src/shared/types.ts): verify --reperform and the reperformRun call.
export type { ReperformTableDiff as TableDiff, ReperformSource, ReperformResult } from '../../shared/types';
import type { ReperformTableDiff as TableDiff, ReperformSource, ReperformResult } from '../../shared/types';

export interface ReperformOptions {
  fromSources?: boolean;
  /** Rows shown per differing table (default 5). */
  examples?: number;
  onProgress?: (message: string) => void;
}

export class ReperformError extends InvalidInputError {}

/** Tables never copied into the scratch workspace: results (re-computed), raw/bookkeeping and the trail. */
const NOT_COPIED = /^(exc_.*|raw_.*|_.*|audit_trail|meta|engagement|analysis_runs|check_results|indicator_results|potential_loss|rejects|targeting_.*|budget_summary|budget_breakdown|budget_cost_per_household|undistributed_funds)$/;

const sqlString = (s: string): string => `'${s.replace(/'/g, "''")}'`;
const parse = (v: unknown): Record<string, unknown> => {
  if (typeof v !== 'string') return (v ?? {}) as Record<string, unknown>;
  try { return JSON.parse(v) as Record<string, unknown>; } catch { return {}; }
};

export async function reperform(workspacePath: string, opts: ReperformOptions = {}): Promise<ReperformResult> {
  const t0 = Date.now();
  const say = (m: string) => { try { opts.onProgress?.(m); } catch { /* progress never breaks the run */ } };
  const orig = resolve(workspacePath);
  if (!existsSync(orig)) throw new ReperformError(`Workspace not found: ${orig}`);
  const dir = mkdtempSync(join(tmpdir(), 'telisik-reperform-'));
  let scratch: Workspace | undefined;
  try {
    scratch = await Workspace.create(join(dir, 'reperform.duckdb'), { name: 'reperform' });
    await scratch.run(`ATTACH ${sqlString(orig)} AS orig (READ_ONLY)`);
    const run = await scratch.one<{ run_id: number; params: string }>(
      `SELECT run_id, params::VARCHAR AS params FROM orig.main.analysis_runs WHERE status = 'completed' ORDER BY run_id DESC LIMIT 1`).catch(() => undefined);
    if (!run) throw new ReperformError('Belum ada run analisis yang selesai (no completed analysis run to re-perform)');
    const runId = Number(run.run_id);
    const params = parse(run.params) as { only?: string[] | null; rules?: unknown; params?: Record<string, Record<string, unknown>> };
    const sources: ReperformSource[] = [];

    if (opts.fromSources) {
      const imports = await scratch.all<{ import_id: number; kind: string; file: string; path: string; sha256: string; mapping: string | null; sheet: string | null; target_table: string | null; rows_loaded: number }>(
        `SELECT import_id, kind, file, path, sha256, mapping::VARCHAR AS mapping, sheet, target_table, rows_loaded
         FROM orig.main.import_log WHERE status = 'completed' ORDER BY import_id`);
      // The trail's hash wins over import_log's (which can be rewritten).
      const trail = await scratch.all<{ inputs: string; result: string; params: string }>(
        `SELECT inputs, "result", params FROM orig.main.audit_trail WHERE "action" = 'import'`).catch(() => []);
      const bySha = new Map<number, { sha256?: string; params: Record<string, unknown> }>();
      for (const t of trail) {
        const inp = parse(t.inputs) as unknown;
        const first = Array.isArray(inp) ? (inp[0] as Record<string, unknown>) : undefined;
        bySha.set(Number(parse(t.result).import_id), { sha256: first?.sha256 as string | undefined, params: parse(t.params) });
      }
      for (const i of imports) {
        const expected = bySha.get(Number(i.import_id))?.sha256 ?? i.sha256;
        const src: ReperformSource = { import_id: Number(i.import_id), kind: i.kind, file: i.file, path: i.path, status: 'ok', expected, stored_rows_loaded: Number(i.rows_loaded) };
        sources.push(src);
        if (!i.path || !existsSync(i.path)) { src.status = 'missing'; continue; }
        src.actual = await sha256File(i.path);
        if (src.actual !== expected) src.status = 'changed';
      }
      const bad = sources.filter((s) => s.status !== 'ok');
      // Detached while importing and running: the engine looks tables up by name in duckdb_tables()/columns().
      await scratch.run('DETACH orig');
      if (bad.length) {
        return { ok: false, run_id: runId, from_sources: true, checks: [], tables: [], figures: [], sources, ms: Date.now() - t0 };
      }
      for (const [n, i] of imports.entries()) {
        // rec_id = import_id * 1e10 + line: the re-import must get the same import ids, so the gaps (failed imports)
        // are filled with placeholder rows first.
        const next = Number(await scratch.scalar('SELECT coalesce(max(import_id), 0) + 1 FROM import_log'));
        if (next < Number(i.import_id)) {
          await scratch.run(`INSERT INTO import_log (import_id, status) VALUES ($id, 'placeholder')`, { id: Number(i.import_id) - 1 });
        }
        say(`impor ulang ${n + 1}/${imports.length}: ${i.kind} ${i.file}`);
        const p = bySha.get(Number(i.import_id))?.params ?? {};
        const map = i.kind === 'other' ? undefined : (parse(i.mapping) as Record<string, string>);
        const r = await importFile(scratch, {
          kind: i.kind as Kind, path: i.path, map, sheet: i.sheet ?? undefined,
          table: i.kind === 'other' && i.target_table ? i.target_table : undefined,
          list: typeof p.list === 'string' ? p.list : undefined, // flags kind (contract 2): the list name given at import
        });
        sources[n].rows_loaded = r.rows_loaded;
      }
      await scratch.run(`DELETE FROM import_log WHERE status = 'placeholder'`);
    } else {
      const tables = await scratch.all<{ t: string }>(
        `SELECT table_name AS t FROM duckdb_tables() WHERE database_name = 'orig' AND schema_name = 'main' AND NOT temporary ORDER BY 1`);
      for (const { t } of tables) {
        if (NOT_COPIED.test(t)) continue;
        say(`salin ${t}`);
        await scratch.run(`CREATE OR REPLACE TABLE main.${ident(t)} AS SELECT * FROM orig.main.${ident(t)}`);
      }
      await scratch.run('DETACH orig');
    }

    say(`run ${runId} diulang (re-running the checks)`);
    const res = await runChecks(scratch, {
      only: params.only ?? undefined,
      rules: (params.rules ?? undefined) as ProgrammeRulesOverride | undefined,
      params: params.params,
    });
    const checks = res.results.map((r) => r.check_id);
    await scratch.run(`ATTACH ${sqlString(orig)} AS orig (READ_ONLY)`);

    // Row-by-row comparison of every exceptions table of the re-performed checks, and of potential_loss.
    const n = opts.examples ?? 5;
    const tables: TableDiff[] = [];
    for (const table of [...checks.map((c) => `exc_${c}`), 'potential_loss']) {
      const q = ident(table);
      const reRows = Number(await scratch.scalar(`SELECT count(*) FROM main.${q}`));
      const stored = await scratch.scalar<number>(
        `SELECT count(*) FROM duckdb_tables() WHERE database_name = 'orig' AND schema_name = 'main' AND table_name = $t`, { t: table });
      if (!Number(stored)) {
        tables.push({ table, stored_rows: null, reperformed_rows: reRows, only_stored: 0, only_reperformed: reRows, examples: [], problem: 'the stored table is missing' });
        continue;
      }
      const storedRows = Number(await scratch.scalar(`SELECT count(*) FROM orig.main.${q}`));
      try {
        const a = `SELECT * FROM orig.main.${q} EXCEPT ALL SELECT * FROM main.${q}`;
        const b = `SELECT * FROM main.${q} EXCEPT ALL SELECT * FROM orig.main.${q}`;
        const onlyStored = Number(await scratch.scalar(`SELECT count(*) FROM (${a})`));
        const onlyRe = Number(await scratch.scalar(`SELECT count(*) FROM (${b})`));
        const examples: TableDiff['examples'] = [];
        if (onlyStored) for (const r of await scratch.all<{ j: string }>(`SELECT to_json(x)::VARCHAR AS j FROM (${a}) x LIMIT ${n}`)) examples.push({ side: 'stored', row: maskText(r.j) });
        if (onlyRe) for (const r of await scratch.all<{ j: string }>(`SELECT to_json(x)::VARCHAR AS j FROM (${b}) x LIMIT ${n}`)) examples.push({ side: 'reperformed', row: maskText(r.j) });
        tables.push({ table, stored_rows: storedRows, reperformed_rows: reRows, only_stored: onlyStored, only_reperformed: onlyRe, examples });
      } catch (e) {
        tables.push({ table, stored_rows: storedRows, reperformed_rows: reRows, only_stored: storedRows, only_reperformed: reRows, examples: [],
          problem: `columns differ: ${(e as Error).message.split('\n')[0]}` });
      }
    }

    // The stored figures of the run against the re-performed ones.
    const figures: ReperformResult['figures'] = [];
    const stored = await scratch.all<{ check_id: string; evaluated: boolean; records: number | null; recipients: number | null; amount: string | null }>(
      `SELECT check_id, evaluated, records, recipients, amount::VARCHAR AS amount FROM orig.main.check_results WHERE run_id = $r`, { r: runId });
    const re = await scratch.all<{ check_id: string; evaluated: boolean; records: number | null; recipients: number | null; amount: string | null }>(
      `SELECT check_id, evaluated, records, recipients, amount::VARCHAR AS amount FROM main.check_results`);
    const reBy = new Map(re.map((r) => [r.check_id, r]));
    for (const s of stored) {
      const r = reBy.get(s.check_id);
      for (const f of ['evaluated', 'records', 'recipients', 'amount'] as const) {
        const a = s[f] ?? null;
        const b = r ? r[f] ?? null : undefined;
        if (String(a) !== String(b)) figures.push({ check_id: s.check_id, field: f, stored: a, reperformed: b ?? null });
      }
    }
    await scratch.run('DETACH orig');
    const ok = tables.every((t) => !t.problem && t.only_stored === 0 && t.only_reperformed === 0) && figures.length === 0
      && sources.every((s) => s.status === 'ok' && (s.rows_loaded === undefined || s.rows_loaded === s.stored_rows_loaded));
    return { ok, run_id: runId, from_sources: !!opts.fromSources, checks, tables, figures, sources, ms: Date.now() - t0 };
  } finally {
    if (scratch) await scratch.close().catch(() => undefined);
    rmSync(dir, { recursive: true, force: true });
  }
}
