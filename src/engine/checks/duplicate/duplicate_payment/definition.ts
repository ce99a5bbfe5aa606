import type { CheckDefinition } from '../../types';
import { readSql } from '../../types';
import { FAMILY } from '../../families';

export const duplicatePayment: CheckDefinition = {
  id: 'duplicate_payment',
  family: FAMILY.duplicate,
  sourceTable: 'disbursements',
  title: { id: 'Pembayaran ganda', en: 'Duplicate payment' },
  description: {
    id: 'Dalam setiap kelompok (NIK, program, kunci periode) record tersalur, setiap record setelah yang pertama (urut tanggal salur, kosong terakhir; lalu ID transaksi sebagai teks; lalu nomor baris). Kunci periode kosong (tanpa periode dan tanggal salur) membentuk satu kelompok.',
    en: 'In each (NIK, programme, period key) group of paid records, every record after the first (ordered by paid_date nulls last, then txn_id as text, then file row number). A NULL period key (no period and no paid_date) forms one group.',
  },
  criteria: ['permensos-1-2019', 'pmk-254-2015'],
  parameters: [],
  requires: [['disbursements']],
  outputColumns: [
    { name: 'payment_seq', type: 'BIGINT', description: 'position of the record in its group (2 = first duplicate)' },
    { name: 'group_size', type: 'BIGINT', description: 'records in the group' },
    { name: 'first_rec_id', type: 'BIGINT', description: 'rec_id of the group\'s first record' },
    { name: 'first_line', type: 'BIGINT', description: 'row number of the group\'s first record' },
    { name: 'first_txn_id', type: 'VARCHAR', description: 'txn_id of the first record' },
    { name: 'first_paid_date', type: 'DATE', description: 'paid_date of the first record' },
    { name: 'txn_id', type: 'VARCHAR', description: 'txn_id of this record' },
  ],
  sql: readSql(__dirname),
  amountColumn: 'amount',
  recipientsFigure: true,
  potentialLoss: true,
  report: {
    objective: 'Memastikan setiap penerima hanya menerima satu kali per program dan periode.',
    kriteria: 'Permensos 1/2019 tentang Penyaluran Belanja Bantuan Sosial — bantuan diberikan sesuai indeks dan periode yang ditetapkan.',
    sebab: 'Pengendalian atas penyaluran berulang pada sistem penyalur belum memadai.',
    rekomendasi: 'Menagih kembali kelebihan pembayaran dan menambah kontrol duplikasi pada sistem penyaluran.',
  },
};
