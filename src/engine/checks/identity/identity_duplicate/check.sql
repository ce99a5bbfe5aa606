-- identity_duplicate — DOMAIN.md: a pair is two distinct NIKs, both paid in the same programme P, with the same
-- registry birth date and registry-name similarity >= $min_similarity (default 0.92; jaro_winkler_similarity on
-- name_norm of the registry first row's name). Exceptions: the paid records IN P of each NIK of a pair formed in P.
-- Exact, no lossy blocking: paid NIKs are joined on the exact registry birth_date only; the similarity is computed
-- once per NIK pair, then the pair is kept in every programme where both NIKs are paid.
-- Choices: NIKs without registry birth date, or whose normalised registry name is empty, form no pair.
-- Figure `pairs` = distinct unordered NIK pairs over all programmes (a pair formed in two programmes counts once;
-- extra.pairs_by_program gives per-programme counts).
WITH pn AS MATERIALIZED (
  SELECT DISTINCT program, nik FROM chk_paid WHERE in_registry
), cand AS MATERIALIZED (
  SELECT r.nik, r.reg_birth_date AS bd, name_norm(r.reg_name) AS nn
  FROM chk_reg_nik r SEMI JOIN pn ON pn.nik = r.nik
  WHERE r.reg_birth_date IS NOT NULL
), cand2 AS MATERIALIZED (
  SELECT * FROM cand WHERE nn <> ''
), np_hit AS MATERIALIZED (
  -- the candidate pairs stream through the similarity filter: only the hits are kept (materialising every pair of a
  -- birth date held ≈ 40M pairs at 10M rows; the 30M bench ran out of memory under the default limit, without it the
  -- 30M audit completes)
  SELECT nik_a, nik_b, sim FROM (
    SELECT a.nik AS nik_a, b.nik AS nik_b, jaro_winkler_similarity(a.nn, b.nn) AS sim
    FROM cand2 a JOIN cand2 b ON a.bd = b.bd AND a.nik < b.nik
  ) WHERE sim >= $min_similarity
), hits_a AS MATERIALIZED (
  SELECT pa.program, h.nik_a, h.nik_b, h.sim FROM np_hit h JOIN pn pa ON pa.nik = h.nik_a
), hits AS MATERIALIZED (
  SELECT h.* FROM hits_a h SEMI JOIN pn pb ON pb.nik = h.nik_b AND pb.program = h.program
), ends AS (
  SELECT program, nik_a AS nik, nik_b AS other, sim FROM hits
  UNION ALL
  SELECT program, nik_b AS nik, nik_a AS other, sim FROM hits
), agg AS MATERIALIZED (
  SELECT program, nik, list_sort(list(other)) AS other_niks, max(sim) AS similarity FROM ends GROUP BY program, nik
)
SELECT * REPLACE (reason_text(reason_code, reason_params) AS reason) FROM (
SELECT 'identity_duplicate' AS check_id, 'disbursements' AS source_table, p.rec_id, p._file, p._line, p.nik, p.name,
       p.program, p.period_key, p.paid_date, p.amount,
       NULL::VARCHAR AS reason, 'identity_duplicate' AS reason_code,
       json_object('similarity', round(agg.similarity, 4)::VARCHAR, 'other_niks', array_to_string(agg.other_niks, ', '), 'program', p.program) AS reason_params,
       p.reg_name AS registry_name, p.reg_birth_date AS birth_date, round(agg.similarity, 6) AS similarity,
       array_to_string(agg.other_niks, ', ') AS other_nik, agg.other_niks
FROM chk_paid p
JOIN agg ON agg.program = p.program AND agg.nik = p.nik
)
