/**
 * Builds one Arrow IPC stream (one record batch) from DuckDB result chunks. @duckdb/node-api has no Arrow export,
 * and apache-arrow's `vectorFromArray` is slow (≈ 4.4 s per 1M strings, STACK.md) and relies on `new Function`, so
 * the vectors are assembled by hand: strings via TextEncoder.encodeInto into one growing buffer + Int32 offsets,
 * numbers into a Float64Array, then `makeData`. The renderer decodes with `tableFromIPC` (CSP-safe).
 *
 * Types on the wire are deliberately few: Utf8 (text, NIK, dates as 'YYYY-MM-DD', timestamps, anything exotic),
 * Float64 (all numbers: DECIMAL money, BIGINT ids within 2^53), Int32 (small integers), Bool.
 */
import { DuckDBTypeId, type DuckDBConnection, type DuckDBDataChunk, type DuckDBValue } from '@duckdb/node-api';
import type * as Arrow from 'apache-arrow';
import type { Bool, Data, DataType, Float64, Int32, Utf8 } from 'apache-arrow';

// apache-arrow is loaded when the first batch is built (about 0.25 s): a CLI command or engine start that sends no
// grid page does not pay for it.
let arrowLib: typeof Arrow | undefined;
function lib(): typeof Arrow {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- a deferred load (see above); types come from `import type`
  arrowLib ??= require('apache-arrow') as typeof Arrow;
  return arrowLib;
}

export type ArrowKind = 'utf8' | 'float64' | 'int32' | 'bool';

export interface ArrowColumnSpec {
  name: string;
  kind: ArrowKind;
  /** Applied to text values before encoding (e.g. NIK masking). */
  transform?: (s: string) => string;
}

const encoder = new TextEncoder();

class Validity {
  bits: Uint8Array;
  nulls = 0;
  constructor(cap: number) { this.bits = new Uint8Array(Math.max(8, (cap + 7) >> 3)).fill(255); }
  ensure(n: number) {
    if ((n + 7) >> 3 <= this.bits.length) return;
    const next = new Uint8Array(Math.max(this.bits.length * 2, (n + 7) >> 3)).fill(255);
    next.set(this.bits);
    this.bits = next;
  }
  setNull(i: number) { this.ensure(i + 1); this.bits[i >> 3] &= ~(1 << (i & 7)); this.nulls++; }
  finish(length: number): Uint8Array | undefined {
    if (this.nulls === 0) return undefined;
    this.ensure(length);
    return this.bits.subarray(0, (length + 7) >> 3);
  }
}

export class Utf8Builder {
  private bytes: Uint8Array;
  private offsets: Int32Array;
  private used = 0;
  length = 0;
  private valid: Validity;
  constructor(capacity = 1024) {
    this.bytes = new Uint8Array(Math.max(64, capacity * 16));
    this.offsets = new Int32Array(capacity + 1);
    this.valid = new Validity(capacity);
  }
  append(s: string | null | undefined): void {
    const i = this.length;
    if (i + 2 > this.offsets.length) {
      const o = new Int32Array(this.offsets.length * 2);
      o.set(this.offsets);
      this.offsets = o;
    }
    if (s === null || s === undefined) {
      this.valid.setNull(i);
    } else {
      // UTF-16 code unit → at most 3 UTF-8 bytes.
      const need = this.used + s.length * 3;
      if (need > this.bytes.length) {
        const b = new Uint8Array(Math.max(need, this.bytes.length * 2));
        b.set(this.bytes.subarray(0, this.used));
        this.bytes = b;
      }
      this.used += encoder.encodeInto(s, this.bytes.subarray(this.used)).written;
    }
    this.length = i + 1;
    this.offsets[this.length] = this.used;
  }
  finish(): Data<Utf8> {
    const A = lib();
    return A.makeData({
      type: new A.Utf8(), length: this.length, nullCount: this.valid.nulls, nullBitmap: this.valid.finish(this.length),
      valueOffsets: this.offsets.slice(0, this.length + 1), data: this.bytes.slice(0, this.used),
    });
  }
}

