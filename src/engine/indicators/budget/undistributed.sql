-- Undistributed funds and their age (DOMAIN.md "Budget": undistributed funds and their age): FAILED/RETURNED rows
-- from exc_undistributed (age_days = paid_date to the as-of date: the latest paid_date unless given), by programme,
-- status and age bucket.
CREATE OR REPLACE TABLE undistributed_funds AS
SELECT program, status,
       CASE WHEN age_days IS NULL THEN 'unknown' WHEN age_days <= 30 THEN '0-30' WHEN age_days <= 90 THEN '31-90'
            WHEN age_days <= 180 THEN '91-180' WHEN age_days <= 365 THEN '181-365' ELSE '>365' END AS age_bucket,
       count(*) AS records, count(DISTINCT nik) AS recipients, round(sum(amount)::DOUBLE, 2) AS amount,
       max(age_days) AS oldest_age_days, round(avg(age_days), 1) AS mean_age_days
FROM exc_undistributed
GROUP BY ALL
ORDER BY program, status, min(coalesce(age_days, 1e9))
