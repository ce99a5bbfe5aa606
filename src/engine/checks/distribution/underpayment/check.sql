-- underpayment — DOMAIN.md: paid records of programmes with an expected amount (programme rules: default BPNT
-- 200,000 and BLT_DD 300,000 per record; programmes without a rule or without expected_amount are not judged),
-- paid below it. The exceptions' amount column is the record amount; the figure amount = Σ shortfall
-- (column difference = the shortfall, always positive).
SELECT 'underpayment' AS check_id, 'disbursements' AS source_table, p.rec_id, p._file, p._line, p.nik, p.name,
       p.program, p.period_key, p.paid_date, p.amount,
       'Nilai ' || p.amount::VARCHAR || ' kurang dari nilai seharusnya ' || r.expected_amount::VARCHAR || ' program ' || p.program AS reason,
       r.expected_amount, (r.expected_amount - p.amount)::DECIMAL(18,2) AS difference
FROM chk_paid p
JOIN chk_rules r ON r.program = p.program
WHERE r.expected_amount IS NOT NULL AND p.amount < r.expected_amount
