/**
 * The analysis families of DOMAIN.md, one per family folder of src/engine/checks. A check definition carries its
 * family (id + label); no other list names them.
 */
import type { Bilingual } from './types';

export interface CheckFamily { id: string; label: Bilingual }

export const FAMILY = {
  identity: { id: 'identity', label: { id: 'Penerima Fiktif/Ganda — identitas', en: 'Ghost/duplicate recipients — identity' } },
  ghost: { id: 'ghost', label: { id: 'Penerima Fiktif/Ganda', en: 'Ghost recipients' } },
  duplicate: { id: 'duplicate', label: { id: 'Penerima Fiktif/Ganda — duplikasi', en: 'Duplicate payments' } },
  eligibility: { id: 'eligibility', label: { id: 'Ketepatan Sasaran', en: 'Targeting accuracy' } },
  distribution: { id: 'distribution', label: { id: 'Efisiensi Anggaran — penyaluran', en: 'Budget efficiency — disbursement' } },
  budget: { id: 'budget', label: { id: 'Efisiensi Anggaran', en: 'Budget efficiency' } },
  registry: { id: 'registry', label: { id: 'Kualitas Data Registri', en: 'Registry data quality' } },
} as const satisfies Record<string, CheckFamily>;
