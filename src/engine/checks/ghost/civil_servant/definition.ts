import type { CheckDefinition } from '../../types';
import { readSql } from '../../types';
import { FAMILY } from '../../families';

export const civilServant: CheckDefinition = {
  id: 'civil_servant',
  family: FAMILY.ghost,
  sourceTable: 'disbursements',
  title: { id: 'Penerima berstatus ASN/TNI/Polri', en: 'Recipient is a civil servant' },
  description: {
    id: 'Record tersalur yang NIK-nya terdapat dalam data ASN/TNI/Polri. Dinilai hanya bila data pegawai dimuat.',
    en: 'Paid records whose NIK appears in the civil-servants (ASN/TNI/Polri) extract. Evaluated only when that extract was loaded.',
  },
  criteria: ['permensos-3-2021', 'permensos-1-2019'],
  parameters: [],
  requires: [['disbursements'], ['civil_servants']],
  outputColumns: [
    { name: 'agency', type: 'VARCHAR', description: 'agency (instansi/satker)' },
    { name: 'category', type: 'VARCHAR', description: 'ASN / TNI / Polri category' },
    { name: 'civil_servant_name', type: 'VARCHAR', description: 'name in the civil-servants extract' },
  ],
  sql: readSql(__dirname),
  amountColumn: 'amount',
  recipientsFigure: true,
  potentialLoss: true,
  report: {
    objective: 'Memastikan ASN/TNI/Polri tidak menerima bansos.',
    kriteria: 'Permensos 3/2021 — ASN/TNI/Polri tidak termasuk kriteria fakir miskin dan orang tidak mampu.',
    sebab: 'Data kepegawaian belum dipadankan dengan data penerima.',
    rekomendasi: 'Mengeluarkan penerima ASN/TNI/Polri dan menagih kembali bantuan yang diterima.',
  },
};
