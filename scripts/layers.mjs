// The layering rules of src/, shared by `scripts/lint-layers.mjs` (a whole-tree scan, no dependencies) and ESLint's
// `telisik/layer-imports` rule (eslint.config.mjs): one table, two enforcers.
//   src/shared   → nothing from node:/Node built-ins, electron, react, DOM-only libraries; nothing outside src/shared
//   src/engine, src/cli, src/server → never electron, react, src/renderer, src/main, src/preload
//   src/cli      → src/engine only from src/cli/service.ts (the in-process transport's wiring): every command is a
//                  client of the service (issue 16.1), so the CLI and the UI share one path by construction
//   src/renderer → never node:/built-ins, electron, src/engine (nor src/server, src/main, src/cli)
//   src/preload  → only electron and src/shared
//   src/main     → never react or src/renderer
import { builtinModules } from 'node:module';
import { dirname, relative, resolve, sep } from 'node:path';

const builtins = new Set(builtinModules.flatMap((m) => [m, m.split('/')[0]]));
const DOM_ONLY = ['ag-grid-community', 'ag-grid-react', 'echarts', 'zrender', 'react-dom'];
const REACT = ['react', 'react-dom', 'react/jsx-runtime'];

const isNode = (s) => s.startsWith('node:') || builtins.has(s.split('/')[0]);
const pkgName = (s) => (s.startsWith('@') ? s.split('/').slice(0, 2).join('/') : s.split('/')[0]);
const isReact = (s) => REACT.includes(s) || pkgName(s) === 'react' || pkgName(s) === 'react-dom' || pkgName(s).startsWith('@vitejs');
const isElectron = (s) => pkgName(s) === 'electron' || pkgName(s).startsWith('@electron');

/** The layer (first folder under src/) of an absolute path, or 'outside'. */
export function layerOf(src, abs) {
  const rel = relative(src, abs);
  if (rel.startsWith('..')) return 'outside';
  return rel.split(sep)[0];
}

/** The problem with `file` (absolute, under `src`) importing `spec`, or null when the layering allows it. */
export function importProblem(src, file, spec) {
  const layer = layerOf(src, file);
  const target = spec.startsWith('.') ? resolve(dirname(file), spec) : null;
  return check(src, layer, spec, target, file);
}

/** The one file of src/cli that may import src/engine: the in-process transport's wiring. */
const CLI_ENGINE_GATE = ['cli', 'service.ts'].join(sep);

function check(src, layer, spec, target, file) {
  const node = isNode(spec);
  const rel = spec.startsWith('.');
  const tl = rel ? layerOf(src, target) : null;
  switch (layer) {
    case 'shared':
      if (node) return 'src/shared must not import Node modules';
      if (isElectron(spec)) return 'src/shared must not import electron';
      if (isReact(spec)) return 'src/shared must not import react';
      if (DOM_ONLY.includes(pkgName(spec))) return 'src/shared must not import DOM-only libraries';
      if (rel && tl !== 'shared') return `src/shared must not import from src/${tl}`;
      return null;
    case 'engine': case 'cli': case 'server':
      if (isElectron(spec)) return `src/${layer} must not import electron`;
      if (isReact(spec) || DOM_ONLY.includes(pkgName(spec))) return `src/${layer} must not import react/DOM libraries`;
      if (rel && ['renderer', 'main', 'preload'].includes(tl)) return `src/${layer} must not import from src/${tl}`;
      if (layer === 'cli' && rel && tl === 'engine' && relative(src, file) !== CLI_ENGINE_GATE) {
        return 'src/cli must not import from src/engine except in src/cli/service.ts (commands call the service)';
      }
      return null;
    case 'renderer':
      if (node) return 'src/renderer must not import Node modules';
      if (isElectron(spec)) return 'src/renderer must not import electron';
      if (rel && ['engine', 'server', 'main', 'cli', 'preload'].includes(tl)) return `src/renderer must not import from src/${tl}`;
      return null;
    case 'preload':
      if (rel) return tl === 'shared' || tl === 'preload' ? null : `src/preload may import only electron and src/shared (not src/${tl})`;
      return pkgName(spec) === 'electron' ? null : `src/preload may import only electron and src/shared (not ${spec})`;
    case 'main':
      if (isReact(spec) || DOM_ONLY.includes(pkgName(spec))) return 'src/main must not import react/DOM libraries';
      if (rel && tl === 'renderer') return 'src/main must not import from src/renderer';
      return null;
    default:
      return null;
  }
}

