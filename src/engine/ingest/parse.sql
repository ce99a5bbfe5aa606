-- Ingest value parsers (DOMAIN.md "Values"). Temp macros, created on the workspace connection before an import.
-- Inputs are already trimmed text (tl_trim) or NULL. All parsing of values happens here, in SQL, set-based.

-- Fast path: a value that starts and ends with a printable ASCII character has nothing to trim (a charset trim costs
-- ~4x more: 0.55 s vs 0.15 s per million values).
CREATE OR REPLACE TEMP MACRO tl_trim(s) AS
  CASE WHEN s = '' THEN NULL
       WHEN ascii(s) BETWEEN 33 AND 126 AND ascii(right(s, 1)) BETWEEN 33 AND 126 THEN s
       ELSE nullif(trim(s, ' ' || chr(9) || chr(10) || chr(11) || chr(12) || chr(13) || chr(160) || chr(65279) || chr(8203) || chr(8239) || chr(12288)), '') END;

-- NIK / KK / account: trim, strip ONE leading apostrophe, trim again. Nothing else.
CREATE OR REPLACE TEMP MACRO tl_id(t) AS
  CASE WHEN starts_with(t, '''') THEN tl_trim(substr(t, 2)) ELSE t END;

CREATE OR REPLACE TEMP MACRO tl_is_sci(t) AS
  coalesce(regexp_full_match(t, '[+-]?[0-9]+([.,][0-9]+)?[eE][+-]?[0-9]+'), false);

CREATE OR REPLACE TEMP MACRO tl_mkdate(y, m, d) AS
  try(make_date(TRY_CAST(y AS INTEGER), TRY_CAST(m AS INTEGER), TRY_CAST(d AS INTEGER)));

CREATE OR REPLACE TEMP MACRO tl_yy(y) AS
  CASE WHEN length(y) = 2 THEN (CASE WHEN y::INTEGER <= 50 THEN 2000 + y::INTEGER ELSE 1900 + y::INTEGER END)::VARCHAR ELSE y END;

-- Month names: Indonesian and English, full or abbreviated (first three letters decide).
CREATE OR REPLACE TEMP MACRO tl_month(m) AS
  [1, 2, 2, 3, 4, 5, 5, 6, 7, 8, 8, 8, 9, 10, 10, 11, 11, 12, 12][
    list_position(['JAN', 'FEB', 'PEB', 'MAR', 'APR', 'MEI', 'MAY', 'JUN', 'JUL', 'AGU', 'AGT', 'AUG', 'SEP', 'OKT',
                   'OCT', 'NOV', 'NOP', 'DES', 'DEC'], left(upper(m), 3))];

CREATE OR REPLACE TEMP MACRO tl_dmy_parts(t) AS
  regexp_extract(t, '^([0-9]{1,2})[-/.]([0-9]{1,2})[-/.]([0-9]{4}|[0-9]{2})(?:$|[ T])', ['a', 'b', 'y']);

CREATE OR REPLACE TEMP MACRO tl_slash(x) AS replace(replace(x, '-', '/'), '.', '/');

-- Dates. mdy = the column proved month-first. Returns NULL when unparseable. t must be a column reference
-- (macro parameters are inlined: never pass a computed expression that is used several times).
CREATE OR REPLACE TEMP MACRO tl_date(t, mdy) AS
  CASE
    WHEN t IS NULL THEN NULL
    WHEN regexp_matches(t, '^[0-9]{4}[-/.][0-9]{1,2}[-/.][0-9]{1,2}(?:$|[ T])') THEN
      try_strptime(tl_slash(regexp_extract(t, '^[0-9]{4}[-/.][0-9]{1,2}[-/.][0-9]{1,2}')), '%Y/%m/%d')::DATE
    WHEN regexp_matches(t, '^[0-9]{1,2}[-/.][0-9]{1,2}[-/.][0-9]{4}(?:$|[ T])') THEN
      try_strptime(tl_slash(regexp_extract(t, '^[0-9]{1,2}[-/.][0-9]{1,2}[-/.][0-9]{4}')), CASE WHEN mdy THEN '%m/%d/%Y' ELSE '%d/%m/%Y' END)::DATE
    WHEN regexp_matches(t, '^[0-9]{1,2}[-/.][0-9]{1,2}[-/.][0-9]{2}(?:$|[ T])') THEN
      CASE WHEN mdy THEN tl_mkdate(tl_yy(tl_dmy_parts(t).y), tl_dmy_parts(t).a, tl_dmy_parts(t).b)
           ELSE tl_mkdate(tl_yy(tl_dmy_parts(t).y), tl_dmy_parts(t).b, tl_dmy_parts(t).a) END
    WHEN regexp_matches(t, '^[0-9]{1,2}[ ./-]*[A-Za-z]+\.?[ ./,-]*[0-9]{4}(?:$|[ T])') THEN
      tl_mkdate(regexp_extract(t, '([0-9]{4})(?:$|[ T])', 1), tl_month(regexp_extract(t, '[A-Za-z]+', 0)), regexp_extract(t, '^[0-9]{1,2}', 0))
    WHEN regexp_matches(t, '^[A-Za-z]+\.?[ ]+[0-9]{1,2},?[ ]+[0-9]{4}$') THEN
      tl_mkdate(regexp_extract(t, '[0-9]{4}$', 0), tl_month(regexp_extract(t, '^[A-Za-z]+', 0)), regexp_extract(t, '[ ]([0-9]{1,2}),?[ ]', 1))
    WHEN regexp_full_match(t, '[0-9]{8}') THEN tl_mkdate(left(t, 4), substr(t, 5, 2), substr(t, 7, 2))
    -- Excel serial (numeric cell or plain integer): 5 digits = 1927-05-18 .. 2173-10-14; a bare year like 1990 is not a serial
    WHEN regexp_full_match(t, '[0-9]{5}(\.[0-9]+)?') THEN
      try(DATE '1899-12-30' + floor(t::DOUBLE)::INTEGER)
    ELSE NULL END;

-- Amount text cleaned: currency words/symbols and spaces removed, trailing ",-" removed, "(x)" -> "-x".
CREATE OR REPLACE TEMP MACRO tl_amount_clean0(t) AS
  regexp_replace(regexp_replace(upper(t), '(RP\.?|IDR|\s|' || chr(160) || ')', '', 'g'), '[,.]-+(\)?)$', '\1');
CREATE OR REPLACE TEMP MACRO tl_amount_clean1(c) AS
  CASE WHEN c IS NULL OR c = '' THEN NULL
       WHEN regexp_full_match(c, '\(.*\)') THEN '-' || substr(c, 2, length(c) - 2)
       WHEN regexp_full_match(c, '[0-9.,]+-') THEN '-' || left(c, length(c) - 1)
       ELSE c END;
CREATE OR REPLACE TEMP MACRO tl_amount_clean(t) AS tl_amount_clean1(tl_amount_clean0(t));

-- Style a single (cleaned) amount proves by itself: 'us' (comma thousands / dot decimal), 'id', or NULL (ambiguous).
CREATE OR REPLACE TEMP MACRO tl_amount_style(c) AS
  CASE
    WHEN c IS NULL OR NOT regexp_full_match(c, '-?[0-9]+([.,][0-9]+)*') THEN NULL
    WHEN contains(c, '.') AND contains(c, ',') THEN CASE WHEN regexp_matches(c, '\.[0-9]*$') THEN 'us' ELSE 'id' END
    WHEN length(c) - length(replace(c, '.', '')) > 1 THEN 'id'
    WHEN length(c) - length(replace(c, ',', '')) > 1 THEN 'us'
    WHEN contains(c, '.') AND NOT regexp_matches(c, '\.[0-9]{3}$') THEN 'us'
    WHEN contains(c, ',') AND NOT regexp_matches(c, ',[0-9]{3}$') THEN 'id'
    ELSE NULL END;

CREATE OR REPLACE TEMP MACRO tl_amount_norm(c, us) AS
  CASE
    WHEN contains(c, '.') AND contains(c, ',') THEN
      CASE WHEN regexp_matches(c, '\.[0-9]*$') THEN replace(c, ',', '') ELSE replace(replace(c, '.', ''), ',', '.') END
    WHEN length(c) - length(replace(c, '.', '')) > 1 THEN replace(c, '.', '')
    WHEN length(c) - length(replace(c, ',', '')) > 1 THEN replace(c, ',', '')
    -- one separator before exactly three digits is a thousands separator whatever the column's style: rupiah never
    -- carry three decimals, so '200.000' and '200,000' are both two hundred thousand (a mixed column stays right)
    WHEN regexp_matches(c, '[.,][0-9]{3}$') THEN replace(replace(c, '.', ''), ',', '')
    WHEN contains(c, '.') THEN c
    WHEN contains(c, ',') THEN replace(c, ',', '.')
    ELSE c END;

-- Amount from cleaned text; us = the column proved comma-thousands/dot-decimal style.
CREATE OR REPLACE TEMP MACRO tl_amount(c, us) AS
  CASE
    WHEN c IS NULL THEN NULL
    WHEN regexp_full_match(c, '-?[0-9]{1,16}') THEN c::DECIMAL(18, 2)
    WHEN NOT regexp_full_match(c, '-?[0-9]+([.,][0-9]+)*') THEN NULL
    ELSE TRY_CAST(tl_amount_norm(c, us) AS DECIMAL(18, 2)) END;

CREATE OR REPLACE TEMP MACRO tl_upper(t) AS upper(regexp_replace(t, '\s+', ' ', 'g'));

CREATE OR REPLACE TEMP MACRO tl_sex(t) AS
  ['L', 'L', 'L', 'L', 'L', 'L', 'L', 'L', 'P', 'P', 'P', 'P', 'P', 'P', 'P', 'P'][
    list_position(['L', 'LAKILAKI', 'LAKI', 'PRIA', '1', 'M', 'MALE', 'LK', 'P', 'PEREMPUAN', 'WANITA', '2', 'F', 'FEMALE', 'W', 'PR'],
                  regexp_replace(upper(t), '[^A-Z0-9]', '', 'g'))];

-- Programme codes; u = upper-cased text (a column). Unknown programmes stay upper-cased as given.
CREATE OR REPLACE TEMP MACRO tl_program(u) AS
  coalesce(
    ['PKH', 'PKH', 'PKH', 'PKH', 'PKH', 'PKH', 'BPNT', 'BPNT', 'BPNT', 'BPNT', 'BPNT', 'BPNT', 'BPNT', 'BPNT',
     'BPNT', 'BPNT', 'BLT_DD', 'BLT_DD', 'BLT_DD', 'BLT_DD', 'BLT_DD', 'BLT_DD', 'BLT', 'BLT', 'BLT', 'BLT',
     'BLT', 'BLT', 'BLT', 'BLT', 'BLT', 'PIP', 'PIP', 'PIP', 'PIP', 'PIP', 'PIP', 'PIP'][
      list_position(['PKH', 'PROGRAMKELUARGAHARAPAN', 'PROGRAMKELUARGAHARAPANPKH', 'PKHPROGRAMKELUARGAHARAPAN', 'BANSOSPKH',
                     'PROGRAMPKH', 'BPNT', 'SEMBAKO', 'PROGRAMSEMBAKO', 'BANSOSSEMBAKO', 'KARTUSEMBAKO', 'BANTUANPANGANNONTUNAI',
                     'PROGRAMBPNT', 'BPNTSEMBAKO', 'SEMBAKOBPNT', 'BANTUANPANGANNONTUNAIBPNT', 'BLTDD', 'BLTDESA', 'BLTDANADESA',
                     'BANTUANLANGSUNGTUNAIDANADESA', 'BLTDANADESABLTDD', 'BLTDANADESADD', 'BLT', 'BST', 'BANSOSTUNAI', 'BLTBBM',
                     'BANTUANSOSIALTUNAI', 'BANTUANLANGSUNGTUNAI', 'BANTUANSOSIALTUNAIBST', 'BSTBANTUANSOSIALTUNAI',
                     'BLTBAHANBAKARMINYAK', 'PIP', 'KIP', 'PROGRAMINDONESIAPINTAR', 'KARTUINDONESIAPINTAR',
                     'PROGRAMINDONESIAPINTARPIP', 'PIPKIP', 'KIPPIP'],
                    regexp_replace(u, '[^A-Z0-9]', '', 'g'))],
    u);

-- list_contains, not IN: DuckDB rewrites an IN list of six or more constants into a join, which does not keep the
-- rows in file order (the direct reader relies on that order) and costs a join per value.
CREATE OR REPLACE TEMP MACRO tl_status(u) AS
  CASE
    WHEN u IS NULL THEN 'PAID'
    WHEN list_contains(['TERSALUR', 'SALUR', 'SUKSES', 'BERHASIL', 'PAID', 'SUCCESS'], u) THEN 'PAID'
    WHEN list_contains(['GAGAL', 'GAGAL SALUR', 'FAILED'], u) THEN 'FAILED'
    WHEN list_contains(['RETUR', 'DIKEMBALIKAN', 'RETURNED'], u) THEN 'RETURNED'
    ELSE u END;

CREATE OR REPLACE TEMP MACRO tl_roman(r) AS
  list_position(['I', 'II', 'III', 'IV', 'V', 'VI', 'VII', 'VIII', 'IX', 'X', 'XI', 'XII'], r);
CREATE OR REPLACE TEMP MACRO tl_stage_no(n) AS
  CASE WHEN regexp_full_match(n, '[0-9]+') THEN n::INTEGER ELSE tl_roman(n) END;
CREATE OR REPLACE TEMP MACRO tl_ym(y, m) AS
  CASE WHEN TRY_CAST(m AS INTEGER) BETWEEN 1 AND 12 AND TRY_CAST(y AS INTEGER) BETWEEN 1900 AND 2199
       THEN y || '-' || lpad(TRY_CAST(m AS INTEGER)::VARCHAR, 2, '0') ELSE NULL END;

-- Period key (DOMAIN.md "Period key"); u = upper-cased, whitespace-collapsed period text; paid = paid_date.
CREATE OR REPLACE TEMP MACRO tl_period_key(u, paid) AS
  CASE
    WHEN u IS NULL THEN strftime(paid, '%Y-%m')
    ELSE coalesce(
      CASE
        WHEN regexp_full_match(u, '[0-9]{4}[-/. ][0-9]{1,2}') THEN tl_ym(left(u, 4), substr(u, 6))
        WHEN regexp_full_match(u, '[0-9]{1,2}[-/. ][0-9]{4}') THEN tl_ym(right(u, 4), regexp_extract(u, '^[0-9]+', 0))
        WHEN regexp_full_match(u, '[0-9]{6}') THEN tl_ym(left(u, 4), right(u, 2))
        WHEN regexp_full_match(u, '[A-Z]+\.?[ ,/-]*[0-9]{4}') THEN
          tl_ym(right(u, 4), tl_month(regexp_extract(u, '^[A-Z]+', 0))::VARCHAR)
        WHEN regexp_full_match(u, '[0-9]{4}[ ,/-]*[A-Z]+\.?') THEN
          tl_ym(left(u, 4), tl_month(regexp_extract(u, '[A-Z]+', 0))::VARCHAR)
        WHEN regexp_matches(u, '^[0-9]{4}[-/.][0-9]{1,2}[-/.][0-9]{1,2}(?:$|[ T])') THEN
          tl_ym(left(u, 4), regexp_extract(u, '^[0-9]{4}[-/.]([0-9]{1,2})', 1))
        WHEN regexp_matches(u, '^[0-9]{1,2}[-/.][0-9]{1,2}[-/.][0-9]{4}(?:$|[ T])') THEN
          tl_ym(regexp_extract(u, '^[0-9]{1,2}[-/.][0-9]{1,2}[-/.]([0-9]{4})', 1), regexp_extract(u, '^[0-9]{1,2}[-/.]([0-9]{1,2})', 1))
        WHEN regexp_matches(u, '^[0-9]{1,2}[ ]+[A-Z]+[ ]+[0-9]{4}$') THEN
          tl_ym(right(u, 4), tl_month(regexp_extract(u, '[A-Z]+', 0))::VARCHAR)
        WHEN regexp_full_match(u, 'TAHAP[ ]?([0-9]+|[IVX]+)[ ,/-]*((TAHUN|TA\.?)[ ]?)?[0-9]{4}') THEN
          right(u, 4) || '-T' || tl_stage_no(regexp_extract(u, '^TAHAP[ ]?([0-9]+|[IVX]+)', 1))::VARCHAR
        WHEN regexp_full_match(u, '[0-9]{4}[ ,/-]*TAHAP[ ]?([0-9]+|[IVX]+)') THEN
          left(u, 4) || '-T' || tl_stage_no(regexp_extract(u, 'TAHAP[ ]?([0-9]+|[IVX]+)$', 1))::VARCHAR
        ELSE NULL END,
      u) END;

-- Fast path: one or two plain digits (what nearly every extract holds) without the regular expression.
CREATE OR REPLACE TEMP MACRO tl_desil(t) AS
  CASE WHEN length(t) = 1 THEN (CASE WHEN t BETWEEN '1' AND '9' THEN ascii(t) - 48 ELSE NULL END)
       WHEN t = '10' THEN 10
       WHEN TRY_CAST(regexp_extract(upper(t), '^(?:DESIL[ _-]*)?([0-9]{1,2})(?:[.,]0+)?$', 1) AS INTEGER) BETWEEN 1 AND 10
       THEN TRY_CAST(regexp_extract(upper(t), '^(?:DESIL[ _-]*)?([0-9]{1,2})(?:[.,]0+)?$', 1) AS INTEGER) ELSE NULL END;

CREATE OR REPLACE TEMP MACRO tl_year(t) AS
  CASE WHEN TRY_CAST(regexp_extract(upper(t), '^(?:(?:TA|TAHUN|T\.A)\.?[ ]*)?([0-9]{4})(?:[.,]0+)?$', 1) AS INTEGER) BETWEEN 1900 AND 2199
       THEN TRY_CAST(regexp_extract(upper(t), '^(?:(?:TA|TAHUN|T\.A)\.?[ ]*)?([0-9]{4})(?:[.,]0+)?$', 1) AS INTEGER) ELSE NULL END;

CREATE OR REPLACE TEMP MACRO tl_count(t) AS
  CASE WHEN regexp_full_match(t, '[0-9]+([.,][0-9]{3})*([.,]0+)?') THEN
    TRY_CAST(regexp_replace(regexp_replace(t, '[.,]0+$', ''), '[.,]', '', 'g') AS BIGINT) ELSE NULL END;

-- dots and RE2's \s ([\t\n\f\r ]) removed; translate is a character map, no regular expression
CREATE OR REPLACE TEMP MACRO tl_region(t) AS nullif(translate(tl_id(t), '.' || chr(9) || chr(10) || chr(12) || chr(13) || ' ', ''), '');

CREATE OR REPLACE TEMP MACRO tl_is_total(t) AS
  coalesce(regexp_matches(upper(t), '^(GRAND ?TOTAL|SUB ?TOTAL|TOTAL|JUMLAH|JML)\b'), false);
