// UI-only display vocabulary (issue 13 item 2) beside src/shared/vocabulary.ts (columns): audit-trail actions and
// their details, progress phases, tool result fields, and engine errors rendered in the UI language from their code,
// their reason and their parameters (engine messages are Indonesian with English in brackets; DuckDB's are English).
import { columnLabel, columnSpec, formatValue } from '../../shared/vocabulary';
import type { AppError } from '../../shared/result';
import { formatDateTime, formatNumber, formatRp, type Lang } from '../format';
import { maskText } from '../../shared/masking';
import { renderErrorReason } from '../../shared/reasons';
import type { Translate } from './index';

type Bi = { id: string; en: string };
const pickBi = (b: Bi, lang: Lang) => (lang === 'en' ? b.en : b.id);

// ---------------------------------------------------------------- audit trail
const ACTIONS: Record<string, Bi> = {
  'workspace.create': { id: 'Penugasan dibuat', en: 'Engagement created' },
  'workspace.open': { id: 'Penugasan dibuka', en: 'Engagement opened' },
  'demo.generate': { id: 'Data contoh dibuat', en: 'Demo data generated' },
  import: { id: 'Ekstrak diimpor', en: 'Extract imported' },
  'import.file': { id: 'Ekstrak diimpor', en: 'Extract imported' },
  'import.remove': { id: 'Impor dihapus', en: 'Import removed' },
  run_checks: { id: 'Analisis dijalankan', en: 'Analyses run' },
  run_checks_cancelled: { id: 'Analisis dibatalkan', en: 'Analyses cancelled' },
  'findings.draft': { id: 'Temuan disusun', en: 'Findings drafted' },
  'finding.update': { id: 'Temuan diubah', en: 'Finding edited' },
  'finding.reset': { id: 'Temuan dikembalikan ke draf', en: 'Finding reset to draft' },
  'review.exceptions': { id: 'Pengecualian direviu', en: 'Exceptions reviewed' },
  'review.import': { id: 'Hasil uji petik dimuat', en: 'Field-check results loaded' },
  'report.export': { id: 'Kertas kerja ditulis', en: 'Workbook written' },
  'export.table': { id: 'Tampilan diekspor', en: 'View exported' },
  'query.run': { id: 'Kueri SQL dijalankan', en: 'SQL query run' },
  'tool.sample': { id: 'Sampel uji petik diambil', en: 'Sample drawn' },
  'tool.benford': { id: 'Uji Hukum Benford dijalankan', en: 'Benford test run' },
  'tool.duplicates': { id: 'Uji duplikat dijalankan', en: 'Duplicate test run' },
  'tool.gaps': { id: 'Uji celah urutan dijalankan', en: 'Gap test run' },
  'tool.stratify': { id: 'Stratifikasi dijalankan', en: 'Stratification run' },
  'tool.ageing': { id: 'Analisis umur dijalankan', en: 'Ageing run' },
  'tool.pivot': { id: 'Ringkasan dijalankan', en: 'Summary run' },
  'tool.profile': { id: 'Profil kolom dibuat', en: 'Column profile run' },
  'sample.random': { id: 'Sampel acak diambil', en: 'Random sample drawn' },
  'sample.mus': { id: 'Sampel MUS diambil', en: 'MUS sample drawn' },
  'profile.save': { id: 'Profil pemetaan disimpan', en: 'Mapping profile saved' },
  'mapping_profile.save': { id: 'Profil pemetaan disimpan', en: 'Mapping profile saved' },
  'profile.delete': { id: 'Profil pemetaan dihapus', en: 'Mapping profile deleted' },
  'settings.update': { id: 'Pengaturan diubah', en: 'Settings changed' },
  'settings.reset_programme_rules': { id: 'Aturan program dikembalikan', en: 'Programme rules reset' },
  'indicators.impact': { id: 'Indikator dampak dihitung', en: 'Impact indicators computed' },
  'indicators.oversight': { id: 'Sinyal pengawasan dihitung', en: 'Oversight signals computed' },
};

