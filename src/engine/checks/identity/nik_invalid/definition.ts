import type { CheckDefinition } from '../../types';
import { readSql } from '../../types';
import { FAMILY } from '../../families';

export const nikInvalid: CheckDefinition = {
  id: 'nik_invalid',
  family: FAMILY.identity,
  sourceTable: 'disbursements',
  title: { id: 'NIK tidak valid', en: 'Structurally invalid NIK' },
  description: {
    id: 'Record tersalur (status PAID) yang NIK-nya tidak valid secara struktur: bukan 16 digit, kode provinsi bukan salah satu dari 38 kode, tanggal (DD; perempuan +40) / bulan tidak ada (29 Feb hanya bila tahun 19YY atau 20YY kabisat), atau nomor urut 0000. NIK rusak oleh spreadsheet (notasi ilmiah) dihitung tidak valid dan ditandai.',
    en: 'Paid records (status PAID) whose NIK is structurally invalid: not 16 digits, province not one of the 38 current codes, day (women +40) / month impossible (29 Feb only when 19YY or 20YY is a leap year), or serial 0000. NIKs damaged by a spreadsheet (scientific notation) count as invalid and are flagged.',
  },
  criteria: ['uu-24-2013-adminduk', 'permensos-3-2021', 'permensos-1-2019'],
  parameters: [],
  requires: [['disbursements']],
  outputColumns: [
    { name: 'invalid_rule', type: 'VARCHAR', description: 'first failing rule: length|province|day|month|date|serial' },
    { name: 'nik_damaged', type: 'BOOLEAN', description: 'NIK damaged by a spreadsheet (scientific notation / numeric cell)' },
  ],
  sql: readSql(__dirname),
  amountColumn: 'amount',
  recipientsFigure: true,
  potentialLoss: true,
  report: {
    objective: 'Memastikan bantuan hanya disalurkan kepada penerima dengan NIK yang sah.',
    kriteria: 'UU 13/2011 Pasal 11; Permensos 1/2019 tentang Penyaluran Belanja Bantuan Sosial; Permensos 3/2021 (DTKS) — data penerima harus padan dengan NIK Dukcapil.',
    sebab: 'Verifikasi dan validasi data penerima belum padan dengan data kependudukan.',
    rekomendasi: 'Memerintahkan verifikasi ulang NIK penerima dan menghentikan penyaluran kepada NIK yang tidak valid.',
  },
};
