import catalogueJson from '../../../resources/criteria.json';

export interface Criterion {
  id: string;
  regulation: string;     // short code used by check definitions, e.g. permensos-1-2019
  citation: string;
  subject: string;
  text: string;           // Indonesian paraphrase of the rule
  /** Pasal/ayat (for an Instruksi Presiden: diktum), when matched against the regulation's text; null = not yet
   *  matched (printed as such). */
  article?: string | null;
  /** The publication (LN/BN number) and how the article was matched, or where it is still to be checked. */
  source?: string;
  /** Address of the text the article was read from (only on matched entries). */
  source_url?: string;
}

export type FindingClassification = 'potensi_kerugian_negara' | 'ketidaktepatan_sasaran' | 'administrasi';
export const CLASSIFICATION_LABEL: Record<FindingClassification, string> = {
  potensi_kerugian_negara: 'Potensi kerugian negara',
  ketidaktepatan_sasaran: 'Ketidaktepatan sasaran',
  administrasi: 'Administrasi',
};

export interface CheckCriteria {
  title: string;
  potential_loss: boolean;
  criteria: string[];
  kondisi: string;        // template: {records} {recipients} {amount} {period} {programs} {accounts} {pairs} {unit}
  sebab: string;
  akibat: string;
  rekomendasi: string;
  classification?: FindingClassification;
  /** Whom the recommendation is addressed to (Kepala Dinas Sosial, Bupati/Wali Kota, direksi bank penyalur, Kemensos). */
  addressee?: string;
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

/** The article of a criterion as printed: the pasal/ayat, or a visible note that it is still to be matched. */
export function articleText(k: Criterion): string {
  return k.article ? k.article : 'pasal/ayat belum dicocokkan — lengkapi dari naskah resmi sebelum laporan terbit';
}

/** The source of a criterion as printed: publication and matching note, then the address of the text read. */
export function sourceText(k: Criterion): string {
  return [k.source, k.source_url ? `naskah: ${k.source_url}` : ''].filter(Boolean).join('; ');
}

/** The Kriteria text of a finding: numbered citations with the article, the rule paraphrase and the entry's source,
 *  one criterion a line. */
export function kriteriaText(checkId: string): string {
  const c = checkCriteria(checkId);
  if (!c) return '';
  return c.criteria.map((id, i) => {
    const k = criterion(id)!;
    const src = sourceText(k);
    return `${i + 1}. ${k.citation}, ${articleText(k)} — ${k.subject}: ${k.text}${src ? ` (sumber: ${src})` : ''}`;
  }).join('\n');
}

/** Classification of a check's finding (catalogue; administrasi when the catalogue has none). */
export function classificationOf(checkId: string): FindingClassification {
  return checkCriteria(checkId)?.classification ?? 'administrasi';
}

/** The rekomendasi of a check addressed to whom it is for: 'Kepada X agar: …'. */
export function addressedRecommendation(checkId: string, text: string): string {
  const a = checkCriteria(checkId)?.addressee;
  if (!a || /^kepada /i.test(text.trim())) return text;
  const t = text.trim();
  return `Kepada ${a} untuk: ${t.charAt(0).toLowerCase()}${t.slice(1)}`;
}
