import type { CheckDefinition } from '../../types';
import { readSql } from '../../types';
import { FAMILY } from '../../families';

export const notInRegistry: CheckDefinition = {
  id: 'not_in_registry',
  family: FAMILY.identity,
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
  report: {
    objective: 'Memastikan penerima bantuan berasal dari data terpadu.',
    kriteria: 'Permensos 3/2021 tentang Pengelolaan DTKS; Inpres 4/2025 (DTSEN) — penerima bansos bersumber dari data terpadu.',
    sebab: 'Penetapan penerima tidak menggunakan data terpadu yang mutakhir.',
    rekomendasi: 'Menetapkan penerima hanya dari DTKS/DTSEN dan menelusuri penyaluran di luar data terpadu.',
  },
};
