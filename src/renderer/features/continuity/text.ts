// Texts of the continuity screens (issue 15), Indonesian first; kept here so the shared dictionaries stay untouched.
import { useI18n } from '../../i18n';

const ID = {
  tabFindings: 'Temuan', tabCompare: 'Perbandingan Periode', tabTlhp: 'Tindak Lanjut (TLHP)',
  previous: 'Penugasan sebelumnya (berkas .duckdb)', compare: 'Bandingkan', comparing: 'Membandingkan…',
  compareHint: 'Pengecualian dibandingkan per (prosedur, NIK, program). Penugasan sebelumnya dibuka hanya-baca.',
  check: 'Prosedur', new: 'Baru', persisting: 'Berulang', resolved: 'Selesai', keys: 'kunci', total: 'Jumlah',
  notEvaluatedBefore: 'tidak dievaluasi pada periode lalu', records: 'Catatan', drillOf: 'Catatan {status} — {check}', close: 'Tutup',
  tlhpHint: 'Status tindak lanjut setiap rekomendasi menurut empat kategori BPK; setiap perubahan masuk jejak audit.',
  carry: 'Bawa rekomendasi dari penugasan sebelumnya', carried: '{n} rekomendasi dibawa ({s} selesai tidak dibawa, {a} sudah ada).',
  recommendation: 'Rekomendasi', finding: 'Temuan', status: 'Status', action: 'Tindak lanjut entitas', evidence: 'Bukti', date: 'Tanggal',
  recovered: 'Nilai pemulihan (Rp)', judgedBy: 'Dinilai oleh', save: 'Simpan', saved: 'Tersimpan.', origin: 'Asal', value: 'Nilai temuan',
  s_sesuai: 'Sesuai dengan rekomendasi', s_belum_sesuai: 'Belum sesuai / dalam proses', s_belum_ditindaklanjuti: 'Belum ditindaklanjuti',
  s_tidak_dapat: 'Tidak dapat ditindaklanjuti (alasan sah)',
  recipeTitle: 'Resep audit', saveRecipe: 'Simpan resep', runRecipe: 'Jalankan resep', recipeOut: 'Simpan resep ke (berkas .json)',
  recipeIn: 'Berkas resep (.json)', recipeSaved: 'Resep disimpan: {path} ({n} input, {w} workbook).',
  recipeHint: 'Resep memuat pemetaan kolom, profil, aturan program, parameter, prosedur, tanggal peristiwa dan workbook — tanpa data dan tanpa lokasi berkas.',
  recipeApplied: 'Resep diterapkan: aturan program, profil dan tanggal peristiwa tersimpan. Wizard impor kini memakai pemetaan resep; impor berkas periode baru, lalu jalankan analisis resep.',
  recipeRunAnalysis: 'Jalankan analisis resep', recipeInputs: 'Input resep', recipeChecks: 'Prosedur', allChecks: 'semua prosedur',
  analysisStarted: 'Analisis dimulai (lihat bilah status).',
};
const EN: typeof ID = {
  tabFindings: 'Findings', tabCompare: 'Period comparison', tabTlhp: 'Follow-up (TLHP)',
  previous: 'Previous engagement (.duckdb file)', compare: 'Compare', comparing: 'Comparing…',
  compareHint: 'Exceptions are compared per (check, NIK, programme). The previous engagement is opened read-only.',
  check: 'Check', new: 'New', persisting: 'Persisting', resolved: 'Resolved', keys: 'keys', total: 'Total',
  notEvaluatedBefore: 'not evaluated in the previous period', records: 'Records', drillOf: '{status} records — {check}', close: 'Close',
  tlhpHint: 'Follow-up status of every recommendation in BPK\'s four categories; every change goes into the audit trail.',
  carry: 'Carry recommendations from a previous engagement', carried: '{n} recommendations carried ({s} closed not carried, {a} already present).',
  recommendation: 'Recommendation', finding: 'Finding', status: 'Status', action: 'Entity\'s action', evidence: 'Evidence', date: 'Date',
  recovered: 'Recovered (Rp)', judgedBy: 'Judged by', save: 'Save', saved: 'Saved.', origin: 'Origin', value: 'Finding value',
  s_sesuai: 'In line with the recommendation', s_belum_sesuai: 'Not yet in line / in progress', s_belum_ditindaklanjuti: 'Not yet followed up',
  s_tidak_dapat: 'Cannot be followed up (valid reason)',
  recipeTitle: 'Audit recipe', saveRecipe: 'Save recipe', runRecipe: 'Run recipe', recipeOut: 'Save the recipe to (.json file)',
  recipeIn: 'Recipe file (.json)', recipeSaved: 'Recipe saved: {path} ({n} inputs, {w} workbooks).',
  recipeHint: 'A recipe holds column mappings, profiles, programme rules, parameters, checks, event dates and workbooks — no data, no file locations.',
  recipeApplied: 'Recipe applied: programme rules, profiles and event dates stored. The import wizard now takes the recipe\'s mappings; import next period\'s files, then run the recipe\'s analysis.',
  recipeRunAnalysis: 'Run the recipe\'s analysis', recipeInputs: 'Recipe inputs', recipeChecks: 'Checks', allChecks: 'all checks',
  analysisStarted: 'Analysis started (see the status bar).',
};
export type TextKey = keyof typeof ID;

export function useText() {
  const { lang } = useI18n();
  const d = lang === 'en' ? EN : ID;
  return (k: TextKey, p?: Record<string, string | number>) => d[k].replace(/\{(\w+)\}/g, (m, n: string) => (p && n in p ? String(p[n]) : m));
}
