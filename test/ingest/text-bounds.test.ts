/**
 * Bounds of the text reader, at small scale (docs/ingest-requests.md R3, R4, R7): the record splitter with a tiny
 * record limit, and the line-by-line UTF-8 decoder fed in awkward chunks.
 */
import { describe, expect, it } from 'vitest';
import { RecordSplitter, Utf8LineDecoder, type TextRecord } from '../../src/engine/ingest/text';

function split(text: string, chunk: number, max?: number): TextRecord[] {
  const out: TextRecord[] = [];
  const sp = new RecordSplitter(',', (r) => out.push(r), max);
  for (let i = 0; i < text.length; i += chunk) sp.push(text.slice(i, i + chunk));
  sp.push('', true);
  return out;
}

describe('RecordSplitter bounds', () => {
  it('an over-long line is reported once (cut), skipped without buffering, and the line numbers stay right', () => {
    const text = `a,b,c\n1,${'x'.repeat(5000)},3\n4,5,6\n`;
    for (const chunk of [7, 100, 10_000]) {
      const recs = split(text, chunk, 1000);
      expect(recs.map((r) => [r.line, r.bad ?? null, r.bad ? null : r.fields])).toEqual([
        [1, null, ['a', 'b', 'c']], [2, 'long', null], [3, null, ['4', '5', '6']],
      ]);
      expect(recs[1].raw.length).toBeLessThan(1200);
      expect(recs[1].raw).toMatch(/^1,xxxx.*truncated: record too long/);
    }
  });

  it('an over-long line at the end of the file without a newline', () => {
    const recs = split(`a,b\n1,${'x'.repeat(3000)}`, 50, 1000);
    expect(recs.map((r) => [r.line, r.bad ?? null])).toEqual([[1, null], [2, 'long']]);
  });

  it('a quote still open after the record limit costs only its first line', () => {
    const rest = Array.from({ length: 200 }, (_, i) => `${i},n${i},z`).join('\n');
    const recs = split(`a,b,c\n1,"open,z\n${rest}\n`, 64, 1000);
    expect(recs[1]).toMatchObject({ line: 2, bad: 'quote', raw: '1,"open,z' });
    expect(recs.length).toBe(202);
    expect(recs.slice(2).every((r) => !r.bad && r.fields.length === 3)).toBe(true);
    expect(recs[201].line).toBe(202);
  });

  it('a legitimate quoted field with newlines and the usual field count is one record', () => {
    const recs = split('a,b,c\n1,2,3\n4,"line one\nline two",6\n7,8,9\n', 5);
    expect(recs.map((r) => [r.line, r.bad ?? null, r.fields])).toEqual([
      [1, null, ['a', 'b', 'c']], [2, null, ['1', '2', '3']], [3, null, ['4', 'line one\nline two', '6']], [5, null, ['7', '8', '9']],
    ]);
  });
});

describe('Utf8LineDecoder', () => {
  const run = (buf: Buffer, chunk: number, maxCarry?: number) => {
    const d = new Utf8LineDecoder(maxCarry);
    let s = '';
    for (let i = 0; i < buf.length; i += chunk) s += d.decode(buf.subarray(i, i + chunk));
    s += d.decode(Buffer.alloc(0), true);
    return { s, d };
  };

  it('multi-byte characters split across chunks; one invalid line transcoded, the others stay UTF-8', () => {
    const buf = Buffer.concat([Buffer.from('\ufeffNama\nJosé Sénior 😀\n', 'utf8'), Buffer.from('Caf\xe9 \x93x\x94\n', 'latin1'), Buffer.from('Ñandú\n', 'utf8')]);
    for (const chunk of [1, 2, 3, 5, 1000]) {
      const { s, d } = run(buf, chunk);
      expect(s).toBe('Nama\nJosé Sénior 😀\nCafé \u201cx\u201d\nÑandú\n');
      expect([d.transcoded, d.sawUtf8]).toEqual([1, true]);
    }
  });

  it('a Windows-1252 file: every non-ASCII line transcoded, no UTF-8 evidence', () => {
    const { s, d } = run(Buffer.from('A\nJos\xe9\n\x80 10\n', 'latin1'), 4);
    expect(s).toBe('A\nJosé\n€ 10\n');
    expect([d.transcoded, d.sawUtf8]).toEqual([2, false]);
  });

  it('a line longer than the carry limit is cut on a character boundary', () => {
    const line = 'é'.repeat(3000) + '\n';
    const { s, d } = run(Buffer.from(line, 'utf8'), 333, 1000);
    expect(s).toBe(line);
    expect(d.transcoded).toBe(0);
  });
});
