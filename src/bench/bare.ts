/**
 * The ENGINE LIMIT: the same import and the same contract checks executed directly on a bare DuckDB connection —
 * no app framework, no audit trail, no rejects bookkeeping: `read_csv` straight into a typed table, then the
 * straightforward SQL of each check (DOMAIN.md analysis catalogue) creating its exceptions table. Our engine's time
 * for each step is divided by this one (ratio = ours / bare).
 *
 * The SQL is deliberately "what a competent analyst would write first", with the two tips from STACK.md that are
 * plain DuckDB practice (read straight into the typed table; parse amounts with replace()). It is not hand-tuned
 * per check, so a ratio < 1 is possible where the engine is smarter.
 */
import { DuckDBConnection, DuckDBInstance } from '@duckdb/node-api';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { GenFiles } from './gen';

export const MACROS_SQL = readFileSync(join(__dirname, '..', 'engine', 'workspace', 'macros.sql'), 'utf8');

export interface Rules {
  programmes: Record<string, { unit: string; expected_amount: number | null; months_per_stage: number; max_desil: number; forbidden_overlap: string[] }>;
  thresholds: { identity_similarity: number; name_mismatch_similarity: number; realization_tolerance: number; cgh_max_desil: number };
}

export function loadRules(): Rules {
  return JSON.parse(readFileSync(join(__dirname, '..', '..', 'resources', 'programme-rules.json'), 'utf8'));
}

const q = (s: string) => `'${s.replace(/'/g, "''")}'`;

// ---- typed import ------------------------------------------------------------------------------------------------
const NIK = (c: string) => `CASE WHEN starts_with(trim(${c}), '''') THEN trim(substr(trim(${c}), 2)) ELSE trim(${c}) END`;
const DAMAGED = (c: string) => `coalesce(regexp_full_match(trim(${c}), '[0-9]+(\\.[0-9]+)?[eE]\\+?[0-9]+'), false)`;
const DATE_ = (c: string) => `coalesce(try_strptime(trim(${c}), '%d/%m/%Y'), try_strptime(trim(${c}), '%Y-%m-%d'), try_strptime(trim(${c}), '%d-%m-%Y'))::DATE`;
const REGION = (c: string) => `nullif(replace(replace(trim(${c}), '.', ''), ' ', ''), '')`;
// Indonesian dot-thousands / comma-decimal via replace(); regex fallback for the English form only when needed.
const MONEY = (c: string) => `coalesce(
  try_cast(replace(replace(replace(replace(upper(${c}), 'RP', ''), ' ', ''), '.', ''), ',', '.') AS DECIMAL(18,2)),
  try_cast(replace(regexp_replace(upper(${c}), '[^0-9.,]', '', 'g'), ',', '') AS DECIMAL(18,2)))`;
const PROGRAM = (c: string) => `CASE upper(trim(${c}))
  WHEN 'PKH' THEN 'PKH' WHEN 'SEMBAKO' THEN 'BPNT' WHEN 'PROGRAM SEMBAKO' THEN 'BPNT' WHEN 'BPNT' THEN 'BPNT'
  WHEN 'BST' THEN 'BLT' WHEN 'BANSOS TUNAI' THEN 'BLT' WHEN 'BLT BBM' THEN 'BLT' WHEN 'BLT' THEN 'BLT'
  WHEN 'BLT DESA' THEN 'BLT_DD' WHEN 'BLT DANA DESA' THEN 'BLT_DD' WHEN 'BLTDD' THEN 'BLT_DD'
  WHEN 'PIP' THEN 'PIP' WHEN 'KIP' THEN 'PIP' ELSE upper(trim(${c})) END`;
const STATUS = (c: string) => `CASE
  WHEN ${c} IS NULL OR trim(${c}) = '' THEN 'PAID'
  WHEN upper(trim(${c})) IN ('TERSALUR','SALUR','SUKSES','BERHASIL','PAID','SUCCESS') THEN 'PAID'
  WHEN upper(trim(${c})) IN ('GAGAL','GAGAL SALUR','FAILED') THEN 'FAILED'
  WHEN upper(trim(${c})) IN ('RETUR','DIKEMBALIKAN','RETURNED') THEN 'RETURNED'
  ELSE upper(trim(${c})) END`;
