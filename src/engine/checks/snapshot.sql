-- Registry snapshots (DOMAIN.md, contract 2): DTSEN is updated every quarter; a registry may hold several snapshots
-- told apart by its `snapshot` column (PERIODE_DATA). A snapshot's effective date is its first day:
--   `2025-01`, `Januari 2025`, `01/2025` → 2025-01-01; a full date → that date;
--   `2025-Q2`, `TRIWULAN II 2025`, `TW 2 2025`, `TRIWULAN 2 2025` → 2025-04-01; `SEMESTER 2 2025` → 2025-07-01;
--   `202503` → 2025-03-01; a bare year → 1 January. The pattern may sit inside a label ("DTSEN TW II 2025").
-- Snapshots are told apart by the column's value (DOMAIN: "told apart by the snapshot column"), compared after
-- trimming, collapsing whitespace and upper-casing (so "TW 2 2025" and "tw  2 2025" are one snapshot, "2025-Q2" and
-- "TRIWULAN II 2025" two with the same date). A value without a recognisable date is dated, like rows without a
-- value, before all dated snapshots (sentinel 0001-01-01). Order: effective date, then the key text.

CREATE OR REPLACE TEMP MACRO tl_snap_num(x) AS
  CASE x WHEN 'I' THEN 1 WHEN 'II' THEN 2 WHEN 'III' THEN 3 WHEN 'IV' THEN 4 ELSE TRY_CAST(x AS INTEGER) END;

CREATE OR REPLACE TEMP MACRO tl_snap_month(w) AS
  CASE left(w, 3) WHEN 'JAN' THEN 1 WHEN 'FEB' THEN 2 WHEN 'PEB' THEN 2 WHEN 'MAR' THEN 3 WHEN 'APR' THEN 4
    WHEN 'MEI' THEN 5 WHEN 'MAY' THEN 5 WHEN 'JUN' THEN 6 WHEN 'JUL' THEN 7 WHEN 'AGU' THEN 8 WHEN 'AGS' THEN 8
    WHEN 'AUG' THEN 8 WHEN 'SEP' THEN 9 WHEN 'OKT' THEN 10 WHEN 'OCT' THEN 10 WHEN 'NOV' THEN 11 WHEN 'NOP' THEN 11
    WHEN 'DES' THEN 12 WHEN 'DEC' THEN 12 ELSE NULL END;

CREATE OR REPLACE TEMP MACRO tl_snap_ymd(y, m, d) AS
  TRY_CAST(TRY_CAST(y AS INTEGER)::VARCHAR || '-' || lpad(TRY_CAST(m AS INTEGER)::VARCHAR, 2, '0') || '-'
           || lpad(TRY_CAST(d AS INTEGER)::VARCHAR, 2, '0') AS DATE);

