-- Shared preparation for every check run (temporary tables, rebuilt each run, never persisted).
-- Contract definitions (DOMAIN.md "Analysis catalog — the contract"):
--  * Paid record: status normalised to PAID, matched case-insensitively after trimming; an empty/NULL status is PAID
--    (ingestion already maps it, this is defensive). Unknown statuses are neither paid nor undistributed.
--  * Registry "first row" of a repeated NIK: lowest rec_id (= _import_id * 1e10 + _line, i.e. first import, then
--    first line). Names, birth dates, sex and kk for registry comparisons come from that row. The registry desil of a
--    NIK is the LOWEST desil over all its rows.
--  * Household key of a disbursement: its own non-empty trimmed kk, else the (non-empty, trimmed) kk of the NIK's
--    first registry row, else 'NIK:' || nik. Registry households: the row's trimmed kk, else 'NIK:' || nik;
--    a registry household's desil is the lowest desil of its rows, its region the first row's region_code.
--  * Period key: period_key computed at import; when NULL/empty, strftime(paid_date, '%Y-%m').
--  * Death date of a NIK: the earliest of the deaths extract and the registry death_date.
--  * Registry snapshots (contract 2; chk_snap from snapshot.sql): chk_reg_snaps lists, per NIK, the snapshots that
--    contain it in effective-date order with the NIK's lowest desil in each. The desil in force of a paid record
--    (chk_paid.desil_in_force) is the desil of the latest of them whose effective date is on or before paid_date
--    (when paid_date is empty: the first day of its period key's month or stage, T1 = January, T2 = the month after
--    the programme's first stage, …), else of the earliest one. With one snapshot this is the NIK's lowest desil.
--  * Months of a period key (contract 2): `YYYY-MM` → 1, `YYYY-Tn` → the programme's months per stage, other keys
--    NULL (not judged by overpayment/underpayment).

CREATE OR REPLACE TEMP TABLE chk_reg_nik AS
SELECT nik,
       f.kk AS reg_kk, f.name AS reg_name, f.birth_date AS reg_birth_date, f.sex AS reg_sex, f.region_code AS reg_region,
       reg_desil, reg_death_date, reg_rows, reg_multi_snap
FROM (
  SELECT nik,
         arg_min({'kk': kk, 'name': name, 'birth_date': birth_date, 'sex': sex, 'region_code': region_code}, rec_id) AS f,
         min(desil) AS reg_desil, min(death_date) AS reg_death_date, count(*) AS reg_rows,
         -- rows of the NIK under two or more snapshot values (NULL counts as a value)
         (min(snapshot) IS DISTINCT FROM max(snapshot)) OR (count(snapshot) BETWEEN 1 AND count(*) - 1) AS reg_multi_snap
  FROM registry WHERE nik IS NOT NULL GROUP BY nik);

-- Only NIKs whose rows carry two or more snapshot values: a NIK in one snapshot has that snapshot's lowest desil in
-- force whatever the date (chk_reg_nik.reg_desil), and chk_paid takes reg_desil for a NIK that is not listed here
-- (NULL when it is not in the registry).
CREATE OR REPLACE TEMP TABLE chk_reg_snaps AS
SELECT nik, list({'d': snap_date, 'o': snap_ord, 'desil': desil} ORDER BY snap_ord) AS snaps
FROM (
  SELECT r.nik, s.snap_date, s.snap_ord, min(r.desil) AS desil
  FROM registry r JOIN chk_snap s ON s.raw IS NOT DISTINCT FROM r.snapshot
  WHERE r.nik IN (SELECT nik FROM chk_reg_nik WHERE reg_multi_snap)
  GROUP BY r.nik, s.snap_date, s.snap_ord)
GROUP BY nik;

CREATE OR REPLACE TEMP TABLE chk_death AS
SELECT nik, min(death_date) AS death_date
FROM (SELECT nik, death_date FROM deaths UNION ALL SELECT nik, death_date FROM registry)
WHERE nik IS NOT NULL AND death_date IS NOT NULL
GROUP BY nik;

CREATE OR REPLACE TEMP TABLE chk_paid AS
WITH p AS (
  SELECT d.rec_id, d._file, d._line, d.nik, d.nik_damaged, d.name, d.program,
         coalesce(nullif(trim(d.period_key), ''), strftime(d.paid_date, '%Y-%m')) AS period_key,
         d.paid_date, d.amount, d.txn_id, nullif(trim(d.account), '') AS account,
         replace(replace(coalesce(d.region_code, ''), '.', ''), ' ', '') AS region_code,
         nullif(trim(d.channel), '') AS channel,
         coalesce(nullif(trim(d.kk), ''), nullif(trim(r.reg_kk), ''), 'NIK:' || d.nik) AS household_key,
         r.nik IS NOT NULL AS in_registry, r.reg_name, r.reg_birth_date, r.reg_desil
  FROM disbursements d
  LEFT JOIN chk_reg_nik r ON r.nik = d.nik
  WHERE coalesce(nullif(upper(trim(d.status)), ''), 'PAID') = 'PAID'
), pk AS (
  -- months and first day of each (programme, period key), computed once per distinct pair
  SELECT u.program, u.period_key,
         CASE WHEN regexp_full_match(u.period_key, '[0-9]{4}-(0[1-9]|1[0-2])') THEN 1
              WHEN regexp_full_match(u.period_key, '[0-9]{4}-T[0-9]{1,2}') THEN coalesce(ru.months_per_stage, 3)
              ELSE NULL END AS period_months,
         CASE WHEN regexp_full_match(u.period_key, '[0-9]{4}-(0[1-9]|1[0-2])') THEN TRY_CAST(u.period_key || '-01' AS DATE)
              WHEN regexp_full_match(u.period_key, '[0-9]{4}-T[0-9]{1,2}') THEN
                TRY_CAST(left(u.period_key, 4) || '-' ||
                  lpad(((TRY_CAST(substr(u.period_key, 7) AS INTEGER) - 1) * coalesce(ru.months_per_stage, 3) + 1)::VARCHAR, 2, '0') || '-01' AS DATE)
              ELSE NULL END AS period_start
  FROM (SELECT DISTINCT program, period_key FROM p) u LEFT JOIN chk_rules ru ON ru.program = u.program
), k AS (
  SELECT p.*, pk.period_months, pk.period_start
  FROM p LEFT JOIN pk ON pk.program IS NOT DISTINCT FROM p.program AND pk.period_key IS NOT DISTINCT FROM p.period_key
)
SELECT k.*, coalesce(k.paid_date, k.period_start) AS desil_date,
       CASE WHEN s.snaps IS NULL THEN k.reg_desil
            WHEN len(s.snaps) = 1 THEN s.snaps[1].desil
            ELSE coalesce(list_filter(s.snaps, x -> x.d <= coalesce(k.paid_date, k.period_start))[-1], s.snaps[1]).desil
       END AS desil_in_force
FROM k LEFT JOIN chk_reg_snaps s ON s.nik = k.nik;

CREATE OR REPLACE TEMP TABLE chk_reg_hh AS
SELECT coalesce(nullif(trim(kk), ''), 'NIK:' || nik) AS household_key,
       min(desil) AS desil,
       arg_min(replace(replace(region_code, '.', ''), ' ', ''), rec_id) AS region_code,
       count(*) AS members
FROM registry WHERE nik IS NOT NULL
GROUP BY 1;