/** "report.export" → "Kertas kerja ditulis"; an unknown action is humanised, never shown raw. */
export function trailAction(action: string, lang: Lang): string {
  const a = ACTIONS[action] ?? ACTIONS[action.split('.')[0]];
  if (a) return pickBi(a, lang);
  return columnLabel(action.replace(/\./g, '_'), lang);
}

const STATUS: Record<string, Bi> = { confirmed: { id: 'terkonfirmasi', en: 'confirmed' }, cleared: { id: 'dikecualikan', en: 'cleared' }, open: { id: 'belum direviu', en: 'open' } };

function fmtValue(key: string, v: unknown, lang: Lang, masked: boolean): string {
  if (v === null || v === undefined || v === '') return '–';
  if (Array.isArray(v)) return v.length > 6 ? `${v.slice(0, 6).map((x) => fmtValue(key, x, lang, masked)).join(', ')} … (+${v.length - 6})` : v.map((x) => fmtValue(key, x, lang, masked)).join(', ');
  if (typeof v === 'object') return Object.entries(v as Record<string, unknown>).slice(0, 8).map(([k, x]) => `${fieldLabel(k, lang)}: ${fmtValue(k, x, lang, masked)}`).join('; ');
  if (typeof v === 'boolean') return lang === 'en' ? (v ? 'yes' : 'no') : (v ? 'ya' : 'tidak');
  const spec = columnSpec(key);
  if (typeof v === 'number') return spec.fallback ? formatNumber(v, lang, Number.isInteger(v) ? 0 : 2) : formatValue(spec.kind, v, lang) || String(v);
  const s = String(v);
  if (key === 'status' && STATUS[s]) return pickBi(STATUS[s], lang);
  if (/^\d{4}-\d{2}-\d{2}T/.test(s)) return formatDateTime(s, lang);
  return masked ? maskText(s) : s;
}

const DETAIL_KEYS = ['file', 'kind', 'table', 'name', 'reason', 'check_id', 'status', 'note', 'rows', 'rows_loaded', 'rows_rejected', 'rows_removed', 'updated',
  'records', 'amount', 'potential_loss', 'format', 'out', 'path', 'sql', 'scale', 'households', 'method', 'size', 'entity', 'period'];

/** One line of human text for a trail entry's parameters and result (the JSON stays one click away). */
export function trailDetails(e: { params: unknown; result: unknown }, lang: Lang, masked = true): string {
  const parts: string[] = [];
  const add = (o: unknown) => {
    if (!o || typeof o !== 'object' || Array.isArray(o)) return;
    const rec = o as Record<string, unknown>;
    const keys = [...DETAIL_KEYS.filter((k) => k in rec), ...Object.keys(rec).filter((k) => !DETAIL_KEYS.includes(k))].slice(0, 6);
    for (const k of keys) {
      const v = rec[k];
      if (v === null || v === undefined || (Array.isArray(v) && v.length === 0)) continue;
      if (k === 'rec_ids' && Array.isArray(v)) { parts.push(`${lang === 'en' ? 'Records' : 'Rekaman'}: ${formatNumber(v.length, lang)}`); continue; }
      parts.push(`${fieldLabel(k, lang)}: ${fmtValue(k, v, lang, masked)}`);
    }
  };
  add(e.params);
  add(e.result);
  const s = parts.join(' · ');
  return s.length > 220 ? s.slice(0, 217) + '…' : s;
}

