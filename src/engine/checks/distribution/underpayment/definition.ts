import type { CheckDefinition } from '../../types';
import { readSql } from '../../types';
import { FAMILY } from '../../families';

export const underpayment: CheckDefinition = {
  id: 'underpayment',
  family: FAMILY.distribution,
  sourceTable: 'disbursements',
  title: { id: 'Kekurangan bayar', en: 'Underpayment' },
  description: {
    id: 'Record tersalur pada program yang punya nilai seharusnya per bulan (default BPNT Rp200.000, BLT_DD Rp300.000) dengan nilai di bawah nilai seharusnya record = nilai per bulan × jumlah bulan kunci periodenya (YYYY-MM 1 bulan; tahap YYYY-Tn = bulan per tahap program, default 3) — potongan. Kunci periode lain (mis. SUSULAN 2025) tidak dinilai dan dihitung sebagai tidak dievaluasi. Figur jumlah = Σ kekurangan (seharusnya − nilai); kolom amount pengecualian tetap nilai record.',
    en: 'Paid records of programmes with an expected monthly amount (default BPNT Rp 200,000, BLT_DD Rp 300,000) paid below the record\'s expected amount = monthly amount × the months of its period key (YYYY-MM 1 month; stage YYYY-Tn = the programme\'s months per stage, default 3) — deductions. Other period keys (e.g. SUSULAN 2025) are not judged and are counted as not evaluated. Figure amount = Σ shortfall (expected − amount); the exceptions\' amount column stays the record amount.',
  },
  criteria: ['permensos-20-2019', 'pmk-dana-desa-blt', 'permensos-1-2019'],
  parameters: [],
  requires: [['disbursements']],
  outputColumns: [
    { name: 'expected_amount', type: 'DECIMAL(18,2)', description: 'expected amount of the record (monthly amount × months of its period key)' },
    { name: 'monthly_amount', type: 'DECIMAL(18,2)', description: 'programme expected amount per month' },
    { name: 'period_months', type: 'INTEGER', description: 'months the period key covers (YYYY-MM 1, YYYY-Tn months per stage)' },
    { name: 'difference', type: 'DECIMAL(18,2)', description: 'shortfall below the expected amount' },
  ],
  sql: readSql(__dirname),
  amountColumn: 'difference',
  recipientsFigure: true,
  potentialLoss: false,
  report: {
    objective: 'Memastikan penerima menerima bantuan penuh.',
    kriteria: 'Aturan program (indeks bantuan per periode).',
    sebab: 'Potongan atau kesalahan penyaluran.',
    rekomendasi: 'Menelusuri kekurangan bayar dan memastikan hak penerima dipenuhi.',
  },
  extraSql: `SELECT count(*) AS not_evaluated_records FROM chk_paid p JOIN chk_rules r ON r.program = p.program
    WHERE r.expected_amount IS NOT NULL AND p.period_months IS NULL`,
};
