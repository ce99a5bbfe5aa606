/**
 * Canonical columns per input kind (DOMAIN.md "Input kinds and canonical columns"), their value types, the required
 * ones, and the header synonyms used to match source headers. Headers are compared after normalisation: upper-cased,
 * accents folded, every character other than A-Z/0-9 removed (so spaces, `_`, `-`, `.` are ignored).
 */
export type Kind = 'registry' | 'disbursements' | 'budget' | 'deaths' | 'civil_servants' | 'complaints' | 'flags' | 'other';
export const KINDS: Kind[] = ['registry', 'disbursements', 'budget', 'deaths', 'civil_servants', 'complaints', 'flags', 'other'];

/** How a canonical column's text is parsed (in SQL, see parse.sql). */
export type ValueType =
  | 'nik' | 'id' | 'text' | 'region' | 'date' | 'amount' | 'sex' | 'desil' | 'program' | 'status'
  | 'period' | 'year' | 'count' | 'list';

export interface ColumnSpec { name: string; type: ValueType; required?: boolean }

const S = {
  nik: ['NIK', 'NO_NIK', 'NIK_PENERIMA', 'NIK_KTP', 'NOMOR_INDUK_KEPENDUDUKAN', 'NOMOR_NIK', 'NIK_KPM', 'NIK_PM',
    'NIK_PENERIMA_MANFAAT', 'NIK_PENERIMA_BANTUAN', 'NIK_ANGGOTA', 'NIK_PEGAWAI', 'NIK_ASN', 'NIK_ALMARHUM',
    'NIK_MENINGGAL', 'NIK_JENAZAH', 'NIK_PELAPOR', 'NIK_PENGADU', 'NIK_PENDUDUK', 'NO_KTP', 'NOMOR_KTP', 'KTP',
    'NATIONAL_ID', 'NIK_ART', 'NIK_BENEFICIARY', 'NIK_KTP_PENERIMA'],
  kk: ['KK', 'NO_KK', 'NOKK', 'NOMOR_KK', 'NO_KARTU_KELUARGA', 'NOMOR_KARTU_KELUARGA', 'KARTU_KELUARGA', 'NKK',
    'NO_KK_PENERIMA', 'NOMOR_KK_PENERIMA', 'KK_PENERIMA', 'FAMILY_CARD'],
  name: ['NAMA', 'NAMA_PENERIMA', 'NAMA_LENGKAP', 'NAMA_KPM', 'NAME', 'NAMA_PM', 'NAMA_PENERIMA_MANFAAT',
    'NAMA_PENERIMA_BANTUAN', 'NAMA_PEGAWAI', 'NAMA_ASN', 'NAMA_ANGGOTA', 'NAMA_ALMARHUM', 'NAMA_PENDUDUK',
    'NAMA_PELAPOR', 'NAMA_PENGADU', 'FULL_NAME', 'NAMA_SESUAI_KTP', 'NAMA_ART', 'NAMA_JENAZAH', 'NAMA_MENINGGAL'],
  region_code: ['KODE_WILAYAH', 'KODE_DESA', 'KODE_KELURAHAN', 'KODE_KAB', 'KDWIL', 'REGION_CODE', 'KODE_DESA_KELURAHAN',
    'KODE_KEL', 'KODE_KABUPATEN', 'KODE_KAB_KOTA', 'KODE_KABKOTA', 'KODE_KECAMATAN', 'KODE_KEC', 'KODE_PROV',
    'KODE_PROVINSI', 'KODE_DAERAH', 'KD_DESA', 'KD_KEL', 'KD_KAB', 'KD_KEC', 'KD_WILAYAH', 'ID_WILAYAH',
    'KODE_WIL', 'WILAYAH_KODE', 'KODE_KEMENDAGRI', 'KODE_DESA_KEL', 'KODE_KELDES'],
  birth_date: ['TGL_LAHIR', 'TANGGAL_LAHIR', 'TGL_LHR', 'BIRTH_DATE', 'DATE_OF_BIRTH', 'DOB', 'TANGGALLAHIR'],
  sex: ['JENIS_KELAMIN', 'JK', 'SEX', 'GENDER', 'KELAMIN', 'L_P', 'JNS_KELAMIN', 'JENKEL'],
  desil: ['DESIL', 'DECILE', 'PERINGKAT_DESIL', 'DESIL_KESEJAHTERAAN', 'KATEGORI_DESIL', 'DESIL_NASIONAL', 'NILAI_DESIL'],
  death_date: ['TGL_MENINGGAL', 'TANGGAL_MENINGGAL', 'TGL_KEMATIAN', 'TANGGAL_KEMATIAN', 'DEATH_DATE', 'DATE_OF_DEATH',
    'TGL_WAFAT', 'TANGGAL_WAFAT', 'TGL_MATI', 'TANGGAL_MATI'],
  address: ['ALAMAT', 'ADDRESS', 'ALAMAT_LENGKAP', 'ALAMAT_DOMISILI', 'ALAMAT_RUMAH'],
  snapshot: ['PERIODE_DATA', 'SNAPSHOT', 'PERIODE_DTKS', 'VERSI_DATA', 'PERIODE_PEMUTAKHIRAN', 'BULAN_DATA', 'DATA_PERIODE'],
  program: ['PROGRAM', 'JENIS_BANSOS', 'NAMA_PROGRAM', 'PROGRAM_BANSOS', 'JENIS_BANTUAN', 'KODE_PROGRAM',
    'PROGRAM_BANTUAN', 'BANSOS', 'NAMA_BANSOS', 'JENIS_PROGRAM', 'NAMA_BANTUAN'],
  amount: ['NOMINAL', 'JUMLAH', 'NILAI', 'NILAI_BANTUAN', 'NOMINAL_BANTUAN', 'JUMLAH_BANTUAN', 'JUMLAH_SALUR',
    'NOMINAL_SALUR', 'NILAI_SALUR', 'AMOUNT', 'BESAR_BANTUAN', 'JUMLAH_DANA', 'NOMINAL_PENYALURAN', 'JUMLAH_UANG',
    'NILAI_RP', 'NOMINAL_RP', 'JUMLAH_RP', 'JUMLAH_DITERIMA', 'NILAI_TRANSAKSI', 'NOMINAL_TRANSAKSI', 'JUMLAH_PENYALURAN',
    'BESARAN', 'BESARAN_BANTUAN', 'NILAI_PENYALURAN'],
  period: ['PERIODE', 'TAHAP', 'BULAN', 'PERIODE_SALUR', 'PERIODE_PENYALURAN', 'BULAN_SALUR', 'TAHAP_SALUR', 'PERIOD',
    'BULAN_PENYALURAN', 'TAHAP_PENYALURAN', 'PERIODE_BANTUAN', 'ALOKASI_BULAN', 'BULAN_ALOKASI', 'PERIODE_ALOKASI'],
  paid_date: ['TGL_SALUR', 'TANGGAL_SALUR', 'TANGGAL_PENYALURAN', 'TGL_PENYALURAN', 'TANGGAL_TRANSAKSI', 'TGL_TRANSAKSI',
    'TANGGAL_BAYAR', 'TGL_BAYAR', 'PAID_DATE', 'PAYMENT_DATE', 'TANGGAL_PENCAIRAN', 'TGL_PENCAIRAN', 'TGL_CAIR',
    'TANGGAL_CAIR', 'TRANSACTION_DATE', 'TANGGAL_TERIMA', 'TGL_TERIMA', 'TANGGAL_PEMBAYARAN', 'TGL_PEMBAYARAN',
    'TGL_TRX', 'TANGGAL_TRX', 'TGL_SALUR_DANA'],
  channel: ['SALURAN', 'BANK', 'BANK_PENYALUR', 'CHANNEL', 'MEDIA_PENYALURAN', 'LEMBAGA_PENYALUR', 'PENYALUR',
    'KANAL_SALUR', 'JALUR_PENYALURAN', 'SALURAN_PENYALURAN', 'NAMA_BANK'],
  account: ['NO_REKENING', 'NOREK', 'NO_KKS', 'NOMOR_KARTU', 'NOMOR_REKENING', 'REKENING', 'ACCOUNT', 'ACCOUNT_NO',
    'NO_KARTU', 'NOMOR_KKS', 'KKS', 'NO_REK', 'ACCOUNT_NUMBER', 'NOMOR_REK'],
  status: ['STATUS', 'STATUS_SALUR', 'STATUS_PENYALURAN', 'STATUS_TRANSAKSI', 'STATUS_BAYAR', 'STATUS_PENCAIRAN',
    'KETERANGAN_SALUR', 'STATUS_DANA'],
  txn_id: ['ID_TRANSAKSI', 'NO_TRANSAKSI', 'TXN_ID', 'TRANSACTION_ID', 'NOMOR_TRANSAKSI', 'KODE_TRANSAKSI',
    'REF_TRANSAKSI', 'NO_REF', 'NO_REFERENSI', 'REF_NO', 'NOMOR_REFERENSI', 'ID_TRX', 'NO_TRX'],
  allocation: ['PAGU', 'ALOKASI', 'PAGU_ANGGARAN', 'ALOKASI_ANGGARAN', 'ANGGARAN', 'ALLOCATION', 'NILAI_PAGU',
    'ALOKASI_DANA', 'PAGU_DANA', 'JUMLAH_PAGU', 'JUMLAH_ALOKASI', 'NILAI_ALOKASI', 'PAGU_RP'],
  realization: ['REALISASI', 'REALISASI_ANGGARAN', 'REALIZATION', 'NILAI_REALISASI', 'REALISASI_PENYALURAN',
    'JUMLAH_REALISASI', 'REALISASI_DANA', 'REALISASI_RP'],
  fund_source: ['SUMBER_DANA', 'FUND_SOURCE', 'SUMBER_ANGGARAN', 'SUMBER', 'SUMBERDANA'],
  year: ['TAHUN', 'TAHUN_ANGGARAN', 'TA', 'YEAR', 'FISCAL_YEAR', 'THN', 'THN_ANGGARAN'],
  target_recipients: ['TARGET_KPM', 'JUMLAH_KPM', 'TARGET_PENERIMA', 'JUMLAH_PENERIMA', 'SASARAN_KPM', 'TARGET',
    'KUOTA', 'KUOTA_KPM', 'JML_KPM', 'SASARAN', 'JUMLAH_SASARAN', 'TARGET_RECIPIENTS'],
  agency: ['INSTANSI', 'SATKER', 'AGENCY', 'UNIT_KERJA', 'NAMA_INSTANSI', 'SATUAN_KERJA', 'OPD', 'INSTANSI_INDUK',
    'KESATUAN', 'UNOR'],
  category: ['KATEGORI', 'JENIS_PEGAWAI', 'CATEGORY', 'STATUS_PEGAWAI', 'KATEGORI_PEGAWAI', 'JENIS_ASN', 'KEDUDUKAN'],
  complaint_id: ['ID_PENGADUAN', 'NO_TIKET', 'ID_LAPORAN', 'NOMOR_TIKET', 'NO_PENGADUAN', 'TICKET_ID', 'ID_TIKET',
    'NOMOR_PENGADUAN', 'KODE_PENGADUAN', 'NO_LAPORAN', 'NOMOR_LAPORAN', 'COMPLAINT_ID', 'TRACKING_ID', 'ID'],
  received_date: ['TGL_PENGADUAN', 'TANGGAL_MASUK', 'TANGGAL_PENGADUAN', 'TGL_MASUK', 'TANGGAL_LAPORAN', 'TGL_LAPORAN',
    'RECEIVED_DATE', 'TANGGAL_DITERIMA', 'TGL_DITERIMA', 'TANGGAL', 'TGL', 'TANGGAL_LAPOR', 'TGL_LAPOR'],
  complaint_channel: ['SALURAN', 'KANAL', 'CHANNEL', 'SUMBER_PENGADUAN', 'MEDIA', 'MEDIA_PENGADUAN', 'KANAL_PENGADUAN',
    'SUMBER'],
  complaint_category: ['KATEGORI', 'CATEGORY', 'JENIS_PENGADUAN', 'TOPIK', 'KATEGORI_PENGADUAN', 'KLASIFIKASI'],
  complaint_status: ['STATUS', 'STATUS_PENGADUAN', 'STATUS_TINDAK_LANJUT', 'STATUS_LAPORAN'],
  resolved_date: ['TGL_SELESAI', 'TANGGAL_SELESAI', 'RESOLVED_DATE', 'TGL_PENYELESAIAN', 'TANGGAL_PENYELESAIAN',
    'TGL_TUTUP', 'TANGGAL_TUTUP'],
  text: ['ISI_PENGADUAN', 'URAIAN', 'ISI', 'ISI_LAPORAN', 'URAIAN_PENGADUAN', 'DESKRIPSI', 'TEXT', 'KETERANGAN',
    'PENGADUAN', 'ISI_ADUAN', 'PESAN'],
  // comparison lists (contract 2): the list a NIK is on, and a free note
  list: ['DAFTAR', 'NAMA_DAFTAR', 'SUMBER_DAFTAR', 'JENIS_DAFTAR', 'DAFTAR_PEMBANDING', 'NAMA_LIST', 'LIST', 'LIST_NAME',
    'SUMBER_DATA', 'JENIS_DATA', 'KATEGORI_DAFTAR'],
  note: ['KETERANGAN', 'CATATAN', 'NOTE', 'NOTES', 'KET', 'URAIAN', 'INFORMASI'],
};

