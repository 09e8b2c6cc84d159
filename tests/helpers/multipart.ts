import { randomBytes } from 'node:crypto';

/** A multipart/form-data body with one `file` field, for app.inject(). */
export function multipart(content: Buffer, contentType: string, filename = 'session.webm') {
  const boundary = `----coachhub${randomBytes(6).toString('hex')}`;
  const head = Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${filename}"\r\nContent-Type: ${contentType}\r\n\r\n`);
  const tail = Buffer.from(`\r\n--${boundary}--\r\n`);
  return { payload: Buffer.concat([head, content, tail]), headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } };
}
