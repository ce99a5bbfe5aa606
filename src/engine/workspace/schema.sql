-- Telisik workspace schema. One engagement = one DuckDB file.
-- Canonical tables carry provenance on every row: _import_id, _file (source file name), _line (1-based line of the
-- record's start in a text file; sheet row for XLSX; record ordinal for JSON/Parquet) and rec_id
-- (= _import_id * 10000000000 + _line, stable and traceable).

CREATE TABLE IF NOT EXISTS meta (key VARCHAR PRIMARY KEY, value VARCHAR);

CREATE TABLE IF NOT EXISTS engagement (
  name VARCHAR, entity VARCHAR, period VARCHAR, team VARCHAR, created_at TIMESTAMP, notes VARCHAR);

CREATE TABLE IF NOT EXISTS import_log (
  import_id INTEGER PRIMARY KEY, kind VARCHAR, file VARCHAR, path VARCHAR, sha256 VARCHAR, size_bytes BIGINT,
  format VARCHAR, encoding VARCHAR, delimiter VARCHAR, sheet VARCHAR, header_line INTEGER,
  rows_read BIGINT, rows_loaded BIGINT, rows_rejected BIGINT,
  mapping JSON, headers JSON, quality JSON, raw_table VARCHAR, target_table VARCHAR,
  status VARCHAR,            -- started | completed | failed | cancelled | incomplete (found 'started' on open)
  message VARCHAR, started_at TIMESTAMP, finished_at TIMESTAMP, actor VARCHAR);

CREATE TABLE IF NOT EXISTS rejects (
  import_id INTEGER, file VARCHAR, line BIGINT, reason VARCHAR, column_name VARCHAR, raw_text VARCHAR);

CREATE TABLE IF NOT EXISTS mapping_profiles (name VARCHAR PRIMARY KEY, kind VARCHAR, mapping JSON, saved_at TIMESTAMP);

CREATE TABLE IF NOT EXISTS settings (key VARCHAR PRIMARY KEY, value JSON);

CREATE TABLE IF NOT EXISTS registry (
  rec_id BIGINT, _import_id INTEGER, _file VARCHAR, _line BIGINT,
  nik VARCHAR, nik_damaged BOOLEAN, kk VARCHAR, name VARCHAR, region_code VARCHAR, birth_date DATE, sex VARCHAR,
  desil INTEGER, death_date DATE, address VARCHAR, snapshot VARCHAR);

CREATE TABLE IF NOT EXISTS disbursements (
  rec_id BIGINT, _import_id INTEGER, _file VARCHAR, _line BIGINT,
  nik VARCHAR, nik_damaged BOOLEAN, kk VARCHAR, name VARCHAR, region_code VARCHAR,
  program VARCHAR,           -- normalised code: PKH, BPNT, BLT, BLT_DD, PIP, else upper-cased as given
  program_raw VARCHAR,
  amount DECIMAL(18,2),
  period VARCHAR,            -- as given
  period_key VARCHAR,        -- contract period key (YYYY-MM, YYYY-Tn, upper-cased text, else YYYY-MM of paid_date)
  paid_date DATE, channel VARCHAR, account VARCHAR,
  status VARCHAR,            -- PAID | FAILED | RETURNED | other upper-cased text
  status_raw VARCHAR, txn_id VARCHAR);

CREATE TABLE IF NOT EXISTS budget (
  rec_id BIGINT, _import_id INTEGER, _file VARCHAR, _line BIGINT,
  program VARCHAR, program_raw VARCHAR, allocation DECIMAL(18,2), realization DECIMAL(18,2), fund_source VARCHAR,
  year INTEGER, period VARCHAR, region_code VARCHAR, target_recipients BIGINT, kk VARCHAR, name VARCHAR);

CREATE TABLE IF NOT EXISTS deaths (
  rec_id BIGINT, _import_id INTEGER, _file VARCHAR, _line BIGINT,
  nik VARCHAR, nik_damaged BOOLEAN, death_date DATE, kk VARCHAR, name VARCHAR, region_code VARCHAR);

CREATE TABLE IF NOT EXISTS civil_servants (
  rec_id BIGINT, _import_id INTEGER, _file VARCHAR, _line BIGINT,
  nik VARCHAR, nik_damaged BOOLEAN, name VARCHAR, agency VARCHAR, category VARCHAR, kk VARCHAR, region_code VARCHAR);

-- comparison lists (contract 2): one row per NIK on a list; list = normalised list name (trim, collapse, upper)
CREATE TABLE IF NOT EXISTS flags (
  rec_id BIGINT, _import_id INTEGER, _file VARCHAR, _line BIGINT,
  nik VARCHAR, nik_damaged BOOLEAN, list VARCHAR, name VARCHAR, note VARCHAR, kk VARCHAR, region_code VARCHAR);

CREATE TABLE IF NOT EXISTS complaints (
  rec_id BIGINT, _import_id INTEGER, _file VARCHAR, _line BIGINT,
  complaint_id VARCHAR, received_date DATE, channel VARCHAR, category VARCHAR, region_code VARCHAR,
  nik VARCHAR, nik_damaged BOOLEAN, status VARCHAR, resolved_date DATE, text VARCHAR, kk VARCHAR, name VARCHAR);

-- Reference data (Kepmendagri 300.2.2-2138/2025 via idn-area-data, ODbL): codes without dots, unique in the package
-- (test/indicators/oversight.test.ts counts them). No PRIMARY KEY: its index over 91,599 codes tripled the load's CPU
-- and the file (2.9 → 7.4 MB for an engagement with no data yet), and nothing looks a code up through it — the
-- lookups join or scan, and are written with LIMIT 1. Workspaces made before keep their key; both read the same.
CREATE TABLE IF NOT EXISTS ref_regions (code VARCHAR, level VARCHAR, name VARCHAR, parent VARCHAR);
