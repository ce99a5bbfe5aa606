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

CREATE OR REPLACE TEMP TABLE chk_reg_nik AS
SELECT nik,
       f.kk AS reg_kk, f.name AS reg_name, f.birth_date AS reg_birth_date, f.sex AS reg_sex, f.region_code AS reg_region,
       reg_desil, reg_death_date, reg_rows
FROM (
  SELECT nik,
         arg_min({'kk': kk, 'name': name, 'birth_date': birth_date, 'sex': sex, 'region_code': region_code}, rec_id) AS f,
         min(desil) AS reg_desil, min(death_date) AS reg_death_date, count(*) AS reg_rows
  FROM registry WHERE nik IS NOT NULL GROUP BY nik);

CREATE OR REPLACE TEMP TABLE chk_death AS
SELECT nik, min(death_date) AS death_date
FROM (SELECT nik, death_date FROM deaths UNION ALL SELECT nik, death_date FROM registry)
WHERE nik IS NOT NULL AND death_date IS NOT NULL
GROUP BY nik;

CREATE OR REPLACE TEMP TABLE chk_paid AS
SELECT d.rec_id, d._file, d._line, d.nik, d.nik_damaged, d.name, d.program,
       coalesce(nullif(trim(d.period_key), ''), strftime(d.paid_date, '%Y-%m')) AS period_key,
       d.paid_date, d.amount, d.txn_id, nullif(trim(d.account), '') AS account,
       replace(replace(coalesce(d.region_code, ''), '.', ''), ' ', '') AS region_code,
       coalesce(nullif(trim(d.kk), ''), nullif(trim(r.reg_kk), ''), 'NIK:' || d.nik) AS household_key,
       r.nik IS NOT NULL AS in_registry, r.reg_name, r.reg_birth_date, r.reg_desil
FROM disbursements d
LEFT JOIN chk_reg_nik r ON r.nik = d.nik
WHERE coalesce(nullif(upper(trim(d.status)), ''), 'PAID') = 'PAID';

CREATE OR REPLACE TEMP TABLE chk_reg_hh AS
SELECT coalesce(nullif(trim(kk), ''), 'NIK:' || nik) AS household_key,
       min(desil) AS desil,
       arg_min(replace(replace(region_code, '.', ''), ' ', ''), rec_id) AS region_code,
       count(*) AS members
FROM registry WHERE nik IS NOT NULL
GROUP BY 1;
