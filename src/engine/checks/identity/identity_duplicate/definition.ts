import type { CheckDefinition } from '../../types';
import { readSql } from '../../types';
import { FAMILY } from '../../families';

export const identityDuplicate: CheckDefinition = {
  id: 'identity_duplicate',
  family: FAMILY.identity,
  sourceTable: 'disbursements',
  title: { id: 'Identitas ganda (NIK berbeda, orang sama)', en: 'Duplicate identity (different NIKs, same person)' },
  description: {
    id: 'Pasangan = dua NIK berbeda yang sama-sama tersalur di program P, dengan tanggal lahir registri sama persis dan kemiripan nama registri (Jaro-Winkler atas nama ternormalisasi, baris registri pertama) >= ambang (0,92). Pengecualian = record tersalur di P dari setiap NIK pasangan yang terbentuk di P. Figur "pairs" = pasangan NIK tak berurutan yang berbeda, dihitung sekali lintas program. NIK tanpa tanggal lahir atau nama registri tidak membentuk pasangan.',
    en: 'A pair = two distinct NIKs both paid in programme P with exactly the same registry birth date and registry-name similarity (Jaro-Winkler on normalised names, registry first row) >= threshold (0.92). Exceptions = paid records in P of each NIK of a pair formed in P. Figure "pairs" = distinct unordered NIK pairs, counted once across programmes. NIKs without a registry birth date or name form no pair.',
  },
  criteria: ['permensos-3-2021', 'uu-24-2013-adminduk', 'permensos-1-2019'],
  parameters: [{
    name: 'min_similarity', type: 'number', min: 0, max: 1,
    default: (r) => r.thresholds.identity_similarity,
    description: { id: 'Kemiripan nama minimum', en: 'Minimum name similarity' },
  }],
  requires: [['disbursements'], ['registry']],
  outputColumns: [
    { name: 'registry_name', type: 'VARCHAR', description: 'registry name of the NIK (first row)' },
    { name: 'birth_date', type: 'DATE', description: 'registry birth date shared by the pair' },
    { name: 'similarity', type: 'DOUBLE', description: 'highest similarity to a paired NIK' },
    { name: 'other_nik', type: 'VARCHAR', description: 'paired NIK(s), comma separated' },
    { name: 'other_niks', type: 'VARCHAR[]', description: 'paired NIK(s) as a list' },
  ],
  sql: readSql(__dirname),
  amountColumn: 'amount',
  recipientsFigure: true,
  potentialLoss: false,
  report: {
    objective: 'Mendeteksi satu orang yang menerima bantuan dengan beberapa NIK.',
    kriteria: 'Permensos 3/2021 — satu orang satu NIK dalam DTKS.',
    sebab: 'Data registri memuat identitas ganda yang belum dibersihkan.',
    rekomendasi: 'Memverifikasi pasangan identitas di lapangan dan menghapus duplikasi.',
  },
  extraSql: `WITH e AS (SELECT DISTINCT program, nik, unnest(other_niks) AS o FROM exc_identity_duplicate),
    u AS (SELECT DISTINCT program, least(nik, o) AS a, greatest(nik, o) AS b FROM e)
    SELECT (SELECT count(*) FROM (SELECT DISTINCT a, b FROM u)) AS pairs,
           (SELECT coalesce(json_group_object(program, n), '{}'::JSON) FROM (SELECT program, count(*) AS n FROM u GROUP BY program ORDER BY program)) AS pairs_by_program`,
  summaryKeys: ['pairs'],
};
