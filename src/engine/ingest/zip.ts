/**
 * The zip container of an XLSX, read through its central directory: the list of parts with their sizes, and any one
 * part as a stream from its own offset. Reading parts by offset (not in one pass over the local headers) is what
 * makes the workbook reader deterministic: a single streaming pass lost trailing parts under load (exceljs' stream
 * reader dropped xl/workbook.xml, the last part an exceljs-written file holds, in about 3 of 1,000 reads on a busy
 * machine, so sheets lost their names and a named sheet was "not found").
 */
import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import { type Readable, Transform } from 'node:stream';
import { createInflateRaw } from 'node:zlib';

const MB = 1048576;

export interface ZipEntryInfo {
  name: string;
  compressed: number;
  uncompressed: number;
  /** 0 stored, 8 deflated; anything else is refused when the part is read */
  method: number;
  /** general purpose flags; bit 0: the part is encrypted */
  flags: number;
  /** offset of the part's local header in the file */
  offset: number;
}

/** Entries of a zip from its central directory (zip64 aware); null when there is no readable directory. */
export async function zipDirectory(path: string): Promise<ZipEntryInfo[] | null> {
  const fh = await open(path, 'r');
  try {
    const { size } = await fh.stat();
    const tailLen = Math.min(size, 65557 + 20);
    const tail = Buffer.alloc(tailLen);
    await fh.read(tail, 0, tailLen, size - tailLen);
    let eocd = -1;
    for (let i = tailLen - 22; i >= 0; i--) if (tail.readUInt32LE(i) === 0x06054b50) { eocd = i; break; }
    if (eocd < 0) return null;
    let count = tail.readUInt16LE(eocd + 10);
    let cdSize = tail.readUInt32LE(eocd + 12);
    let cdOff = tail.readUInt32LE(eocd + 16);
    if ((cdOff === 0xffffffff || cdSize === 0xffffffff || count === 0xffff) && eocd >= 20 && tail.readUInt32LE(eocd - 20) === 0x07064b50) {
      const z64 = Number(tail.readBigUInt64LE(eocd - 20 + 8));
      const rec = Buffer.alloc(56);
      await fh.read(rec, 0, 56, z64);
      if (rec.readUInt32LE(0) === 0x06064b50) {
        count = Number(rec.readBigUInt64LE(32));
        cdSize = Number(rec.readBigUInt64LE(40));
        cdOff = Number(rec.readBigUInt64LE(48));
      }
    }
    if (cdSize > 64 * MB || cdOff + cdSize > size) return null;
    const cd = Buffer.alloc(cdSize);
    await fh.read(cd, 0, cdSize, cdOff);
    const out: ZipEntryInfo[] = [];
    let p = 0;
    while (p + 46 <= cd.length && cd.readUInt32LE(p) === 0x02014b50) {
      const flags = cd.readUInt16LE(p + 8), method = cd.readUInt16LE(p + 10);
      let compressed = cd.readUInt32LE(p + 20);
      let uncompressed = cd.readUInt32LE(p + 24);
      const nameLen = cd.readUInt16LE(p + 28), extraLen = cd.readUInt16LE(p + 30), commentLen = cd.readUInt16LE(p + 32);
      let offset = cd.readUInt32LE(p + 42);
      const name = cd.toString('utf8', p + 46, p + 46 + nameLen);
      // zip64 extended information: the 64-bit values of the fields that hold 0xFFFFFFFF, in this order
      let e = p + 46 + nameLen;
      const eEnd = Math.min(e + extraLen, cd.length);
      while (e + 4 <= eEnd) {
        const id = cd.readUInt16LE(e), len = cd.readUInt16LE(e + 2);
        if (id === 0x0001) {
          let q = e + 4;
          const end = e + 4 + len;
          if (uncompressed === 0xffffffff && q + 8 <= end) { uncompressed = Number(cd.readBigUInt64LE(q)); q += 8; }
          if (compressed === 0xffffffff && q + 8 <= end) { compressed = Number(cd.readBigUInt64LE(q)); q += 8; }
          if (offset === 0xffffffff && q + 8 <= end) { offset = Number(cd.readBigUInt64LE(q)); q += 8; }
        }
        e += 4 + len;
      }
      out.push({ name, compressed, uncompressed, method, flags, offset });
      p += 46 + nameLen + extraLen + commentLen;
    }
    return out;
  } finally { await fh.close(); }
}

/** A zip part that cannot be read: encrypted, an unknown compression, or a local header that is not where it should be. */
export class ZipPartError extends Error {}

/**
 * The inflated bytes of one part. `onRaw` receives the count of compressed bytes read so far (progress through the
 * file); `limit` fails the stream once more inflated bytes than that went by (declared sizes can lie).
 */
export async function openZipPart(path: string, e: ZipEntryInfo, opts: { limit: number; onLimit: (read: number) => Error; onRaw?: (read: number) => void }): Promise<Readable> {
  if (e.flags & 1) throw new ZipPartError(`${e.name}: encrypted part`);
  if (e.method !== 0 && e.method !== 8) throw new ZipPartError(`${e.name}: compression method ${e.method} is not supported`);
  const head = Buffer.alloc(30);
  const fh = await open(path, 'r');
  try {
    const { bytesRead } = await fh.read(head, 0, 30, e.offset);
    if (bytesRead < 30 || head.readUInt32LE(0) !== 0x04034b50) throw new ZipPartError(`${e.name}: no local header at offset ${e.offset}`);
  } finally { await fh.close(); }
  const start = e.offset + 30 + head.readUInt16LE(26) + head.readUInt16LE(28);
  let raw = 0;
  let inflated = 0;
  const limit = new Transform({
    transform(chunk: Buffer, _enc, cb) {
      inflated += chunk.length;
      if (inflated > opts.limit) cb(opts.onLimit(inflated)); else cb(null, chunk);
    },
  });
  if (e.compressed === 0) { limit.end(); return limit; }
  const src = createReadStream(path, { start, end: start + e.compressed - 1 });
  src.on('data', (c) => { raw += c.length; opts.onRaw?.(raw); });
  const fail = (err: Error) => limit.destroy(err);
  src.on('error', fail);
  src.on('end', () => { if (raw !== e.compressed) fail(new ZipPartError(`${e.name}: ${raw} of ${e.compressed} bytes (truncated file)`)); });
  if (e.method === 8) {
    const inflate = createInflateRaw();
    inflate.on('error', fail);
    src.pipe(inflate).pipe(limit);
  } else src.pipe(limit);
  // a consumer that stops early (a found sheet, an abort) destroys the returned stream: the file is released too
  limit.on('close', () => src.destroy());
  return limit;
}
