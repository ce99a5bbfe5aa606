-- flagged_recipient — DOMAIN.md (contract 2): paid records whose NIK is on any comparison list (kind `flags`: wage
-- earners above the minimum wage, vehicle owners, village officials, …) — BPK's method of matching recipients against
-- other government data. NIKs are matched exactly as loaded (text); list names are normalised at import (trimmed,
-- whitespace collapsed, upper-cased). A record on several lists is one exception (column lists names them all).
-- Figures: records, recipients, amount; extra `lists` per list {records, recipients, amount} and
-- `multi_list_recipients` (paid NIKs on two or more lists). Not part of the potential-loss union.
WITH f AS (
  SELECT nik, list_sort(list(DISTINCT list)) AS lists
  FROM flags WHERE nik IS NOT NULL AND list IS NOT NULL AND list <> ''
  GROUP BY nik
)
SELECT * REPLACE (reason_text(reason_code, reason_params) AS reason) FROM (
SELECT 'flagged_recipient' AS check_id, 'disbursements' AS source_table, p.rec_id, p._file, p._line, p.nik, p.name,
       p.program, p.period_key, p.paid_date, p.amount,
       NULL::VARCHAR AS reason, 'flagged_recipient' AS reason_code,
       json_object('lists', array_to_string(f.lists, ', ')) AS reason_params,
       array_to_string(f.lists, '; ') AS lists, len(f.lists) AS n_lists
FROM chk_paid p
JOIN f ON f.nik = p.nik
)
