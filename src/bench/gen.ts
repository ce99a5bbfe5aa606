/**
 * Benchmark data generator: national-scale extracts written with DuckDB SQL (`COPY (SELECT …) TO 'x.csv'`), which
 * writes 10M rows in seconds. The files look like real extracts: Indonesian headers, `;` delimiter, NIK as text
 * (some with a leading apostrophe or spaces, some damaged), amounts as `Rp 200.000` / `200000` / `200.000,00`,
 * dates DD/MM/YYYY, raw programme names (SEMBAKO, BLT DESA, KIP …), raw statuses (TERSALUR, GAGAL, RETUR, empty),
 * region codes with and without dots, and planted anomalies for every contract check.
 *
 * Everything is a deterministic function of (seed, row index) via DuckDB's hash(), so a file is reproducible and
 * cached under os.tmpdir()/telisik-bench/<key>/.
 */
import { DuckDBInstance } from '@duckdb/node-api';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface GenOptions {
  disbursementRows: number;
  registryRows?: number; // default disbursementRows / 2
  seed?: number;
  cacheDir?: string; // default os.tmpdir()/telisik-bench
  threads?: number;
  log?: (msg: string) => void;
}

export interface GenFiles {
  dir: string;
  key: string;
  seed: number;
  disbursementRows: number;
  registryRows: number;
  files: { registry: string; disbursements: string; deaths: string; civil_servants: string; budget: string };
  bytes: Record<string, number>;
  generated_ms: number | null; // null when served from the cache
  cached_generated_ms?: number; // how long the cached files took to generate
}

const PROVINCES = ['11', '12', '13', '14', '15', '16', '17', '18', '19', '21', '31', '32', '33', '34', '35', '36',
  '51', '52', '53', '61', '62', '63', '64', '65', '71', '72', '73', '74', '75', '76', '81', '82', '91', '92', '93', '94', '95', '96'];
// Population-weighted-ish: Java provinces appear more often (repeat them).
const PROV_POOL = [...PROVINCES, '31', '32', '32', '32', '33', '33', '33', '35', '35', '35', '36', '12', '16', '73'];
const FIRST_L = ['AHMAD', 'MUHAMMAD', 'BUDI', 'AGUS', 'SLAMET', 'JOKO', 'BAMBANG', 'HENDRA', 'RUDI', 'DEDI', 'ASEP', 'UJANG',
  'WAYAN', 'MADE', 'KETUT', 'YOHANES', 'FRANSISKUS', 'ANDI', 'RAHMAT', 'IRFAN', 'SUPRIYADI', 'SUTRISNO', 'HARYANTO',
  'TEGUH', 'EKO', 'DWI', 'ARIF', 'FAJAR', 'HASAN', 'YUSUF', 'ISMAIL', 'SYAHRUL', 'DARMAWAN', 'ROBERTUS', 'PUTU', 'NYOMAN'];
const FIRST_P = ['SITI', 'NUR', 'SRI', 'DEWI', 'RINA', 'YUNI', 'ENDANG', 'WATI', 'LESTARI', 'KOMANG', 'NI', 'MARIA',
  'FATIMAH', 'AISYAH', 'RATNA', 'SUMIATI', 'SUPARTI', 'TITIN', 'EUIS', 'ENENG', 'NENG', 'IKA', 'WAHYUNI', 'PUJI',
  'MARTINA', 'YOSEFINA', 'ANI', 'HARTATI', 'SUSANTI', 'MULYANI', 'KARTINI', 'RAHAYU', 'NURHAYATI', 'INDAH', 'LILIS', 'ROSMAWATI'];
