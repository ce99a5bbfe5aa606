import type { Command } from './command';

// One line per command.
export const commands: Command[] = [
  require('./commands/audit').auditCommand,
  require('./commands/run').runCommand,
  require('./commands/demo').demoCommand,
];