type Col = [string, ValueType, string[], boolean?];
const common = (nikRequired: boolean): Col[] => [
  ['nik', 'nik', S.nik, nikRequired], ['kk', 'id', S.kk], ['name', 'text', S.name], ['region_code', 'region', S.region_code],
];

const defs: Record<Exclude<Kind, 'other'>, Col[]> = {
  registry: [...common(true), ['birth_date', 'date', S.birth_date], ['sex', 'sex', S.sex], ['desil', 'desil', S.desil],
    ['death_date', 'date', S.death_date], ['address', 'text', S.address], ['snapshot', 'text', S.snapshot]],
  disbursements: [...common(true), ['program', 'program', S.program, true], ['amount', 'amount', S.amount, true],
    ['period', 'period', S.period], ['paid_date', 'date', S.paid_date], ['channel', 'text', S.channel],
    ['account', 'id', S.account], ['status', 'status', S.status], ['txn_id', 'id', S.txn_id]],
  budget: [['program', 'program', S.program, true], ['allocation', 'amount', S.allocation, true],
    ['realization', 'amount', S.realization], ['fund_source', 'text', S.fund_source], ['year', 'year', S.year],
    ['period', 'text', S.period], ['region_code', 'region', S.region_code], ['target_recipients', 'count', S.target_recipients],
    ['kk', 'id', S.kk], ['name', 'text', S.name]],
  deaths: [['nik', 'nik', S.nik, true], ['death_date', 'date', S.death_date, true], ['kk', 'id', S.kk],
    ['name', 'text', S.name], ['region_code', 'region', S.region_code]],
  civil_servants: [['nik', 'nik', S.nik, true], ['name', 'text', S.name], ['agency', 'text', S.agency],
    ['category', 'text', S.category], ['kk', 'id', S.kk], ['region_code', 'region', S.region_code]],
  complaints: [['complaint_id', 'id', S.complaint_id], ['received_date', 'date', S.received_date, true],
    ['channel', 'text', S.complaint_channel], ['category', 'text', S.complaint_category],
    ['region_code', 'region', S.region_code], ['nik', 'nik', S.nik], ['status', 'text', S.complaint_status],
    ['resolved_date', 'date', S.resolved_date], ['text', 'text', S.text], ['kk', 'id', S.kk], ['name', 'text', S.name]],
  // `list` is required, but a file without a list column takes its list name at import (ImportOptions.list, default
  // the file name without extension): see buildMapping.
  flags: [['nik', 'nik', S.nik, true], ['list', 'list', S.list, true], ['name', 'text', S.name], ['note', 'text', S.note],
    ['kk', 'id', S.kk], ['region_code', 'region', S.region_code]],
};

