import type { CheckDefinition } from '../../types';
import { readSql } from '../../types';
import { FAMILY } from '../../families';

export const sharedAccount: CheckDefinition = {
  id: 'shared_account',
  family: FAMILY.duplicate,
  sourceTable: 'disbursements',
  title: { id: 'Rekening dipakai bersama', en: 'Shared account' },
  description: {
    id: 'Record tersalur yang nomor rekening/kartunya (tidak kosong, dipangkas) dipakai oleh dua NIK berbeda atau lebih di antara record tersalur. Figur "accounts" = jumlah rekening tersebut.',
    en: 'Paid records whose non-empty (trimmed) account is used by two or more distinct NIKs among paid records. Figure "accounts" = number of such accounts.',
  },
  criteria: ['permensos-1-2019', 'permensos-20-2019'],
  parameters: [],
  requires: [['disbursements']],
  outputColumns: [
    { name: 'account', type: 'VARCHAR', description: 'shared account / card number' },
    { name: 'nik_count', type: 'BIGINT', description: 'distinct NIKs paid through the account' },
  ],
  sql: readSql(__dirname),
  amountColumn: 'amount',
  recipientsFigure: true,
  potentialLoss: false,
  report: {
    objective: 'Mendeteksi rekening penampung yang menerima bantuan banyak penerima.',
    kriteria: 'Permensos 1/2019 tentang Penyaluran Belanja Bantuan Sosial — bantuan disalurkan langsung ke rekening penerima.',
    sebab: 'Pembukaan rekening kolektif tanpa pengendalian kepemilikan.',
    rekomendasi: 'Menelusuri pemilik rekening dan memastikan dana diterima penerima yang berhak.',
  },
  extraSql: 'SELECT count(DISTINCT account) AS accounts FROM exc_shared_account',
  summaryKeys: ['accounts'],
};
