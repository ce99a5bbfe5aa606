/** A CLI command: one file under src/cli/commands, one line in src/cli/registry.ts. */
export interface Command {
  name: string;
  summary: string;
  usage: string;
  /** Returns the exit code: 0 ok, 1 verification failure, 2 usage error, 3 input error. */
  run(argv: string[]): Promise<number>;
}