const MIDDLE = ['', '', '', 'NUR', 'DWI', 'TRI', 'EKA', 'SRI', 'ABDUL', 'SITI', 'PUTRA', 'PUTRI', 'AYU', 'ADI', 'BAYU', 'INDRA'];
const LAST = ['SANTOSO', 'WIBOWO', 'HIDAYAT', 'SUSANTO', 'SAPUTRA', 'PRATAMA', 'SETIAWAN', 'KURNIAWAN', 'NASUTION',
  'SIREGAR', 'HARAHAP', 'LUBIS', 'SIMANJUNTAK', 'PANJAITAN', 'SIHOMBING', 'TAMBUNAN', 'GINTING', 'TARIGAN', 'SEMBIRING',
  'RAHMAN', 'HAKIM', 'HALIM', 'SYAHPUTRA', 'MAULANA', 'FIRMANSYAH', 'GUNAWAN', 'HARTONO', 'SUGIANTO', 'PURNOMO', 'WIDODO',
  'SUHARTO', 'SUBAGYO', 'RAHAYU', 'LESTARI', 'WATI', 'NINGSIH', 'SARI', 'YANTI', 'HANDAYANI', 'KUSUMA', 'MANURUNG',
  'PASARIBU', 'TANJUNG', 'DAULAY', 'BATUBARA', 'RANGKUTI', 'LATUHARHARY', 'PATTIMURA', 'MANUPUTTY', 'WENDA', 'KOGOYA',
  'WONDA', 'RUMBIAK', 'MANDACAN', 'LAMPE', 'DAENG', 'SAMAD', 'BACO', 'LATIF', 'ARSYAD', 'BASRI', 'JUNAEDI', 'MARZUKI'];
const STREETS = ['MERDEKA', 'SUDIRMAN', 'DIPONEGORO', 'GAJAH MADA', 'KARTINI', 'AHMAD YANI', 'PEMUDA', 'KENANGA',
  'MAWAR', 'MELATI', 'ANGGREK', 'CEMPAKA', 'FLAMBOYAN', 'NANGKA', 'RAYA DESA', 'LINTAS TIMUR', 'PERINTIS'];

const sqlList = (xs: string[]) => '[' + xs.map((x) => `'${x.replace(/'/g, "''")}'`).join(', ') + ']';

