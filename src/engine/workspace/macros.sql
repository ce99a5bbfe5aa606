-- Macros every connection gets (CREATE OR REPLACE TEMP MACRO: not persisted, so a workspace file never depends on
-- an app version's macro text).

-- NIK rules (DOMAIN.md "NIK structure"). Returns NULL for a structurally valid NIK, else the first failing rule:
-- length | province | day | month | date | serial.  Feb 29 is allowed when 19YY or 20YY is a leap year, i.e. YY % 4 = 0.
CREATE OR REPLACE TEMP MACRO nik_invalid_reason(n) AS (
  CASE
    WHEN n IS NULL OR NOT regexp_full_match(n, '[0-9]{16}') THEN 'length'
    -- list_contains, not NOT IN: an IN list this long is rewritten into a join for every use of the macro
    WHEN NOT list_contains(['11','12','13','14','15','16','17','18','19','21','31','32','33','34','35','36',
      '51','52','53','61','62','63','64','65','71','72','73','74','75','76','81','82','91','92','93','94','95','96'], substr(n, 1, 2))
      THEN 'province'
    WHEN NOT ((substr(n, 7, 2)::INT BETWEEN 1 AND 31) OR (substr(n, 7, 2)::INT BETWEEN 41 AND 71)) THEN 'day'
    WHEN NOT (substr(n, 9, 2)::INT BETWEEN 1 AND 12) THEN 'month'
    WHEN (substr(n, 7, 2)::INT % 40) > CASE substr(n, 9, 2)::INT
        WHEN 2 THEN CASE WHEN substr(n, 11, 2)::INT % 4 = 0 THEN 29 ELSE 28 END
        WHEN 4 THEN 30 WHEN 6 THEN 30 WHEN 9 THEN 30 WHEN 11 THEN 30 ELSE 31 END THEN 'date'
    WHEN substr(n, 13, 4) = '0000' THEN 'serial'
    ELSE NULL END);

CREATE OR REPLACE TEMP MACRO nik_is_valid(n) AS (nik_invalid_reason(n) IS NULL);

-- Contract name normalisation for similarity: upper-case, accents folded, non A-Z/space removed, spaces collapsed.
CREATE OR REPLACE TEMP MACRO name_norm(s) AS (
  trim(regexp_replace(regexp_replace(regexp_replace(upper(strip_accents(coalesce(s, ''))), '\s', ' ', 'g'), '[^A-Z ]', '', 'g'), ' +', ' ', 'g')));
