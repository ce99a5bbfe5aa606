/**
 * Workspace calls: the app, the file browser, creating/opening/closing an engagement and the demo engagement.
 */
import { existsSync, mkdirSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { homedir, platform } from 'node:os';
import { basename, dirname, extname, join, resolve } from 'node:path';
import { ServiceError } from '../../shared/result';
import type * as T from '../../shared/types';
import { appendTrail } from '../trail/trail';
import { Workspace, sameFile } from '../workspace/workspace';
import type { HandlersOf, ServiceCore } from './core';
import { modules } from './modules';

export type WorkspaceCalls = 'appInfo' | 'listDir' | 'createWorkspace' | 'openWorkspace' | 'closeWorkspace' | 'recentWorkspaces' | 'workspaceInfo' | 'openDemo'
  | 'generateDemo' | 'compareDemoTruth';

export function workspaceHandlers(svc: ServiceCore): HandlersOf<WorkspaceCalls> {
  return {
    appInfo: async () => ({
      name: 'telisik', version: svc.opts.version ?? '0.0.0', mode: svc.opts.mode, platform: platform(),
      default_dir: svc.opts.engagementsDir ?? join(homedir(), 'Telisik'), home_dir: homedir(),
    }),
    listDir: async (a) => {
      const dir = resolve(a.path ?? homedir());
      let st;
      try { st = statSync(dir); } catch { throw new ServiceError('not_found', `Folder tidak ditemukan: ${dir}`); }
      if (!st.isDirectory()) throw new ServiceError('invalid_input', `Bukan folder: ${dir}`);
      const exts = a.extensions?.map((e) => (e.startsWith('.') ? e : `.${e}`).toLowerCase());
      const entries: T.DirEntry[] = [];
      for (const name of readdirSync(dir)) {
        if (name.startsWith('.')) continue;
        try {
          const s = statSync(join(dir, name));
          const isDir = s.isDirectory();
          if (!isDir && exts && !exts.includes(extname(name).toLowerCase())) continue;
          entries.push({ name, path: join(dir, name), dir: isDir, size: isDir ? 0 : s.size, mtime: s.mtime.toISOString() });
        } catch { /* unreadable entry */ }
        if (entries.length >= 5000) break;
      }
      entries.sort((x, y) => (x.dir === y.dir ? x.name.localeCompare(y.name) : x.dir ? -1 : 1));
      const parent = dirname(dir);
      return { path: dir, parent: parent === dir ? null : parent, entries };
    },
    createWorkspace: async (a) => {
      let p = resolve(a.path);
      if (!/\.(duckdb|telisik)$/i.test(p)) p += '.duckdb';
      mkdirSync(dirname(p), { recursive: true });
      // Create first: if it fails (exists, unwritable) the open engagement stays open. A running task (import,
      // analysis, demo) is cancelled and waited for by the switch (attach -> closeWorkspace).
      const ws = await Workspace.create(p, { name: a.name, entity: a.entity, period: a.period, team: a.team });
      await appendTrail(ws, { action: 'workspace.create', params: { name: a.name, entity: a.entity ?? null, period: a.period ?? null, team: a.team ?? null } });
      await svc.attach(ws);
      return (await svc.info())!;
    },
    openWorkspace: async (a) => {
      const p = resolve(a.path);
      // The same file under another path (hard link, symlink): the open engagement, not a second instance.
      if (svc.ws && (svc.ws.path === p || sameFile(svc.ws.path, p))) return (await svc.info())!;
      // A running task of the current engagement is cancelled by attach() before the switch (never a hang or 'busy').
      // Open first: a file that is not a workspace, or locked by another process, leaves the current one open.
      const ws = await Workspace.open(p);
      await appendTrail(ws, { action: 'workspace.open', params: { path: ws.path } });
      await svc.attach(ws);
      return (await svc.info())!;
    },
    closeWorkspace: async () => { await svc.closeWorkspace(); return null; },
    recentWorkspaces: async () => svc.state.recent(),
    workspaceInfo: async () => svc.info(),

    openDemo: async (a) => {
      const demo = modules.demo();
      const ingest = modules.ingest();
      // The output-path policy for the demo's writer (issue 14): its extracts and workspace go into a new or empty
      // folder only, so they can never overwrite an engagement or a source file.
      if (a.dir) {
        const d = resolve(a.dir);
        if (existsSync(d) && (!statSync(d).isDirectory() || readdirSync(d).length > 0)) {
          throw new ServiceError('invalid_args', `Folder contoh harus baru atau kosong (demo folder must be new or empty): ${d}`, { reason: 'demo_dir_not_empty' });
        }
      }
      // Switching to the demo engagement: whatever runs now (import, analysis, an earlier demo) is cancelled, so the
      // demo does not queue behind it.
      svc.tasks.cancelAll();
      return svc.startTaskNoWs('demo', 'openDemo', 'Membuka penugasan contoh', async (ctx) => {
        const stamp = new Date().toISOString().replace(/[-:]/g, '').replace(/\..*/, '').replace('T', '-');
        const dir = resolve(a.dir ?? join(svc.opts.dataDir, 'demo', `demo-${stamp}`));
        mkdirSync(dir, { recursive: true });
        ctx.progress({ phase: 'generate' });
        const households = a.scale === 'large' ? 200_000 : a.scale === 'medium' ? 20_000 : 2_000;
        const gen = await demo.generateDemo({
          outDir: dir, households, seed: a.seed ?? 42, signal: ctx.signal,
          onProgress: (p) => ctx.progress({ phase: `generate:${p.phase}`, done: p.households, total: p.total }),
        });
        if (ctx.signal.aborted) throw new ServiceError('cancelled', 'Dibatalkan (cancelled)');
        await svc.closeWorkspace(ctx.task_id);
        const ws = await Workspace.create(join(dir, 'penugasan-contoh.duckdb'), {
          name: 'Penugasan Contoh (data sintetis)', entity: 'Dinas Sosial Kabupaten Contoh', period: '2025', team: 'Demo',
        });
        try {
          await ws.run(`INSERT OR REPLACE INTO meta VALUES ('demo', $d)`, { d: dir });
          await appendTrail(ws, { action: 'demo.generate', params: { scale: a.scale ?? 'small', households, seed: a.seed ?? 42, dir }, result: { rows: gen.rows, truth: gen.truthPath } });
          const files = gen.files as { kind: T.Kind; path: string }[];
          let i = 0;
          for (const f of files) {
            i++;
            ctx.progress({ phase: `import:${basename(f.path)}`, done: i - 1, total: files.length });
            await ingest.importFile(ws, {
              kind: f.kind, path: f.path, signal: ctx.signal,
              onProgress: (p: { phase: string; rows: number; bytes: number; totalBytes: number }) =>
                ctx.progress({ phase: `import:${basename(f.path)}`, done: p.bytes, total: p.totalBytes, rows: p.rows }),
            });
          }
        } catch (e) {
          await ws.close().catch(() => undefined);
          throw e;
        }
        if (ctx.signal.aborted) { await ws.close().catch(() => undefined); throw new ServiceError('cancelled', 'Dibatalkan (cancelled)'); }
        await svc.attach(ws, ctx.task_id);
        ctx.progress({ phase: 'done', done: 1, total: 1 });
        return svc.info();
      });
    },
    // The extracts alone (telisik demo): no engagement is opened or needed; progress per household block.
    generateDemo: async (a) => svc.startTaskNoWs('demo', 'generateDemo', 'Membuat data contoh', async (ctx) => {
      const gen = await modules.demo().generateDemo({
        outDir: resolve(a.out), households: a.households, seed: a.seed, truth: a.truth, signal: ctx.signal,
        onProgress: (p) => ctx.progress({ phase: p.phase, done: p.households, total: p.total }),
      });
      if (ctx.signal.aborted) throw new ServiceError('cancelled', 'Dibatalkan (cancelled)');
      return { files: gen.files as { kind: T.Kind; path: string }[], rows: gen.rows, truth_path: gen.truthPath, ms: gen.ms } satisfies T.DemoFilesView;
    }),
    compareDemoTruth: async (a) => {
      const read = (p: string) => {
        try { return JSON.parse(readFileSync(resolve(p), 'utf8')) as unknown; } catch (e) {
          throw new ServiceError('invalid_input', `${resolve(p)}: ${(e as Error).message}`);
        }
      };
      return { differences: modules.demo().compareSummary(read(a.summary), read(a.truth)) };
    },
  };
}
