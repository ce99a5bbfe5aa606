import type { CheckDefinition } from '../../types';
import { readSql } from '../../types';
import { FAMILY } from '../../families';

export const nikAttributeMismatch: CheckDefinition = {
  id: 'nik_attribute_mismatch',
  family: FAMILY.registry,
  sourceTable: 'registry',
  title: { id: 'Tanggal lahir / jenis kelamin tidak sesuai NIK', en: 'Birth date / sex contradicts NIK' },
  description: {
    id: 'Baris registri dengan NIK valid yang tanggal lahir tersandi (DD — perempuan +40 —, MM, YY) atau jenis kelaminnya bertentangan dengan kolom tanggal lahir / jenis kelamin. Nilai kosong atau tidak dikenal tidak dibandingkan.',
    en: 'Registry rows with a valid NIK whose encoded birth date (DD — women +40 —, MM, YY) or sex contradicts the birth_date / sex columns. Empty or unrecognised values are not compared.',
  },
  criteria: ['uu-24-2013-adminduk', 'permensos-3-2021'],
  parameters: [],
  requires: [['registry']],
  outputColumns: [
    { name: 'mismatch', type: 'VARCHAR', description: 'birth_date | sex | birth_date+sex' },
    { name: 'birth_date', type: 'DATE', description: 'registry birth date' },
    { name: 'sex', type: 'VARCHAR', description: 'registry sex' },
    { name: 'nik_day', type: 'INTEGER', description: 'day encoded in the NIK (minus 40 for women)' },
    { name: 'nik_month', type: 'INTEGER', description: 'month encoded in the NIK' },
    { name: 'nik_yy', type: 'INTEGER', description: 'two-digit year encoded in the NIK' },
    { name: 'nik_sex', type: 'VARCHAR', description: 'sex encoded in the NIK (L/P)' },
  ],
  sql: readSql(__dirname),
  amountColumn: null,
  recipientsFigure: false,
  potentialLoss: false,
  report: {
    objective: 'Menilai konsistensi atribut registri dengan NIK.',
    kriteria: 'UU 24/2013 Administrasi Kependudukan; Permensos 3/2021.',
    sebab: 'Kesalahan entri data atau NIK yang tidak padan.',
    rekomendasi: 'Memadankan ulang data registri dengan Dukcapil.',
  },
};
