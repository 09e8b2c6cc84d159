import { describe, expect, it } from 'vitest';
import { parseByteRange } from './byte-range.js';

describe('parseByteRange (RFC 9110 single byte ranges)', () => {
  it('resolves a-b, a- and -n against the size, cutting b to the last byte', () => {
    expect(parseByteRange('bytes=0-99', 1000)).toEqual({ start: 0, end: 99 });
    expect(parseByteRange('bytes=1000-1999', 10_000)).toEqual({ start: 1000, end: 1999 });
    expect(parseByteRange('bytes=900-5000', 1000)).toEqual({ start: 900, end: 999 });
    expect(parseByteRange('bytes=250-', 1000)).toEqual({ start: 250, end: 999 });
    expect(parseByteRange('bytes=-100', 1000)).toEqual({ start: 900, end: 999 });
    expect(parseByteRange('bytes=-5000', 1000)).toEqual({ start: 0, end: 999 });
    expect(parseByteRange('bytes=999-999', 1000)).toEqual({ start: 999, end: 999 });
    expect(parseByteRange('Bytes=0-0', 1000)).toEqual({ start: 0, end: 0 }); // the unit is case-insensitive
  });

  it('is unsatisfiable from the end of the file on, and for an empty suffix', () => {
    expect(parseByteRange('bytes=1000-', 1000)).toBe('unsatisfiable');
    expect(parseByteRange('bytes=1000-2000', 1000)).toBe('unsatisfiable');
    expect(parseByteRange('bytes=-0', 1000)).toBe('unsatisfiable');
    expect(parseByteRange('bytes=0-', 0)).toBe('unsatisfiable');
    expect(parseByteRange('bytes=-10', 0)).toBe('unsatisfiable');
    expect(parseByteRange('bytes=5-4', 1000)).toBe('unsatisfiable'); // reversed: range-parser's answer
  });

  it('ignores what it does not serve: no header, malformed, other units, several ranges', () => {
    for (const header of [undefined, '', 'bytes=', 'bytes=-', 'bytes=abc', 'items=0-1', 'bytes=0-1,5-6', 'bytes=0x10-', 'bytes 0-1']) {
      expect(parseByteRange(header, 1000)).toBeNull();
    }
  });
});
