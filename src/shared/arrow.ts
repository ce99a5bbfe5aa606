// Arrow IPC page -> plain row objects (the UI's grid, the CLI's query). `tableFromIPC` is CSP-safe (no `new Function`), unlike the
// builders; values are normalised so cells never see BigInt or Arrow decimal words.
import { tableFromIPC, Type } from 'apache-arrow';

export type Row = Record<string, unknown>;

function normalise(v: unknown, typeId: Type, scale: number): unknown {
  if (v === null || v === undefined) return null;
  if (typeof v === 'bigint') {
    if (typeId === Type.Decimal && scale > 0) return Number(v) / 10 ** scale;
    return v <= BigInt(Number.MAX_SAFE_INTEGER) && v >= BigInt(Number.MIN_SAFE_INTEGER) ? Number(v) : v.toString();
  }
  if (typeId === Type.Decimal && typeof v === 'object' && v !== null) {
    // Arrow JS returns decimals as 4 little-endian uint32 words; rupiah fit in the low 64 bits.
    const w = v as Uint32Array;
    const big = BigInt.asIntN(64, (BigInt(w[1] >>> 0) << 32n) | BigInt(w[0] >>> 0));
    return Number(big) / 10 ** scale;
  }
  if (v instanceof Date) return v.getTime();
  return v;
}

export function decodeArrow(bytes: Uint8Array): { rows: Row[]; fields: string[] } {
  if (!bytes || bytes.byteLength === 0) return { rows: [], fields: [] };
  const table = tableFromIPC(bytes);
  const fields = table.schema.fields.map((f) => f.name);
  const cols = table.schema.fields.map((f, i) => ({
    name: f.name,
    vec: table.getChildAt(i)!,
    typeId: f.type.typeId as Type,
    scale: (f.type as { scale?: number }).scale ?? 0,
  }));
  const rows: Row[] = new Array(table.numRows);
  for (let r = 0; r < table.numRows; r++) {
    const row: Row = {};
    for (const c of cols) row[c.name] = normalise(c.vec.get(r), c.typeId, c.scale);
    rows[r] = row;
  }
  return { rows, fields };
}
