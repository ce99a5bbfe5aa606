/**
 * The one handler map: every call of src/shared/contract.ts, implemented once, by the module of its area. The type
 * `Handlers` makes a missing call a compile error; a call implemented by two areas is refused at start-up.
 */
import type { Handlers, ServiceCore } from './core';
import { workspaceHandlers } from './workspace';
import { importHandlers } from './import';
import { tablesHandlers } from './tables';
import { analysisHandlers } from './analysis';
import { findingsHandlers } from './findings';
import { toolsHandlers } from './tools';
import { reportsHandlers } from './reports';
import { trailHandlers } from './trail';
import { settingsHandlers } from './settings';
import { tasksHandlers } from './tasks';
import { continuityHandlers } from './continuity';

export function buildHandlers(svc: ServiceCore): Handlers {
  const areas = {
    workspace: workspaceHandlers(svc), import: importHandlers(svc), tables: tablesHandlers(svc), analysis: analysisHandlers(svc),
    findings: findingsHandlers(svc), tools: toolsHandlers(svc), reports: reportsHandlers(svc), trail: trailHandlers(svc),
    settings: settingsHandlers(svc), tasks: tasksHandlers(svc.tasks, svc),
    continuity: continuityHandlers({
      need: () => svc.need(), exclusive: (fn) => svc.tasks.exclusive(fn), version: svc.opts.version ?? '0.0.0',
      reviewer: () => svc.state.prefs().reviewer || svc.need().actor(),
      checkOut: (out, ext, confirmOutside) => svc.checkOut(out, ext, confirmOutside),
    }),
  };
  const owner = new Map<string, string>();
  for (const [area, handlers] of Object.entries(areas)) {
    for (const name of Object.keys(handlers)) {
      if (owner.has(name)) throw new Error(`contract call ${name} implemented by ${owner.get(name)} and ${area}`);
      owner.set(name, area);
    }
  }
  // Typed as the whole map: a contract call no area implements does not compile.
  const map: Handlers = {
    ...areas.workspace, ...areas.import, ...areas.tables, ...areas.analysis, ...areas.findings, ...areas.tools, ...areas.reports,
    ...areas.trail, ...areas.settings, ...areas.tasks, ...areas.continuity,
  };
  return map;
}
