-- civil_servant — DOMAIN.md: paid records whose NIK is in the civil-servants (ASN/TNI/Polri) extract.
-- Evidence from the extract's first row of the NIK (lowest rec_id). Figures: records, recipients, amount.
WITH cs AS (
  SELECT nik, arg_min({'agency': agency, 'category': category, 'name': name}, rec_id) AS f, count(*) AS cs_rows
  FROM civil_servants WHERE nik IS NOT NULL GROUP BY nik
)
SELECT * REPLACE (reason_text(reason_code, reason_params) AS reason) FROM (
SELECT 'civil_servant' AS check_id, 'disbursements' AS source_table, p.rec_id, p._file, p._line, p.nik, p.name,
       p.program, p.period_key, p.paid_date, p.amount,
       NULL::VARCHAR AS reason, 'civil_servant' AS reason_code,
       json_object('detail', nullif(concat_ws(', ', cs.f.category, cs.f.agency), '')) AS reason_params,
       cs.f.agency AS agency, cs.f.category AS category, cs.f.name AS civil_servant_name
FROM chk_paid p
JOIN cs ON cs.nik = p.nik
)