const PERIOD_KEY = (p: string, paid: string) => `CASE
  WHEN ${p} IS NULL OR trim(${p}) = '' THEN strftime(${paid}, '%Y-%m')
  WHEN regexp_full_match(trim(${p}), '[0-9]{4}-[0-9]{2}') THEN trim(${p})
  WHEN regexp_full_match(upper(trim(${p})), 'TAHAP\\s*[0-9]+\\s+[0-9]{4}') THEN
    regexp_extract(upper(trim(${p})), '([0-9]{4})$', 1) || '-T' || regexp_extract(upper(trim(${p})), 'TAHAP\\s*([0-9]+)', 1)
  ELSE upper(regexp_replace(trim(${p}), '\\s+', ' ', 'g')) END`;

function readCsv(path: string): string {
  return `read_csv(${q(path)}, delim=';', header=true, all_varchar=true, quote='"')`;
}

/** SQL per import step: (name, sql). rec_id = import_id * 1e10 + line, line = row + 1 (no multi-line records). */
export function bareImportSql(files: GenFiles['files']): Array<[string, string]> {
  const line = `(row_number() OVER ())`;
  return [
    ['registry', `CREATE OR REPLACE TABLE registry AS SELECT
        1 * 10000000000 + ${line} + 1 AS rec_id, ${line} + 1 AS _line,
        ${NIK('"NIK"')} AS nik, ${DAMAGED('"NIK"')} AS nik_damaged, nullif(trim("NO_KK"), '') AS kk,
        trim("NAMA_LENGKAP") AS name, ${REGION('"KODE_WILAYAH"')} AS region_code, ${DATE_('"TGL_LAHIR"')} AS birth_date,
        CASE upper(trim("JENIS_KELAMIN")) WHEN 'L' THEN 'L' WHEN 'LAKI-LAKI' THEN 'L' WHEN '1' THEN 'L'
          WHEN 'P' THEN 'P' WHEN 'PEREMPUAN' THEN 'P' WHEN '2' THEN 'P' END AS sex,
        try_cast(trim("DESIL") AS INTEGER) AS desil, ${DATE_('"TGL_MENINGGAL"')} AS death_date,
        trim("ALAMAT") AS address, trim("PERIODE_DATA") AS snapshot
      FROM ${readCsv(files.registry)}`],
    ['disbursements', `CREATE OR REPLACE TABLE disbursements AS SELECT *, ${PERIOD_KEY('period', 'paid_date')} AS period_key FROM (SELECT
        2 * 10000000000 + ${line} + 1 AS rec_id, ${line} + 1 AS _line,
        ${NIK('"NIK_PENERIMA"')} AS nik, ${DAMAGED('"NIK_PENERIMA"')} AS nik_damaged, nullif(trim("NO_KK"), '') AS kk,
        trim("NAMA_PENERIMA") AS name, ${REGION('"KODE_WILAYAH"')} AS region_code,
        ${PROGRAM('"JENIS_BANSOS"')} AS program, "JENIS_BANSOS" AS program_raw, ${MONEY('"NOMINAL"')} AS amount,
        trim("PERIODE") AS period, ${DATE_('"TGL_SALUR"')} AS paid_date, trim("BANK_PENYALUR") AS channel,
        nullif(trim("NO_REKENING"), '') AS account, ${STATUS('"STATUS_SALUR"')} AS status, "STATUS_SALUR" AS status_raw,
        trim("ID_TRANSAKSI") AS txn_id
      FROM ${readCsv(files.disbursements)})`],
    ['deaths', `CREATE OR REPLACE TABLE deaths AS SELECT 3 * 10000000000 + ${line} + 1 AS rec_id,
        ${NIK('"NIK"')} AS nik, ${DATE_('"TGL_MENINGGAL"')} AS death_date, trim("NAMA") AS name, ${REGION('"KODE_WILAYAH"')} AS region_code
      FROM ${readCsv(files.deaths)}`],
    ['civil_servants', `CREATE OR REPLACE TABLE civil_servants AS SELECT 4 * 10000000000 + ${line} + 1 AS rec_id,
        ${NIK('"NIK"')} AS nik, trim("NAMA") AS name, trim("INSTANSI") AS agency, trim("KATEGORI") AS category
      FROM ${readCsv(files.civil_servants)}`],
    ['budget', `CREATE OR REPLACE TABLE budget AS SELECT 5 * 10000000000 + ${line} + 1 AS rec_id,
        ${PROGRAM('"PROGRAM"')} AS program, ${MONEY('"PAGU"')} AS allocation, ${MONEY('"REALISASI"')} AS realization,
        trim("SUMBER_DANA") AS fund_source, try_cast("TAHUN" AS INTEGER) AS year, ${REGION('"KODE_WILAYAH"')} AS region_code,
        try_cast("TARGET_KPM" AS BIGINT) AS target_recipients
      FROM ${readCsv(files.budget)}`],
  ];
}

