export class TooLargeError extends Error {}

/** A stream stage that fails with TooLargeError once more than `maxBytes` went through. */
export function limit(maxBytes: number) {
  let seen = 0;
  return async function* (source: AsyncIterable<Buffer>) {
    for await (const chunk of source) {
      seen += chunk.length;
      if (seen > maxBytes) throw new TooLargeError(`larger than ${maxBytes} bytes`);
      yield chunk;
    }
  };
}
