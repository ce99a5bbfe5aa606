/** Per-user state kept outside any engagement: recent engagements and preferences, in the app data folder. */
import { existsSync, mkdirSync, readFileSync, renameSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Language, RecentWorkspace } from '../../shared/types';

export interface Prefs {
  language: Language;
  masking_default: boolean;
  reviewer: string;
}

export class UserState {
  /** `fixed`: preferences of this session that neither the prefs file nor updateSettings change (the CLI's). */
  constructor(readonly dataDir: string, private readonly fixed: Partial<Prefs> = {}) {
    mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  }

  private read<T>(file: string, fallback: T): T {
    try {
      return JSON.parse(readFileSync(join(this.dataDir, file), 'utf8')) as T;
    } catch {
      return fallback;
    }
  }

  private write(file: string, value: unknown) {
    const p = join(this.dataDir, file);
    writeFileSync(`${p}.tmp`, JSON.stringify(value, null, 2), { mode: 0o600 });
    renameSync(`${p}.tmp`, p);
  }

  recent(): RecentWorkspace[] {
    const list = this.read<{ path: string; name: string; opened_at: string }[]>('recent.json', []);
    return (Array.isArray(list) ? list : [])
      .filter((r) => r && typeof r.path === 'string')
      .map((r) => ({ path: r.path, name: String(r.name ?? ''), opened_at: String(r.opened_at ?? ''), exists: existsSync(r.path) }));
  }

  touchRecent(path: string, name: string) {
    const list = this.recent().filter((r) => r.path !== path).map(({ exists: _e, ...r }) => r);
    list.unshift({ path, name, opened_at: new Date().toISOString() });
    this.write('recent.json', list.slice(0, 20));
  }

  prefs(): Prefs {
    const p = this.read<Partial<Prefs>>('prefs.json', {});
    return {
      language: p.language === 'en' ? 'en' : 'id',
      masking_default: p.masking_default !== false,
      reviewer: typeof p.reviewer === 'string' ? p.reviewer : '',
      ...this.fixed,
    };
  }

  savePrefs(patch: Partial<Prefs>) {
    this.write('prefs.json', { ...this.prefs(), ...patch });
  }

  /**
   * Journal of exports in flight (reliability S5): the `.tmp` file of each export is listed here before it is written
   * and taken off when the export ends either way. A process killed mid-export leaves its entry, and
   * removeStaleExports() (service start, workspace open, next export) deletes the partial file, which may hold
   * personal data.
   */
  exportStarted(tmp: string) {
    const list = this.read<string[]>('exports-pending.json', []);
    if (!list.includes(tmp)) this.write('exports-pending.json', [...(Array.isArray(list) ? list : []), tmp]);
  }

  exportEnded(tmp: string) {
    const list = this.read<string[]>('exports-pending.json', []);
    if (Array.isArray(list) && list.includes(tmp)) this.write('exports-pending.json', list.filter((x) => x !== tmp));
  }

  /** Deletes the partial files of exports that never ended; returns the paths removed. */
  removeStaleExports(): string[] {
    const list = this.read<string[]>('exports-pending.json', []);
    if (!Array.isArray(list) || list.length === 0) return [];
    const removed: string[] = [];
    for (const tmp of list) {
      if (typeof tmp !== 'string' || !tmp.endsWith('.tmp')) continue;
      try { if (existsSync(tmp)) { unlinkSync(tmp); removed.push(tmp); } } catch { /* best effort */ }
    }
    this.write('exports-pending.json', []);
    return removed;
  }

  uploadsDir(): string {
    const d = join(this.dataDir, 'uploads');
    mkdirSync(d, { recursive: true, mode: 0o700 });
    return d;
  }

  engagementsDir(): string {
    const d = join(this.dataDir, 'engagements');
    mkdirSync(d, { recursive: true, mode: 0o700 });
    return d;
  }
}
