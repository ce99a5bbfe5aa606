/**
 * The one column vocabulary of Telisik: every column a user can see — canonical input columns of every kind, evidence
 * columns of the exception tables, internal provenance columns, indicator and summary columns — with its Indonesian
 * label, its English label and its kind. The kind alone decides number format, alignment and width, in every workbook,
 * in the UI grid, in exports and in tool results. No sheet or grid picks a format by hand or prints a raw snake_case
 * header: `columnSpec(name)` always answers, with a humanised label for a name not listed here.
 *
 * No Node, Electron or DOM imports (src/shared rule): the renderer and the engine both import this file.
 */

export type ColumnKind =
  | 'rupiah' | 'count' | 'ratio' | 'year' | 'date' | 'text' | 'code' | 'nik' | 'kk' | 'account' | 'boolean' | 'number';

export const COLUMN_KINDS: ColumnKind[] =
  ['rupiah', 'count', 'ratio', 'year', 'date', 'text', 'code', 'nik', 'kk', 'account', 'boolean', 'number'];

export interface ColumnSpec {
  /** The column name as stored (snake_case). */
  name: string;
  /** Indonesian label (the default language of every workbook and of the UI). */
  id: string;
  /** English label. */
  en: string;
  kind: ColumnKind;
  /** True when the name was not in the vocabulary and the labels were humanised from it. */
  fallback?: boolean;
}

export interface KindFormat {
  /** Excel number format ('@' = text). Years have no separator; ratios print as per cent. */
  numFmt: string;
  /** Same format for a JS formatter (the UI grid): how many decimals, per cent, thousands separator, prefix. */
  decimals: number;
  percent: boolean;
  thousands: boolean;
  prefix: string;
  align: 'left' | 'right' | 'center';
  /** Column width in characters, wide enough that the largest value of the kind never prints as ###. */
  width: number;
  /** Values of the kind are personal identifiers, masked in distribution copies. */
  personal: boolean;
}

export const KIND_FORMAT: Record<ColumnKind, KindFormat> = {
  rupiah: { numFmt: '"Rp "#,##0', decimals: 0, percent: false, thousands: true, prefix: 'Rp ', align: 'right', width: 20, personal: false },
  count: { numFmt: '#,##0', decimals: 0, percent: false, thousands: true, prefix: '', align: 'right', width: 12, personal: false },
  ratio: { numFmt: '0.0%', decimals: 1, percent: true, thousands: false, prefix: '', align: 'right', width: 11, personal: false },
  year: { numFmt: '0', decimals: 0, percent: false, thousands: false, prefix: '', align: 'center', width: 8, personal: false },
  date: { numFmt: 'dd/mm/yyyy', decimals: 0, percent: false, thousands: false, prefix: '', align: 'center', width: 12, personal: false },
  text: { numFmt: '@', decimals: 0, percent: false, thousands: false, prefix: '', align: 'left', width: 30, personal: false },
  code: { numFmt: '@', decimals: 0, percent: false, thousands: false, prefix: '', align: 'left', width: 14, personal: false },
  nik: { numFmt: '@', decimals: 0, percent: false, thousands: false, prefix: '', align: 'left', width: 19, personal: true },
  kk: { numFmt: '@', decimals: 0, percent: false, thousands: false, prefix: '', align: 'left', width: 19, personal: true },
  account: { numFmt: '@', decimals: 0, percent: false, thousands: false, prefix: '', align: 'left', width: 20, personal: true },
  boolean: { numFmt: '@', decimals: 0, percent: false, thousands: false, prefix: '', align: 'center', width: 8, personal: false },
  number: { numFmt: '#,##0.00', decimals: 2, percent: false, thousands: true, prefix: '', align: 'right', width: 12, personal: false },
};

type Entry = [id: string, en: string, kind: ColumnKind];

