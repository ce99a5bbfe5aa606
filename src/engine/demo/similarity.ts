/**
 * Plain-TypeScript re-implementation of the contract's name comparison (DOMAIN.md "Name similarity"):
 * `name_norm` (upper-case, accents folded, non A–Z/space removed, spaces collapsed) and DuckDB's
 * `jaro_winkler_similarity` (rapidfuzz semantics: window max(len)/2-1, prefix ≤ 4, weight 0.1, boost only when
 * jaro > 0.7, empty string → 0). Used by the demo generator to compute truth.json independently of the checks.
 */
export function nameNorm(s: string | null | undefined): string {
  const folded = (s ?? '')
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toUpperCase();
  return folded
    .replace(/\s/g, ' ')
    .replace(/[^A-Z ]/g, '')
    .replace(/ +/g, ' ')
    .trim();
}

export function jaro(p: string, t: string): number {
  const pl = p.length;
  const tl = t.length;
  if (pl === 0 || tl === 0) return 0;
  if (pl === 1 && tl === 1) return p === t ? 1 : 0;
  const bound = Math.max(0, Math.floor(Math.max(pl, tl) / 2) - 1);
  const tMatched = new Uint8Array(tl);
  const pMatched = new Uint8Array(pl);
  let common = 0;
  for (let i = 0; i < pl; i++) {
    const lo = Math.max(0, i - bound);
    const hi = Math.min(tl - 1, i + bound);
    const c = p.charCodeAt(i);
    for (let j = lo; j <= hi; j++) {
      if (!tMatched[j] && t.charCodeAt(j) === c) {
        tMatched[j] = 1;
        pMatched[i] = 1;
        common++;
        break;
      }
    }
  }
  if (common === 0) return 0;
  let k = 0;
  let trans = 0;
  for (let i = 0; i < pl; i++) {
    if (!pMatched[i]) continue;
    while (!tMatched[k]) k++;
    if (p.charCodeAt(i) !== t.charCodeAt(k)) trans++;
    k++;
  }
  const halfTrans = Math.floor(trans / 2);
  let sim = common / pl + common / tl;
  sim += (common - halfTrans) / common;
  return sim / 3.0;
}

export function jaroWinkler(p: string, t: string): number {
  const minLen = Math.min(p.length, t.length);
  const maxPrefix = Math.min(minLen, 4);
  let prefix = 0;
  while (prefix < maxPrefix && p.charCodeAt(prefix) === t.charCodeAt(prefix)) prefix++;
  let sim = jaro(p, t);
  if (sim > 0.7) sim += prefix * 0.1 * (1.0 - sim);
  return sim;
}

/** Contract similarity of two raw names. */
export function nameSimilarity(a: string | null | undefined, b: string | null | undefined): number {
  return jaroWinkler(nameNorm(a), nameNorm(b));
}
