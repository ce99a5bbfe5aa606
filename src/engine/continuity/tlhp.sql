-- Tindak lanjut hasil pemeriksaan (TLHP, issue 15.4): every recommendation of every finding, this engagement's and
-- those carried from earlier ones, with the entity's follow-up and the auditor's judgement in BPK's four categories.
CREATE TABLE IF NOT EXISTS tlhp_recommendations (
  rec_key VARCHAR PRIMARY KEY,      -- origin engagement | check | R<n>: stable across engagements
  origin VARCHAR,                   -- engagement (name — period) that made the recommendation
  check_id VARCHAR,
  finding_ref VARCHAR,              -- T01 … in the origin's BPK workbook
  finding_title VARCHAR,
  kondisi VARCHAR,
  recommendation VARCHAR,
  finding_amount DECIMAL(18,2),     -- potential loss (else the finding's value) when recommended
  status VARCHAR,                   -- sesuai | belum_sesuai | belum_ditindaklanjuti | tidak_dapat
  action VARCHAR,                   -- the entity's follow-up (tindak lanjut entitas)
  evidence VARCHAR,                 -- evidence reference (bukti)
  action_date DATE,
  recovered DECIMAL(18,2),          -- value of recoveries (setoran ke kas negara / pemulihan)
  judged_by VARCHAR,
  judged_at TIMESTAMP,
  carried_from VARCHAR,             -- previous engagement file + its trail head, when carried
  created_at TIMESTAMP
);
