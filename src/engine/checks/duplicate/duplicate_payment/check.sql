-- duplicate_payment — DOMAIN.md: in each (nik, program, period key) group of paid records, every record after the
-- first. Record order: paid_date (nulls last), then txn_id as text (nulls last), then file row number (_line), then
-- rec_id. Records whose period key is NULL (no period and no paid_date) form one group per (nik, program).
-- Speed: candidate groups are found with GROUP BY ... HAVING count(*) > 1 before the window.
WITH g AS (
  SELECT nik, program, period_key FROM chk_paid GROUP BY nik, program, period_key HAVING count(*) > 1
), c AS (
  SELECT p.* FROM chk_paid p
  SEMI JOIN g ON p.nik = g.nik AND p.program = g.program AND p.period_key IS NOT DISTINCT FROM g.period_key
), o AS (
  SELECT c.*, row_number() OVER w AS seq, first_value(rec_id) OVER w AS first_rec_id,
         first_value(_line) OVER w AS first_line, first_value(txn_id) OVER w AS first_txn_id,
         first_value(paid_date) OVER w AS first_paid_date,
         count(*) OVER (PARTITION BY nik, program, period_key) AS group_size
  FROM c
  WINDOW w AS (PARTITION BY nik, program, period_key ORDER BY paid_date ASC NULLS LAST, txn_id ASC NULLS LAST, _line, rec_id)
)
SELECT * REPLACE (reason_text(reason_code, reason_params) AS reason) FROM (
SELECT 'duplicate_payment' AS check_id, 'disbursements' AS source_table, o.rec_id, o._file, o._line, o.nik, o.name,
       o.program, o.period_key, o.paid_date, o.amount,
       NULL::VARCHAR AS reason, 'duplicate_payment' AS reason_code,
       json_object('seq', o.seq::VARCHAR, 'period_key', o.period_key, 'first_line', o.first_line::VARCHAR) AS reason_params,
       o.seq AS payment_seq, o.group_size, o.first_rec_id, o.first_line, o.first_txn_id, o.first_paid_date, o.txn_id
FROM o
WHERE o.seq > 1
)