/** name → [Indonesian, English, kind]. Grouped by where the column comes from; one name has one meaning everywhere. */
const V: Record<string, Entry> = {
  // ---- provenance and internal columns (every canonical table, every exception table) ----
  rec_id: ['ID Rekaman', 'Record ID', 'code'],
  _import_id: ['ID Impor', 'Import ID', 'code'],
  _file: ['Berkas Sumber', 'Source file', 'text'],
  _line: ['Baris Sumber', 'Source line', 'count'],
  import_id: ['ID Impor', 'Import ID', 'code'],
  nik_damaged: ['NIK Rusak oleh Spreadsheet', 'NIK damaged by spreadsheet', 'boolean'],
  program_raw: ['Program (Asli)', 'Programme (as given)', 'text'],
  status_raw: ['Status (Asli)', 'Status (as given)', 'text'],
  period_key: ['Kunci Periode', 'Period key', 'code'],
  household_key: ['Kunci Rumah Tangga', 'Household key', 'code'],
  paid_month: ['Bulan Salur', 'Payment month', 'code'],
  review_status: ['Status Reviu', 'Review status', 'code'],
  review_note: ['Catatan Reviu', 'Review note', 'text'],
  reviewer: ['Pereviu', 'Reviewer', 'text'],
  reviewed_at: ['Waktu Reviu', 'Reviewed at', 'date'],
  note: ['Catatan', 'Note', 'text'],
  notes: ['Catatan', 'Notes', 'text'],
  actor: ['Pelaku', 'Actor', 'text'],

  // ---- canonical columns of the input kinds (src/engine/ingest/columns.ts) ----
  nik: ['NIK', 'NIK', 'nik'],
  kk: ['No. KK', 'Family card (KK) no.', 'kk'],
  name: ['Nama', 'Name', 'text'],
  region_code: ['Kode Wilayah', 'Region code', 'code'],
  region_name: ['Nama Wilayah', 'Region name', 'text'],
  birth_date: ['Tanggal Lahir', 'Date of birth', 'date'],
  sex: ['Jenis Kelamin', 'Sex', 'code'],
  desil: ['Desil', 'Decile', 'count'],
  death_date: ['Tanggal Meninggal', 'Date of death', 'date'],
  address: ['Alamat', 'Address', 'text'],
  snapshot: ['Snapshot Registri', 'Registry snapshot', 'text'],
  program: ['Program', 'Programme', 'code'],
  amount: ['Nilai (Rp)', 'Amount (Rp)', 'rupiah'],
  period: ['Periode', 'Period', 'code'],
  paid_date: ['Tanggal Salur', 'Payment date', 'date'],
  channel: ['Bank/Saluran', 'Bank/channel', 'text'],
  account: ['No. Rekening', 'Account no.', 'account'],
  status: ['Status', 'Status', 'code'],
  txn_id: ['ID Transaksi', 'Transaction ID', 'code'],
  allocation: ['Pagu (Rp)', 'Allocation (Rp)', 'rupiah'],
  realization: ['Realisasi (Rp)', 'Realisation (Rp)', 'rupiah'],
  fund_source: ['Sumber Dana', 'Fund source', 'text'],
  year: ['Tahun', 'Year', 'year'],
  target_recipients: ['Target KPM', 'Target recipients', 'count'],
  agency: ['Instansi', 'Agency', 'text'],
  category: ['Kategori', 'Category', 'text'],
  complaint_id: ['ID Pengaduan', 'Complaint ID', 'code'],
  received_date: ['Tanggal Pengaduan', 'Date received', 'date'],
  resolved_date: ['Tanggal Selesai', 'Date resolved', 'date'],
  text: ['Uraian', 'Text', 'text'],

  // ---- evidence columns of the exception tables (src/engine/checks/*/*/check.sql) ----
  check_id: ['Kode Uji', 'Check', 'code'],
  source_table: ['Tabel Sumber', 'Source table', 'code'],
  reason: ['Alasan', 'Reason', 'text'],
  reason_code: ['Kode Alasan', 'Reason code', 'code'],
  reason_params: ['Parameter Alasan', 'Reason parameters', 'text'],
  expected_amount: ['Nilai Seharusnya (Rp)', 'Expected amount (Rp)', 'rupiah'],
  difference: ['Selisih (Rp)', 'Difference (Rp)', 'rupiah'],
  abs_difference: ['Selisih Absolut (Rp)', 'Absolute difference (Rp)', 'rupiah'],
  paid_sum: ['Jumlah Tersalur (Rp)', 'Paid total (Rp)', 'rupiah'],
  excess: ['Kelebihan Bayar (Rp)', 'Excess paid (Rp)', 'rupiah'],
  shortfall: ['Kekurangan Bayar (Rp)', 'Shortfall (Rp)', 'rupiah'],
  max_desil: ['Batas Desil', 'Desil ceiling', 'count'],
  reg_desil: ['Desil Registri', 'Registry decile', 'count'],
  days_after_death: ['Hari setelah Meninggal', 'Days after death', 'count'],
  invalid_rule: ['Aturan NIK Dilanggar', 'NIK rule failed', 'text'],
  payment_seq: ['Urutan Pembayaran', 'Payment sequence', 'count'],
  group_size: ['Jumlah dalam Kelompok', 'Group size', 'count'],
  first_rec_id: ['ID Rekaman Pertama', 'First record ID', 'code'],
  first_line: ['Baris Pertama', 'First line', 'count'],
  first_txn_id: ['ID Transaksi Pertama', 'First transaction ID', 'code'],
  first_paid_date: ['Tanggal Salur Pertama', 'First payment date', 'date'],
  first_kk: ['No. KK Pertama', 'First KK no.', 'kk'],
  first_name: ['Nama Pertama', 'First name', 'text'],
  other_nik: ['NIK Lain', 'Other NIK', 'nik'],
  other_niks: ['NIK Lain (Daftar)', 'Other NIKs', 'nik'],
  other_programs: ['Program Lain', 'Other programmes', 'text'],
  target_program: ['Program Sasaran', 'Target programme', 'code'],
  registry_name: ['Nama di Registri', 'Name in registry', 'text'],
  reg_name: ['Nama di Registri', 'Name in registry', 'text'],
  similarity: ['Kemiripan Nama', 'Name similarity', 'ratio'],
  civil_servant_name: ['Nama ASN/TNI/Polri', 'Civil servant name', 'text'],
  cs_rows: ['Baris Data ASN', 'Civil-servant rows', 'count'],
  nik_count: ['Jumlah NIK', 'NIK count', 'count'],
  age_days: ['Umur Dana (hari)', 'Age (days)', 'count'],
  mismatch: ['Ketidaksesuaian', 'Mismatch', 'text'],
  nik_day: ['Tanggal dalam NIK', 'Day in NIK', 'count'],
  nik_month: ['Bulan dalam NIK', 'Month in NIK', 'count'],
  nik_yy: ['Tahun (2 digit) dalam NIK', 'Year (2 digits) in NIK', 'code'],
  nik_sex: ['Jenis Kelamin menurut NIK', 'Sex per NIK', 'code'],
  occurrence: ['Kemunculan ke-', 'Occurrence', 'count'],
  nik_rows: ['Baris dengan NIK Ini', 'Rows with this NIK', 'count'],
  checks: ['Uji yang Menandai', 'Flagging checks', 'text'],
  lists: ['Daftar Pembanding', 'Comparison lists', 'text'],
  n_lists: ['Jumlah Daftar', 'Number of lists', 'count'],
  list: ['Daftar Pembanding', 'Comparison list', 'code'],
  lowest_desil: ['Desil Terendah (semua snapshot)', 'Lowest decile (all snapshots)', 'count'],
  desil_date: ['Tanggal Berlaku Desil', 'Decile effective date', 'date'],
  monthly_amount: ['Nilai per Bulan (Rp)', 'Monthly amount (Rp)', 'rupiah'],
  period_months: ['Jumlah Bulan Periode', 'Months in period', 'count'],
  months_per_stage: ['Bulan per Tahap', 'Months per stage', 'count'],
  n_checks: ['Jumlah Uji', 'Number of checks', 'count'],

  // ---- check results, findings, reviews, field sample ----
  family: ['Kelompok Uji', 'Check family', 'code'],
  evaluated: ['Dinilai', 'Evaluated', 'boolean'],
  records: ['Jumlah Rekaman', 'Records', 'count'],
  recipients: ['Jumlah Penerima', 'Recipients', 'count'],
  ms: ['Waktu (ms)', 'Time (ms)', 'count'],
  finding_id: ['No. Temuan', 'Finding no.', 'code'],
  title: ['Judul', 'Title', 'text'],
  kondisi: ['Kondisi', 'Condition', 'text'],
  kriteria: ['Kriteria', 'Criteria', 'text'],
  sebab: ['Sebab', 'Cause', 'text'],
  akibat: ['Akibat', 'Effect', 'text'],
  rekomendasi: ['Rekomendasi', 'Recommendation', 'text'],
  classification: ['Klasifikasi', 'Classification', 'text'],
  potential_loss: ['Potensi Kerugian (Rp)', 'Potential loss (Rp)', 'rupiah'],
  potential_loss_confirmed: ['Potensi Kerugian setelah Reviu (Rp)', 'Potential loss after review (Rp)', 'rupiah'],
  confirmed: ['Dikonfirmasi', 'Confirmed', 'count'],
  cleared: ['Dikecualikan', 'Cleared', 'count'],
  open: ['Terbuka', 'Open', 'count'],
  field_result: ['Hasil Verifikasi', 'Field result', 'code'],
  field_date: ['Tanggal Verifikasi', 'Verification date', 'date'],
  field_officer: ['Petugas', 'Officer', 'text'],
  field_note: ['Keterangan Lapangan', 'Field note', 'text'],
  seq: ['No', 'No.', 'count'],
  no: ['No', 'No.', 'count'],
  ref: ['Ref', 'Ref', 'code'],
  temuan: ['Temuan (Uji)', 'Findings (checks)', 'text'],
  reasons: ['Alasan', 'Reasons', 'text'],
  check_ids: ['Kode Uji', 'Checks', 'code'],
  hasil: ['HASIL', 'RESULT', 'code'],
  tanggal: ['TANGGAL', 'DATE', 'date'],
  petugas: ['PETUGAS', 'OFFICER', 'text'],
  catatan: ['CATATAN', 'NOTE', 'text'],

  // ---- import log, rejects, audit trail ----
  kind: ['Jenis Data', 'Input kind', 'code'],
  file: ['Berkas', 'File', 'text'],
  path: ['Lokasi Berkas', 'Path', 'text'],
  sha256: ['SHA-256', 'SHA-256', 'code'],
  size_bytes: ['Ukuran (byte)', 'Size (bytes)', 'count'],
  format: ['Format', 'Format', 'code'],
  encoding: ['Pengodean', 'Encoding', 'code'],
  delimiter: ['Pemisah', 'Delimiter', 'code'],
  sheet: ['Lembar', 'Sheet', 'text'],
  header_line: ['Baris Judul', 'Header line', 'count'],
  rows_read: ['Baris Dibaca', 'Rows read', 'count'],
  rows_loaded: ['Baris Dimuat', 'Rows loaded', 'count'],
  rows_rejected: ['Baris Ditolak', 'Rows rejected', 'count'],
  message: ['Pesan', 'Message', 'text'],
  started_at: ['Mulai', 'Started', 'date'],
  finished_at: ['Selesai', 'Finished', 'date'],
  line: ['Baris', 'Line', 'count'],
  column_name: ['Kolom', 'Column', 'code'],
  raw_text: ['Teks Asli', 'Raw text', 'text'],
  at: ['Waktu', 'Time', 'text'],
  action: ['Tindakan', 'Action', 'code'],
  params: ['Parameter', 'Parameters', 'text'],
  inputs: ['Masukan', 'Inputs', 'text'],
  result: ['Hasil', 'Result', 'text'],
  prev_hash: ['Hash Sebelumnya', 'Previous hash', 'code'],
  hash: ['Hash', 'Hash', 'code'],
  sql: ['SQL', 'SQL', 'text'],

  // ---- targeting indicators ----
  beneficiary_households: ['Rumah Tangga Penerima', 'Beneficiary households', 'count'],
  target_households: ['Rumah Tangga Sasaran', 'Target households', 'count'],
  covered_target_households: ['Sasaran yang Menerima', 'Target households covered', 'count'],
  inclusion_error: ['Inclusion Error', 'Inclusion error', 'ratio'],
  exclusion_error: ['Exclusion Error', 'Exclusion error', 'ratio'],
  leakage: ['Kebocoran (Leakage)', 'Leakage', 'ratio'],
  leakage_amount: ['Nilai Kebocoran (Rp)', 'Leakage amount (Rp)', 'rupiah'],
  cgh: ['Indeks CGH', 'CGH index', 'number'],
  targeting_differential: ['Targeting Differential', 'Targeting differential', 'number'],
  coverage: ['Cakupan', 'Coverage', 'ratio'],
  coverage_non_target: ['Cakupan Non-Sasaran', 'Non-target coverage', 'ratio'],
  beneficiary_target_households: ['Penerima Sasaran', 'Beneficiaries in target', 'count'],
  beneficiary_non_target_households: ['Penerima Non-Sasaran', 'Beneficiaries outside target', 'count'],
  beneficiary_households_not_in_registry: ['Penerima Tidak di Registri', 'Beneficiaries not in registry', 'count'],
  excluded_target_households: ['Sasaran Tidak Menerima', 'Target households excluded', 'count'],
  paid_amount: ['Nilai Tersalur (Rp)', 'Paid amount (Rp)', 'rupiah'],
  paid_amount_low_desil: ['Tersalur ke Desil 1–4 (Rp)', 'Paid to deciles 1–4 (Rp)', 'rupiah'],
  registry_households: ['Rumah Tangga Registri', 'Registry households', 'count'],
  registry_households_with_desil: ['Rumah Tangga Registri Berdesil', 'Registry households with decile', 'count'],
  registry_households_low_desil: ['Rumah Tangga Registri Desil 1–4', 'Registry households deciles 1–4', 'count'],
  desil_group: ['Kelompok Desil', 'Decile group', 'code'],
  beneficiary_incidence: ['Insidensi Penerima', 'Beneficiary incidence', 'ratio'],
  benefit_incidence: ['Insidensi Manfaat', 'Benefit incidence', 'ratio'],
  kabupaten: ['Kode Kab/Kota', 'District code', 'code'],
  kabupaten_name: ['Kabupaten/Kota', 'District', 'text'],
  province: ['Provinsi', 'Province', 'text'],
  count_share: ['Porsi Jumlah', 'Share of count', 'ratio'],
  amount_share: ['Porsi Nilai', 'Share of amount', 'ratio'],
  band: ['Kelompok', 'Band', 'code'],

  // ---- budget indicators ----
  dimension: ['Dimensi', 'Dimension', 'code'],
  key: ['Kelompok', 'Group', 'text'],
  lines: ['Jumlah Baris Anggaran', 'Budget lines', 'count'],
  absorption: ['Penyerapan', 'Absorption', 'ratio'],
  lines_without_realization: ['Baris tanpa Realisasi', 'Lines without realisation', 'count'],
  cost_per_household: ['Biaya per Rumah Tangga (Rp)', 'Cost per household (Rp)', 'rupiah'],
  paid_per_household: ['Tersalur per Rumah Tangga (Rp)', 'Paid per household (Rp)', 'rupiah'],
  age_bucket: ['Umur Dana', 'Age band', 'code'],
  oldest_age_days: ['Umur Tertua (hari)', 'Oldest (days)', 'count'],
  mean_age_days: ['Umur Rata-rata (hari)', 'Mean age (days)', 'number'],

  // ---- impact indicators (DOMAIN.md "Impact indicators") ----
  households: ['Rumah Tangga', 'Households', 'count'],
  covered: ['Rumah Tangga Menerima', 'Households covered', 'count'],
  households_desil_1_2: ['Rumah Tangga Desil 1–2', 'Households deciles 1–2', 'count'],
  covered_desil_1_2: ['Menerima (Desil 1–2)', 'Covered (deciles 1–2)', 'count'],
  coverage_desil_1_2: ['Cakupan Desil 1–2', 'Coverage deciles 1–2', 'ratio'],
  households_desil_1_4: ['Rumah Tangga Desil 1–4', 'Households deciles 1–4', 'count'],
  covered_desil_1_4: ['Menerima (Desil 1–4)', 'Covered (deciles 1–4)', 'count'],
  coverage_desil_1_4: ['Cakupan Desil 1–4', 'Coverage deciles 1–4', 'ratio'],
  share: ['Porsi Manfaat', 'Share of benefit', 'ratio'],
  pkh: ['Penerima PKH', 'PKH households', 'count'],
  bpnt: ['Penerima BPNT', 'BPNT households', 'count'],
  both: ['PKH dan BPNT', 'PKH and BPNT', 'count'],
  either: ['PKH atau BPNT', 'PKH or BPNT', 'count'],
  both_share_of_pkh: ['Porsi PKH yang juga BPNT', 'Share of PKH also BPNT', 'ratio'],
  both_share_of_bpnt: ['Porsi BPNT yang juga PKH', 'Share of BPNT also PKH', 'ratio'],
  jaccard: ['Indeks Jaccard', 'Jaccard index', 'ratio'],
  households_without_size: ['Rumah Tangga tanpa Jumlah Anggota', 'Households without size', 'count'],
  household_size: ['Jumlah Anggota Rumah Tangga', 'Household size', 'count'],
  benefit: ['Manfaat Diterima (Rp)', 'Benefit received (Rp)', 'rupiah'],
  poverty_line_total: ['Garis Kemiskinan Rumah Tangga (Rp)', 'Household poverty line (Rp)', 'rupiah'],
  poverty_line_per_capita_month: ['Garis Kemiskinan per Kapita per Bulan (Rp)', 'Poverty line per capita per month (Rp)', 'rupiah'],
  poverty_line_source: ['Sumber Garis Kemiskinan', 'Poverty line source', 'text'],
  aggregate_ratio: ['Rasio Agregat', 'Aggregate ratio', 'ratio'],
  median_ratio: ['Rasio Median', 'Median ratio', 'ratio'],
  mean_ratio: ['Rasio Rata-rata', 'Mean ratio', 'ratio'],
  earlier: ['Snapshot Awal', 'Earlier snapshot', 'text'],
  later: ['Snapshot Akhir', 'Later snapshot', 'text'],
  earlier_effective_date: ['Tanggal Berlaku Snapshot Awal', 'Earlier snapshot effective date', 'date'],
  later_effective_date: ['Tanggal Berlaku Snapshot Akhir', 'Later snapshot effective date', 'date'],
  poor_earlier: ['Desil 1–4 pada Snapshot Awal', 'Deciles 1–4 at earlier snapshot', 'count'],
  present_later: ['Masih Ada pada Snapshot Akhir', 'Present at later snapshot', 'count'],
  graduated: ['Graduasi (Desil ≥ 5)', 'Graduated (decile ≥ 5)', 'count'],
  rate: ['Tingkat Graduasi', 'Graduation rate', 'ratio'],
  fell_into_desil_1_4: ['Turun ke Desil 1–4', 'Fell into deciles 1–4', 'count'],
  fell_in: ['Turun ke Desil 1–4', 'Fell into deciles 1–4', 'count'],
  graduated_still_paid: ['Graduasi tetapi Masih Dibayar', 'Graduated but still paid', 'count'],

  // ---- oversight: complaints and timing ----
  count: ['Jumlah', 'Count', 'count'],
  resolved: ['Selesai', 'Resolved', 'count'],
  median_days: ['Median Penyelesaian (hari)', 'Median resolution (days)', 'number'],
  avg_days: ['Rata-rata Penyelesaian (hari)', 'Mean resolution (days)', 'number'],
  p90_days: ['Persentil 90 Penyelesaian (hari)', '90th percentile resolution (days)', 'number'],
  history: ['Bulan Riwayat (baseline)', 'Baseline months', 'count'],
  judged: ['Dinilai', 'Judged', 'boolean'],
  total: ['Total', 'Total', 'count'],
  complaints: ['Jumlah Pengaduan', 'Complaints', 'count'],
  region: ['Wilayah', 'Region', 'code'],
  month: ['Bulan', 'Month', 'code'],
  new_recipients: ['Penerima Baru', 'New recipients', 'count'],
  z_amount: ['Skor-z Nilai', 'Robust z (amount)', 'number'],
  z_new: ['Skor-z Penerima Baru', 'Robust z (new recipients)', 'number'],
  spike_amount: ['Lonjakan Nilai', 'Amount spike', 'boolean'],
  spike_new: ['Lonjakan Penerima Baru', 'New-recipient spike', 'boolean'],
  events: ['Peristiwa Terdekat', 'Nearby events', 'text'],
  event_date: ['Tanggal Peristiwa', 'Event date', 'date'],
  label: ['Keterangan', 'Label', 'text'],
  baseline: ['Nilai Dasar', 'Baseline', 'number'],
};