abstract class FixedBuilder<A extends Float64Array | Int32Array> {
  length = 0;
  protected valid: Validity;
  constructor(protected values: A) { this.valid = new Validity(values.length); }
  protected abstract grow(n: number): A;
  append(v: number | null | undefined): void {
    const i = this.length;
    if (i >= this.values.length) {
      const next = this.grow(this.values.length * 2);
      next.set(this.values);
      this.values = next;
    }
    if (v === null || v === undefined || Number.isNaN(v)) { this.valid.setNull(i); this.values[i] = 0; }
    else this.values[i] = v;
    this.length = i + 1;
  }
}

export class Float64Builder extends FixedBuilder<Float64Array> {
  constructor(capacity = 1024) { super(new Float64Array(Math.max(8, capacity))); }
  protected grow(n: number) { return new Float64Array(n); }
  finish(): Data<Float64> {
    const A = lib();
    return A.makeData({ type: new A.Float64(), length: this.length, nullCount: this.valid.nulls, nullBitmap: this.valid.finish(this.length), data: this.values.slice(0, this.length) });
  }
}

export class Int32Builder extends FixedBuilder<Int32Array> {
  constructor(capacity = 1024) { super(new Int32Array(Math.max(8, capacity))); }
  protected grow(n: number) { return new Int32Array(n); }
  finish(): Data<Int32> {
    const A = lib();
    return A.makeData({ type: new A.Int32(), length: this.length, nullCount: this.valid.nulls, nullBitmap: this.valid.finish(this.length), data: this.values.slice(0, this.length) });
  }
}

export class BoolBuilder {
  length = 0;
  private bits = new Uint8Array(128);
  private valid = new Validity(1024);
  append(v: boolean | null | undefined): void {
    const i = this.length;
    if ((i >> 3) >= this.bits.length) { const b = new Uint8Array(this.bits.length * 2); b.set(this.bits); this.bits = b; }
    if (v === null || v === undefined) this.valid.setNull(i);
    else if (v) this.bits[i >> 3] |= 1 << (i & 7);
    this.length = i + 1;
  }
  finish(): Data<Bool> {
    const A = lib();
    return A.makeData({ type: new A.Bool(), length: this.length, nullCount: this.valid.nulls, nullBitmap: this.valid.finish(this.length), data: this.bits.slice(0, (this.length + 7) >> 3) });
  }
}

type AnyBuilder = Utf8Builder | Float64Builder | Int32Builder | BoolBuilder;

function newBuilder(kind: ArrowKind, capacity: number): AnyBuilder {
  switch (kind) {
    case 'utf8': return new Utf8Builder(capacity);
    case 'float64': return new Float64Builder(capacity);
    case 'int32': return new Int32Builder(capacity);
    case 'bool': return new BoolBuilder();
  }
}

/** The Arrow kind a DuckDB column travels as. */
export function arrowKindFor(typeId: DuckDBTypeId): ArrowKind {
  switch (typeId) {
    case DuckDBTypeId.BOOLEAN: return 'bool';
    case DuckDBTypeId.TINYINT: case DuckDBTypeId.SMALLINT: case DuckDBTypeId.INTEGER:
    case DuckDBTypeId.UTINYINT: case DuckDBTypeId.USMALLINT:
      return 'int32';
    case DuckDBTypeId.BIGINT: case DuckDBTypeId.UBIGINT: case DuckDBTypeId.UINTEGER: case DuckDBTypeId.HUGEINT:
    case DuckDBTypeId.UHUGEINT: case DuckDBTypeId.FLOAT: case DuckDBTypeId.DOUBLE: case DuckDBTypeId.DECIMAL:
      return 'float64';
    default:
      return 'utf8';
  }
}

function toNumber(v: DuckDBValue): number | null {
  if (v === null || v === undefined) return null;
  if (typeof v === 'number') return v;
  if (typeof v === 'bigint') return Number(v);
  if (typeof v === 'boolean') return v ? 1 : 0;
  const d = v as { toDouble?: () => number };
  if (typeof d.toDouble === 'function') return d.toDouble();
  const n = Number(String(v));
  return Number.isFinite(n) ? n : null;
}

