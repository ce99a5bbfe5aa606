import { createContext, useContext } from 'react';
import type { Lang } from '../format';
import { en } from './en';
import { id, type MessageKey, type Messages } from './messages';

export type { MessageKey } from './messages';

const DICTS: Record<Lang, Messages> = { id, en };

export type Translate = (key: MessageKey, params?: Record<string, string | number>) => string;

export function translator(lang: Lang): Translate {
  const dict = DICTS[lang];
  return (key, params) => {
    const s = dict[key] ?? id[key] ?? key;
    if (!params) return s;
    return s.replace(/\{(\w+)\}/g, (m, name: string) => (name in params ? String(params[name]) : m));
  };
}

/** Picks the UI-language side of a `{id, en}` text that comes from the engine (check titles, criteria). */
export function pick(text: { id?: string; en?: string } | string | null | undefined, lang: Lang): string {
  if (text === null || text === undefined) return '';
  if (typeof text === 'string') return text;
  return (lang === 'en' ? text.en ?? text.id : text.id ?? text.en) ?? '';
}

export const LangContext = createContext<{ lang: Lang; t: Translate }>({ lang: 'id', t: translator('id') });
export const useI18n = () => useContext(LangContext);
