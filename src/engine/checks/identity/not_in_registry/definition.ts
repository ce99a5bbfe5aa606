import type { CheckDefinition } from '../../types';
import { readSql } from '../../types';

export const notInRegistry: CheckDefinition = {
  id: 'not_in_registry',
  family: 'identity',
  sourceTable: 'disbursements',
  title: { id: 'Penerima di luar registri', en: 'Recipient not in registry' },
  description: {
    id: 'Record tersalur dengan NIK valid secara struktur yang tidak ada di registri (DTKS/DTSEN). NIK tidak valid tidak dihitung di sini (lihat nik_invalid).',
    en: 'Paid records with a structurally valid NIK that is absent from the registry (DTKS/DTSEN). Invalid NIKs are not counted here (see nik_invalid).',
  },
  criteria: ['permensos-3-2021', 'inpres-4-2025', 'uu-13-2011'],
  parameters: [],
  requires: [['disbursements'], ['registry']],
  outputColumns: [],
  sql: readSql(__dirname),
  amountColumn: 'amount',
  recipientsFigure: true,
  potentialLoss: true,
};