/** DOMAIN.md: list names are trimmed, whitespace collapsed and upper-cased (the SQL side: tl_list_name in ingest). */
export function normListName(s: string): string {
  return String(s ?? '').trim().replace(/\s+/g, ' ').toUpperCase();
}

/** Normalises a header for matching: upper-case, accents folded, only A-Z and 0-9 kept. */
export function normHeader(h: string): string {
  return String(h ?? '').normalize('NFKD').replace(/[\u0300-\u036f]/g, '').toUpperCase().replace(/[^A-Z0-9]/g, '');
}

export interface KindSpec { kind: Kind; columns: (ColumnSpec & { synonyms: Set<string> })[] }

export const KIND_SPECS: Record<Exclude<Kind, 'other'>, KindSpec> = Object.fromEntries(
  Object.entries(defs).map(([kind, cols]) => [kind, {
    kind: kind as Kind,
    columns: cols.map(([name, type, syn, req]) => ({
      name, type, required: !!req, synonyms: new Set([name, ...syn].map(normHeader)),
    })),
  }]),
) as Record<Exclude<Kind, 'other'>, KindSpec>;

export function isKind(k: string): k is Kind {
  return (KINDS as string[]).includes(k);
}

/** The canonical column a header matches for a kind (exact synonym after normalisation, else with "(…)" removed). */
export function matchHeader(kind: Kind, header: string): string | undefined {
  if (kind === 'other') return undefined;
  const spec = KIND_SPECS[kind];
  const cands = [normHeader(header), normHeader(String(header ?? '').replace(/\(.*?\)|\[.*?\]/g, ''))];
  for (const c of cands) {
    if (!c) continue;
    for (const col of spec.columns) if (col.synonyms.has(c)) return col.name;
  }
  return undefined;
}