// ---- checks ------------------------------------------------------------------------------------------------------
const EXC_COLS = `d.rec_id, d._line, d.nik, d.name, d.program, d.period_key, d.paid_date, d.amount`;

/** The straightforward SQL of each contract check, creating exc_<id>. */
export function bareCheckSql(rules: Rules): Array<[string, string]> {
  const progs = Object.entries(rules.programmes);
  const household = progs.filter(([, r]) => r.unit === 'household').map(([p]) => q(p)).join(', ');
  const expected = progs.filter(([, r]) => r.expected_amount != null).map(([p, r]) => `(${q(p)}, ${r.expected_amount}, ${r.months_per_stage})`).join(', ');
  const stageMonths = progs.map(([p, r]) => `(${q(p)}, ${r.months_per_stage})`).join(', ');
  // contract 2: the months a period key covers, and its first day (YYYY-MM → 1 month; YYYY-Tn → months per stage)
  const months = (pk: string, mps: string) => `CASE WHEN regexp_full_match(${pk}, '\\d{4}-\\d{2}') THEN 1 WHEN regexp_full_match(${pk}, '\\d{4}-T\\d+') THEN ${mps} END`;
  const start = (pk: string, mps: string) => `CASE WHEN regexp_full_match(${pk}, '\\d{4}-\\d{2}') THEN try_strptime(${pk} || '-01', '%Y-%m-%d')::DATE
      WHEN regexp_full_match(${pk}, '\\d{4}-T\\d+') THEN try_cast(make_date(left(${pk}, 4)::INT, (substr(${pk}, 7)::INT - 1) * ${mps} + 1, 1) AS DATE) END`;
  // registry snapshots as the bench generator writes them (YYYY-MM); rows without one are dated before all others
  const snaps = `(SELECT nik, coalesce(try_strptime(snapshot || '-01', '%Y-%m-%d')::DATE, DATE '0001-01-01') AS snap_d, min(desil) AS desil
      FROM registry WHERE nik IS NOT NULL GROUP BY ALL)`;
  const maxDesil = progs.map(([p, r]) => `(${q(p)}, ${r.max_desil})`).join(', ');
  const overlap = progs.flatMap(([p, r]) => r.forbidden_overlap.map((o) => `(${q(p)}, ${q(o)})`)).join(', ');
  const t = rules.thresholds;
  const paid = `(SELECT * FROM disbursements WHERE status = 'PAID')`;
  const regFirst = `(SELECT nik, arg_min(kk, rec_id) AS kk, arg_min(name, rec_id) AS name, arg_min(birth_date, rec_id) AS birth_date,
      min(desil) AS desil FROM registry GROUP BY nik)`;
  const hhKey = `coalesce(d.kk, r.kk, 'NIK:' || d.nik)`;
  return [
    ['nik_invalid', `CREATE OR REPLACE TABLE exc_nik_invalid AS SELECT 'nik_invalid' AS check_id, ${EXC_COLS},
        nik_invalid_reason(d.nik) AS reason, d.nik_damaged FROM ${paid} d WHERE NOT nik_is_valid(d.nik)`],
    ['not_in_registry', `CREATE OR REPLACE TABLE exc_not_in_registry AS SELECT 'not_in_registry' AS check_id, ${EXC_COLS}
        FROM ${paid} d WHERE nik_is_valid(d.nik) AND d.nik NOT IN (SELECT nik FROM registry WHERE nik IS NOT NULL)`],
    ['deceased', `CREATE OR REPLACE TABLE exc_deceased AS
        WITH dd AS (SELECT nik, min(death_date) AS death_date FROM (
          SELECT nik, death_date FROM deaths UNION ALL SELECT nik, death_date FROM registry WHERE death_date IS NOT NULL) GROUP BY nik)
        SELECT 'deceased' AS check_id, ${EXC_COLS}, dd.death_date FROM ${paid} d JOIN dd USING (nik)
        WHERE d.paid_date > dd.death_date`],
    ['duplicate_payment', `CREATE OR REPLACE TABLE exc_duplicate_payment AS SELECT * EXCLUDE (rn) FROM (
        SELECT 'duplicate_payment' AS check_id, ${EXC_COLS}, row_number() OVER (PARTITION BY d.nik, d.program, d.period_key
          ORDER BY d.paid_date NULLS LAST, d.txn_id, d.rec_id) AS rn FROM ${paid} d) WHERE rn > 1`],
    ['household_duplicate', `CREATE OR REPLACE TABLE exc_household_duplicate AS SELECT * EXCLUDE (first_nik) FROM (
        SELECT 'household_duplicate' AS check_id, ${EXC_COLS}, ${hhKey} AS household_key,
          first_value(d.nik) OVER (PARTITION BY ${hhKey}, d.program, d.period_key
            ORDER BY d.paid_date NULLS LAST, d.txn_id, d.rec_id) AS first_nik
        FROM ${paid} d LEFT JOIN ${regFirst} r ON r.nik = d.nik WHERE d.program IN (${household}))
      WHERE nik IS DISTINCT FROM first_nik`],
    ['civil_servant', `CREATE OR REPLACE TABLE exc_civil_servant AS SELECT 'civil_servant' AS check_id, ${EXC_COLS}
        FROM ${paid} d WHERE d.nik IN (SELECT nik FROM civil_servants)`],
    ['ineligible_desil', `CREATE OR REPLACE TABLE exc_ineligible_desil AS
        WITH s AS ${snaps},
        p AS (SELECT d.*, coalesce(d.paid_date, ${start('d.period_key', 'coalesce(sm.m, 3)')}) AS ref_d
              FROM ${paid} d LEFT JOIN (VALUES ${stageMonths}) sm(program, m) ON sm.program = d.program),
        f AS (SELECT nik, arg_min(desil, snap_d) AS desil FROM s GROUP BY nik),
        inforce AS (SELECT p.rec_id, coalesce(s.desil, f.desil) AS desil, s.nik IS NOT NULL AS dated
                    FROM p ASOF LEFT JOIN s ON s.nik = p.nik AND p.ref_d >= s.snap_d JOIN f ON f.nik = p.nik)
        SELECT 'ineligible_desil' AS check_id, ${EXC_COLS}, i.desil
        FROM p d JOIN inforce i USING (rec_id)
        JOIN (VALUES ${maxDesil}) m(program, max_desil) ON m.program = d.program WHERE i.desil > m.max_desil`],
    ['program_overlap', `CREATE OR REPLACE TABLE exc_program_overlap AS
        WITH k AS (SELECT d.*, ${hhKey} AS hh FROM ${paid} d LEFT JOIN ${regFirst} r ON r.nik = d.nik),
        other AS (SELECT DISTINCT k.hh, o.program AS p, year(k.paid_date) AS y FROM k JOIN (VALUES ${overlap || "('', '')"}) o(program, other) ON o.other = k.program)
        SELECT 'program_overlap' AS check_id, d.rec_id, d._line, d.nik, d.name, d.program, d.period_key, d.paid_date, d.amount, d.hh AS household_key
        FROM k d JOIN other ON other.hh = d.hh AND other.p = d.program AND other.y = year(d.paid_date)`],
    ['shared_account', `CREATE OR REPLACE TABLE exc_shared_account AS
        WITH a AS (SELECT account FROM ${paid} d WHERE account IS NOT NULL AND account <> '' GROUP BY account HAVING count(DISTINCT nik) >= 2)
        SELECT 'shared_account' AS check_id, ${EXC_COLS}, d.account FROM ${paid} d JOIN a USING (account)`],
    ['identity_duplicate', `CREATE OR REPLACE TABLE exc_identity_duplicate AS
        WITH p AS (SELECT DISTINCT d.program, d.nik, r.birth_date, name_norm(r.name) AS nn FROM ${paid} d JOIN ${regFirst} r USING (nik)
                   WHERE r.birth_date IS NOT NULL),
        pairs AS (SELECT a.program, a.nik AS nik_a, b.nik AS nik_b FROM p a JOIN p b
                  ON a.program = b.program AND a.birth_date = b.birth_date AND a.nik < b.nik
                  WHERE jaro_winkler_similarity(a.nn, b.nn) >= ${t.identity_similarity}),
        n AS (SELECT program, nik_a AS nik FROM pairs UNION SELECT program, nik_b FROM pairs)
        SELECT 'identity_duplicate' AS check_id, ${EXC_COLS} FROM ${paid} d JOIN n USING (program, nik)`],
    ['name_mismatch', `CREATE OR REPLACE TABLE exc_name_mismatch AS SELECT 'name_mismatch' AS check_id, ${EXC_COLS}, r.name AS registry_name
        FROM ${paid} d JOIN ${regFirst} r USING (nik)
        WHERE jaro_winkler_similarity(name_norm(d.name), name_norm(r.name)) < ${t.name_mismatch_similarity}`],
    ['undistributed', `CREATE OR REPLACE TABLE exc_undistributed AS SELECT 'undistributed' AS check_id, ${EXC_COLS}, d.status
        FROM disbursements d WHERE d.status IN ('FAILED', 'RETURNED')`],
    ['overpayment', `CREATE OR REPLACE TABLE exc_overpayment AS SELECT 'overpayment' AS check_id, ${EXC_COLS}, e.amount * ${months('d.period_key', 'e.m')} AS expected
        FROM ${paid} d JOIN (VALUES ${expected}) e(program, amount, m) ON e.program = d.program WHERE d.amount > e.amount * ${months('d.period_key', 'e.m')}`],
    ['underpayment', `CREATE OR REPLACE TABLE exc_underpayment AS SELECT 'underpayment' AS check_id, ${EXC_COLS}, e.amount * ${months('d.period_key', 'e.m')} AS expected
        FROM ${paid} d JOIN (VALUES ${expected}) e(program, amount, m) ON e.program = d.program WHERE d.amount < e.amount * ${months('d.period_key', 'e.m')}`],
    ['registry_duplicate_nik', `CREATE OR REPLACE TABLE exc_registry_duplicate_nik AS SELECT * EXCLUDE (rn) FROM (
        SELECT 'registry_duplicate_nik' AS check_id, rec_id, _line, nik, name, row_number() OVER (PARTITION BY nik, snapshot ORDER BY rec_id) AS rn
        FROM registry WHERE nik IS NOT NULL) WHERE rn > 1`],
    ['nik_attribute_mismatch', `CREATE OR REPLACE TABLE exc_nik_attribute_mismatch AS SELECT 'nik_attribute_mismatch' AS check_id,
        rec_id, _line, nik, name, birth_date, sex FROM registry
        WHERE nik_is_valid(nik) AND (
          (birth_date IS NOT NULL AND (substr(nik, 7, 2)::INT % 40 <> day(birth_date) OR substr(nik, 9, 2)::INT <> month(birth_date)
            OR substr(nik, 11, 2)::INT <> year(birth_date) % 100))
          OR (sex IS NOT NULL AND (substr(nik, 7, 2)::INT > 40) <> (sex = 'P')))`],
    ['realization_mismatch', `CREATE OR REPLACE TABLE exc_realization_mismatch AS
        WITH own AS (SELECT d.rec_id AS d_rec, d.amount,
            arg_max(b.rec_id, (length(coalesce(b.region_code, '')), b.year IS NOT NULL, -b.rec_id)) AS line
          FROM disbursements d JOIN budget b ON d.program = b.program AND (b.year IS NULL OR year(d.paid_date) = b.year)
            AND (b.region_code IS NULL OR starts_with(d.region_code, b.region_code))
          WHERE d.status = 'PAID' GROUP BY d.rec_id, d.amount),
        s AS (SELECT line, sum(amount) AS paid FROM own GROUP BY line)
        SELECT 'realization_mismatch' AS check_id, b.rec_id, b.program, b.year, b.region_code, b.realization,
          coalesce(s.paid, 0) AS paid, abs(b.realization - coalesce(s.paid, 0)) AS amount
        FROM budget b LEFT JOIN s ON s.line = b.rec_id
        WHERE b.realization IS NOT NULL AND abs(b.realization - coalesce(s.paid, 0)) > ${t.realization_tolerance}`],
  ];
}

