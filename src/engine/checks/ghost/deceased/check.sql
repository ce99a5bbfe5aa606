-- deceased — DOMAIN.md: paid records with paid_date STRICTLY after the NIK's death date.
-- Death date = the earliest of the deaths extract and the registry death_date (chk_death). A record paid on the
-- death date itself is not flagged. A record without paid_date cannot be judged: not flagged, counted in
-- extra.not_evaluated_records. Figures: records, recipients, amount.
SELECT * REPLACE (reason_text(reason_code, reason_params) AS reason) FROM (
SELECT 'deceased' AS check_id, 'disbursements' AS source_table, p.rec_id, p._file, p._line, p.nik, p.name,
       p.program, p.period_key, p.paid_date, p.amount,
       NULL::VARCHAR AS reason, 'deceased' AS reason_code,
       json_object('days', date_diff('day', x.death_date, p.paid_date)::VARCHAR, 'death_date', strftime(x.death_date, '%Y-%m-%d')) AS reason_params,
       x.death_date, date_diff('day', x.death_date, p.paid_date) AS days_after_death
FROM chk_paid p
JOIN chk_death x ON x.nik = p.nik
WHERE p.paid_date > x.death_date
)