// ---------------------------------------------------------------- fields (tool results, trail details)
const FIELDS: Record<string, Bi> = {
  table: { id: 'Tabel', en: 'Table' }, file: { id: 'Berkas', en: 'File' }, kind: { id: 'Jenis', en: 'Kind' }, name: { id: 'Nama', en: 'Name' },
  reason: { id: 'Alasan', en: 'Reason' }, check_id: { id: 'Pemeriksaan', en: 'Check' }, status: { id: 'Status', en: 'Status' }, note: { id: 'Catatan', en: 'Note' },
  rows: { id: 'Baris', en: 'Rows' }, updated: { id: 'Diperbarui', en: 'Updated' }, format: { id: 'Format', en: 'Format' }, out: { id: 'Berkas keluaran', en: 'Output file' },
  path: { id: 'Lokasi', en: 'Location' }, sql: { id: 'Kueri', en: 'Query' }, scale: { id: 'Skala', en: 'Scale' }, method: { id: 'Metode', en: 'Method' },
  size: { id: 'Ukuran', en: 'Size' }, seed: { id: 'Benih acak', en: 'Random seed' }, mask: { id: 'NIK disamarkan', en: 'NIK masked' }, filter: { id: 'Filter', en: 'Filter' },
  search: { id: 'Pencarian', en: 'Search' }, sort: { id: 'Urutan', en: 'Sort' }, tables: { id: 'Tabel', en: 'Tables' }, via: { id: 'Melalui', en: 'Via' },
  dir: { id: 'Folder', en: 'Folder' }, truth: { id: 'Kunci jawaban', en: 'Answer key' }, result_table: { id: 'Tabel hasil', en: 'Result table' },
  rows_removed: { id: 'Baris dihapus', en: 'Rows removed' }, rejects_removed: { id: 'Baris ditolak dihapus', en: 'Rejected rows removed' }, table_dropped: { id: 'Tabel dihapus', en: 'Table dropped' },
  run_id: { id: 'Nomor analisis', en: 'Run no.' }, checks: { id: 'Pemeriksaan', en: 'Checks' }, only: { id: 'Hanya', en: 'Only' }, params: { id: 'Parameter', en: 'Parameters' },
  entity: { id: 'Entitas', en: 'Entity' }, period: { id: 'Periode', en: 'Period' }, team: { id: 'Tim', en: 'Team' }, sheets: { id: 'Lembar', en: 'Sheets' },
  bytes: { id: 'Ukuran (bita)', en: 'Size (bytes)' }, event_dates: { id: 'Tanggal peristiwa', en: 'Event dates' }, thresholds: { id: 'Ambang', en: 'Thresholds' },
  programme_rules: { id: 'Aturan program', en: 'Programme rules' }, language: { id: 'Bahasa', en: 'Language' }, masking_default: { id: 'Samarkan NIK', en: 'Mask NIK' },
  // tool results
  count_share: { id: 'Porsi Jumlah', en: 'Share of count' }, sum_share: { id: 'Porsi Nilai', en: 'Share of amount' }, band: { id: 'Strata', en: 'Stratum' },
  excess: { id: 'Kelebihan', en: 'Excess' }, span_orders: { id: 'Rentang (orde besaran)', en: 'Span (orders of magnitude)' }, applicable: { id: 'Dapat diterapkan', en: 'Applicable' },
  digit: { id: 'Digit', en: 'Digit' }, expected: { id: 'Porsi Harapan', en: 'Expected share' }, actual: { id: 'Porsi Aktual', en: 'Actual share' },
  expected_count: { id: 'Jumlah Harapan', en: 'Expected count' }, diff: { id: 'Selisih', en: 'Difference' }, z: { id: 'Skor-z', en: 'z-score' }, significant: { id: 'Signifikan', en: 'Significant' },
  mad: { id: 'MAD', en: 'MAD' }, conformity: { id: 'Kesesuaian', en: 'Conformity' }, chi_square: { id: 'Khi-kuadrat', en: 'Chi-square' }, n: { id: 'Jumlah Data', en: 'Values' },
  tested: { id: 'Data Diuji', en: 'Values tested' }, excluded: { id: 'Dikecualikan', en: 'Excluded' }, groups: { id: 'Kelompok Duplikat', en: 'Duplicate groups' },
  duplicate_records: { id: 'Rekaman Duplikat', en: 'Duplicate records' }, pairs: { id: 'Pasangan', en: 'Pairs' }, gaps: { id: 'Celah', en: 'Gaps' }, missing: { id: 'Hilang', en: 'Missing' },
  after: { id: 'Sesudah', en: 'After' }, before: { id: 'Sebelum', en: 'Before' }, lower: { id: 'Batas Bawah', en: 'Lower bound' }, upper: { id: 'Batas Atas', en: 'Upper bound' },
  min: { id: 'Min', en: 'Min' }, max: { id: 'Maks', en: 'Max' }, sum: { id: 'Jumlah Nilai', en: 'Sum' }, avg: { id: 'Rata-rata', en: 'Average' }, count: { id: 'Jumlah', en: 'Count' },
  bucket: { id: 'Kelompok Umur', en: 'Age bucket' }, as_of: { id: 'Per Tanggal', en: 'As of' }, similarity: { id: 'Kemiripan', en: 'Similarity' }, key_a: { id: 'Kunci A', en: 'Key A' },
  key_b: { id: 'Kunci B', en: 'Key B' }, name_a: { id: 'Nama A', en: 'Name A' }, name_b: { id: 'Nama B', en: 'Name B' }, population_count: { id: 'Populasi (rekaman)', en: 'Population (records)' },
  population_amount: { id: 'Nilai Populasi', en: 'Population amount' }, sample_size: { id: 'Ukuran Sampel', en: 'Sample size' }, sample_amount: { id: 'Nilai Sampel', en: 'Sample amount' },
  interval_amount: { id: 'Interval Sampling', en: 'Sampling interval' }, random_start: { id: 'Titik Awal Acak', en: 'Random start' }, top_stratum: { id: 'Strata Atas', en: 'Top stratum' },
  top: { id: 'Nilai Teratas', en: 'Top values' }, length: { id: 'Panjang Teks', en: 'Text length' }, numeric: { id: 'Statistik Angka', en: 'Numeric statistics' }, blanks: { id: 'Kosong', en: 'Blanks' },
  nulls: { id: 'Tanpa Nilai', en: 'Nulls' }, distinct: { id: 'Nilai Unik', en: 'Distinct' }, type: { id: 'Tipe', en: 'Type' }, column: { id: 'Kolom', en: 'Column' }, label: { id: 'Keterangan', en: 'Label' },
  value: { id: 'Nilai', en: 'Value' }, zeros: { id: 'Nol', en: 'Zeros' }, negatives: { id: 'Negatif', en: 'Negatives' }, stddev: { id: 'Simpangan Baku', en: 'Std. deviation' },
  share: { id: 'Porsi', en: 'Share' }, first_digit: { id: 'Digit Pertama', en: 'First digit' }, records_total: { id: 'Total Rekaman', en: 'Total records' },
  step: { id: 'Langkah', en: 'Step' }, strata: { id: 'Strata', en: 'Strata' }, _dup_group: { id: 'Kelompok Duplikat', en: 'Duplicate group' }, _dup_size: { id: 'Ukuran Kelompok', en: 'Group size' },
  _age_days: { id: 'Umur (hari)', en: 'Age (days)' }, _age_bucket: { id: 'Kelompok Umur', en: 'Age bucket' }, _sample_seq: { id: 'Urutan Sampel', en: 'Sample order' },
};

