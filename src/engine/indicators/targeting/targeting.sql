-- Targeting indicators (DOMAIN.md "Targeting"; Grosh et al. 2022 Table 7.3; Coady, Grosh & Hoddinott 2004;
-- Ravallion WPS 4385). Per programme P with paid records:
--   R = registry households (kk, else 'NIK:'||nik), desil = lowest desil of the household's rows;
--   T = R with desil <= P's max_desil (no max_desil rule => T undefined, T-based figures NULL);
--   B = household keys of P's paid records (record kk, else registry kk of the NIK, else 'NIK:'||nik).
--   inclusion_error = |B \ T| / |B|; exclusion_error = |T \ B| / |T|;
--   leakage = paid amount to B \ T / paid amount to B;
--   cgh = (paid amount to households of desil <= $cgh_max_desil / total paid amount of P, households absent from the
--          registry included in the total) / (registry households with desil <= $cgh_max_desil / registry households
--          with a desil);
--   coverage(X) = |X ∩ B| / |X|; targeting_differential = coverage(T) − coverage(R \ T).
-- A ratio whose denominator is 0 is NULL. Breakdowns: kabupaten/kota (first 4 characters of the region code without
-- dots) and desil (beneficiary and benefit incidence).
CREATE OR REPLACE TABLE targeting_results AS
WITH reg AS (
  SELECT coalesce(sum(n), 0) AS r_all, coalesce(sum(n) FILTER (WHERE desil IS NOT NULL), 0) AS r_desil,
         coalesce(sum(n) FILTER (WHERE desil <= $cgh_max_desil), 0) AS r_low
  FROM tg_rd
), tt AS (
  SELECT t.program, t.max_desil,
         CASE WHEN t.max_desil IS NULL THEN NULL ELSE (SELECT coalesce(sum(n), 0) FROM tg_rd WHERE desil <= t.max_desil) END AS t_n
  FROM tg_prog t
), bb AS (
  SELECT program, count(*) AS b_n, sum(amt) AS amt_b,
         count(*) FILTER (WHERE in_t) AS bt_n,
         count(*) FILTER (WHERE NOT in_t) AS b_not_t,
         coalesce(sum(amt) FILTER (WHERE NOT in_t), 0) AS amt_not_t,
         count(*) FILTER (WHERE in_registry AND NOT in_t) AS b_reg_not_t,
         count(*) FILTER (WHERE in_registry) AS b_in_reg,
         coalesce(sum(amt) FILTER (WHERE desil <= $cgh_max_desil), 0) AS amt_low
  FROM tg_bx GROUP BY program
), m AS (
  SELECT bb.*, tt.max_desil, tt.t_n, reg.r_all, reg.r_desil, reg.r_low,
         bb.bt_n::DOUBLE / nullif(tt.t_n, 0) AS coverage,
         CASE WHEN tt.t_n IS NULL THEN NULL ELSE bb.b_reg_not_t::DOUBLE / nullif(reg.r_all - tt.t_n, 0) END AS coverage_non_target
  FROM bb JOIN tt ON tt.program = bb.program CROSS JOIN reg
)
SELECT program, max_desil,
       b_n AS beneficiary_households,
       t_n AS target_households,
       CASE WHEN t_n IS NULL THEN NULL ELSE b_not_t::DOUBLE / nullif(b_n, 0) END AS inclusion_error,
       (t_n - bt_n)::DOUBLE / nullif(t_n, 0) AS exclusion_error,
       CASE WHEN t_n IS NULL THEN NULL ELSE amt_not_t / nullif(amt_b, 0) END AS leakage,
       (amt_low / nullif(amt_b, 0)) / nullif(r_low::DOUBLE / nullif(r_desil, 0), 0) AS cgh,
       coverage - coverage_non_target AS targeting_differential,
       coverage, coverage_non_target,
       bt_n AS beneficiary_target_households, b_not_t AS beneficiary_non_target_households,
       b_n - b_in_reg AS beneficiary_households_not_in_registry,
       CASE WHEN t_n IS NULL THEN NULL ELSE t_n - bt_n END AS excluded_target_households,
       round(amt_b, 2) AS paid_amount, CASE WHEN t_n IS NULL THEN NULL ELSE round(amt_not_t, 2) END AS leakage_amount,
       round(amt_low, 2) AS paid_amount_low_desil,
       r_all AS registry_households, r_desil AS registry_households_with_desil, r_low AS registry_households_low_desil
