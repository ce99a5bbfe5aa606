-- Budget indicators (DOMAIN.md "Budget"): absorption = Σ realization / Σ allocation, overall and by programme,
-- region (line region code without dots/spaces; '(semua)' = line without region) and year; cost per beneficiary
-- household = Σ realization of the programme / its beneficiary households (paid records' household keys), with the
-- paid amount per household beside it. A ratio with a zero denominator is NULL.
CREATE OR REPLACE TABLE budget_summary AS
SELECT count(*) AS lines,
       round(coalesce(sum(allocation), 0)::DOUBLE, 2) AS allocation,
       round(coalesce(sum(realization), 0)::DOUBLE, 2) AS realization,
       sum(realization)::DOUBLE / nullif(sum(allocation), 0)::DOUBLE AS absorption,
       count(*) FILTER (WHERE realization IS NULL) AS lines_without_realization
FROM budget;

CREATE OR REPLACE TABLE budget_breakdown AS
WITH b AS (
  SELECT program, coalesce(nullif(replace(replace(trim(coalesce(region_code, '')), '.', ''), ' ', ''), ''), '(semua)') AS region,
         coalesce(year::VARCHAR, '(semua)') AS year, allocation, realization
  FROM budget
)
SELECT 'program' AS dimension, program AS key, count(*) AS lines, round(sum(allocation)::DOUBLE, 2) AS allocation,
       round(sum(realization)::DOUBLE, 2) AS realization, sum(realization)::DOUBLE / nullif(sum(allocation), 0)::DOUBLE AS absorption
FROM b GROUP BY program
UNION ALL
SELECT 'region', region, count(*), round(sum(allocation)::DOUBLE, 2), round(sum(realization)::DOUBLE, 2),
       sum(realization)::DOUBLE / nullif(sum(allocation), 0)::DOUBLE
FROM b GROUP BY region
UNION ALL
SELECT 'year', year, count(*), round(sum(allocation)::DOUBLE, 2), round(sum(realization)::DOUBLE, 2),
       sum(realization)::DOUBLE / nullif(sum(allocation), 0)::DOUBLE
FROM b GROUP BY year
UNION ALL
SELECT 'program_year_region', program || ' | ' || year || ' | ' || region, count(*), round(sum(allocation)::DOUBLE, 2),
       round(sum(realization)::DOUBLE, 2), sum(realization)::DOUBLE / nullif(sum(allocation), 0)::DOUBLE
FROM b GROUP BY program, year, region
ORDER BY dimension, key;

CREATE OR REPLACE TABLE budget_cost_per_household AS
WITH h AS (
  SELECT program, count(*) AS beneficiary_households, sum(amt) AS paid_amount FROM ind_hh GROUP BY program
), bu AS (
  SELECT program, sum(allocation) AS allocation, sum(realization) AS realization, sum(target_recipients) AS target_recipients
  FROM budget GROUP BY program
)
SELECT coalesce(h.program, bu.program) AS program,
       round(bu.allocation::DOUBLE, 2) AS allocation, round(bu.realization::DOUBLE, 2) AS realization,
       bu.target_recipients,
       coalesce(h.beneficiary_households, 0) AS beneficiary_households, round(coalesce(h.paid_amount, 0), 2) AS paid_amount,
       round(bu.realization::DOUBLE / nullif(h.beneficiary_households, 0), 2) AS cost_per_household,
       round(h.paid_amount / nullif(h.beneficiary_households, 0), 2) AS paid_per_household
FROM h FULL JOIN bu ON bu.program = h.program
ORDER BY program
