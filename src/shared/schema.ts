/**
 * A tiny runtime schema helper for call arguments (no zod here). A schema both validates unknown input coming over
 * a boundary (IPC, HTTP) and gives the static type via `Infer<typeof schema>`. Validation never throws past
 * `validate()`: the result is data, so a malformed call becomes a typed `invalid_args` error, never a crash.
 */

export interface Issue {
  path: string;
  message: string;
}

export interface Schema<T> {
  /** Returns the cleaned value or pushes issues (and returns undefined). */
  check(value: unknown, path: string, issues: Issue[]): T | undefined;
  /** Human readable type, used in error messages and docs. */
  readonly describe: string;
  /** Marks the key as optional when used inside `object()`. */
  readonly optional?: boolean;
}

export type Infer<S> = S extends Schema<infer T> ? T : never;

function schema<T>(describe: string, check: Schema<T>['check']): Schema<T> {
  return { describe, check };
}

const typeName = (v: unknown): string => (v === null ? 'null' : Array.isArray(v) ? 'array' : typeof v);

export function string(opts: { min?: number; max?: number; pattern?: RegExp } = {}): Schema<string> {
  const max = opts.max ?? 100_000;
  return schema('string', (v, path, issues) => {
    if (typeof v !== 'string') { issues.push({ path, message: `expected string, got ${typeName(v)}` }); return undefined; }
    if (opts.min !== undefined && v.length < opts.min) { issues.push({ path, message: `must have at least ${opts.min} characters` }); return undefined; }
    if (v.length > max) { issues.push({ path, message: `must have at most ${max} characters` }); return undefined; }
    if (opts.pattern && !opts.pattern.test(v)) { issues.push({ path, message: `does not match ${opts.pattern}` }); return undefined; }
    return v;
  });
}

export function number(opts: { min?: number; max?: number; int?: boolean } = {}): Schema<number> {
  return schema(opts.int ? 'integer' : 'number', (v, path, issues) => {
    if (typeof v !== 'number' || !Number.isFinite(v)) { issues.push({ path, message: `expected finite number, got ${typeName(v)}` }); return undefined; }
    if (opts.int && !Number.isSafeInteger(v)) { issues.push({ path, message: 'expected an integer' }); return undefined; }
    if (opts.min !== undefined && v < opts.min) { issues.push({ path, message: `must be ≥ ${opts.min}` }); return undefined; }
    if (opts.max !== undefined && v > opts.max) { issues.push({ path, message: `must be ≤ ${opts.max}` }); return undefined; }
    return v;
  });
}

export const int = (opts: { min?: number; max?: number } = {}) => number({ ...opts, int: true });

export function boolean(): Schema<boolean> {
  return schema('boolean', (v, path, issues) => {
    if (typeof v !== 'boolean') { issues.push({ path, message: `expected boolean, got ${typeName(v)}` }); return undefined; }
    return v;
  });
}

export function literal<const T extends string | number | boolean | null>(value: T): Schema<T> {
  return schema(JSON.stringify(value), (v, path, issues) => {
    if (v !== value) { issues.push({ path, message: `expected ${JSON.stringify(value)}` }); return undefined; }
    return value;
  });
}

export function oneOf<const T extends readonly string[]>(values: T): Schema<T[number]> {
  return schema(values.map((x) => JSON.stringify(x)).join(' | '), (v, path, issues) => {
    if (typeof v !== 'string' || !values.includes(v)) {
      issues.push({ path, message: `expected one of ${values.join(', ')}` });
      return undefined;
    }
    return v as T[number];
  });
}

export function array<T>(item: Schema<T>, opts: { min?: number; max?: number } = {}): Schema<T[]> {
  const max = opts.max ?? 100_000;
  return schema(`${item.describe}[]`, (v, path, issues) => {
    if (!Array.isArray(v)) { issues.push({ path, message: `expected array, got ${typeName(v)}` }); return undefined; }
    if (opts.min !== undefined && v.length < opts.min) { issues.push({ path, message: `needs at least ${opts.min} item(s)` }); return undefined; }
    if (v.length > max) { issues.push({ path, message: `at most ${max} items` }); return undefined; }
    const before = issues.length;
    const out = v.map((x, i) => item.check(x, `${path}[${i}]`, issues) as T);
    return issues.length > before ? undefined : out;
  });
}

export function optional<T>(inner: Schema<T>): Schema<T | undefined> {
  return {
    describe: `${inner.describe}?`,
    optional: true,
    check: (v, path, issues) => (v === undefined || v === null ? undefined : inner.check(v, path, issues)),
  };
}

export function nullable<T>(inner: Schema<T>): Schema<T | null> {
  return schema(`${inner.describe} | null`, (v, path, issues) => (v === null ? null : (inner.check(v, path, issues) as T | null)));
}

