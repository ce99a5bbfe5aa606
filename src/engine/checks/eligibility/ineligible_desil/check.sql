-- ineligible_desil — DOMAIN.md: paid records whose NIK's registry desil (LOWEST if the NIK is repeated) exceeds the
-- programme's max desil (programme rules; programmes without a rule or without max_desil are not judged).
-- Records whose NIK has no registry desil are not flagged (extra.not_evaluated_records).
SELECT 'ineligible_desil' AS check_id, 'disbursements' AS source_table, p.rec_id, p._file, p._line, p.nik, p.name,
       p.program, p.period_key, p.paid_date, p.amount,
       'Desil registri ' || p.reg_desil::VARCHAR || ' melebihi batas desil ' || r.max_desil::VARCHAR || ' program ' || p.program AS reason,
       p.reg_desil AS desil, r.max_desil
FROM chk_paid p
JOIN chk_rules r ON r.program = p.program
WHERE r.max_desil IS NOT NULL AND p.reg_desil > r.max_desil
