import type { CheckDefinition } from '../../types';
import { readSql } from '../../types';

export const nameMismatch: CheckDefinition = {
  id: 'name_mismatch',
  family: 'identity',
  sourceTable: 'disbursements',
  title: { id: 'Nama tidak sesuai registri', en: 'Name does not match registry' },
  description: {
    id: 'Record tersalur yang kemiripan namanya dengan nama registri NIK-nya (baris registri pertama) < ambang (0,80); Jaro-Winkler atas nama huruf besar, aksen dilebur, selain A-Z dan spasi dibuang. Nama kosong (setelah normalisasi) di salah satu sisi tidak dinilai.',
    en: 'Paid records whose name similarity to the registry name of its NIK (registry first row) is < threshold (0.80); Jaro-Winkler on upper-cased, accent-folded names with non A-Z/space removed. A name empty after normalisation on either side is not judged.',
  },
  criteria: ['permensos-1-2019', 'permensos-3-2021'],
  parameters: [{
    name: 'max_similarity', type: 'number', min: 0, max: 1,
    default: (r) => r.thresholds.name_mismatch_similarity,
    description: { id: 'Di bawah kemiripan ini = tidak sesuai', en: 'Below this similarity = mismatch' },
  }],
  requires: [['disbursements'], ['registry']],
  outputColumns: [
    { name: 'registry_name', type: 'VARCHAR', description: 'registry name (first row of the NIK)' },
    { name: 'similarity', type: 'DOUBLE', description: 'Jaro-Winkler similarity of the normalised names' },
  ],
  sql: readSql(__dirname),
  amountColumn: 'amount',
  recipientsFigure: true,
  potentialLoss: false,
  extraSql: `WITH d AS (SELECT name, reg_name, count(*) AS n FROM chk_paid WHERE in_registry GROUP BY name, reg_name)
    SELECT coalesce(sum(n), 0) AS not_evaluated_records FROM d WHERE name_norm(name) = '' OR name_norm(reg_name) = ''`,
};
