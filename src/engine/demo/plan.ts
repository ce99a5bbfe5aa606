/** What the demo generator plants, at which rates, into which files: the plan shared by its modules. */
import type { District } from './regions';

// ---------------------------------------------------------------------------------------------------------------
export interface Person {
  nik: string; // as in the registry (canonical)
  name: string;
  birth: number;
  female: boolean;
  rel: 'KEPALA KELUARGA' | 'ISTRI' | 'ANAK' | 'ORANG TUA' | 'FAMILI LAIN';
  distIdx: number;
}

export interface Household {
  idx: number;
  kk: string;
  district: District;
  distIdx: number;
  village: { code: string; name: string };
  desil: number | null;
  members: Person[];
  address: string;
  account: string;
  bank: string;
}

/** Anomalies the generator plants (names used in truth.planted). */
export const PLANTS = [
  'nik_invalid', 'nik_sci_notation', 'nik_apostrophe', 'registry_invalid_nik', 'not_in_registry', 'deceased',
  'deceased_on_death_date', 'deceased_two_dates', 'deceased_registry_date', 'deceased_no_paid_date',
  'duplicate_payment', 'household_duplicate', 'civil_servant', 'ineligible_desil', 'program_overlap',
  'shared_account', 'identity_duplicate', 'name_mismatch', 'undistributed', 'overpayment', 'underpayment',
  'registry_duplicate_nik', 'nik_attribute_mismatch', 'rejected_row', 'xlsx_numeric_nik', 'name_missing',
  // contract 2
  'bpnt_stage', 'bltdd_stage', 'stage_overpayment', 'stage_underpayment', 'period_not_evaluated', 'registry_later_only',
  'registry_duplicate_later', 'graduated', 'graduated_exit_enforced', 'fell_in', 'undated_payment', 'no_region',
  'flagged_recipient', 'flag_multi_list', 'flag_rejected',
] as const;
export type Plant = (typeof PLANTS)[number];

/** Per-household rates (expected number per household) of the planted anomalies. */
export const RATES: Partial<Record<Plant, number>> = {
  nik_invalid: 0.004,
  nik_sci_notation: 0.0005,
  nik_apostrophe: 0.002,
  registry_invalid_nik: 0.003,
  not_in_registry: 0.006,
  deceased: 0.003,
  deceased_on_death_date: 0.0005,
  deceased_two_dates: 0.0005,
  deceased_registry_date: 0.0005,
  deceased_no_paid_date: 0.0005,
  duplicate_payment: 0.005,
  household_duplicate: 0.004,
  civil_servant: 0.003,
  program_overlap: 0.005,
  shared_account: 0.003,
  identity_duplicate: 0.003,
  name_mismatch: 0.004,
  overpayment: 0.003,
  underpayment: 0.003,
  registry_duplicate_nik: 0.004,
  nik_attribute_mismatch: 0.004,
  rejected_row: 0.0005,
  xlsx_numeric_nik: 0.0005,
  name_missing: 0.001,
  // contract 2 (tens of cases at the default 2,000 households)
  stage_overpayment: 0.012,
  stage_underpayment: 0.012,
  period_not_evaluated: 0.02,
  registry_later_only: 0.02,
  registry_duplicate_later: 0.02,
  flagged_recipient: 0.03,
  flag_multi_list: 0.012,
};
/** Graduation and fall-in rates by the earlier snapshot's desil (≤ 4 graduates, > 4 falls in). */
export const GRADUATE_RATE = 0.07;
export const FALL_IN_RATE = 0.05;
/** Share of households present in the later registry snapshot (the quarterly update re-verified them). */
export const LATER_PRESENT = 0.75;

/**
 * Registry snapshots (DOMAIN.md "Registry snapshot"): label pairs in the documented forms, picked by seed. Text order
 * differs from date order in most pairs. Effective dates are the generator's intent; truth.ts parses the labels itself.
 */
export const SNAPSHOT_PAIRS: { early: string; late: string; earlyDate: [number, number, number]; lateDate: [number, number, number] }[] = [
  { early: 'Januari 2025', late: '2025-04', earlyDate: [2025, 1, 1], lateDate: [2025, 4, 1] },
  { early: 'TRIWULAN I 2025', late: 'April 2025', earlyDate: [2025, 1, 1], lateDate: [2025, 4, 1] },
  { early: 'TW 1 2025', late: '2025-Q2', earlyDate: [2025, 1, 1], lateDate: [2025, 4, 1] },
  { early: '2025-01', late: 'TRIWULAN II 2025', earlyDate: [2025, 1, 1], lateDate: [2025, 4, 1] },
  { early: '01/2025', late: 'TW 2 2025', earlyDate: [2025, 1, 1], lateDate: [2025, 4, 1] },
  { early: 'SEMESTER 1 2025', late: 'TRIWULAN 2 2025', earlyDate: [2025, 1, 1], lateDate: [2025, 4, 1] },
  { early: '31/12/2024', late: '2025-03-31', earlyDate: [2024, 12, 31], lateDate: [2025, 3, 31] },
];
export const snapshotPairFor = (seed: number): (typeof SNAPSHOT_PAIRS)[number] =>
  SNAPSHOT_PAIRS[Math.abs(seed * 3 + (seed >> 2)) % SNAPSHOT_PAIRS.length];
