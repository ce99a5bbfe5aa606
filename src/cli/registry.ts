import type { Command } from './command';

// One line per command.
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