function toText(v: DuckDBValue): string | null {
  if (v === null || v === undefined) return null;
  if (typeof v === 'string') return v;
  return String(v);
}

/** Accumulates DuckDB chunks (or plain values) column by column and emits one Arrow IPC stream. */
export class ArrowBatchBuilder {
  private readonly builders: AnyBuilder[];
  rows = 0;
  constructor(readonly columns: ArrowColumnSpec[], capacity = 1024) {
    this.builders = columns.map((c) => newBuilder(c.kind, capacity));
  }

  appendChunk(chunk: DuckDBDataChunk): void {
    const n = chunk.rowCount;
    for (let c = 0; c < this.columns.length; c++) {
      const vec = chunk.getColumnVector(c);
      const spec = this.columns[c];
      const b = this.builders[c];
      if (spec.kind === 'utf8') {
        const ub = b as Utf8Builder;
        const tf = spec.transform;
        for (let i = 0; i < n; i++) {
          const t = toText(vec.getItem(i));
          ub.append(t !== null && tf ? tf(t) : t);
        }
      } else if (spec.kind === 'bool') {
        for (let i = 0; i < n; i++) { const v = vec.getItem(i); (b as BoolBuilder).append(v === null ? null : Boolean(v)); }
      } else {
        for (let i = 0; i < n; i++) (b as Float64Builder).append(toNumber(vec.getItem(i)));
      }
    }
    this.rows += n;
  }

  /** Row-wise append for values that do not come from DuckDB (tests, tool results). */
  appendRow(values: unknown[]): void {
    for (let c = 0; c < this.columns.length; c++) {
      const v = values[c];
      const spec = this.columns[c];
      const b = this.builders[c];
      if (spec.kind === 'utf8') {
        const t = v === null || v === undefined ? null : String(v);
        (b as Utf8Builder).append(t !== null && spec.transform ? spec.transform(t) : t);
      } else if (spec.kind === 'bool') (b as BoolBuilder).append(v === null || v === undefined ? null : Boolean(v));
      else (b as Float64Builder).append(toNumber(v as DuckDBValue));
    }
    this.rows++;
  }

  finish(): Uint8Array {
    const A = lib();
    const fields = this.columns.map((c, i) => new A.Field(c.name, this.builders[i] instanceof Utf8Builder ? new A.Utf8() : this.builders[i] instanceof Float64Builder ? new A.Float64() : this.builders[i] instanceof Int32Builder ? new A.Int32() : new A.Bool(), true));
    const schema = new A.Schema(fields);
    const children = this.builders.map((b) => b.finish() as Data<DataType>);
    const data = A.makeData({ type: new A.Struct(fields), length: this.rows, nullCount: 0, children });
    const batch = new A.RecordBatch(schema, data);
    return A.tableToIPC(new A.Table(schema, [batch]), 'stream');
  }
}

/**
 * Runs a query and returns its rows as one Arrow IPC stream. Column kinds follow the DuckDB result types; `transform`
 * maps column name → text transform (masking).
 */
export async function queryArrow(
  conn: DuckDBConnection,
  sql: string,
  params?: Record<string, DuckDBValue> | DuckDBValue[],
  opts: { transform?: Record<string, (s: string) => string> } = {},
): Promise<{ arrow: Uint8Array; rows: number; columns: { name: string; type: string }[] }> {
  // Materialised, not streamed: a page is small, and a pending stream is invalidated by any other query on the
  // same connection (docs/contract-requests.md #6).
  const result = await conn.run(sql, params);
  const columns: ArrowColumnSpec[] = [];
  const described: { name: string; type: string }[] = [];
  for (let i = 0; i < result.columnCount; i++) {
    const name = result.columnName(i);
    const type = result.columnType(i);
    columns.push({ name, kind: arrowKindFor(type.typeId), transform: opts.transform?.[name] });
    described.push({ name, type: type.toString() });
  }
  const builder = new ArrowBatchBuilder(columns);
  for (;;) {
    const chunk = await result.fetchChunk();
    if (!chunk || chunk.rowCount === 0) break;
    builder.appendChunk(chunk);
  }
  return { arrow: builder.finish(), rows: builder.rows, columns: described };
}
