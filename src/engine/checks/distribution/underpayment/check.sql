-- underpayment — DOMAIN.md (contract 2): paid records of programmes with an expected amount, paid below the record's
-- expected amount = the programme's monthly amount × the months its period key covers (prep.sql period_months:
-- `YYYY-MM` → 1, `YYYY-Tn` → the programme's months per stage, default 3; BPNT Rp 600,000 for `TAHAP 1 2025` is
-- correct). Records of any other period key (e.g. `SUSULAN 2025`) are not judged: extra.not_evaluated_records.
-- Programmes without a rule or without expected_amount are not judged. The exceptions' amount column is the record
-- amount; the figure amount = Σ shortfall (column difference, always positive).
SELECT * REPLACE (reason_text(reason_code, reason_params) AS reason) FROM (
SELECT 'underpayment' AS check_id, 'disbursements' AS source_table, p.rec_id, p._file, p._line, p.nik, p.name,
       p.program, p.period_key, p.paid_date, p.amount,
       NULL::VARCHAR AS reason, 'underpayment' AS reason_code,
       json_object('amount', p.amount::VARCHAR, 'expected', (r.expected_amount * p.period_months)::DECIMAL(18,2)::VARCHAR,
         'monthly', r.expected_amount::VARCHAR, 'months', p.period_months::VARCHAR, 'program', p.program) AS reason_params,
       (r.expected_amount * p.period_months)::DECIMAL(18,2) AS expected_amount, r.expected_amount AS monthly_amount,
       p.period_months, (r.expected_amount * p.period_months - p.amount)::DECIMAL(18,2) AS difference
FROM chk_paid p
JOIN chk_rules r ON r.program = p.program
WHERE r.expected_amount IS NOT NULL AND p.period_months IS NOT NULL AND p.amount < r.expected_amount * p.period_months
)