/** Words humanised for a name not in the vocabulary: acronyms as written, common Indonesian terms translated. */
const ACRONYMS = new Set(['nik', 'kk', 'pkh', 'bpnt', 'blt', 'dd', 'pip', 'dtks', 'dtsen', 'asn', 'tni', 'id', 'sql',
  'cgh', 'kpm', 'rp', 'bpk', 'kkp', 'lhp', 'apip', 'sha256', 'mad', 'z']);

/** 'beneficiary_households' → 'Beneficiary Households'; acronyms upper-cased; never returns snake_case. */
export function humanise(name: string): string {
  const words = String(name ?? '').replace(/^_+/, '').split(/[_\s]+/).filter(Boolean);
  if (!words.length) return '—';
  return words.map((w) => (ACRONYMS.has(w.toLowerCase()) ? w.toUpperCase() : w.charAt(0).toUpperCase() + w.slice(1).toLowerCase())).join(' ');
}

/** Guesses a kind from the name alone, for names not in the vocabulary. */
function guessKind(name: string): ColumnKind {
  const n = name.toLowerCase();
  if (/(^|_)nik(s)?($|_)/.test(n)) return 'nik';
  if (/(^|_)(no_)?kk($|_)/.test(n)) return 'kk';
  if (/account|rekening/.test(n)) return 'account';
  if (/(amount|allocation|realization|realisasi|pagu|nominal|rupiah|_rp$|loss|excess|shortfall|benefit)/.test(n)) return 'rupiah';
  if (/(share|rate|ratio|coverage|incidence|absorption|error|leakage|pct|percent)/.test(n)) return 'ratio';
  if (/(_date$|^date_|_at$)/.test(n)) return 'date';
  if (/(^year$|_year$|^tahun)/.test(n)) return 'year';
  if (/(^n_|_count$|^count_|records|recipients|households|rows|lines|days$)/.test(n)) return 'count';
  if (/(_id$|^id_|code$|_key$)/.test(n)) return 'code';
  return 'text';
}