/** Figures + potential loss + targeting (the summary), straightforward SQL. */
export function bareSummarySql(rules: Rules, checks: string[]): string[] {
  const lossChecks = ['nik_invalid', 'not_in_registry', 'deceased', 'duplicate_payment', 'household_duplicate', 'civil_servant', 'ineligible_desil', 'program_overlap'];
  const progs = Object.entries(rules.programmes);
  const maxDesil = progs.map(([p, r]) => `(${q(p)}, ${r.max_desil})`).join(', ');
  return [
    `CREATE OR REPLACE TABLE bare_figures AS ${checks.map((c) => `SELECT '${c}' AS check_id, count(*) AS records, count(DISTINCT nik) AS recipients, ${c.startsWith('registry_') || c.startsWith('nik_attr') ? 'NULL::DECIMAL(18,2)' : c.endsWith('payment') && c !== 'duplicate_payment' ? 'sum(abs(amount - expected))' : 'sum(amount)'} AS amount FROM exc_${c}`).join(' UNION ALL ')}`,
    `CREATE OR REPLACE TABLE bare_potential_loss AS SELECT count(*) AS records, count(DISTINCT nik) AS recipients, sum(amount) AS amount
       FROM disbursements WHERE rec_id IN (${lossChecks.map((c) => `SELECT rec_id FROM exc_${c}`).join(' UNION ')})`,
    `CREATE OR REPLACE TABLE bare_targeting AS
       WITH reg AS (SELECT nik, arg_min(kk, rec_id) AS kk FROM registry GROUP BY nik),
       rh AS (SELECT coalesce(kk, 'NIK:' || nik) AS hh, min(desil) AS desil FROM registry GROUP BY 1),
       b AS (SELECT d.program, coalesce(d.kk, reg.kk, 'NIK:' || d.nik) AS hh, sum(d.amount) AS amt
             FROM disbursements d LEFT JOIN reg ON reg.nik = d.nik WHERE d.status = 'PAID' GROUP BY ALL),
       m AS (SELECT * FROM (VALUES ${maxDesil}) v(program, max_desil)),
       share AS (SELECT count(*) FILTER (WHERE desil <= ${rules.thresholds.cgh_max_desil}) / count(*) AS s FROM rh WHERE desil IS NOT NULL)
       SELECT b.program,
         count(*) AS beneficiary_households,
         (SELECT count(*) FROM rh WHERE rh.desil <= any_value(m.max_desil)) AS target_households,
         count(*) FILTER (WHERE rh.hh IS NULL OR rh.desil IS NULL OR rh.desil > m.max_desil) / count(*) AS inclusion_error,
         1 - count(*) FILTER (WHERE rh.desil <= m.max_desil) / (SELECT count(*) FROM rh WHERE rh.desil <= any_value(m.max_desil)) AS exclusion_error,
         sum(b.amt) FILTER (WHERE rh.hh IS NULL OR rh.desil IS NULL OR rh.desil > m.max_desil) / sum(b.amt) AS leakage,
         (sum(b.amt) FILTER (WHERE rh.desil <= ${rules.thresholds.cgh_max_desil}) / sum(b.amt)) / any_value(share.s) AS cgh,
         count(*) FILTER (WHERE rh.desil <= m.max_desil) / (SELECT count(*) FROM rh WHERE rh.desil <= any_value(m.max_desil))
           - count(*) FILTER (WHERE rh.hh IS NOT NULL AND NOT coalesce(rh.desil <= m.max_desil, false))
             / (SELECT count(*) FROM rh WHERE NOT coalesce(rh.desil <= any_value(m.max_desil), false)) AS targeting_differential
       FROM b JOIN m USING (program) LEFT JOIN rh USING (hh) CROSS JOIN share GROUP BY b.program`,
  ];
}

