-- deceased — DOMAIN.md: paid records with paid_date STRICTLY after the NIK's death date.
-- Death date = the earliest of the deaths extract and the registry death_date (chk_death). A record paid on the
-- death date itself is not flagged. A record without paid_date cannot be judged: not flagged, counted in
-- extra.not_evaluated_records. Figures: records, recipients, amount.
SELECT 'deceased' AS check_id, 'disbursements' AS source_table, p.rec_id, p._file, p._line, p.nik, p.name,
       p.program, p.period_key, p.paid_date, p.amount,
       'Disalurkan ' || date_diff('day', x.death_date, p.paid_date)::VARCHAR || ' hari setelah tanggal meninggal '
         || strftime(x.death_date, '%Y-%m-%d') AS reason,
       x.death_date, date_diff('day', x.death_date, p.paid_date) AS days_after_death
FROM chk_paid p
JOIN chk_death x ON x.nik = p.nik
WHERE p.paid_date > x.death_date
