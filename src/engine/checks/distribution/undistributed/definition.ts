import type { CheckDefinition } from '../../types';
import { readSql } from '../../types';
import { FAMILY } from '../../families';

export const undistributed: CheckDefinition = {
  id: 'undistributed',
  family: FAMILY.distribution,
  sourceTable: 'disbursements',
  title: { id: 'Dana tidak tersalur', en: 'Undistributed funds' },
  description: {
    id: 'Baris penyaluran berstatus FAILED (gagal) atau RETURNED (retur). Status lain yang tidak dikenal bukan tersalur dan bukan tidak tersalur. Umur (hari) dihitung dari tanggal salur ke tanggal acuan (default: tanggal salur terakhir dalam data).',
    en: 'Disbursement rows with status FAILED or RETURNED. Unknown statuses are neither paid nor undistributed. Age in days from paid_date to the as-of date (default: the latest paid_date in the data).',
  },
  criteria: ['permensos-1-2019', 'pmk-254-2015'],
  parameters: [{
    name: 'as_of', type: 'date', default: '',
    description: { id: 'Tanggal acuan umur (kosong = tanggal salur terakhir)', en: 'Age reference date (empty = latest paid_date)' },
  }],
  requires: [['disbursements']],
  outputColumns: [
    { name: 'status', type: 'VARCHAR', description: 'FAILED or RETURNED' },
    { name: 'status_raw', type: 'VARCHAR', description: 'status as given' },
    { name: 'channel', type: 'VARCHAR', description: 'channel / bank' },
    { name: 'account', type: 'VARCHAR', description: 'account / card' },
    { name: 'age_days', type: 'BIGINT', description: 'days from paid_date to the as-of date' },
  ],
  sql: readSql(__dirname),
  amountColumn: 'amount',
  recipientsFigure: true,
  potentialLoss: false,
  report: {
    objective: 'Mengetahui dana yang belum sampai kepada penerima.',
    kriteria: 'PMK 254/2015 jo. 228/2016 — dana yang tidak tersalur wajib disetor kembali ke kas negara.',
    sebab: 'Data rekening/penerima tidak mutakhir; penyetoran kembali belum tuntas.',
    rekomendasi: 'Menyetorkan dana gagal salur ke kas negara dan menindaklanjuti penerima.',
  },
};
