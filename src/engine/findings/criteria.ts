import catalogueJson from '../../../resources/criteria.json';

export interface Criterion {
  id: string;
  regulation: string;     // short code used by check definitions, e.g. permensos-1-2019
  citation: string;
  subject: string;
  text: string;           // Indonesian paraphrase of the rule
}

export interface CheckCriteria {
  title: string;
  potential_loss: boolean;
  criteria: string[];
  kondisi: string;        // template: {records} {recipients} {amount} {period} {programs} {accounts} {pairs} {unit}
  sebab: string;
  akibat: string;
  rekomendasi: string;
}

export interface CriteriaCatalogue {
  schema: string;
  note: string;
  criteria: Criterion[];
  checks: Record<string, CheckCriteria>;
}

/** resources/criteria.json, imported (so bundlers carry it along). */
export function criteriaCatalogue(): CriteriaCatalogue {
  return catalogueJson as CriteriaCatalogue;
}

export function criterion(id: string): Criterion | undefined {
  return criteriaCatalogue().criteria.find((c) => c.id === id || c.regulation === id);
}

/** Catalogue entries of a regulation code (e.g. 'permensos-1-2019', as used in check definitions). */
export function criteriaOfRegulation(code: string): Criterion[] {
  return criteriaCatalogue().criteria.filter((c) => c.regulation === code);
}

export function checkCriteria(checkId: string): CheckCriteria | undefined {
  return criteriaCatalogue().checks[checkId];
}

/** The Kriteria text of a finding: numbered citations with the rule paraphrase. */
export function kriteriaText(checkId: string): string {
  const c = checkCriteria(checkId);
  if (!c) return '';
  return c.criteria.map((id, i) => {
    const k = criterion(id)!;
    return `${i + 1}. ${k.citation} — ${k.subject}: ${k.text}`;
  }).join('\n');
}
