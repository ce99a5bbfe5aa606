import type { CheckDefinition } from '../../types';
import { readSql } from '../../types';
import { FAMILY } from '../../families';

export const registryDuplicateNik: CheckDefinition = {
  id: 'registry_duplicate_nik',
  family: FAMILY.registry,
  sourceTable: 'registry',
  title: { id: 'NIK ganda di registri', en: 'Duplicate NIK in registry' },
  description: {
    id: 'Baris registri setelah baris pertama dari setiap NIK yang berulang dalam snapshot yang sama (PERIODE_DATA; NIK yang muncul di dua snapshot bukan ganda). Urutan berkas: impor, lalu nomor baris.',
    en: 'Registry rows after the first of each NIK repeated within the same snapshot (PERIODE_DATA; a NIK present in two snapshots is not a duplicate). File order: import, then row number.',
  },
  criteria: ['permensos-3-2021', 'inpres-4-2025'],
  parameters: [],
  requires: [['registry']],
  outputColumns: [
    { name: 'kk', type: 'VARCHAR', description: 'kk of this row' },
    { name: 'birth_date', type: 'DATE', description: 'birth date of this row' },
    { name: 'desil', type: 'INTEGER', description: 'desil of this row' },
    { name: 'region_code', type: 'VARCHAR', description: 'region of this row' },
    { name: 'occurrence', type: 'BIGINT', description: 'occurrence number (2 = first repeat)' },
    { name: 'nik_rows', type: 'BIGINT', description: 'registry rows with this NIK' },
    { name: 'first_rec_id', type: 'BIGINT', description: 'rec_id of the first row' },
    { name: 'first_line', type: 'BIGINT', description: 'row number of the first row' },
    { name: 'first_kk', type: 'VARCHAR', description: 'kk of the first row' },
    { name: 'first_name', type: 'VARCHAR', description: 'name of the first row' },
    { name: 'snapshot', type: 'VARCHAR', description: 'registry snapshot (PERIODE_DATA) of this row' },
  ],
  sql: readSql(__dirname),
  amountColumn: null,
  recipientsFigure: false,
  potentialLoss: false,
  report: {
    objective: 'Menilai kualitas data registri.',
    kriteria: 'Permensos 3/2021 — satu NIK satu baris individu.',
    sebab: 'Pemutakhiran data tanpa deduplikasi.',
    rekomendasi: 'Membersihkan duplikasi NIK pada registri.',
  },
};
