-- name_mismatch — DOMAIN.md: paid records whose name has similarity < $max_similarity (default 0.80) to the
-- registry name of its NIK (registry first row). Similarity = jaro_winkler_similarity(name_norm(a), name_norm(b)),
-- name_norm = upper-case, accents folded, non A–Z/space removed, spaces collapsed (so case, spacing, punctuation and
-- accents never make a mismatch). Choice: a record or registry name that is empty after normalisation cannot be
-- compared and is not flagged (counted in extra.not_evaluated_records). Only NIKs present in the registry.
-- Speed: similarity is computed once per distinct (name, registry name) pair; pairs equal after upper(trim()) have
-- equal normalised names (similarity 1) and are skipped.
WITH pairs AS MATERIALIZED (
  SELECT DISTINCT name, reg_name FROM chk_paid
  WHERE in_registry AND name IS NOT NULL AND reg_name IS NOT NULL AND upper(trim(name)) <> upper(trim(reg_name))
), norm AS MATERIALIZED (
  SELECT name, reg_name, name_norm(name) AS nn, name_norm(reg_name) AS rn FROM pairs
), s AS MATERIALIZED (
  SELECT name, reg_name, jaro_winkler_similarity(nn, rn) AS sim FROM norm WHERE nn <> '' AND rn <> ''
)
SELECT * REPLACE (reason_text(reason_code, reason_params) AS reason) FROM (
SELECT 'name_mismatch' AS check_id, 'disbursements' AS source_table, p.rec_id, p._file, p._line, p.nik, p.name,
       p.program, p.period_key, p.paid_date, p.amount,
       NULL::VARCHAR AS reason, 'name_mismatch' AS reason_code,
       json_object('registry_name', p.reg_name, 'similarity', round(s.sim, 4)::VARCHAR) AS reason_params,
       p.reg_name AS registry_name, round(s.sim, 6) AS similarity
FROM chk_paid p
JOIN s ON s.name = p.name AND s.reg_name = p.reg_name
WHERE p.in_registry AND s.sim < $max_similarity
)
