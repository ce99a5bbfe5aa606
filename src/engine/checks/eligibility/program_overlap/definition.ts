import type { CheckDefinition } from '../../types';
import { readSql } from '../../types';
import { FAMILY } from '../../families';

export const programOverlap: CheckDefinition = {
  id: 'program_overlap',
  family: FAMILY.eligibility,
  sourceTable: 'disbursements',
  title: { id: 'BLT Dana Desa untuk penerima PKH/BPNT', en: 'BLT Dana Desa to PKH/BPNT households' },
  description: {
    id: 'Record BLT_DD tersalur yang keluarganya (kunci keluarga) juga punya record PKH atau BPNT tersalur pada tahun tanggal salur yang sama (daftar larangan dari aturan program). Record tanpa tanggal salur tidak dapat dinilai.',
    en: 'Paid BLT_DD records whose household (household key) has a paid PKH or BPNT record in the same year of paid_date (forbidden-overlap list from the programme rules). Records without paid_date cannot be judged.',
  },
  criteria: ['pmk-dana-desa-blt', 'permensos-1-2019'],
  parameters: [],
  requires: [['disbursements']],
  outputColumns: [
    { name: 'household_key', type: 'VARCHAR', description: 'household key' },
    { name: 'other_programs', type: 'VARCHAR', description: 'overlapping programmes paid to the household that year' },
    { name: 'year', type: 'BIGINT', description: 'year of paid_date' },
  ],
  sql: readSql(__dirname),
  amountColumn: 'amount',
  recipientsFigure: true,
  potentialLoss: true,
  report: {
    objective: 'Memastikan BLT Dana Desa tidak tumpang tindih dengan PKH/BPNT.',
    kriteria: 'PMK tentang pengelolaan Dana Desa — BLT Desa bagi keluarga yang belum menerima PKH/BPNT.',
    sebab: 'Musyawarah desa tidak memadankan calon penerima dengan data PKH/BPNT.',
    rekomendasi: 'Menghentikan tumpang tindih dan memulihkan dana desa yang tidak tepat sasaran.',
  },
  extraSql: `SELECT count(*) AS not_evaluated_records FROM chk_paid p
    WHERE p.paid_date IS NULL AND p.program IN (SELECT program FROM chk_overlap)`,
};
