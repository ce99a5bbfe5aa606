-- registry_duplicate_nik — DOMAIN.md: registry rows after the first of each repeated NIK. "First" = lowest
-- (_import_id, _line, rec_id), i.e. file order. Figure: records (recipients = distinct NIKs given as an extra).
WITH g AS (
  SELECT nik FROM registry WHERE nik IS NOT NULL GROUP BY nik HAVING count(*) > 1
), c AS (
  SELECT r.* FROM registry r SEMI JOIN g ON g.nik = r.nik
), o AS (
  SELECT c.*, row_number() OVER w AS seq, first_value(rec_id) OVER w AS first_rec_id, first_value(_line) OVER w AS first_line,
         first_value(kk) OVER w AS first_kk, first_value(name) OVER w AS first_name,
         count(*) OVER (PARTITION BY nik) AS nik_rows
  FROM c
  WINDOW w AS (PARTITION BY nik ORDER BY _import_id, _line, rec_id)
)
SELECT 'registry_duplicate_nik' AS check_id, 'registry' AS source_table, o.rec_id, o._file, o._line, o.nik, o.name,
       NULL::VARCHAR AS program, NULL::VARCHAR AS period_key, NULL::DATE AS paid_date, NULL::DECIMAL(18,2) AS amount,
       'NIK berulang di registri (kemunculan ke-' || o.seq::VARCHAR || ', pertama di baris ' || o.first_line::VARCHAR || ')' AS reason,
       o.kk, o.birth_date, o.desil, o.region_code, o.seq AS occurrence, o.nik_rows, o.first_rec_id, o.first_line, o.first_kk, o.first_name
FROM o
WHERE o.seq > 1
