-- registry_duplicate_nik — DOMAIN.md (contract 2): registry rows after the first of each NIK repeated WITHIN THE
-- SAME SNAPSHOT (a NIK present in two snapshots is not a duplicate). Snapshot identity: chk_snap (snapshot.sql) —
-- the column's value, trimmed, whitespace collapsed, upper-cased; rows without a value form one snapshot.
-- "First" = lowest (_import_id, _line, rec_id), i.e. file order. Figure: records (recipients = distinct NIKs given
-- as an extra).
WITH s AS (
  SELECT r.*, cs.snap_key FROM registry r JOIN chk_snap cs ON cs.raw IS NOT DISTINCT FROM r.snapshot WHERE r.nik IS NOT NULL
), g AS (
  SELECT nik, snap_key FROM s GROUP BY nik, snap_key HAVING count(*) > 1
), c AS (
  SELECT s.* FROM s SEMI JOIN g ON g.nik = s.nik AND g.snap_key = s.snap_key
), o AS (
  SELECT c.*, row_number() OVER w AS seq, first_value(rec_id) OVER w AS first_rec_id, first_value(_line) OVER w AS first_line,
         first_value(kk) OVER w AS first_kk, first_value(name) OVER w AS first_name,
         count(*) OVER (PARTITION BY nik, snap_key) AS nik_rows
  FROM c
  WINDOW w AS (PARTITION BY nik, snap_key ORDER BY _import_id, _line, rec_id)
)
SELECT * REPLACE (reason_text(reason_code, reason_params) AS reason) FROM (
SELECT 'registry_duplicate_nik' AS check_id, 'registry' AS source_table, o.rec_id, o._file, o._line, o.nik, o.name,
       NULL::VARCHAR AS program, NULL::VARCHAR AS period_key, NULL::DATE AS paid_date, NULL::DECIMAL(18,2) AS amount,
       NULL::VARCHAR AS reason, 'registry_duplicate_nik' AS reason_code,
       json_object('seq', o.seq::VARCHAR, 'first_line', o.first_line::VARCHAR) AS reason_params,
       o.kk, o.birth_date, o.desil, o.region_code, o.seq AS occurrence, o.nik_rows, o.first_rec_id, o.first_line, o.first_kk, o.first_name, o.snapshot
FROM o
WHERE o.seq > 1
)