/** The spec of a column: labels and kind. Unknown names get a humanised label and a kind guessed from the name. */
export function columnSpec(name: string): ColumnSpec {
  const e = V[name] ?? V[String(name ?? '').toLowerCase()];
  if (e) return { name, id: e[0], en: e[1], kind: e[2] };
  const h = humanise(name);
  return { name, id: h, en: h, kind: guessKind(String(name ?? '')), fallback: true };
}

/** The label of a column in a language ('id' default). */
export function columnLabel(name: string, lang: 'id' | 'en' = 'id'): string {
  const s = columnSpec(name);
  return lang === 'en' ? s.en : s.id;
}

/** Format, alignment and width of a column — decided by its kind alone. */
export function columnFormat(name: string): KindFormat & { kind: ColumnKind } {
  const s = columnSpec(name);
  return { ...KIND_FORMAT[s.kind], kind: s.kind };
}

/** Every name in the vocabulary (tests check that every column the engine writes is listed). */
export function vocabularyNames(): string[] {
  return Object.keys(V);
}

/**
 * Formats a value by kind for text output (UI grid, CLI tables, tool results): Indonesian separators (1.234.567;
 * 12,5%), years without separator, dates YYYY-MM-DD as stored. null/undefined → ''.
 */
export function formatValue(kind: ColumnKind, v: unknown, lang: 'id' | 'en' = 'id'): string {
  if (v === null || v === undefined || v === '') return '';
  const f = KIND_FORMAT[kind];
  if (kind === 'boolean') {
    const b = v === true || v === 'true' || v === 1;
    return lang === 'en' ? (b ? 'Yes' : 'No') : (b ? 'Ya' : 'Tidak');
  }
  if (kind === 'date') {
    if (v instanceof Date) return Number.isNaN(v.getTime()) ? '' : v.toISOString().slice(0, 10);
    return String(v).slice(0, 10);
  }
  if (f.numFmt === '@') return String(v);
  const n = typeof v === 'number' ? v : Number(typeof v === 'bigint' ? v.toString() : v);
  if (!Number.isFinite(n)) return String(v);
  if (kind === 'year') return String(Math.trunc(n));
  const x = f.percent ? n * 100 : n;
  const fixed = Math.abs(x).toFixed(f.decimals);
  const [int, dec] = fixed.split('.');
  const thou = lang === 'en' ? ',' : '.';
  const point = lang === 'en' ? '.' : ',';
  const grouped = f.thousands ? int.replace(/\B(?=(\d{3})+(?!\d))/g, thou) : int;
  return (x < 0 ? '-' : '') + f.prefix + grouped + (dec ? point + dec : '') + (f.percent ? '%' : '');
}
