-- Targeting preparation (temporary tables, built before the run's transaction so the planner has statistics):
-- tg_prog (programmes with paid records and their max desil), tg_bx (beneficiary households with registry desil and
-- target membership), tg_rd (registry households by desil). Definitions: see targeting.sql.
CREATE OR REPLACE TEMP TABLE tg_prog AS
SELECT s.program, r.max_desil
FROM (SELECT DISTINCT program FROM ind_hh) s LEFT JOIN chk_rules r ON r.program = s.program;

CREATE OR REPLACE TEMP TABLE tg_bx AS
SELECT b.program, b.household_key, b.amt, b.records, h.household_key IS NOT NULL AS in_registry, h.desil, t.max_desil,
       CASE WHEN t.max_desil IS NULL THEN NULL ELSE coalesce(h.desil <= t.max_desil, false) END AS in_t
FROM ind_hh b
JOIN tg_prog t ON t.program = b.program
LEFT JOIN chk_reg_hh h ON h.household_key = b.household_key;

CREATE OR REPLACE TEMP TABLE tg_rd AS
SELECT desil, count(*) AS n FROM chk_reg_hh GROUP BY desil;

