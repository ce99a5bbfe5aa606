-- shared_account — DOMAIN.md: paid records whose non-empty account (trimmed) is used by two or more distinct NIKs
-- among paid records. Figures: records, recipients, amount, accounts (distinct shared accounts).
WITH s AS (
  SELECT account FROM chk_paid WHERE account IS NOT NULL GROUP BY account HAVING min(nik) <> max(nik)
), a AS (
  SELECT p.account, count(DISTINCT p.nik) AS nik_count FROM chk_paid p SEMI JOIN s ON s.account = p.account GROUP BY p.account
)
SELECT * REPLACE (reason_text(reason_code, reason_params) AS reason) FROM (
SELECT 'shared_account' AS check_id, 'disbursements' AS source_table, p.rec_id, p._file, p._line, p.nik, p.name,
       p.program, p.period_key, p.paid_date, p.amount,
       NULL::VARCHAR AS reason, 'shared_account' AS reason_code,
       json_object('account', p.account, 'nik_count', a.nik_count::VARCHAR) AS reason_params,
       p.account, a.nik_count
FROM chk_paid p
JOIN a ON a.account = p.account
)
