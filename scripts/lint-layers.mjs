#!/usr/bin/env node
// Layering lint (`npm run lint`): each folder of src/ may import only what may run where it runs.
//   src/shared   → nothing from node:/Node built-ins, electron, react, DOM-only libraries; nothing outside src/shared
//   src/engine, src/cli, src/server → never electron, react, src/renderer, src/main, src/preload
//   src/renderer → never node:/built-ins, electron, src/engine (nor src/server, src/main, src/cli)
//   src/preload  → only electron and src/shared
//   src/main     → never react or src/renderer
// Prints file:line for every violation and exits 1.
import { readdirSync, readFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = process.env.LINT_LAYERS_ROOT ? resolve(process.env.LINT_LAYERS_ROOT) : resolve(dirname(fileURLToPath(import.meta.url)), '..');
const src = join(root, 'src');
const builtins = new Set(builtinModules.flatMap((m) => [m, m.split('/')[0]]));
const DOM_ONLY = ['ag-grid-community', 'ag-grid-react', 'echarts', 'zrender', 'react-dom'];
const REACT = ['react', 'react-dom', 'react/jsx-runtime'];

const isNode = (s) => s.startsWith('node:') || builtins.has(s.split('/')[0]);
const pkgName = (s) => (s.startsWith('@') ? s.split('/').slice(0, 2).join('/') : s.split('/')[0]);
const isReact = (s) => REACT.includes(s) || pkgName(s) === 'react' || pkgName(s) === 'react-dom' || pkgName(s).startsWith('@vitejs');
const isElectron = (s) => pkgName(s) === 'electron' || pkgName(s).startsWith('@electron');

function layerOf(abs) {
  const rel = relative(src, abs);
  if (rel.startsWith('..')) return 'outside';
  return rel.split(sep)[0];
}

const IMPORT_RE = [
  /(?:^|[^\w$.])import\s+(?:type\s+)?(?:[\w$*{}\s,]+?\s+from\s+)?['"]([^'"]+)['"]/g,
  /(?:^|[^\w$.])export\s+(?:type\s+)?(?:\*|\{[^}]*\})(?:\s+as\s+[\w$]+)?\s+from\s+['"]([^'"]+)['"]/g,
  /(?:^|[^\w$.])require\s*\(\s*['"]([^'"]+)['"]\s*\)/g,
  /(?:^|[^\w$.])import\s*\(\s*['"]([^'"]+)['"]\s*\)/g,
];

function* files(dir) {
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) { if (e.name !== 'node_modules') yield* files(p); }
    else if (/\.(ts|tsx|mts|cts|js|mjs|cjs|jsx)$/.test(e.name) && !e.name.endsWith('.d.ts')) yield p;
  }
}

function stripComments(text) {
  // Keep line structure so line numbers stay right.
  return text
    .replace(/\/\*[\s\S]*?\*\//g, (m) => m.replace(/[^\n]/g, ' '))
    .replace(/(^|[^:'"`\\])\/\/[^\n]*/g, (m, p1) => p1 + ' '.repeat(m.length - p1.length));
}

function check(layer, spec, target) {
  const node = isNode(spec);
  const rel = spec.startsWith('.');
  const tl = rel ? layerOf(target) : null;
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

const violations = [];
let count = 0;
for (const file of files(src)) {
  const layer = layerOf(file);
  const text = stripComments(readFileSync(file, 'utf8'));
  count++;
  for (const re of IMPORT_RE) {
    re.lastIndex = 0;
    let m;
    while ((m = re.exec(text))) {
      const spec = m[1];
      const target = spec.startsWith('.') ? resolve(dirname(file), spec) : null;
      const problem = check(layer, spec, target);
      if (problem) {
        const line = text.slice(0, m.index + m[0].indexOf(spec)).split('\n').length;
        violations.push(`${relative(root, file)}:${line}: ${problem} ('${spec}')`);
      }
    }
  }
}

if (violations.length) {
  for (const v of [...new Set(violations)]) console.error(v);
  console.error(`\nlint-layers: ${new Set(violations).size} violation(s) in ${count} files`);
  process.exit(1);
}
console.log(`lint-layers: ${count} files, layering OK`);