FROM m
ORDER BY program;

CREATE OR REPLACE TABLE targeting_by_region AS
WITH br AS (
  SELECT program, left(region_code, 4) AS kabupaten, household_key, sum(amount)::DOUBLE AS amt
  FROM chk_paid GROUP BY program, left(region_code, 4), household_key
), brx AS (
  SELECT br.*, bx.in_t FROM br JOIN tg_bx bx ON bx.program = br.program AND bx.household_key = br.household_key
), b AS (
  SELECT program, kabupaten, count(*) AS beneficiary_households, sum(amt) AS paid_amount,
         count(*) FILTER (WHERE NOT in_t) AS beneficiary_non_target_households,
         coalesce(sum(amt) FILTER (WHERE NOT in_t), 0) AS leakage_amount
  FROM brx GROUP BY program, kabupaten
), th AS (
  SELECT tp.program, left(coalesce(h.region_code, ''), 4) AS kabupaten, h.household_key
  FROM tg_prog tp JOIN chk_reg_hh h ON h.desil <= tp.max_desil
  WHERE tp.max_desil IS NOT NULL
), t AS (
  SELECT th.program, th.kabupaten, count(*) AS target_households, count(bx.household_key) AS covered_target_households
  FROM th LEFT JOIN tg_bx bx ON bx.program = th.program AND bx.household_key = th.household_key
  GROUP BY th.program, th.kabupaten
)
SELECT coalesce(b.program, t.program) AS program, coalesce(b.kabupaten, t.kabupaten) AS kabupaten,
       coalesce(b.beneficiary_households, 0) AS beneficiary_households, round(coalesce(b.paid_amount, 0), 2) AS paid_amount,
       t.target_households, t.covered_target_households,
       t.covered_target_households::DOUBLE / nullif(t.target_households, 0) AS coverage,
       b.beneficiary_non_target_households::DOUBLE / nullif(b.beneficiary_households, 0) AS inclusion_error,
       b.leakage_amount / nullif(b.paid_amount, 0) AS leakage
FROM b FULL JOIN t ON b.program = t.program AND b.kabupaten = t.kabupaten
ORDER BY program, kabupaten;

CREATE OR REPLACE TABLE targeting_by_desil AS
WITH b AS (
  SELECT program, CASE WHEN NOT in_registry THEN 'not_in_registry' WHEN desil IS NULL THEN 'no_desil' ELSE desil::VARCHAR END AS desil_group,
         desil, count(*) AS beneficiary_households, sum(amt) AS paid_amount
  FROM tg_bx GROUP BY ALL
), tot AS (
  SELECT program, count(*) AS bh, sum(amt) AS amt FROM tg_bx GROUP BY program
)
SELECT b.program, b.desil_group, b.desil, b.beneficiary_households, round(b.paid_amount, 2) AS paid_amount,
       b.beneficiary_households::DOUBLE / nullif(tot.bh, 0) AS beneficiary_incidence,
       b.paid_amount / nullif(tot.amt, 0) AS benefit_incidence,
       rd.n AS registry_households,
       CASE WHEN b.desil IS NULL THEN NULL ELSE b.beneficiary_households::DOUBLE / nullif(rd.n, 0) END AS coverage
FROM b JOIN tot ON tot.program = b.program
LEFT JOIN tg_rd rd ON rd.desil = b.desil
ORDER BY b.program, b.desil NULLS LAST, b.desil_group
