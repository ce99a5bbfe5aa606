import type { CheckDefinition } from '../../types';
import { readSql } from '../../types';

export const overpayment: CheckDefinition = {
  id: 'overpayment',
  family: 'distribution',
  sourceTable: 'disbursements',
  title: { id: 'Kelebihan bayar', en: 'Overpayment' },
  description: {
    id: 'Record tersalur pada program yang punya nilai seharusnya per record (default BPNT Rp200.000, BLT_DD Rp300.000) dengan nilai di atasnya. Figur jumlah = Σ kelebihan (nilai − seharusnya); kolom amount pengecualian tetap nilai record.',
    en: 'Paid records of programmes with an expected amount per record (default BPNT Rp 200,000, BLT_DD Rp 300,000) paid above it. Figure amount = Σ excess (amount − expected); the exceptions\' amount column stays the record amount.',
  },
  criteria: ['permensos-20-2019', 'pmk-dana-desa-blt', 'pmk-254-2015'],
  parameters: [],
  requires: [['disbursements']],
  outputColumns: [
    { name: 'expected_amount', type: 'DECIMAL(18,2)', description: 'expected amount per record' },
    { name: 'difference', type: 'DECIMAL(18,2)', description: 'excess over the expected amount' },
  ],
  sql: readSql(__dirname),
  amountColumn: 'difference',
  recipientsFigure: true,
  potentialLoss: false,
};
