-- undistributed — DOMAIN.md: disbursement rows with status FAILED or RETURNED (matched case-insensitively after
-- trimming). Unknown statuses are neither paid nor undistributed. age_days = days from paid_date to the as-of date
-- ($as_of; empty = the latest paid_date among all disbursements, so a re-run gives the same figures).
SELECT * REPLACE (reason_text(reason_code, reason_params) AS reason) FROM (
SELECT 'undistributed' AS check_id, 'disbursements' AS source_table, d.rec_id, d._file, d._line, d.nik, d.name,
       d.program, coalesce(nullif(trim(d.period_key), ''), strftime(d.paid_date, '%Y-%m')) AS period_key,
       d.paid_date, d.amount,
       NULL::VARCHAR AS reason, 'undistributed' AS reason_code,
       json_object('status', upper(trim(d.status)), 'status_raw', d.status_raw) AS reason_params,
       upper(trim(d.status)) AS status, d.status_raw, d.channel, d.account,
       date_diff('day', d.paid_date, coalesce(try_cast(nullif($as_of, '') AS DATE), (SELECT max(paid_date) FROM disbursements))) AS age_days
FROM disbursements d
WHERE upper(trim(d.status)) IN ('FAILED', 'RETURNED')
)
