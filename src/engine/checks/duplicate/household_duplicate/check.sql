-- household_duplicate — DOMAIN.md: household programmes only (rule unit = household; programmes without a rule are
-- not household programmes): in each (household key, program, period key) group of paid records, every record whose
-- NIK differs from the group's FIRST record's NIK (record order as duplicate_payment). Repeats of the first NIK are
-- duplicate_payment's business, not this check's. Household key: record kk, else registry kk of its NIK (first
-- registry row), else 'NIK:' || nik.
WITH h AS (
  SELECT p.* FROM chk_paid p SEMI JOIN chk_rules r ON r.program = p.program AND r.unit = 'household'
), g AS (
  SELECT household_key, program, period_key FROM h GROUP BY household_key, program, period_key HAVING min(nik) <> max(nik)
), c AS (
  SELECT h.* FROM h
  SEMI JOIN g ON h.household_key = g.household_key AND h.program = g.program AND h.period_key IS NOT DISTINCT FROM g.period_key
), o AS (
  SELECT c.*, first_value(nik) OVER w AS first_nik, first_value(rec_id) OVER w AS first_rec_id,
         first_value(_line) OVER w AS first_line
  FROM c
  WINDOW w AS (PARTITION BY household_key, program, period_key ORDER BY paid_date ASC NULLS LAST, txn_id ASC NULLS LAST, _line, rec_id)
)
SELECT 'household_duplicate' AS check_id, 'disbursements' AS source_table, o.rec_id, o._file, o._line, o.nik, o.name,
       o.program, o.period_key, o.paid_date, o.amount,
       'Keluarga ' || o.household_key || ' sudah menerima ' || o.program || ' periode ' || coalesce(o.period_key, '(kosong)')
         || ' melalui NIK ' || o.first_nik || ' (baris ' || o.first_line::VARCHAR || ')' AS reason,
       o.household_key, o.first_nik AS other_nik, o.first_rec_id, o.first_line
FROM o
WHERE o.nik IS DISTINCT FROM o.first_nik
