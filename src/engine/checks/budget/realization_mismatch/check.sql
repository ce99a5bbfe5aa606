-- realization_mismatch — DOMAIN.md: budget lines whose realization differs by more than $tolerance (Rp 1) from the
-- sum of paid amounts of the same programme, year(paid_date) = line year, and record region code starting with the
-- line's region code (both without dots or spaces). A line without region or year matches all regions / years.
-- Choice: a line without realization cannot be compared (not flagged; extra.not_evaluated_lines). Paid records
-- without paid_date only count toward lines without a year.
-- Figures: records (= lines), amount = Σ |realization − paid sum|.
WITH pa AS (
  SELECT program, year(paid_date) AS y, region_code AS rc, sum(amount) AS amt
  FROM chk_paid GROUP BY program, year(paid_date), region_code
), l AS (
  SELECT b.*, nullif(replace(replace(trim(coalesce(b.region_code, '')), '.', ''), ' ', ''), '') AS line_region
  FROM budget b WHERE b.realization IS NOT NULL
), m AS (
  SELECT l.rec_id, sum(pa.amt) AS paid_sum
  FROM l JOIN pa ON pa.program = l.program
  WHERE (l.year IS NULL OR pa.y = l.year) AND (l.line_region IS NULL OR starts_with(pa.rc, l.line_region))
  GROUP BY l.rec_id
), d AS (
  SELECT l.*, coalesce(m.paid_sum, 0)::DECIMAL(18,2) AS paid_sum, (l.realization - coalesce(m.paid_sum, 0))::DECIMAL(18,2) AS difference
  FROM l LEFT JOIN m ON m.rec_id = l.rec_id
)
SELECT 'realization_mismatch' AS check_id, 'budget' AS source_table, d.rec_id, d._file, d._line, NULL::VARCHAR AS nik,
       NULL::VARCHAR AS name, d.program, d.period AS period_key, NULL::DATE AS paid_date, d.realization AS amount,
       'Realisasi ' || d.realization::VARCHAR || ' berbeda ' || d.difference::VARCHAR || ' dari jumlah penyaluran tersalur '
         || d.paid_sum::VARCHAR AS reason,
       d.year, d.line_region AS region_code, d.allocation, d.realization, d.paid_sum, d.difference,
       abs(d.difference)::DECIMAL(18,2) AS abs_difference
FROM d
WHERE abs(d.difference) > $tolerance