/** A field's label: UI fields first, then the shared column vocabulary (which humanises anything unknown). */
export function fieldLabel(name: string, lang: Lang): string {
  const f = FIELDS[name];
  if (f) return pickBi(f, lang);
  return columnLabel(name, lang);
}

/** A tool-result value by its field: Rp, counts without decimals, shares as %, Indonesian separators in Indonesian. */
export function fieldValue(name: string, v: unknown, lang: Lang): string {
  if (v === null || v === undefined || v === '') return '–';
  if (typeof v === 'boolean') return lang === 'en' ? (v ? 'Yes' : 'No') : (v ? 'Ya' : 'Tidak');
  if (typeof v !== 'number') return typeof v === 'object' ? JSON.stringify(v) : String(v);
  if (/(^|_)(share|actual|expected)$|^coverage|rate$|^p_|ratio|absorption|similarity/.test(name) && Math.abs(v) <= 1.5) return formatValue('ratio', v, lang);
  if (/amount|^sum$|excess|shortfall|^value_sum|allocation|realization|benefit|loss|interval_amount/.test(name)) return formatRp(v, lang);
  if (/^(n|count|records|groups|pairs|gaps|missing|tested|excluded|rows|nulls|blanks|distinct|zeros|negatives|size|band|digit|expected_count|_dup_size|sample_size|population_count|households|recipients|top_stratum|_age_days)$/.test(name) || /_count$|_records$/.test(name)) {
    return formatNumber(Math.abs(v - Math.round(v)) < 1e-9 ? v : v, lang, Number.isInteger(v) || name === 'expected_count' ? 0 : 0);
  }
  const spec = columnSpec(name);
  if (!spec.fallback) return formatValue(spec.kind, v, lang) || String(v);
  return formatNumber(v, lang, Number.isInteger(v) ? 0 : 2);
}

