import parseRange from 'range-parser';

/** Bytes `start` to `end` of a file, both included (as in `Content-Range: bytes start-end/size`). */
export interface ByteRange {
  start: number;
  end: number;
}

/**
 * The byte range a `Range` request header asks of a file of `size` bytes (RFC 9110 §14.1.2),
 * parsed by `range-parser` (the parser behind `send` / @fastify/static):
 *
 * - `null`: no Range, a malformed one, another unit, or several ranges — the server answers
 *   the whole file (200), as RFC 9110 §14.2 lets it ignore Range;
 * - `'unsatisfiable'`: no byte of the range exists, or the range is reversed (`bytes=5-4`) —
 *   range-parser does not tell the two apart (416).
 *
 * One range only, which is what media players ask for.
 */
export function parseByteRange(header: string | undefined, size: number): ByteRange | 'unsatisfiable' | null {
  if (!header) return null;
  // range-parser wants the unit in lower case; the unit is case-insensitive (RFC 9110 §14.1).
  let normalized = header.replace(/^\s*bytes=/i, 'bytes=');
  // A suffix longer than the file selects all of it (RFC 9110 §14.1.2); range-parser calls it
  // unsatisfiable instead.
  const suffix = /^bytes=-(\d+)$/.exec(normalized);
  if (suffix && Number(suffix[1]) > size && size > 0) normalized = 'bytes=0-';
  const result = parseRange(size, normalized, { combine: true });
  if (result === -2) return null;
  if (result === -1) return 'unsatisfiable';
  if (result.type !== 'bytes' || result.length !== 1) return null;
  const [range] = result;
  return { start: range!.start, end: range!.end };
}