/** ms = wall time; cpu_ms = user + system CPU of the whole process (all DuckDB threads) — robust to a shared machine. */
export interface StepTime { step: string; ms: number; cpu_ms?: number }

export const cpuMs = () => { const u = process.cpuUsage(); return (u.user + u.system) / 1000; };

export async function timed(c: DuckDBConnection, step: string, sql: string | string[], out: StepTime[]): Promise<number> {
  const t = performance.now();
  const c0 = cpuMs();
  for (const s of Array.isArray(sql) ? sql : [sql]) await c.run(s);
  const ms = performance.now() - t;
  out.push({ step, ms, cpu_ms: cpuMs() - c0 });
  return ms;
}

export interface BareOptions {
  dbPath: string;
  memoryLimit?: string;
  threads?: number;
  log?: (m: string) => void;
  skipChecks?: string[];
}

export interface BareResult {
  steps: StepTime[];
  rows: Record<string, number>;
  figures: Array<{ check_id: string; records: number; recipients: number; amount: number }>;
  potential_loss: { records: number; recipients: number; amount: number };
  duckdb_memory_bytes: number;
  database_size: Record<string, unknown>;
}

/** Runs the whole bare pipeline once on a fresh database file. */
export async function runBare(files: GenFiles['files'], o: BareOptions): Promise<BareResult> {
  const cfg: Record<string, string> = { temp_directory: `${o.dbPath}.tmp` };
  if (o.memoryLimit) cfg.memory_limit = o.memoryLimit;
  if (o.threads) cfg.threads = String(o.threads);
  const db = await DuckDBInstance.create(o.dbPath, cfg);
  const c = await db.connect();
  const log = o.log ?? (() => undefined);
  const steps: StepTime[] = [];
  try {
    await c.run(MACROS_SQL);
    for (const [kind, sql] of bareImportSql(files)) {
      const ms = await timed(c, `import.${kind}`, sql, steps);
      log(`bare import ${kind}: ${(ms / 1000).toFixed(2)} s`);
    }
    const rules = loadRules();
    const checks = bareCheckSql(rules).filter(([id]) => !(o.skipChecks ?? []).includes(id));
    const t0 = performance.now();
    const c0 = cpuMs();
    for (const [id, sql] of checks) {
      const ms = await timed(c, `check.${id}`, sql, steps);
      log(`bare check ${id}: ${(ms / 1000).toFixed(2)} s`);
    }
    const checksMs = performance.now() - t0;
    const sm = await timed(c, 'summary', bareSummarySql(rules, checks.map(([id]) => id).filter((id) => id !== 'realization_mismatch')), steps);
    const checksCpu = cpuMs() - c0 - (steps[steps.length - 1].cpu_ms ?? 0);
    steps.push({ step: 'checks.total', ms: checksMs, cpu_ms: checksCpu });
    steps.push({ step: 'audit.total', ms: checksMs + sm, cpu_ms: checksCpu + (steps[steps.length - 2]?.cpu_ms ?? 0) });
    const rows: Record<string, number> = {};
    for (const t of ['registry', 'disbursements', 'deaths', 'civil_servants', 'budget']) {
      rows[t] = Number((await c.runAndReadAll(`SELECT count(*) FROM ${t}`)).getRows()[0][0]);
    }
    const figures = (await c.runAndReadAll(`SELECT check_id, records::BIGINT, recipients::BIGINT, coalesce(amount, 0)::DOUBLE FROM bare_figures ORDER BY 1`))
      .getRows().map((r) => ({ check_id: String(r[0]), records: Number(r[1]), recipients: Number(r[2]), amount: Number(r[3]) }));
    const pl = (await c.runAndReadAll(`SELECT records::BIGINT, recipients::BIGINT, coalesce(amount, 0)::DOUBLE FROM bare_potential_loss`)).getRows()[0];
    const mem = Number((await c.runAndReadAll(`SELECT coalesce(sum(memory_usage_bytes), 0)::BIGINT FROM duckdb_memory()`)).getRows()[0][0]);
    const dbs = (await c.runAndReadAll(`PRAGMA database_size`)).getRowObjectsJS()[0] ?? {};
    return {
      steps, rows, figures,
      potential_loss: { records: Number(pl[0]), recipients: Number(pl[1]), amount: Number(pl[2]) },
      duckdb_memory_bytes: mem,
      database_size: Object.fromEntries(Object.entries(dbs).map(([k, v]) => [k, typeof v === 'bigint' ? Number(v) : v])),
    };
  } finally {
    c.closeSync();
    db.closeSync();
  }
}
