#!/usr/bin/env node
// Runs the TypeScript CLI directly (tsx), so a fresh `npm install` needs no build step.
require('tsx/cjs/api').register();
require('../src/cli/main.ts').main(process.argv.slice(2)).then(
  (code) => { process.exitCode = code; },
  (err) => { console.error(err && err.stack ? err.stack : String(err)); process.exitCode = 4; },
);
