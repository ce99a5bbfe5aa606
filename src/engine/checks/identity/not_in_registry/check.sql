-- not_in_registry — DOMAIN.md: paid records with a structurally VALID NIK absent from the registry.
-- Invalid NIKs are reported by nik_invalid only, never here. Figures: records, recipients, amount.
SELECT * REPLACE (reason_text(reason_code, reason_params) AS reason) FROM (
SELECT 'not_in_registry' AS check_id, 'disbursements' AS source_table, p.rec_id, p._file, p._line, p.nik, p.name,
       p.program, p.period_key, p.paid_date, p.amount,
       NULL::VARCHAR AS reason, 'not_in_registry' AS reason_code, json_object() AS reason_params
FROM chk_paid p
WHERE NOT p.in_registry AND nik_is_valid(p.nik)
)
