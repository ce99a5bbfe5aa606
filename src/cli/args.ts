/** Minimal argv parser: `--flag value`, `--flag=value`, repeated flags collect, bare words are positionals. */
export interface ParsedArgs {
  positionals: string[];
  flags: Map<string, string[]>;
}

export class UsageError extends Error {}
/** Bad input data (exit 3): the message names file, line and column where known. */
export class InputError extends Error {}

export function parseArgs(argv: string[], booleanFlags: string[] = []): ParsedArgs {
  const positionals: string[] = [];
  const flags = new Map<string, string[]>();
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a.startsWith('--')) {
      const eq = a.indexOf('=');
      const name = eq > 0 ? a.slice(2, eq) : a.slice(2);
      let value: string;
      if (eq > 0) value = a.slice(eq + 1);
      else if (booleanFlags.includes(name)) value = 'true';
      else {
        if (i + 1 >= argv.length) throw new UsageError(`--${name} needs a value`);
        value = argv[++i];
      }
      const list = flags.get(name) ?? [];
      list.push(value);
      flags.set(name, list);
    } else positionals.push(a);
  }
  return { positionals, flags };
}

export function flag(args: ParsedArgs, name: string): string | undefined {
  const v = args.flags.get(name);
  return v ? v[v.length - 1] : undefined;
}

export function requireFlag(args: ParsedArgs, name: string): string {
  const v = flag(args, name);
  if (v === undefined) throw new UsageError(`--${name} is required`);
  return v;
}

export function flagList(args: ParsedArgs, name: string): string[] {
  return args.flags.get(name) ?? [];
}

/**
 * Collects the files that follow a flag: `--registry a.csv b.csv --deaths c.csv` gives registry=[a,b].
 * Use for commands whose flags take several files.
 */
export function multiValueFlags(argv: string[], names: string[]): { values: Map<string, string[]>; rest: string[] } {
  const values = new Map<string, string[]>();
  const rest: string[] = [];
  let current: string | null = null;
  for (const a of argv) {
    if (a.startsWith('--')) {
      const name = a.slice(2).split('=')[0];
      if (names.includes(name)) {
        current = name;
        if (!values.has(name)) values.set(name, []);
        if (a.includes('=')) values.get(name)!.push(a.slice(a.indexOf('=') + 1));
        continue;
      }
      current = null;
      rest.push(a);
    } else if (current) values.get(current)!.push(a);
    else rest.push(a);
  }
  return { values, rest };
}