/** Plants that need a BPNT recipient in the household. */
export const NEEDS_BPNT = new Set<Plant>([
  'nik_invalid', 'nik_sci_notation', 'nik_apostrophe', 'registry_invalid_nik', 'deceased', 'deceased_on_death_date',
  'deceased_two_dates', 'deceased_registry_date', 'deceased_no_paid_date', 'duplicate_payment', 'household_duplicate',
  'shared_account', 'identity_duplicate', 'name_mismatch', 'overpayment', 'underpayment', 'rejected_row', 'name_missing',
]);

export const BANKS: { code: string; len: number; prefix: string }[] = [
  { code: 'BNI', len: 10, prefix: '0' },
  { code: 'BRI', len: 15, prefix: '3' },
  { code: 'MANDIRI', len: 13, prefix: '1' },
  { code: 'BSI', len: 10, prefix: '7' },
];

export const DESIL_WEIGHTS = [16, 15, 13, 12, 10, 9, 8, 7, 5, 3]; // desil 1..10
export const SIZE_WEIGHTS = [10, 15, 25, 25, 15, 10]; // household size 1..6

export const FILES = {
  registry: 'dtsen_registry_2025.csv',
  bpnt: 'penyaluran_bpnt_2025.csv',
  pkh: 'penyaluran_pkh_2025.csv',
  bltdd: 'penyaluran_blt_dd_2025.tsv',
  blt: 'penyaluran_blt_2025.csv',
  pip: 'penyaluran_pip_2025.xlsx',
  pipMore: 'penyaluran_pip_2025_lanjutan.csv',
  deaths: 'kematian_dukcapil_2025.csv',
  civil: 'data_asn_tni_polri.csv',
  budget: 'anggaran_bansos.csv',
  complaints: 'pengaduan_bansos_2025.csv',
  // comparison lists (kind flags); the village-officials file has no list column: its list is its file name
  flagsWage: 'bpjstk_pekerja_upah_di_atas_umr_2025.csv',
  flagsVehicle: 'samsat_pemilik_kendaraan_2025.csv',
  flagsOfficial: 'daftar perangkat desa.csv',
};

/** List names as DOMAIN.md normalises them (trim, collapse whitespace, upper-case). */
export const normList = (s: string): string => s.trim().replace(/\s+/g, ' ').toUpperCase();
export const LIST_WAGE = ['PEKERJA UPAH DI ATAS UMR', 'PEKERJA UPAH DI ATAS UMR', 'PEKERJA UPAH DI ATAS UMR', 'pekerja upah di atas umr', ' PEKERJA  UPAH DI ATAS UMR ', 'Pekerja Upah Di Atas UMR'];
export const LIST_VEHICLE = ['PEMILIK KENDARAAN RODA 4', 'PEMILIK KENDARAAN RODA 4', 'Pemilik Kendaraan  Roda 4', 'pemilik kendaraan roda 4 '];
/** 2025 UMK (minimum wage) per kabupaten, rupiah (approximate). */
export const UMK: Record<string, number> = { '32.01': 4_877_211, '32.02': 3_604_482, '32.03': 3_330_123, '32.04': 3_757_284 };
export const PLATE: Record<string, string> = { '32.01': 'F', '32.02': 'F', '32.03': 'F', '32.04': 'D' };
/** The officials' file has no list column: its list is the file name without extension, normalised. */
export const OFFICIAL_LIST = normList(FILES.flagsOfficial.replace(/\.[^.]+$/, ''));

export const DISB_HEADER = [
  'NIK', 'NO_KK', 'NAMA_PENERIMA', 'KODE_WILAYAH', 'JENIS_BANSOS', 'NOMINAL', 'PERIODE', 'TGL_SALUR',
  'BANK_PENYALUR', 'NO_REKENING', 'STATUS_SALUR', 'ID_TRANSAKSI',
];

/** Raw + canonical description of one disbursement record, before formatting. */
export interface Disb {
  nikRaw: string;
  nik: string; // canonical (after ingestion normalisation)
  kk: string;
  name: string;
  village: string; // dotted code
  programRaw: string;
  program: string;
  rp: number; // amount in rupiah (integer)
  periodRaw: string;
  pkey: string;
  paid: number | null; // day
  channel: string;
  account: string;
  statusRaw: string;
  status: string;
  txn: string;
}