-- u: the value upper-cased, whitespace collapsed; the first pattern that yields a date wins
CREATE OR REPLACE TEMP MACRO tl_snap_date_u(u) AS coalesce(
  -- full dates: ISO, then day-first, then "15 Januari 2025"
  tl_snap_ymd(regexp_extract(u, '(?:^|[^0-9])([0-9]{4})[-/.]([0-9]{1,2})[-/.]([0-9]{1,2})(?:[^0-9]|$)', 1),
              regexp_extract(u, '(?:^|[^0-9])([0-9]{4})[-/.]([0-9]{1,2})[-/.]([0-9]{1,2})(?:[^0-9]|$)', 2),
              regexp_extract(u, '(?:^|[^0-9])([0-9]{4})[-/.]([0-9]{1,2})[-/.]([0-9]{1,2})(?:[^0-9]|$)', 3)),
  tl_snap_ymd(regexp_extract(u, '(?:^|[^0-9])([0-9]{1,2})[-/.]([0-9]{1,2})[-/.]([0-9]{4})(?:[^0-9]|$)', 3),
              regexp_extract(u, '(?:^|[^0-9])([0-9]{1,2})[-/.]([0-9]{1,2})[-/.]([0-9]{4})(?:[^0-9]|$)', 2),
              regexp_extract(u, '(?:^|[^0-9])([0-9]{1,2})[-/.]([0-9]{1,2})[-/.]([0-9]{4})(?:[^0-9]|$)', 1)),
  tl_snap_ymd(regexp_extract(u, '(?:^|[^0-9])([0-9]{1,2}) ([A-Z]+) ([0-9]{4})(?:[^0-9]|$)', 3),
              tl_snap_month(regexp_extract(u, '(?:^|[^0-9])([0-9]{1,2}) ([A-Z]+) ([0-9]{4})(?:[^0-9]|$)', 2)),
              regexp_extract(u, '(?:^|[^0-9])([0-9]{1,2}) ([A-Z]+) ([0-9]{4})(?:[^0-9]|$)', 1)),
  -- quarters: "TRIWULAN II 2025", "TW 2 2025", "Q2 2025", "2025-Q2", "2025 TW 2"
  tl_snap_ymd(regexp_extract(u, '(?:^|[^A-Z])(?:TRIWULAN|KUARTAL|TW|Q) ?[-.]? ?(IV|III|II|I|[1-4])(?:[^0-9A-Z]+(?:TAHUN |TA\.? ?)?)([0-9]{4})(?:[^0-9]|$)', 2),
              (tl_snap_num(regexp_extract(u, '(?:^|[^A-Z])(?:TRIWULAN|KUARTAL|TW|Q) ?[-.]? ?(IV|III|II|I|[1-4])(?:[^0-9A-Z]+(?:TAHUN |TA\.? ?)?)([0-9]{4})(?:[^0-9]|$)', 1)) - 1) * 3 + 1, 1),
  tl_snap_ymd(regexp_extract(u, '(?:^|[^0-9])([0-9]{4}) ?[-/ ]? ?(?:TRIWULAN |KUARTAL |TW ?|Q)(IV|III|II|I|[1-4])(?:[^0-9A-Z]|$)', 1),
              (tl_snap_num(regexp_extract(u, '(?:^|[^0-9])([0-9]{4}) ?[-/ ]? ?(?:TRIWULAN |KUARTAL |TW ?|Q)(IV|III|II|I|[1-4])(?:[^0-9A-Z]|$)', 2)) - 1) * 3 + 1, 1),
  -- semesters: "SEMESTER 2 2025", "SMT II 2025", "S2 2025", "2025-S2"
  tl_snap_ymd(regexp_extract(u, '(?:^|[^A-Z])(?:SEMESTER|SMT|SEM|S) ?[-.]? ?(II|I|[12])(?:[^0-9A-Z]+(?:TAHUN |TA\.? ?)?)([0-9]{4})(?:[^0-9]|$)', 2),
              (tl_snap_num(regexp_extract(u, '(?:^|[^A-Z])(?:SEMESTER|SMT|SEM|S) ?[-.]? ?(II|I|[12])(?:[^0-9A-Z]+(?:TAHUN |TA\.? ?)?)([0-9]{4})(?:[^0-9]|$)', 1)) - 1) * 6 + 1, 1),
  tl_snap_ymd(regexp_extract(u, '(?:^|[^0-9])([0-9]{4}) ?[-/ ]? ?(?:SEMESTER |SMT |S)(II|I|[12])(?:[^0-9A-Z]|$)', 1),
              (tl_snap_num(regexp_extract(u, '(?:^|[^0-9])([0-9]{4}) ?[-/ ]? ?(?:SEMESTER |SMT |S)(II|I|[12])(?:[^0-9A-Z]|$)', 2)) - 1) * 6 + 1, 1),
  -- months: "2025-01", "01/2025", "Januari 2025", "202501"
  tl_snap_ymd(regexp_extract(u, '(?:^|[^0-9])([0-9]{4})[-/.]([0-9]{1,2})(?:[^0-9]|$)', 1),
              regexp_extract(u, '(?:^|[^0-9])([0-9]{4})[-/.]([0-9]{1,2})(?:[^0-9]|$)', 2), 1),
  tl_snap_ymd(regexp_extract(u, '(?:^|[^0-9])([0-9]{1,2})[-/.]([0-9]{4})(?:[^0-9]|$)', 2),
              regexp_extract(u, '(?:^|[^0-9])([0-9]{1,2})[-/.]([0-9]{4})(?:[^0-9]|$)', 1), 1),
  tl_snap_ymd(regexp_extract(u, '([A-Z]+)[ -]([0-9]{4})(?:[^0-9]|$)', 2),
              tl_snap_month(regexp_extract(u, '([A-Z]+)[ -]([0-9]{4})(?:[^0-9]|$)', 1)), 1),
  tl_snap_ymd(regexp_extract(u, '(?:^|[^0-9])(19[0-9]{2}|20[0-9]{2})(0[1-9]|1[0-2])(?:[^0-9]|$)', 1),
              regexp_extract(u, '(?:^|[^0-9])(19[0-9]{2}|20[0-9]{2})(0[1-9]|1[0-2])(?:[^0-9]|$)', 2), 1),
  -- a bare year
  tl_snap_ymd(regexp_extract(u, '(?:^|[^0-9])(19[0-9]{2}|20[0-9]{2})(?:[^0-9]|$)', 1), 1, 1));

CREATE OR REPLACE TEMP MACRO tl_snap_u(s) AS upper(trim(regexp_replace(coalesce(s, ''), '\s+', ' ', 'g')));

-- One row per distinct raw snapshot value: its key (identity), effective date (sentinel for undated) and order.
CREATE OR REPLACE TEMP TABLE chk_snap AS
WITH v AS (SELECT DISTINCT snapshot AS raw FROM registry),
d AS (SELECT raw, tl_snap_u(raw) AS u FROM v),
e AS (SELECT raw, u, CASE WHEN u = '' THEN NULL ELSE tl_snap_date_u(u) END AS eff FROM d)
SELECT raw, eff,
       u AS snap_key,
       coalesce(eff, DATE '0001-01-01') AS snap_date,
       dense_rank() OVER (ORDER BY coalesce(eff, DATE '0001-01-01'), u) AS snap_ord
FROM e;
