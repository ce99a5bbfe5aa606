import type { CheckDefinition } from '../../types';
import { readSql } from '../../types';
import { FAMILY } from '../../families';

export const ineligibleDesil: CheckDefinition = {
  id: 'ineligible_desil',
  family: FAMILY.eligibility,
  sourceTable: 'disbursements',
  title: { id: 'Desil di atas batas program', en: 'Desil above programme limit' },
  description: {
    id: 'Record tersalur yang desil NIK-nya yang berlaku pada tanggal salur melebihi desil maksimum program (aturan program; default 4). Desil yang berlaku: dari snapshot registri (PERIODE_DATA) terakhir yang memuat NIK dan berlaku pada atau sebelum tanggal salur (tanpa tanggal salur: hari pertama bulan/tahap periode), bila tidak ada snapshot paling awal yang memuatnya; desil terendah NIK dalam snapshot itu. Rumah tangga yang graduasi pada snapshot berikutnya hanya ditandai untuk penyaluran setelah snapshot itu berlaku. NIK tanpa desil tidak ditandai; program tanpa aturan tidak dinilai.',
    en: 'Paid records whose NIK\'s desil in force on the payment date exceeds the programme\'s max desil (programme rules; default 4). Desil in force: from the latest registry snapshot (PERIODE_DATA) containing the NIK whose effective date is on or before paid_date (no paid_date: the first day of the period key\'s month or stage), else the earliest one containing it; the NIK\'s lowest desil in that snapshot. A household that graduated in a later snapshot is flagged only for payments after it took effect. NIKs without a desil are not flagged; programmes without a rule are not judged.',
  },
  criteria: ['permensos-3-2021', 'inpres-4-2025', 'permensos-1-2018', 'permensos-20-2019'],
  parameters: [],
  requires: [['disbursements'], ['registry']],
  outputColumns: [
    { name: 'desil', type: 'INTEGER', description: 'desil in force on the payment date (registry snapshot)' },
    { name: 'max_desil', type: 'INTEGER', description: 'programme max desil' },
    { name: 'lowest_desil', type: 'INTEGER', description: 'lowest desil of the NIK over all snapshots' },
    { name: 'desil_date', type: 'DATE', description: 'date the desil was judged at (paid_date, else the period key\'s first day)' },
  ],
  sql: readSql(__dirname),
  amountColumn: 'amount',
  recipientsFigure: true,
  potentialLoss: true,
  report: {
    objective: 'Memastikan penerima berada dalam kelompok kesejahteraan yang ditetapkan.',
    kriteria: 'Inpres 4/2025 (DTSEN); aturan program — sasaran desil 1–4.',
    sebab: 'Penetapan penerima tidak mengacu pada peringkat kesejahteraan terkini.',
    rekomendasi: 'Mengevaluasi kelayakan penerima dan memperbarui penetapan berdasarkan desil.',
  },
  extraSql: `SELECT count(*) AS not_evaluated_records FROM chk_paid p JOIN chk_rules r ON r.program = p.program
    WHERE r.max_desil IS NOT NULL AND p.desil_in_force IS NULL`,
};
