import type { CheckDefinition } from '../../types';
import { readSql } from '../../types';
import { FAMILY } from '../../families';

export const flaggedRecipient: CheckDefinition = {
  id: 'flagged_recipient',
  family: FAMILY.eligibility,
  sourceTable: 'disbursements',
  title: { id: 'Penerima pada daftar pembanding', en: 'Recipients on comparison lists' },
  description: {
    id: 'Record tersalur yang NIK-nya ada pada daftar pembanding (jenis data flags: pekerja berupah di atas UMR, pemilik kendaraan, perangkat desa, pemilik perusahaan …) — metode BPK mencocokkan penerima dengan data pemerintah lain. Nama daftar dinormalkan (dipangkas, spasi dirapatkan, huruf besar). Figur per daftar dan jumlah penerima yang ada di dua daftar atau lebih. Bukan bagian potensi kerugian negara.',
    en: 'Paid records whose NIK is on a comparison list (kind flags: wage earners above the minimum wage, vehicle owners, village officials, company owners …) — BPK\'s method of matching recipients against other government data. List names are normalised (trimmed, whitespace collapsed, upper-cased). Figures per list and the recipients on two or more lists. Not part of the potential-loss union.',
  },
  criteria: ['uu-13-2011', 'permensos-3-2021', 'inpres-4-2025'],
  parameters: [],
  requires: [['disbursements'], ['flags']],
  outputColumns: [
    { name: 'lists', type: 'VARCHAR', description: 'comparison lists the NIK is on (separated by "; ")' },
    { name: 'n_lists', type: 'BIGINT', description: 'number of lists the NIK is on' },
  ],
  sql: readSql(__dirname),
  amountColumn: 'amount',
  recipientsFigure: true,
  potentialLoss: false,
  report: {
    objective: 'Memastikan penerima bantuan tidak tercantum pada data pemerintah lain yang menunjukkan kemampuan ekonomi (daftar pembanding).',
    kriteria: '',
    sebab: 'Data penerima belum dipadankan dengan data instansi lain (ketenagakerjaan, kendaraan, perangkat desa).',
    rekomendasi: 'Memverifikasi kelayakan penerima yang tercantum pada daftar pembanding dan memutakhirkan penetapan penerima.',
  },
  extraSql: `SELECT
    (SELECT coalesce(json_group_object(list, json_object('records', records, 'recipients', recipients, 'amount', amount)), '{}')::VARCHAR
       FROM (SELECT f.list, count(*) AS records, count(DISTINCT p.nik) AS recipients, round(coalesce(sum(p.amount), 0)::DOUBLE, 2) AS amount
             FROM chk_paid p JOIN (SELECT DISTINCT nik, list FROM flags WHERE nik IS NOT NULL AND list IS NOT NULL AND list <> '') f ON f.nik = p.nik
             GROUP BY f.list ORDER BY f.list)) AS lists,
    (SELECT count(DISTINCT nik) FROM exc_flagged_recipient WHERE n_lists >= 2) AS multi_list_recipients,
    (SELECT count(DISTINCT list) FROM flags WHERE list IS NOT NULL AND list <> '') AS lists_loaded`,
};
