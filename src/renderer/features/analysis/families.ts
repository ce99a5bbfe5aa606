import type { MessageKey, Translate } from '../../i18n';

// Family ids as the engine may spell them -> our label keys. Unknown families fall back to the engine's label.
const FAMILY_KEYS: Array<[RegExp, MessageKey]> = [
  [/target|sasaran|ketepatan/i, 'fam.targeting'],
  [/ghost|fiktif|ganda|dupl|identity|recipient/i, 'fam.ghost'],
  [/budget|anggaran|efisien/i, 'fam.budget'],
  [/impact|dampak/i, 'fam.impact'],
  [/oversight|pengawasan/i, 'fam.oversight'],
  [/tool|alat/i, 'fam.tools'],
];
export const FAMILY_ORDER: MessageKey[] = ['fam.targeting', 'fam.ghost', 'fam.budget', 'fam.impact', 'fam.oversight', 'fam.tools', 'fam.other'];

export function familyKey(family: string, label?: string): MessageKey {
  for (const [re, k] of FAMILY_KEYS) if (re.test(family) || (label && re.test(label))) return k;
  return 'fam.other';
}

export function familyLabel(family: string, label: string | undefined, t: Translate): string {
  const k = familyKey(family, label);
  return k === 'fam.other' && label ? label : t(k);
}
