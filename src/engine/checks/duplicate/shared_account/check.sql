-- shared_account — DOMAIN.md: paid records whose non-empty account (trimmed) is used by two or more distinct NIKs
-- among paid records. Figures: records, recipients, amount, accounts (distinct shared accounts).
WITH a AS (
  SELECT account, count(DISTINCT nik) AS nik_count FROM chk_paid WHERE account IS NOT NULL
  GROUP BY account HAVING count(DISTINCT nik) >= 2
)
SELECT 'shared_account' AS check_id, 'disbursements' AS source_table, p.rec_id, p._file, p._line, p.nik, p.name,
       p.program, p.period_key, p.paid_date, p.amount,
       'Rekening/kartu ' || p.account || ' dipakai oleh ' || a.nik_count::VARCHAR || ' NIK berbeda' AS reason,
       p.account, a.nik_count
FROM chk_paid p
JOIN a ON a.account = p.account
