-- name_mismatch — DOMAIN.md: paid records whose name has similarity < $max_similarity (default 0.80) to the
-- registry name of its NIK (registry first row). Similarity = jaro_winkler_similarity(name_norm(a), name_norm(b)),
-- name_norm = upper-case, accents folded, non A–Z/space removed, spaces collapsed (so case, spacing, punctuation and
-- accents never make a mismatch). Choice: a record or registry name that is empty after normalisation cannot be
-- compared and is not flagged (counted in extra.not_evaluated_records). Only NIKs present in the registry.
WITH n AS (
  SELECT p.*, name_norm(p.name) AS nn, name_norm(p.reg_name) AS rn
  FROM chk_paid p
  WHERE p.in_registry AND p.name IS DISTINCT FROM p.reg_name
), s AS (
  SELECT n.*, jaro_winkler_similarity(nn, rn) AS sim FROM n WHERE nn <> '' AND rn <> ''
)
SELECT 'name_mismatch' AS check_id, 'disbursements' AS source_table, s.rec_id, s._file, s._line, s.nik, s.name,
       s.program, s.period_key, s.paid_date, s.amount,
       'Nama penerima berbeda dengan nama registri "' || coalesce(s.reg_name, '') || '" (kemiripan '
         || round(s.sim, 4)::VARCHAR || ')' AS reason,
       s.reg_name AS registry_name, round(s.sim, 6) AS similarity
FROM s
WHERE s.sim < $max_similarity