// ---------------------------------------------------------------- progress phases
const PHASES: Record<string, Bi> = {
  start: { id: 'memulai', en: 'starting' }, queued: { id: 'menunggu giliran', en: 'queued' }, prepare: { id: 'menyiapkan', en: 'preparing' },
  generate: { id: 'membuat data contoh', en: 'generating demo data' }, households: { id: 'rumah tangga', en: 'households' }, registry: { id: 'registri', en: 'registry' },
  disbursements: { id: 'penyaluran', en: 'disbursements' }, budget: { id: 'anggaran', en: 'budget' }, deaths: { id: 'kematian', en: 'deaths' },
  civil_servants: { id: 'ASN', en: 'civil servants' }, complaints: { id: 'pengaduan', en: 'complaints' }, files: { id: 'menulis berkas', en: 'writing files' },
  truth: { id: 'kunci jawaban', en: 'answer key' }, done: { id: 'selesai', en: 'done' }, findings: { id: 'menyusun temuan', en: 'drafting findings' },
  export: { id: 'mengekspor', en: 'exporting' }, read: { id: 'membaca', en: 'reading' }, parse: { id: 'mengurai', en: 'parsing' }, load: { id: 'memuat', en: 'loading' },
  quality: { id: 'laporan kualitas', en: 'quality report' }, hash: { id: 'sidik SHA-256', en: 'SHA-256' }, sniff: { id: 'mengenali format', en: 'detecting format' },
  checks: { id: 'pemeriksaan', en: 'checks' }, targeting: { id: 'ketepatan sasaran', en: 'targeting' }, indicators: { id: 'indikator', en: 'indicators' },
  potential_loss: { id: 'potensi kerugian negara', en: 'potential state loss' }, impact: { id: 'indikator dampak', en: 'impact indicators' },
  oversight: { id: 'pengawasan', en: 'oversight' },
  summary: { id: 'ringkasan', en: 'summary' }, import: { id: 'mengimpor', en: 'importing' }, write: { id: 'menulis', en: 'writing' }, sheets: { id: 'lembar kerja', en: 'sheets' },
};

/**
 * A progress phase as words: "generate:households" → "membuat data contoh · rumah tangga", "import:salur.csv" →
 * "mengimpor · salur.csv", a check id → its title (given `checkTitle`).
 */
export function phaseLabel(phase: string, lang: Lang, checkTitle?: (id: string) => string | undefined): string {
  if (!phase) return '';
  const parts = phase.split(/:\s*/);
  return parts.map((p) => {
    const w = PHASES[p] ?? PHASES[p.toLowerCase()];
    if (w) return pickBi(w, lang);
    const title = checkTitle?.(p);
    if (title) return title;
    if (/\.[a-z0-9]{2,5}$/i.test(p)) return p; // a file name
    return /^[a-z0-9_]+$/.test(p) ? columnLabel(p, lang).toLowerCase() : p;
  }).join(' · ');
}

// ---------------------------------------------------------------- errors
type Rule = { re: RegExp; id: (m: RegExpMatchArray) => string; en: (m: RegExpMatchArray) => string };

