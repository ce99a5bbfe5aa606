-- nik_invalid — DOMAIN.md: paid records whose NIK is structurally invalid.
-- Structural rules (macro nik_invalid_reason): not exactly 16 digits | province not one of the 38 current codes |
-- day not 01–31/41–71 | month not 01–12 | day/month impossible in 19YY and 20YY (29 Feb allowed when YY % 4 = 0) |
-- serial 0000. NIKs damaged by a spreadsheet (scientific notation) are invalid when not 16 digits and carry the flag.
-- Figures: records, recipients (distinct NIK text), amount.
SELECT * REPLACE (reason_text(reason_code, reason_params) AS reason) FROM (
SELECT 'nik_invalid' AS check_id, 'disbursements' AS source_table, p.rec_id, p._file, p._line, p.nik, p.name,
       p.program, p.period_key, p.paid_date, p.amount,
       NULL::VARCHAR AS reason, CASE WHEN p.nik_damaged THEN 'nik_invalid.damaged' ELSE 'nik_invalid' END AS reason_code,
       json_object('rule', p.nik_rule) AS reason_params,
       p.nik_rule AS invalid_rule,
       coalesce(p.nik_damaged, false) AS nik_damaged
FROM (SELECT c.*, nik_invalid_reason(c.nik) AS nik_rule FROM chk_paid c) p
WHERE p.nik_rule IS NOT NULL
)
