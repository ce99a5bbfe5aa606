import type { CheckDefinition } from '../../types';
import { readSql } from '../../types';

export const underpayment: CheckDefinition = {
  id: 'underpayment',
  family: 'distribution',
  sourceTable: 'disbursements',
  title: { id: 'Kekurangan bayar', en: 'Underpayment' },
  description: {
    id: 'Record tersalur pada program yang punya nilai seharusnya per record (default BPNT Rp200.000, BLT_DD Rp300.000) dengan nilai di bawahnya (potongan). Figur jumlah = Σ kekurangan (seharusnya − nilai); kolom amount pengecualian tetap nilai record.',
    en: 'Paid records of programmes with an expected amount per record (default BPNT Rp 200,000, BLT_DD Rp 300,000) paid below it (deductions). Figure amount = Σ shortfall (expected − amount); the exceptions\' amount column stays the record amount.',
  },
  criteria: ['permensos-20-2019', 'pmk-dana-desa-blt', 'permensos-1-2019'],
  parameters: [],
  requires: [['disbursements']],
  outputColumns: [
    { name: 'expected_amount', type: 'DECIMAL(18,2)', description: 'expected amount per record' },
    { name: 'difference', type: 'DECIMAL(18,2)', description: 'shortfall below the expected amount' },
  ],
  sql: readSql(__dirname),
  amountColumn: 'difference',
  recipientsFigure: true,
  potentialLoss: false,
};