/** Number of distinct canonical columns a row of cells matches (used to find the header row under title rows). */
export function headerScore(kind: Kind, cells: string[]): number {
  const seen = new Set<string>();
  for (const c of cells) {
    const m = matchHeader(kind, c);
    if (m) seen.add(m);
  }
  return seen.size;
}

/** Guesses the kind of an extract from its headers: the kind whose required columns are all present and which
 *  matches the most kind-specific columns. Falls back to 'other'. */
export function detectKind(headers: string[]): Kind {
  return detectKindScores(headers)[0]?.kind ?? 'other';
}

export function detectKindScores(headers: string[]): { kind: Kind; score: number; matched: string[] }[] {
  const generic = new Set(['nik', 'kk', 'name', 'region_code']);
  const out: { kind: Kind; score: number; matched: string[] }[] = [];
  for (const spec of Object.values(KIND_SPECS)) {
    const matched = new Set<string>();
    for (const h of headers) { const m = matchHeader(spec.kind, h); if (m) matched.add(m); }
    if (!spec.columns.filter((c) => c.required).every((c) => matched.has(c.name))) continue;
    const specific = [...matched].filter((m) => !generic.has(m)).length;
    // specific columns dominate; then coverage of the kind's columns; registry wins bare NIK/NAMA lists
    const score = specific * 10 + (matched.size / spec.columns.length) * 5 + (spec.kind === 'registry' ? 0.5 : 0);
    out.push({ kind: spec.kind, score, matched: [...matched] });
  }
  return out.sort((a, b) => b.score - a.score);
}
