-- ineligible_desil — DOMAIN.md (contract 2): paid records whose NIK's desil IN FORCE exceeds the programme's max desil
-- (programme rules; programmes without a rule or without max_desil are not judged). Desil in force (prep.sql,
-- chk_paid.desil_in_force): among the registry snapshots containing the NIK, the latest whose effective date is on or
-- before paid_date (empty paid_date: the first day of the period key's month or stage), else the earliest one; the
-- lowest desil of the NIK's rows in that snapshot. A household that graduated in a later snapshot is flagged only for
-- payments after that snapshot took effect. Records without a desil in force are not flagged
-- (extra.not_evaluated_records).
SELECT * REPLACE (reason_text(reason_code, reason_params) AS reason) FROM (
SELECT 'ineligible_desil' AS check_id, 'disbursements' AS source_table, p.rec_id, p._file, p._line, p.nik, p.name,
       p.program, p.period_key, p.paid_date, p.amount,
       NULL::VARCHAR AS reason, 'ineligible_desil' AS reason_code,
       json_object('desil', p.desil_in_force::VARCHAR, 'max_desil', r.max_desil::VARCHAR, 'program', p.program) AS reason_params,
       p.desil_in_force AS desil, r.max_desil, p.reg_desil AS lowest_desil, p.desil_date
FROM chk_paid p
JOIN chk_rules r ON r.program = p.program
WHERE r.max_desil IS NOT NULL AND p.desil_in_force > r.max_desil
)