/** Common engine and DuckDB messages, rendered from their parameters in each language. */
const RULES: Rule[] = [
  { re: /^Berkas tidak ditemukan: (.+?)(?: \(file not found\))?$/, id: (m) => `Berkas tidak ditemukan: ${m[1]}`, en: (m) => `File not found: ${m[1]}` },
  { re: /^Berkas (.+?) kosong/, id: (m) => `Berkas ${m[1]} kosong — tidak ada baris untuk diimpor.`, en: (m) => `File ${m[1]} is empty — nothing to import.` },
  { re: /^Berkas (\S+) bukan teks/, id: (m) => `Berkas ${m[1]} bukan CSV/TXT, XLSX atau Parquet (berkas biner). Ekspor ulang data dari sistem sumber sebagai CSV atau XLSX.`, en: (m) => `File ${m[1]} is not CSV/TXT, XLSX or Parquet (a binary file). Export the data again from the source system as CSV or XLSX.` },
  { re: /Required column (\w+) not found|kolom wajib (\w+) tidak ditemukan/i, id: (m) => `Kolom wajib ${(m[1] ?? m[2]).toUpperCase()} tidak ditemukan di berkas — pilih kolomnya secara manual di pemetaan.`, en: (m) => `Required column ${(m[1] ?? m[2]).toUpperCase()} not found in the file — choose it by hand in the mapping.` },
  { re: /expected (\d+) fields?, found (\d+)/i, id: (m) => `Jumlah kolom tidak konsisten: diharapkan ${m[1]} kolom, ditemukan ${m[2]}. Periksa pemisah kolom (; atau ,) dan tanda kutip di berkas.`, en: (m) => `Inconsistent number of columns: expected ${m[1]}, found ${m[2]}. Check the delimiter (; or ,) and the quotes in the file.` },
  { re: /Cannot open (?:workspace|file|database)[^\n]*?(?:IO Error|lock|Conflicting lock)/i, id: () => 'Berkas penugasan tidak dapat dibuka: sedang dipakai program lain atau tidak dapat dibaca. Tutup program lain yang membukanya, lalu coba lagi.', en: () => 'The engagement file cannot be opened: another program is using it or it cannot be read. Close the other program and try again.' },
  { re: /(?:not a valid|bukan) (?:DuckDB|berkas penugasan|workspace)|is not a (?:valid )?(?:DuckDB|database) file/i, id: () => 'Berkas ini bukan berkas penugasan Telisik (.duckdb).', en: () => 'This file is not a Telisik engagement file (.duckdb).' },
  { re: /^Tabel tidak ditemukan: (\S+)/, id: (m) => `Tabel ${m[1]} tidak ada di penugasan ini.`, en: (m) => `Table ${m[1]} does not exist in this engagement.` },
  { re: /^Tabel (\S+) memerlukan data (.+?) —/, id: (m) => `Tabel ${m[1]} memerlukan data ${m[2]} — impor dahulu.`, en: (m) => `Table ${m[1]} needs ${m[2].replace(' dan ', ' and ')} data — import it first.` },
  { re: /^Kolom tidak ada: (\S+)/, id: (m) => `Kolom ${m[1]} tidak ada.`, en: (m) => `Column ${m[1]} does not exist.` },
  { re: /Belum ada hasil analisis (\S+?)\b/, id: () => 'Belum ada hasil analisis ini — jalankan analisis dahulu.', en: () => 'This analysis has no results yet — run the analyses first.' },
  { re: /Lembar "(.+?)" tidak ditemukan/, id: (m) => `Lembar "${m[1]}" tidak ditemukan di buku kerja.`, en: (m) => `Sheet "${m[1]}" not found in the workbook.` },
  { re: /terenkripsi|password-protected/i, id: () => 'Buku kerja dilindungi kata sandi — buka di Excel, simpan tanpa sandi, lalu impor ulang.', en: () => 'The workbook is password-protected — open it in Excel, save it without a password, then import again.' },
  { re: /\.xls\)? yang tidak didukung|legacy \.xls/i, id: () => 'Format Excel lama (.xls) tidak didukung — simpan ulang sebagai .xlsx atau CSV.', en: () => 'The old Excel format (.xls) is not supported — save it again as .xlsx or CSV.' },
  { re: /rusak atau terpotong|corrupt or truncated/i, id: () => 'Buku kerja rusak atau terpotong — simpan ulang dari Excel lalu impor lagi.', en: () => 'The workbook is corrupt or truncated — save it again from Excel and import again.' },
  { re: /Conversion Error|Could not convert/i, id: () => 'Nilai tidak dapat diubah ke tipe kolomnya (mis. teks di kolom angka atau tanggal).', en: () => 'A value cannot be converted to its column type (e.g. text in a number or date column).' },
  { re: /Malformed JSON in file "(?:.*[\\/])?([^"\\/]+)"/i, id: (m) => `Berkas JSON ${m[1]} rusak atau terpotong — tidak dapat diurai. Ekspor ulang dari sistem sumber.`, en: (m) => `JSON file ${m[1]} is corrupt or truncated — it cannot be parsed. Export it again from the source system.` },
  { re: /Out of Memory/i, id: () => 'Memori tidak cukup untuk operasi ini — tutup program lain atau kecilkan data, lalu coba lagi.', en: () => 'Not enough memory for this operation — close other programs or reduce the data, then try again.' },
  // Any other DuckDB error (English, technical): say what happened in the UI language, name the file when given.
  { re: /^(?:Invalid Input|Conversion|Parser|IO|Binder|Catalog|Constraint|Invalid|Not implemented|Serialization|Internal) Error:[^\n]*?(?:file "(?:.*[\\/])?([^"\\/]+)")?/i,
    id: (m) => `Data${m[1] ? ` di berkas ${m[1]}` : ''} tidak dapat diproses oleh mesin data. Periksa berkasnya (format, pemisah kolom, kutipan) lalu coba lagi.`,
    en: (m) => `The data engine cannot process the data${m[1] ? ` in ${m[1]}` : ''}. Check the file (format, delimiter, quotes) and try again.` },
];


