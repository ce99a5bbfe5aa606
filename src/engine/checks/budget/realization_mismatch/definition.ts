import type { CheckDefinition } from '../../types';
import { readSql } from '../../types';
import { FAMILY } from '../../families';

export const realizationMismatch: CheckDefinition = {
  id: 'realization_mismatch',
  family: FAMILY.budget,
  sourceTable: 'budget',
  title: { id: 'Realisasi anggaran tidak sesuai penyaluran', en: 'Budget realization differs from disbursements' },
  description: {
    id: 'Baris anggaran yang realisasinya berbeda lebih dari Rp1 dari jumlah nilai tersalur program yang sama, tahun tanggal salur = tahun baris, dan kode wilayah record diawali kode wilayah baris (keduanya tanpa titik/spasi). Baris tanpa wilayah atau tahun mencakup semua. Baris tanpa realisasi tidak dinilai. Figur jumlah = Σ |selisih|.',
    en: 'Budget lines whose realization differs by more than Rp 1 from the sum of paid amounts of the same programme, year(paid_date) = line year, and record region code starting with the line\'s region code (both without dots/spaces). A line without region or year matches all. Lines without realization are not judged. Figure amount = Σ |difference|.',
  },
  criteria: ['pmk-254-2015', 'uu-13-2011'],
  parameters: [{
    name: 'tolerance', type: 'number', min: 0,
    default: (r) => r.thresholds.realization_tolerance,
    description: { id: 'Toleransi selisih (Rp)', en: 'Tolerance (Rp)' },
  }],
  requires: [['budget'], ['disbursements']],
  outputColumns: [
    { name: 'year', type: 'INTEGER', description: 'budget year' },
    { name: 'region_code', type: 'VARCHAR', description: 'line region code without dots/spaces' },
    { name: 'allocation', type: 'DECIMAL(18,2)', description: 'allocation (pagu)' },
    { name: 'realization', type: 'DECIMAL(18,2)', description: 'realization' },
    { name: 'paid_sum', type: 'DECIMAL(18,2)', description: 'Σ paid amounts matched to the line' },
    { name: 'difference', type: 'DECIMAL(18,2)', description: 'realization − paid_sum' },
    { name: 'abs_difference', type: 'DECIMAL(18,2)', description: '|difference|' },
  ],
  sql: readSql(__dirname),
  amountColumn: 'abs_difference',
  recipientsFigure: false,
  potentialLoss: false,
  report: {
    objective: 'Memastikan realisasi anggaran didukung data penyaluran.',
    kriteria: 'PMK 254/2015 jo. 228/2016 — pertanggungjawaban belanja bansos.',
    sebab: 'Rekonsiliasi realisasi dan data penyaluran belum dilakukan.',
    rekomendasi: 'Melakukan rekonsiliasi dan menjelaskan selisih.',
  },
  extraSql: `SELECT (SELECT count(*) FROM budget) AS budget_lines, (SELECT count(*) FROM budget WHERE realization IS NULL) AS not_evaluated_lines`,
};
