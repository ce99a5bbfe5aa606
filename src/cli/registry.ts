import type { Command } from './command';

// One line per command. Loaded with require() on purpose: a command's modules load when the registry does, in
// this order, and a command file stays free of import cycles through the registry.
/* eslint-disable @typescript-eslint/no-require-imports */
export const commands: Command[] = [
  require('./commands/import').importCommand,
  require('./commands/tables').tablesCommand,
  require('./commands/audit').auditCommand,
  require('./commands/run').runCommand,
  require('./commands/indicators').indicatorsCommand,
  require('./commands/demo').demoCommand,
  require('./commands/verify').verifyCommand,
  require('./commands/tool').toolCommand,
  require('./commands/findings').findingsCommand,
  require('./commands/report').reportCommand,
  require('./commands/review-import').reviewImportCommand,
  require('./commands/compare').compareCommand,
  require('./commands/recipe').recipeCommand,
  require('./commands/tlhp').tlhpCommand,
  require('./commands/query').queryCommand,
];
/* eslint-enable @typescript-eslint/no-require-imports */
