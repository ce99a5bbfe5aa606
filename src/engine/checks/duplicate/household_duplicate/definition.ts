import type { CheckDefinition } from '../../types';
import { readSql } from '../../types';
import { FAMILY } from '../../families';

export const householdDuplicate: CheckDefinition = {
  id: 'household_duplicate',
  family: FAMILY.duplicate,
  sourceTable: 'disbursements',
  title: { id: 'Lebih dari satu penerima per keluarga', en: 'Several recipients in one household' },
  description: {
    id: 'Program berbasis keluarga (aturan unit household): dalam setiap kelompok (kunci keluarga, program, periode) record tersalur, setiap record yang NIK-nya berbeda dari NIK record pertama kelompok. Kunci keluarga: KK record (dipangkas, tidak kosong) — menang walau registri berbeda —, kalau kosong KK registri NIK tsb. (baris registri pertama), kalau tidak ada "NIK:"+NIK. Program tanpa aturan bukan program keluarga.',
    en: 'Household programmes (rule unit household): in each (household key, programme, period key) group of paid records, every record whose NIK differs from the group\'s first record\'s NIK. Household key: the record\'s own trimmed non-empty kk (wins over the registry), else the registry kk of its NIK (registry first row), else "NIK:"+nik. Programmes without a rule are not household programmes.',
  },
  criteria: ['permensos-1-2018', 'permensos-20-2019', 'permensos-1-2019'],
  parameters: [],
  requires: [['disbursements']],
  outputColumns: [
    { name: 'household_key', type: 'VARCHAR', description: 'household key of the group' },
    { name: 'other_nik', type: 'VARCHAR', description: 'NIK of the group\'s first record' },
    { name: 'first_rec_id', type: 'BIGINT', description: 'rec_id of the group\'s first record' },
    { name: 'first_line', type: 'BIGINT', description: 'row number of the group\'s first record' },
  ],
  sql: readSql(__dirname),
  amountColumn: 'amount',
  recipientsFigure: true,
  potentialLoss: true,
  report: {
    objective: 'Memastikan bantuan berbasis keluarga diterima satu kali per keluarga.',
    kriteria: 'Permensos 1/2018 (PKH); Permensos 20/2019 (BPNT) — sasaran adalah keluarga.',
    sebab: 'Data KK penerima tidak digunakan sebagai kunci penyaluran.',
    rekomendasi: 'Menetapkan satu penerima per keluarga dan menagih kembali kelebihan bantuan.',
  },
};
