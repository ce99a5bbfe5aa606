import type { CheckDefinition } from '../../types';
import { readSql } from '../../types';
import { FAMILY } from '../../families';

export const deceased: CheckDefinition = {
  id: 'deceased',
  family: FAMILY.ghost,
  sourceTable: 'disbursements',
  title: { id: 'Penerima telah meninggal', en: 'Paid after death' },
  description: {
    id: 'Record tersalur dengan tanggal salur SETELAH tanggal meninggal NIK (tanggal paling awal dari data kematian Dukcapil dan tanggal meninggal di registri). Penyaluran pada hari kematian tidak ditandai; record tanpa tanggal salur tidak dapat dinilai dan dihitung terpisah. Dinilai bila data kematian atau tanggal meninggal registri tersedia.',
    en: 'Paid records whose paid_date is strictly AFTER the NIK\'s death date (earliest of the Dukcapil deaths extract and the registry death_date). A payment on the death date is not flagged; records without paid_date cannot be judged and are counted separately. Evaluated when a deaths extract or registry death dates were supplied.',
  },
  criteria: ['permensos-1-2019', 'permensos-3-2021', 'uu-24-2013-adminduk'],
  parameters: [],
  requires: [['disbursements'], ['deaths', 'registry.death_date']],
  outputColumns: [
    { name: 'death_date', type: 'DATE', description: 'earliest known death date of the NIK' },
    { name: 'days_after_death', type: 'BIGINT', description: 'days from death to payment' },
  ],
  sql: readSql(__dirname),
  amountColumn: 'amount',
  recipientsFigure: true,
  potentialLoss: true,
  report: {
    objective: 'Memastikan tidak ada penyaluran setelah penerima meninggal dunia.',
    kriteria: 'Permensos 1/2019 tentang Penyaluran Belanja Bantuan Sosial; Permensos 3/2021 — penerima yang meninggal harus dikeluarkan dari data.',
    sebab: 'Pemutakhiran data kematian dari Dukcapil belum dilakukan sebelum penyaluran.',
    rekomendasi: 'Menarik kembali dana yang disalurkan setelah kematian dan memutakhirkan data secara berkala.',
  },
  extraSql: `SELECT count(*) AS not_evaluated_records, coalesce(sum(p.amount), 0)::DOUBLE AS not_evaluated_amount
    FROM chk_paid p JOIN chk_death x ON x.nik = p.nik WHERE p.paid_date IS NULL`,
};