export type Shape = Record<string, Schema<unknown>>;
type OptionalKeys<S extends Shape> = { [K in keyof S]: undefined extends Infer<S[K]> ? K : never }[keyof S];
type RequiredKeys<S extends Shape> = Exclude<keyof S, OptionalKeys<S>>;
export type ObjectOf<S extends Shape> = { [K in RequiredKeys<S>]: Infer<S[K]> } & { [K in OptionalKeys<S>]?: Infer<S[K]> };
type Flat<T> = { [K in keyof T]: T[K] };

function isPlainObject(v: unknown): v is Record<string, unknown> {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return false;
  const proto = Object.getPrototypeOf(v);
  return proto === Object.prototype || proto === null;
}

/** Unknown keys are rejected: a typo in an argument name should fail loudly, not be silently ignored. */
export function object<S extends Shape>(shape: S): Schema<Flat<ObjectOf<S>>> {
  const keys = Object.keys(shape);
  return schema(`{ ${keys.map((k) => `${k}${shape[k].optional ? '?' : ''}: ${shape[k].describe}`).join('; ')} }`, (v, path, issues) => {
    if (!isPlainObject(v)) { issues.push({ path, message: `expected object, got ${typeName(v)}` }); return undefined; }
    const before = issues.length;
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(v)) {
      if (!Object.prototype.hasOwnProperty.call(shape, k)) issues.push({ path: path ? `${path}.${k}` : k, message: 'unknown argument' });
    }
    for (const k of keys) {
      const s = shape[k];
      const p = path ? `${path}.${k}` : k;
      const raw = v[k];
      if (raw === undefined || raw === null) {
        if (!s.optional) issues.push({ path: p, message: 'is required' });
        continue;
      }
      const val = s.check(raw, p, issues);
      if (val !== undefined) out[k] = val;
    }
    return issues.length > before ? undefined : (out as Flat<ObjectOf<S>>);
  });
}

/** A string-keyed map whose keys are bounded (mappings, settings patches). */
export function record<T>(value: Schema<T>, opts: { maxKeys?: number } = {}): Schema<Record<string, T>> {
  const maxKeys = opts.maxKeys ?? 1000;
  return schema(`Record<string, ${value.describe}>`, (v, path, issues) => {
    if (!isPlainObject(v)) { issues.push({ path, message: `expected object, got ${typeName(v)}` }); return undefined; }
    const entries = Object.entries(v);
    if (entries.length > maxKeys) { issues.push({ path, message: `at most ${maxKeys} keys` }); return undefined; }
    const before = issues.length;
    const out: Record<string, T> = Object.create(null);
    for (const [k, raw] of entries) {
      if (k === '__proto__' || k === 'constructor' || k === 'prototype') { issues.push({ path: `${path}.${k}`, message: 'forbidden key' }); continue; }
      const val = value.check(raw, `${path}.${k}`, issues);
      if (val !== undefined) out[k] = val;
    }
    return issues.length > before ? undefined : { ...out };
  });
}

export function union<T extends Schema<unknown>[]>(...options: T): Schema<Infer<T[number]>> {
  return schema(options.map((o) => o.describe).join(' | '), (v, path, issues) => {
    for (const o of options) {
      const local: Issue[] = [];
      const out = o.check(v, path, local);
      if (local.length === 0) return out as Infer<T[number]>;
    }
    issues.push({ path, message: `expected ${options.map((o) => o.describe).join(' | ')}` });
    return undefined;
  });
}

/** Any JSON value (depth-limited); for free-form parameters whose shape the engine checks itself. */
export function json(maxDepth = 8): Schema<unknown> {
  const ok = (v: unknown, d: number): boolean => {
    if (d > maxDepth) return false;
    if (v === null || typeof v === 'string' || typeof v === 'boolean') return true;
    if (typeof v === 'number') return Number.isFinite(v);
    if (Array.isArray(v)) return v.every((x) => ok(x, d + 1));
    if (isPlainObject(v)) return Object.keys(v).every((k) => k !== '__proto__' && ok(v[k], d + 1));
    return false;
  };
  return schema('json', (v, path, issues) => {
    if (!ok(v, 0)) { issues.push({ path, message: 'expected a JSON value' }); return undefined; }
    return v;
  });
}

export const empty = () => object({});

export function validate<T>(s: Schema<T>, value: unknown): { ok: true; value: T } | { ok: false; issues: Issue[] } {
  const issues: Issue[] = [];
  let out: T | undefined;
  try {
    out = s.check(value, '', issues);
  } catch (e) {
    issues.push({ path: '', message: `unreadable value: ${String((e as Error)?.message ?? e)}` });
  }
  return issues.length > 0 ? { ok: false, issues } : { ok: true, value: out as T };
}
