-- nik_attribute_mismatch — DOMAIN.md: registry rows with a VALID NIK whose encoded birth date (DD — women +40 —,
-- MM, YY) or sex (DD > 40 = female) contradicts birth_date / sex. A NULL birth_date or an unrecognised sex value is
-- not compared. Sex values recognised: L/LAKI-LAKI/1/M/PRIA = L; P/PEREMPUAN/2/F/WANITA = P. Year compared on the
-- last two digits.
WITH v AS (
  SELECT r.*, substr(r.nik, 7, 2)::INTEGER AS dd_raw, substr(r.nik, 9, 2)::INTEGER AS nik_month,
         substr(r.nik, 11, 2)::INTEGER AS nik_yy,
         CASE WHEN upper(trim(r.sex)) IN ('L', 'LAKI-LAKI', 'LAKI LAKI', 'LAKI', 'LK', '1', 'M', 'MALE', 'PRIA') THEN 'L'
              WHEN upper(trim(r.sex)) IN ('P', 'PEREMPUAN', 'PR', '2', 'F', 'FEMALE', 'WANITA') THEN 'P' END AS sex_norm
  FROM registry r
  WHERE nik_is_valid(r.nik)
), w AS (
  SELECT v.*, dd_raw % 40 AS nik_day, CASE WHEN dd_raw > 40 THEN 'P' ELSE 'L' END AS nik_sex,
         (birth_date IS NOT NULL AND (day(birth_date) <> dd_raw % 40 OR month(birth_date) <> nik_month
           OR year(birth_date) % 100 <> nik_yy)) AS date_bad
  FROM v
), x AS (
  SELECT w.*, (sex_norm IS NOT NULL AND sex_norm <> nik_sex) AS sex_bad FROM w
)
SELECT * REPLACE (reason_text(reason_code, reason_params) AS reason) FROM (
SELECT 'nik_attribute_mismatch' AS check_id, 'registry' AS source_table, x.rec_id, x._file, x._line, x.nik, x.name,
       NULL::VARCHAR AS program, NULL::VARCHAR AS period_key, NULL::DATE AS paid_date, NULL::DECIMAL(18,2) AS amount,
       NULL::VARCHAR AS reason,
       CASE WHEN date_bad AND sex_bad THEN 'nik_attribute_mismatch.birth_date_sex' WHEN date_bad THEN 'nik_attribute_mismatch.birth_date'
         ELSE 'nik_attribute_mismatch.sex' END AS reason_code,
       json_object('birth_date', strftime(birth_date, '%Y-%m-%d'),
         'nik_date', lpad(nik_day::VARCHAR, 2, '0') || '-' || lpad(nik_month::VARCHAR, 2, '0') || '-' || lpad(nik_yy::VARCHAR, 2, '0'),
         'sex', sex, 'nik_sex', nik_sex) AS reason_params,
       CASE WHEN date_bad AND sex_bad THEN 'birth_date+sex' WHEN date_bad THEN 'birth_date' ELSE 'sex' END AS mismatch,
       x.birth_date, x.sex, nik_day, nik_month, nik_yy, nik_sex
FROM x
WHERE date_bad OR sex_bad
)
