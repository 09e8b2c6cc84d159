/** Bytes `start` to `end` of a file, both included (as in `Content-Range: bytes start-end/size`). */
export interface ByteRange {
  start: number;
  end: number;
}

const SINGLE_RANGE = /^bytes=[ \t]*(\d*)-(\d*)[ \t]*$/i;

/**
 * The byte range a `Range` request header asks of a file of `size` bytes (RFC 9110 §14.1.2):
 * `bytes=a-b` (b past the end is cut to the end), `bytes=a-`, or the last n bytes `bytes=-n`.
 *
 * - `null`: no Range, a malformed or invalid one (b < a), another unit, or several ranges —
 *   the server answers the whole file (200), as RFC 9110 §14.2 lets it ignore Range;
 * - `'unsatisfiable'`: the first byte is at or past the end, or an empty suffix (416).
 *
 * One range only, which is what media players ask for. Written here because no Range parser is
 * installed (`range-parser` is not a dependency, and @fastify/send keeps its copy private);
 * swap it for `range-parser` (`parse(size, header, { combine: true })`) if one comes in.
 */
export function parseByteRange(header: string | undefined, size: number): ByteRange | 'unsatisfiable' | null {
  const m = header === undefined ? null : SINGLE_RANGE.exec(header);
  if (!m || (m[1] === '' && m[2] === '')) return null;
  if (m[1] === '') {
    const suffix = Number(m[2]);
    if (suffix === 0 || size === 0) return 'unsatisfiable';
    return { start: Math.max(0, size - suffix), end: size - 1 };
  }
  const start = Number(m[1]);
  const last = m[2] === '' ? null : Number(m[2]);
  if (last !== null && last < start) return null;
  if (start >= size) return 'unsatisfiable';
  return { start, end: Math.min(last ?? size - 1, size - 1) };
}
