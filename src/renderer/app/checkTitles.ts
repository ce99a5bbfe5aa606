// Check titles (the check definitions' bilingual titles) for labels outside the Analisis screen: the status bar's
// per-check progress shows "Meninggal dunia", not a humanised id. Fetched once (the catalogue is fixed per build)
// and shared by every caller; a failed fetch (no engagement yet) is retried on the next use.
import { useEffect, useState } from 'react';
import { api } from '../bridge';

export type CheckTitles = Record<string, { id: string; en: string }>;

let cache: CheckTitles | null = null;
let pending: Promise<CheckTitles | null> | null = null;

function load(): Promise<CheckTitles | null> {
  if (cache) return Promise.resolve(cache);
  pending ??= api.listChecks({}).then((r) => {
    pending = null;
    if (!r.ok) return null;
    cache = Object.fromEntries(r.value.map((c) => [c.id, { id: c.title_id, en: c.title_en }]));
    return cache;
  }, () => { pending = null; return null; });
  return pending;
}

/**
 * The check titles by id; `{}` until loaded. `active` = load now; `key` (e.g. the open engagement's path) = try again
 * when it changes, so the titles are there before an analysis reports its first check.
 */
export function useCheckTitles(active = true, key?: string): CheckTitles {
  const [titles, setTitles] = useState<CheckTitles>(cache ?? {});
  useEffect(() => {
    if (!active) return;
    if (cache) { if (titles !== cache) setTitles(cache); return; }
    let live = true;
    void load().then((c) => { if (live && c) setTitles(c); });
    return () => { live = false; };
  }, [active, key, titles]);
  return titles;
}
