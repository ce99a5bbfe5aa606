import type { CheckDefinition } from '../../types';
import { readSql } from '../../types';
import { FAMILY } from '../../families';

export const nameMismatch: CheckDefinition = {
  id: 'name_mismatch',
  family: FAMILY.identity,
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
  report: {
    objective: 'Memastikan penerima sesuai dengan identitas terdaftar.',
    kriteria: 'Permensos 1/2019 tentang Penyaluran Belanja Bantuan Sosial — penyaluran kepada penerima yang sah.',
    sebab: 'Perubahan atau kesalahan data identitas tanpa verifikasi.',
    rekomendasi: 'Memverifikasi identitas penerima dan memperbaiki data.',
  },
  // name_norm(x) = '' exactly when x has no letter A-Z after accent folding and upper-casing: one regex per distinct value.
  extraSql: `WITH v AS (SELECT name AS v FROM chk_paid WHERE in_registry UNION SELECT reg_name FROM chk_paid WHERE in_registry),
      e AS (SELECT v FROM v WHERE v IS NOT NULL AND NOT regexp_matches(upper(strip_accents(v)), '[A-Z]'))
    SELECT count(*) AS not_evaluated_records FROM chk_paid p
    WHERE p.in_registry AND (p.name IS NULL OR p.reg_name IS NULL OR p.name IN (SELECT v FROM e) OR p.reg_name IN (SELECT v FROM e))`,
};