/** Strips the other language from a bilingual engine message: "Indonesian (English)" → one side. */
export function oneLanguage(message: string, lang: Lang): string {
  const m = /^(.*\S)\s*\(([^()]*[A-Za-z][^()]*)\)\s*([.:]?)\s*$/.exec(message);
  if (m && /[a-z]/.test(m[2]) && !/[ÀÉ]|\b(yang|dan|tidak|berkas|kolom)\b/i.test(m[2])) return lang === 'en' ? `${m[2].charAt(0).toUpperCase()}${m[2].slice(1)}` : m[1];
  return message;
}

/** An engine error in the UI language: its code, reason and parameters first, known messages next, then one language of it. */
export function errorMessage(e: unknown, t: Translate, lang: Lang): string {
  const err: AppError | null = e && typeof e === 'object' && 'error' in e && (e as { error: unknown }).error && typeof (e as { error: AppError }).error === 'object'
    ? (e as { error: AppError }).error
    : e && typeof e === 'object' && 'code' in e && 'message' in e ? (e as AppError) : null;
  if (!err) return e instanceof Error ? e.message : String(e);
  if (err.code === 'no_workspace') return t('err.noWorkspace');
  if (err.code === 'busy') return t('err.busy');
  if (err.code === 'cancelled') return t('status.cancelled');
  if (err.code === 'unauthorized' || err.code === 'forbidden') return t('err.unauthorized');
  if (err.code === 'internal' && /^network:|Failed to fetch|NetworkError/i.test(err.message)) return t('err.network');
  // A reason code with parameters (src/shared/reasons.ts ERROR_REASONS) first: rendered in the UI language.
  const coded = renderErrorReason(err.details, lang);
  if (coded !== null) return coded;
  for (const r of RULES) {
    const m = err.message.match(r.re);
    if (m) return lang === 'en' ? r.en(m) : r.id(m);
  }
  if (err.code === 'unavailable' || err.code === 'unknown_call') return t('common.unavailable', { msg: oneLanguage(err.message, lang) });
  return oneLanguage(err.message, lang);
}
