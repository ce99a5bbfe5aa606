import type { Command } from './command';

// One line per command.
export const commands: Command[] = [
];
