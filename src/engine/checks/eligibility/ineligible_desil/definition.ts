import type { CheckDefinition } from '../../types';
import { readSql } from '../../types';

export const ineligibleDesil: CheckDefinition = {
  id: 'ineligible_desil',
  family: 'eligibility',
  sourceTable: 'disbursements',
  title: { id: 'Desil di atas batas program', en: 'Desil above programme limit' },
  description: {
    id: 'Record tersalur yang desil registri NIK-nya (terendah bila NIK berulang) melebihi desil maksimum program (aturan program; default 4). NIK tanpa desil registri tidak ditandai; program tanpa aturan tidak dinilai.',
    en: 'Paid records whose NIK\'s registry desil (lowest if repeated) exceeds the programme\'s max desil (programme rules; default 4). NIKs without a registry desil are not flagged; programmes without a rule are not judged.',
  },
  criteria: ['permensos-3-2021', 'inpres-4-2025', 'permensos-1-2018', 'permensos-20-2019'],
  parameters: [],
  requires: [['disbursements'], ['registry']],
  outputColumns: [
    { name: 'desil', type: 'INTEGER', description: 'lowest registry desil of the NIK' },
    { name: 'max_desil', type: 'INTEGER', description: 'programme max desil' },
  ],
  sql: readSql(__dirname),
  amountColumn: 'amount',
  recipientsFigure: true,
  potentialLoss: true,
  extraSql: `SELECT count(*) AS not_evaluated_records FROM chk_paid p JOIN chk_rules r ON r.program = p.program
    WHERE r.max_desil IS NOT NULL AND p.reg_desil IS NULL`,
};
