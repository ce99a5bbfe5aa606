-- household_duplicate — DOMAIN.md: household programmes only (rule unit = household; programmes without a rule are
-- not household programmes): in each (household key, program, period key) group of paid records, every record whose
-- NIK differs from the group's FIRST record's NIK (record order as duplicate_payment). Repeats of the first NIK are
-- duplicate_payment's business, not this check's. Household key: record kk, else registry kk of its NIK (first
-- registry row), else 'NIK:' || nik.
WITH h AS (
  SELECT p.* FROM chk_paid p SEMI JOIN chk_rules r ON r.program = p.program AND r.unit = 'household'
), g AS (
  -- Candidate groups, keyed by a hash of (household key, program, period key) to keep this hash table small (with
  -- the three text keys it was the audit's memory peak at 10M rows). Exact: two groups sharing a hash only merge
  -- into a larger candidate, whose records the window below still partitions by the exact keys.
  SELECT hash(household_key, program, period_key) AS k FROM h GROUP BY 1 HAVING min(nik) <> max(nik)
), c AS (
  SELECT h.* FROM h SEMI JOIN g ON hash(h.household_key, h.program, h.period_key) = g.k
), o AS (
  SELECT c.*, first_value(nik) OVER w AS first_nik, first_value(rec_id) OVER w AS first_rec_id,
         first_value(_line) OVER w AS first_line
  FROM c
  WINDOW w AS (PARTITION BY household_key, program, period_key ORDER BY paid_date ASC NULLS LAST, txn_id ASC NULLS LAST, _line, rec_id)
)
SELECT * REPLACE (reason_text(reason_code, reason_params) AS reason) FROM (
SELECT 'household_duplicate' AS check_id, 'disbursements' AS source_table, o.rec_id, o._file, o._line, o.nik, o.name,
       o.program, o.period_key, o.paid_date, o.amount,
       NULL::VARCHAR AS reason, 'household_duplicate' AS reason_code,
       json_object('household_key', o.household_key, 'program', o.program, 'period_key', o.period_key, 'first_nik', o.first_nik,
         'first_line', o.first_line::VARCHAR) AS reason_params,
       o.household_key, o.first_nik AS other_nik, o.first_rec_id, o.first_line
FROM o
WHERE o.nik IS DISTINCT FROM o.first_nik
)
