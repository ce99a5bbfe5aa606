/**
 * Settings calls: per-user preferences and per-engagement programme rules, thresholds and event dates.
 */
import { ServiceError } from '../../shared/result';
import type * as T from '../../shared/types';
import { parseJson, type HandlersOf, type ServiceCore } from './core';
import { modules } from './modules';

export type SettingsCalls = 'getSettings' | 'updateSettings' | 'resetProgrammeRules';

export function settingsHandlers(svc: ServiceCore): HandlersOf<SettingsCalls> {
  return {
    getSettings: async () => readSettings(svc),
    updateSettings: async (a) => {
      const prefsPatch: Partial<{ language: T.Language; masking_default: boolean; reviewer: string }> = {};
      if (a.language) prefsPatch.language = a.language;
      if (a.masking_default !== undefined) prefsPatch.masking_default = a.masking_default;
      if (a.reviewer !== undefined) prefsPatch.reviewer = a.reviewer;
      if (Object.keys(prefsPatch).length) svc.state.savePrefs(prefsPatch);
      if (a.programme_rules || a.thresholds || a.event_dates) await svc.tasks.exclusive(async () => {
        const ws = svc.need();
        const rules = modules.rules();
        if (a.programme_rules || a.thresholds) {
          const cur = (await rules.engagementRules(ws)) ?? {};
          const programmes: Record<string, unknown> = { ...(cur.programmes ?? {}) };
          for (const [k, v] of Object.entries(a.programme_rules ?? {})) {
            if (v === null) delete programmes[k];
            else programmes[k] = { ...((programmes[k] as object) ?? {}), ...v };
          }
          const thresholds: Record<string, number> = { ...(cur.thresholds ?? {}) };
          for (const [k, v] of Object.entries(a.thresholds ?? {})) if (k !== 'spike_z') thresholds[k] = v;
          if (a.thresholds?.spike_z !== undefined) await ws.run(`INSERT OR REPLACE INTO settings VALUES ('spike_z', $v::JSON)`, { v: JSON.stringify(a.thresholds.spike_z) });
          try {
            await rules.saveEngagementRules(ws, { ...cur, programmes, thresholds } as never);
          } catch (e) {
            // Rules the contract let through but the rules module refuses: an argument error of this call.
            if (e instanceof rules.RulesError) throw new ServiceError('invalid_args', e.message, { reason: 'rules' });
            throw e;
          }
        }
        if (a.event_dates) await ws.run(`INSERT OR REPLACE INTO settings VALUES ('event_dates', $v::JSON)`, { v: JSON.stringify(a.event_dates) });
        await svc.trail('settings.update', a);
      });
      return readSettings(svc);
    },
    resetProgrammeRules: async () => { return svc.tasks.exclusive(async () => {
      const ws = svc.need();
      await ws.run(`DELETE FROM settings WHERE key = 'programme_rules'`);
      await svc.trail('settings.reset_programme_rules', {});
      return readSettings(svc);
    }); },
  };
}

/** The settings the UI shows: the user's preferences and the open engagement's rules, thresholds and event dates. */
export async function readSettings(svc: ServiceCore): Promise<T.Settings> {
  const prefs = svc.state.prefs();
  const rulesMod = modules.rules();
  const r = svc.ws ? svc.reader() : null;
  const rules = r ? await rulesMod.effectiveRules(r) : rulesMod.defaultRules();
  let event_dates: T.Settings['event_dates'] = [];
  let spike_z = 3.5;
  if (r) {
    const ev = await r.scalar<string>(`SELECT value::VARCHAR FROM settings WHERE key = 'event_dates'`);
    if (ev) event_dates = parseJson(ev) as T.Settings['event_dates'];
    const z = await r.scalar<string>(`SELECT value::VARCHAR FROM settings WHERE key = 'spike_z'`);
    if (z) spike_z = Number(parseJson(z));
  }
  return {
    language: prefs.language, masking_default: prefs.masking_default, reviewer: prefs.reviewer,
    programme_rules: rules.programmes as Record<string, T.ProgrammeRule>,
    thresholds: { ...rules.thresholds, spike_z },
    event_dates,
  };
}
