// typescript-eslint parses with TypeScript's JavaScript API (`ts.createSourceFile`). The project's compiler,
// TypeScript 7.0.2 (the native port), ships no JavaScript API: `require('typescript')` answers only its version. So the
// linter gets its own TypeScript 5.9 (devDependency `typescript-eslint-ts`, an npm alias of typescript@5.9.3), and
// this hook hands it to typescript-eslint's packages only — `tsc` and everything else keep TypeScript 7. Loaded by
// eslint.config.mjs before typescript-eslint. (typescript-eslint 8.74 takes TypeScript 7 itself from 7.1 on, as the
// optional peer `@typescript/native`; then this file and the alias can go.)
const Module = require('node:module');
const { sep } = require('node:path');

const resolve = Module._resolveFilename;
const linterTs = require.resolve('typescript-eslint-ts');
Module._resolveFilename = function (request, parent, ...rest) {
  if (request === 'typescript' && parent && typeof parent.filename === 'string'
    && (parent.filename.includes(`${sep}@typescript-eslint${sep}`) || parent.filename.includes(`${sep}typescript-eslint${sep}`)
      || parent.filename.includes(`${sep}ts-api-utils${sep}`))) {
    return linterTs;
  }
  return resolve.call(this, request, parent, ...rest);
};
