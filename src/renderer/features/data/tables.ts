// Human names of the tables the explorer and the tool pickers list (never the raw snake_case name).
import type { Lang } from '../../format';
import type { MessageKey, Translate } from '../../i18n';
import { humanise } from '../../../shared/vocabulary';
import type { TableInfo } from '../../../shared/types';

const NAMED: Record<string, { id: string; en: string }> = {
  disbursements_enriched: { id: 'Penyaluran + desil (gabungan)', en: 'Disbursements + desil (joined)' },
  query: { id: 'Hasil kueri', en: 'Query result' },
};

export function tableLabel(x: Pick<TableInfo, 'name' | 'kind' | 'group'> | string, t: Translate, lang: Lang): string {
  const info = typeof x === 'string' ? { name: x, kind: null, group: 'other' as const } : x;
  if (info.kind && info.group === 'canonical') return t(`kind.${info.kind}` as MessageKey);
  if (NAMED[info.name]) return lang === 'en' ? NAMED[info.name].en : NAMED[info.name].id;
  if (/^(registry|disbursements|budget|deaths|civil_servants|complaints|flags)$/.test(info.name)) return t(`kind.${info.name}` as MessageKey);
  if (info.name.startsWith('other_')) return humanise(info.name.slice(6));
  if (info.group === 'tool' || /^(sample|random|mus)_/.test(info.name)) return `${lang === 'en' ? 'Sample' : 'Sampel'}: ${humanise(info.name.replace(/^(sample|random|mus)_/, ''))}`;
  if (info.name.startsWith('exc_')) return `${lang === 'en' ? 'Exceptions' : 'Pengecualian'}: ${humanise(info.name.slice(4))}`;
  return humanise(info.name);
}
