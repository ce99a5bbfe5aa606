-- realization_mismatch — DOMAIN.md (contract 2): budget lines whose realization differs by more than $tolerance (Rp 1)
-- from the sum of the paid amounts that BELONG to the line. A paid record belongs to the most specific line that
-- matches it: same programme, year(paid_date) = line year (a line without year matches every year), record region
-- code starting with the line's region code (both without dots or spaces; a line without region matches all). Most
-- specific = longest region code, then a line with a year over one without. A province line thus receives only the
-- records no kab/kota line of the same programme and year takes: nothing is counted twice.
-- Choices: lines that tie on specificity (same programme, region and year, e.g. split by fund source) — the record
-- belongs to the first of them in file order (lowest rec_id). Every line takes part in the assignment, but a line
-- without realization cannot be compared (not flagged; extra.not_evaluated_lines). Paid records without paid_date
-- match only lines without a year.
-- Figures: records (= lines), amount = Σ |realization − paid sum|.
WITH pa AS (
  SELECT program, year(paid_date) AS y, region_code AS rc, sum(amount) AS amt
  FROM chk_paid GROUP BY program, year(paid_date), region_code
), l AS (
  SELECT b.*, nullif(replace(replace(trim(coalesce(b.region_code, '')), '.', ''), ' ', ''), '') AS line_region
  FROM budget b
), owner AS (
  -- each (programme, year, region) group of paid records → its one most specific line
  SELECT pa.program, pa.y, pa.rc, pa.amt,
         arg_max(l.rec_id, (length(coalesce(l.line_region, '')), l.year IS NOT NULL, -l.rec_id)) AS line_rec_id
  FROM pa JOIN l ON l.program = pa.program
  WHERE (l.year IS NULL OR pa.y = l.year) AND (l.line_region IS NULL OR starts_with(pa.rc, l.line_region))
  GROUP BY pa.program, pa.y, pa.rc, pa.amt
), m AS (
  SELECT line_rec_id AS rec_id, sum(amt) AS paid_sum FROM owner GROUP BY line_rec_id
), d AS (
  SELECT l.*, coalesce(m.paid_sum, 0)::DECIMAL(18,2) AS paid_sum, (l.realization - coalesce(m.paid_sum, 0))::DECIMAL(18,2) AS difference
  FROM l LEFT JOIN m ON m.rec_id = l.rec_id
  WHERE l.realization IS NOT NULL
)
SELECT * REPLACE (reason_text(reason_code, reason_params) AS reason) FROM (
SELECT 'realization_mismatch' AS check_id, 'budget' AS source_table, d.rec_id, d._file, d._line, NULL::VARCHAR AS nik,
       NULL::VARCHAR AS name, d.program, d.period AS period_key, NULL::DATE AS paid_date, d.realization AS amount,
       NULL::VARCHAR AS reason, 'realization_mismatch' AS reason_code,
       json_object('realization', d.realization::VARCHAR, 'difference', d.difference::VARCHAR, 'paid_sum', d.paid_sum::VARCHAR) AS reason_params,
       d.year, d.line_region AS region_code, d.allocation, d.realization, d.paid_sum, d.difference,
       abs(d.difference)::DECIMAL(18,2) AS abs_difference
FROM d
WHERE abs(d.difference) > $tolerance
)
