-- program_overlap — DOMAIN.md: paid BLT_DD records whose household has a paid PKH or BPNT record in the same year
-- of paid_date. Generalised from the rules: a paid record of programme P is flagged when its household key has a
-- paid record of a programme in P's forbidden_overlap list (default only BLT_DD: PKH, BPNT) with the same
-- year(paid_date). Records without paid_date cannot be judged (extra.not_evaluated_records).
WITH o AS (
  SELECT p.household_key, year(p.paid_date) AS y, ov.program AS target_program,
         list_sort(list(DISTINCT p.program)) AS other_programs
  FROM chk_paid p
  JOIN chk_overlap ov ON ov.other_program = p.program
  WHERE p.paid_date IS NOT NULL
  GROUP BY p.household_key, year(p.paid_date), ov.program
)
SELECT * REPLACE (reason_text(reason_code, reason_params) AS reason) FROM (
SELECT 'program_overlap' AS check_id, 'disbursements' AS source_table, p.rec_id, p._file, p._line, p.nik, p.name,
       p.program, p.period_key, p.paid_date, p.amount,
       NULL::VARCHAR AS reason, 'program_overlap' AS reason_code,
       json_object('household_key', p.household_key, 'other_programs', array_to_string(o.other_programs, '/'), 'year', o.y::VARCHAR) AS reason_params,
       p.household_key, array_to_string(o.other_programs, ',') AS other_programs, o.y AS year
FROM chk_paid p
JOIN o ON o.household_key = p.household_key AND o.target_program = p.program AND o.y = year(p.paid_date)
)