/** Macros that define one synthetic person p (0-based) deterministically from the seed S. */
function personMacros(S: number): string {
  const pick = (list: string, h: string) => `list_element(${list}, 1 + (${h} % len(${list}))::INT)`;
  return `
CREATE OR REPLACE MACRO base_of(p) AS CASE WHEN p % 2000 = 1001 THEN p - 1 ELSE p END; -- identity twin of p-1
CREATE OR REPLACE MACRO hh_of(p) AS base_of(p) // 3;        -- 3 persons per household; twins share the region
CREATE OR REPLACE MACRO kk_hh(p) AS p // 3;                 -- a twin sits in its own KK
CREATE OR REPLACE MACRO region10(p) AS
  ${pick(sqlList(PROV_POOL), `hash(hh_of(p) // 40, ${S}, 1)`)} ||
  lpad((1 + hash(hh_of(p) // 40, ${S}, 2) % 25)::VARCHAR, 2, '0') ||
  lpad((1 + hash(hh_of(p) // 8, ${S}, 3) % 20)::VARCHAR, 2, '0') ||
  lpad((2001 + hash(hh_of(p), ${S}, 4) % 18)::VARCHAR, 4, '0');
CREATE OR REPLACE MACRO bdate(p) AS DATE '1945-01-01' + (hash(base_of(p), ${S}, 5) % 22280)::INT;
CREATE OR REPLACE MACRO is_f(p) AS hash(base_of(p), ${S}, 6) % 2 = 1;
CREATE OR REPLACE MACRO nik_of(p) AS
  substr(region10(p), 1, 6) || lpad((day(bdate(p)) + CASE WHEN is_f(p) THEN 40 ELSE 0 END)::VARCHAR, 2, '0') ||
  strftime(bdate(p), '%m%y') || lpad((1 + hash(p, ${S}, 7) % 9999)::VARCHAR, 4, '0');
CREATE OR REPLACE MACRO kk_of(p) AS
  substr(region10(p), 1, 6) || strftime(DATE '2005-01-01' + (hash(kk_hh(p), ${S}, 8) % 7000)::INT, '%d%m%y') ||
  lpad((1 + hash(kk_hh(p), ${S}, 9) % 9999)::VARCHAR, 4, '0');
CREATE OR REPLACE MACRO name0(p) AS
  CASE WHEN is_f(p) THEN ${pick(sqlList(FIRST_P), `hash(base_of(p), ${S}, 10)`)} ELSE ${pick(sqlList(FIRST_L), `hash(base_of(p), ${S}, 10)`)} END ||
  ' ' || ltrim(${pick(sqlList(MIDDLE), `hash(base_of(p), ${S}, 11)`)} || ' ') || ${pick(sqlList(LAST), `hash(base_of(p), ${S}, 12)`)};
CREATE OR REPLACE MACRO name_of(p) AS CASE WHEN p % 2000 = 1001 THEN left(name0(p), -1) ELSE name0(p) END;
-- Household desil: households x % 3 <> 2 (the recipient pool) are 95% desil 1-4; others uniform 1-10.
CREATE OR REPLACE MACRO desil_of(p) AS CASE
  WHEN (p // 3) % 3 <> 2 THEN CASE WHEN hash(p // 3, ${S}, 13) % 100 < 95 THEN 1 + hash(p // 3, ${S}, 14) % 4 ELSE 5 + hash(p // 3, ${S}, 14) % 6 END
  ELSE 1 + hash(p // 3, ${S}, 14) % 10 END;
CREATE OR REPLACE MACRO account_of(p) AS lpad((hash(p, ${S}, 15) % 1000000000000000)::VARCHAR, 15, '0');
CREATE OR REPLACE MACRO dotted(r) AS substr(r,1,2)||'.'||substr(r,3,2)||'.'||substr(r,5,2)||'.'||substr(r,7,4);
CREATE OR REPLACE MACRO rupiah(x) AS replace(format('{:,}', x::BIGINT), ',', '.');
`;
}

/** The programme mix of the disbursement rows: fractions of N, rows per recipient slot, household offset. */
// With R = N/2 the recipient pool holds H = 2R/9 = N/9 households: BPNT covers [0, .41)·H, PKH [.30, .75) (PKH+BPNT
// overlap, legitimate), BLT_DD [.745, .835) (≈ 5% of its households also get PKH: program_overlap), BLT [.835, 1.075)
// (wraps into BPNT), PIP [.10, .325).
const PROGRAMS = [
  { code: 'BPNT', frac: 0.55, per: 12, off: 0.0 },
  { code: 'PKH', frac: 0.2, per: 4, off: 0.3 },
  { code: 'BLT_DD', frac: 0.12, per: 12, off: 0.745 },
  { code: 'BLT', frac: 0.08, per: 3, off: 0.835 },
  { code: 'PIP', frac: 0.05, per: 2, off: 0.1 },
];

// Row numbers from a table, not from range(): DuckDB runs a range() scan on one thread, a table scan on all of them
// (the order of the rows written is kept either way).
const ids = (from: string, to: string) => `(SELECT i FROM _gen_ids WHERE i >= ${from} AND i < ${to})`;

function disbursementSql(N: number, R: number, S: number): string {
  // Recipient households: households x with x % 3 != 2 (2/3 of the R/3 households); the recipient is their head
  // p = 3x. Each programme takes consecutive slots from its offset, so programmes overlap as described above.
  const H = Math.max(1, Math.floor((R / 3) * (2 / 3)));
  let start = 0;
  const parts: string[] = [];
  PROGRAMS.forEach((pg, idx) => {
    const n = idx === PROGRAMS.length - 1 ? N - start : Math.floor(N * pg.frac);
    const a = start;
    start += n;
    // PIP is individual: a child (p = 3x + 2) of the household.
    const x = `((${Math.floor(pg.off * H)} + (j - ${a}) // ${pg.per}) % ${H})`;
    const person = `(3 * (${x} + ${x} // 2) + ${pg.code === 'PIP' ? 2 : 0})`;
    parts.push(`SELECT j, '${pg.code}' AS prog, (j - ${a}) // ${pg.per} AS slot, (j - ${a}) % ${pg.per} AS k, ${person} AS p0
      FROM ${ids(`${a}`, `${a + n}`)} t(j)`);
  });
  return `
WITH base AS (${parts.join('\nUNION ALL\n')}),
b AS (
  SELECT *, hash(j, ${S}, 20) % 10000 AS a, hash(j, ${S}, 21) AS h,
    -- household duplicate: in 0.2% of slots another member (p+1, same KK) is paid again for a period already paid
    CASE WHEN hash(slot, prog, ${S}, 22) % 500 = 0 AND k >= per_half THEN p0 + 1
         -- identity twin paid in the same programme
         WHEN p0 % 2000 = 1000 AND k % 2 = 1 THEN p0 + 1 ELSE p0 END AS p
  FROM (SELECT *, CASE prog WHEN 'BPNT' THEN 6 WHEN 'BLT_DD' THEN 6 WHEN 'PKH' THEN 2 WHEN 'BLT' THEN 2 ELSE 1 END AS per_half FROM base)
),
c AS (
  SELECT *,
    -- period index: month (1-12) or tahap (1-4); 0.3% duplicate payments reuse the previous period
    CASE WHEN p = p0 + 1 AND p0 % 2000 <> 1000 THEN k - per_half WHEN a BETWEEN 70 AND 99 AND k > 0 THEN k - 1 ELSE k END AS kp,
    CASE WHEN a BETWEEN 30 AND 59 THEN p + ${R} * 2 ELSE p END AS pn   -- 0.3% valid NIKs absent from the registry
  FROM b
),
d AS (
  SELECT *,
    CASE prog WHEN 'BPNT' THEN make_date(2025, kp + 1, 1 + (h % 28)::INT)
              WHEN 'BLT_DD' THEN make_date(2025, kp + 1, 1 + (h % 28)::INT)
              WHEN 'PKH' THEN make_date(2025, kp * 3 + 2, 1 + (h % 28)::INT)
              WHEN 'BLT' THEN make_date(2025, kp * 4 + 3, 1 + (h % 28)::INT)
              ELSE make_date(2025, kp * 6 + 4, 1 + (h % 28)::INT) END AS paid,
    nik_of(pn) AS nik0
  FROM c
)
SELECT
  CASE
    WHEN a < 10 THEN '99' || substr(nik0, 3)                                   -- province
    WHEN a < 18 THEN substr(nik0, 1, 15)                                       -- 15 digits
    WHEN a < 24 THEN substr(nik0, 1, 1) || '.' || substr(nik0, 2, 5) || 'E+15' -- spreadsheet damage
    WHEN a < 30 THEN substr(nik0, 1, 8) || ' ' || substr(nik0, 9)              -- inner space
    WHEN (h >> 8) % 100 = 0 THEN '''' || nik0                                   -- 1% leading apostrophe
    WHEN (h >> 8) % 100 = 1 THEN ' ' || nik0 || ' '
    ELSE nik0 END AS "NIK_PENERIMA",
  CASE WHEN (h >> 16) % 5 = 0 THEN '' ELSE kk_of(p) END AS "NO_KK",
  CASE WHEN a BETWEEN 100 AND 129 THEN name_of(p + 7)
       WHEN (h >> 24) % 10 = 0 THEN lower(name_of(p)) ELSE name_of(p) END AS "NAMA_PENERIMA",
  CASE WHEN (h >> 32) % 2 = 0 THEN dotted(region10(p)) ELSE region10(p) END AS "KODE_WILAYAH",
  CASE prog WHEN 'BPNT' THEN list_element(['BPNT', 'SEMBAKO', 'PROGRAM SEMBAKO'], 1 + ((h >> 40) % 3)::INT)
            WHEN 'BLT_DD' THEN list_element(['BLT DESA', 'BLT DANA DESA', 'BLTDD'], 1 + ((h >> 40) % 3)::INT)
            WHEN 'PIP' THEN list_element(['PIP', 'KIP'], 1 + ((h >> 40) % 2)::INT)
            WHEN 'BLT' THEN list_element(['BLT', 'BST'], 1 + ((h >> 40) % 2)::INT)
            ELSE 'PKH' END AS "JENIS_BANSOS",
  (CASE WHEN (h >> 44) % 10 < 4 THEN 'Rp ' WHEN (h >> 44) % 10 = 9 THEN 'Rp' ELSE '' END) ||
  (CASE WHEN (h >> 44) % 10 BETWEEN 4 AND 6 THEN amt::VARCHAR
        WHEN (h >> 44) % 10 IN (7, 8) THEN rupiah(amt) || ',00' ELSE rupiah(amt) END) AS "NOMINAL",
  CASE prog WHEN 'BPNT' THEN '2025-' || lpad((kp + 1)::VARCHAR, 2, '0')
            WHEN 'BLT_DD' THEN '2025-' || lpad((kp + 1)::VARCHAR, 2, '0')
            WHEN 'PKH' THEN 'TAHAP ' || (kp + 1) || ' 2025'
            WHEN 'BLT' THEN 'TAHAP ' || (kp + 1) || ' 2025'
            ELSE '' END AS "PERIODE",
  strftime(paid, '%d/%m/%Y') AS "TGL_SALUR",
  CASE WHEN prog = 'BLT_DD' THEN 'TUNAI DESA' ELSE list_element(['BRI', 'BNI', 'MANDIRI', 'BSI', 'PT POS'], 1 + ((h >> 48) % 5)::INT) END AS "BANK_PENYALUR",
  CASE WHEN prog = 'BLT_DD' THEN '' WHEN a BETWEEN 130 AND 132 THEN account_of(p + 3)
       WHEN a < 30 THEN account_of(p + 3 * ${R}) ELSE account_of(pn) END AS "NO_REKENING",
  CASE WHEN a BETWEEN 160 AND 299 THEN 'GAGAL SALUR' WHEN a BETWEEN 300 AND 359 THEN 'RETUR'
       WHEN (h >> 52) % 10 < 7 THEN 'TERSALUR' WHEN (h >> 52) % 10 < 9 THEN 'SUKSES' ELSE '' END AS "STATUS_SALUR",
  'TRX' || lpad(j::VARCHAR, 11, '0') AS "ID_TRANSAKSI"
FROM (SELECT *,
  CASE prog WHEN 'BPNT' THEN CASE WHEN a BETWEEN 360 AND 374 THEN 400000 WHEN a BETWEEN 375 AND 389 THEN 100000 ELSE 200000 END
            WHEN 'BLT_DD' THEN CASE WHEN a BETWEEN 360 AND 374 THEN 600000 WHEN a BETWEEN 375 AND 389 THEN 150000 ELSE 300000 END
            WHEN 'PKH' THEN list_element([225000, 375000, 500000, 600000, 750000], 1 + (hash(p, ${S}, 23) % 5)::INT)
            WHEN 'BLT' THEN 600000
            ELSE list_element([450000, 750000, 1000000], 1 + (hash(p, ${S}, 24) % 3)::INT) END AS amt
  FROM d)
`;
}

function registrySql(R: number, S: number): string {
  // Registry row r is person r, except r % 300 = 2 (never a recipient): a repeated NIK (person r-1 again, older snapshot).
  return `
SELECT
  CASE WHEN (h >> 8) % 100 = 0 THEN '''' || nik_of(p) ELSE nik_of(p) END AS "NIK",
  kk_of(p) AS "NO_KK",
  name_of(p) AS "NAMA_LENGKAP",
  CASE WHEN (h >> 16) % 3 = 0 THEN dotted(region10(p)) ELSE region10(p) END AS "KODE_WILAYAH",
  strftime(CASE WHEN h % 1000 < 3 THEN bdate(p) + 1 ELSE bdate(p) END, '%d/%m/%Y') AS "TGL_LAHIR",  -- 0.3% contradict the NIK
  CASE WHEN (h >> 24) % 4 = 0 THEN (CASE WHEN is_f(p) THEN 'PEREMPUAN' ELSE 'LAKI-LAKI' END)
       ELSE (CASE WHEN is_f(p) THEN 'P' ELSE 'L' END) END AS "JENIS_KELAMIN",
  desil_of(p)::VARCHAR AS "DESIL",
  CASE WHEN hash(p, ${S}, 30) % 1000 < 2 THEN strftime(DATE '2024-06-01' + (hash(p, ${S}, 31) % 540)::INT, '%d/%m/%Y') ELSE '' END AS "TGL_MENINGGAL",
  'JL. ' || list_element(${sqlList(STREETS)}, 1 + ((h >> 32) % ${STREETS.length})::INT) || ' NO. ' || (1 + (h >> 40) % 200) ||
    ' RT ' || lpad((1 + (h >> 48) % 15)::VARCHAR, 3, '0') || ' RW ' || lpad((1 + (h >> 52) % 9)::VARCHAR, 3, '0') AS "ALAMAT",
  CASE WHEN r % 300 = 2 THEN '2024-12' ELSE '2025-06' END AS "PERIODE_DATA"
FROM (SELECT r, CASE WHEN r % 300 = 2 THEN r - 1 ELSE r END AS p, hash(r, ${S}, 29) AS h FROM ${ids('0', `${R}`)} t(r))
`;
}

function deathsSql(R: number, S: number): string {
  // 1% of recipient-pool persons died during 2025 (paid after death → deceased); 0.3% of the rest, earlier.
  return `
SELECT nik_of(p) AS "NIK",
  strftime(CASE WHEN p % 3 = 0 THEN DATE '2025-01-01' + (hash(p, ${S}, 41) % 330)::INT ELSE DATE '2023-01-01' + (hash(p, ${S}, 41) % 700)::INT END, '%d/%m/%Y') AS "TGL_MENINGGAL",
  name_of(p) AS "NAMA", region10(p) AS "KODE_WILAYAH"
FROM ${ids('0', `${R}`)} t(p)
WHERE (p % 3 = 0 AND hash(p, ${S}, 40) % 100 = 0) OR (p % 3 <> 0 AND hash(p, ${S}, 40) % 1000 < 3)
`;
}

function civilServantsSql(R: number, S: number): string {
  return `
SELECT nik_of(p) AS "NIK", name_of(p) AS "NAMA",
  list_element(['DINAS PENDIDIKAN', 'DINAS KESEHATAN', 'KECAMATAN', 'POLRES', 'KODIM', 'BAPPEDA', 'SEKRETARIAT DAERAH'], 1 + (hash(p, ${S}, 51) % 7)::INT) AS "INSTANSI",
  list_element(['PNS', 'PPPK', 'TNI', 'POLRI'], 1 + (hash(p, ${S}, 52) % 4)::INT) AS "KATEGORI"
FROM ${ids('0', `${R}`)} t(p)
WHERE hash(p, ${S}, 50) % 1000 < 4
`;
}

function budgetSql(): string {
  // One line per programme and province; realization = Σ paid ± a planted difference on some lines.
  return `
SELECT prog AS "PROGRAM", rupiah(round(paid * 1.08, -6)) AS "PAGU",
  rupiah(CASE WHEN hash(prog, prov) % 7 = 0 THEN paid + 25000000 ELSE paid END) AS "REALISASI",
  CASE WHEN prog = 'BLT_DD' THEN 'DANA DESA' ELSE 'APBN' END AS "SUMBER_DANA", 2025 AS "TAHUN", prov AS "KODE_WILAYAH",
  recipients AS "TARGET_KPM"
FROM (SELECT prog, substr(replace(region, '.', ''), 1, 2) AS prov, sum(amount) AS paid, count(DISTINCT nik) AS recipients
      FROM d_budget_src GROUP BY ALL)
ORDER BY 1, 6`;
}

export function cacheKey(o: GenOptions): string {
  const R = o.registryRows ?? Math.floor(o.disbursementRows / 2);
  return `v3-s${o.seed ?? 42}-d${o.disbursementRows}-r${R}`;
}

/** Generates the extracts (or returns them from the cache). */
export async function generate(o: GenOptions): Promise<GenFiles> {
  const N = o.disbursementRows;
  const R = o.registryRows ?? Math.floor(N / 2);
  const S = Math.trunc(o.seed ?? 42);
  const key = cacheKey({ ...o, seed: S, registryRows: R });
  const root = o.cacheDir ?? join(tmpdir(), 'telisik-bench');
  const dir = join(root, key);
  const files = {
    registry: join(dir, 'dtks_registry.csv'),
    disbursements: join(dir, 'penyaluran_bansos.csv'),
    deaths: join(dir, 'dukcapil_kematian.csv'),
    civil_servants: join(dir, 'data_asn.csv'),
    budget: join(dir, 'pagu_realisasi.csv'),
  };
  const done = join(dir, 'done.json');
  const sizes = () => Object.fromEntries(Object.entries(files).map(([k, f]) => [k, statSync(f).size]));
  if (existsSync(done)) {
    const meta = JSON.parse(readFileSync(done, 'utf8'));
    return { dir, key, seed: S, disbursementRows: N, registryRows: R, files, bytes: sizes(), generated_ms: null, cached_generated_ms: meta.generated_ms };
  }
  const log = o.log ?? (() => undefined);
  const work = `${dir}.partial-${process.pid}`;
  rmSync(work, { recursive: true, force: true });
  mkdirSync(work, { recursive: true });
  const t0 = performance.now();
  const db = await DuckDBInstance.create(':memory:', { threads: String(o.threads ?? 2) });
  const c = await db.connect();
  try {
    await c.run(personMacros(S));
    await c.run(`CREATE TEMP TABLE _gen_ids AS SELECT range AS i FROM range(${Math.max(N, R) + 1})`);
    const copy = async (name: string, sql: string) => {
      const t = performance.now();
      const out = join(work, name).replace(/'/g, "''");
      // Empty values as nothing at all (not ""), as real exports write them.
      await c.run(`COPY (SELECT nullif(COLUMNS(*)::VARCHAR, '') FROM (${sql})) TO '${out}' (FORMAT csv, DELIMITER ';', HEADER true, QUOTE '"')`);
      log(`generated ${name} in ${((performance.now() - t) / 1000).toFixed(1)} s`);
    };
    await copy('dtks_registry.csv', registrySql(R, S));
    await copy('penyaluran_bansos.csv', disbursementSql(N, R, S));
    await copy('dukcapil_kematian.csv', deathsSql(R, S));
    await copy('data_asn.csv', civilServantsSql(R, S));
    // Budget from the generated disbursements (paid only), so realization mostly matches.
    const src = join(work, 'penyaluran_bansos.csv').replace(/'/g, "''");
    await c.run(`CREATE TEMP TABLE d_budget_src AS
      SELECT CASE WHEN "JENIS_BANSOS" IN ('SEMBAKO','PROGRAM SEMBAKO','BPNT') THEN 'BPNT'
                  WHEN "JENIS_BANSOS" IN ('BLT DESA','BLT DANA DESA','BLTDD') THEN 'BLT_DD'
                  WHEN "JENIS_BANSOS" IN ('PIP','KIP') THEN 'PIP' WHEN "JENIS_BANSOS" IN ('BLT','BST') THEN 'BLT' ELSE 'PKH' END AS prog,
             "KODE_WILAYAH" AS region, "NIK_PENERIMA" AS nik,
             replace(split_part(replace(replace("NOMINAL", 'Rp', ''), ' ', ''), ',', 1), '.', '')::BIGINT AS amount
      FROM read_csv('${src}', delim=';', header=true, all_varchar=true)
      WHERE "STATUS_SALUR" NOT IN ('GAGAL SALUR', 'RETUR')`);
    await copy('pagu_realisasi.csv', budgetSql());
  } finally {
    c.closeSync();
    db.closeSync();
  }
  const generated_ms = Math.round(performance.now() - t0);
  writeFileSync(join(work, 'done.json'), JSON.stringify({ key, seed: S, disbursementRows: N, registryRows: R, generated_ms }, null, 2));
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(root, { recursive: true });
  renameSync(work, dir);
  return { dir, key, seed: S, disbursementRows: N, registryRows: R, files, bytes: sizes(), generated_ms };
}
