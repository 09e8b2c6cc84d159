import { createWriteStream } from 'node:fs';
import { mkdir, open, rm } from 'node:fs/promises';
import { dirname, resolve, sep } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { limit } from './size-limit.js';
import type { Storage } from './types.js';
import { storageUnavailable, storedFileMissing } from './storage-error.js';

/** File system errors carry a syscall; errors of the incoming stream (client, multipart) do not. */
const isFsError = (err: unknown): err is NodeJS.ErrnoException => typeof (err as NodeJS.ErrnoException | null)?.syscall === 'string';

/** Files under one folder (STORAGE_DIR, default DATA_DIR/storage); keys never escape it. */
export function createDiskStorage(root: string): Storage {
  const base = resolve(root);
  const pathOf = (key: string) => {
    const p = resolve(base, key);
    if (!p.startsWith(base + sep)) throw new Error('storage key escapes the storage folder');
    return p;
  };
  return {
    kind: 'disk',
    async put(key, body, _contentType, maxBytes) {
      const path = pathOf(key);
      let size = 0;
      try {
        await mkdir(dirname(path), { recursive: true });
        await pipeline(body, limit(maxBytes), async function* (source: AsyncIterable<Buffer>) {
          for await (const chunk of source) {
            size += chunk.length;
            yield chunk;
          }
        }, createWriteStream(path));
      } catch (err) {
        await rm(path, { force: true }).catch(() => undefined);
        // A full or read-only disk is the server's problem (503); a too large or aborted upload is the client's.
        if (isFsError(err)) throw storageUnavailable('disk', 'disk', err);
        throw err;
      }
      return size;
    },
    async get(key, range) {
      // Opened first, so a missing file is a 404 before any byte of the response is sent.
      const handle = await open(pathOf(key), 'r').catch((err: NodeJS.ErrnoException) => {
        throw err.code === 'ENOENT' ? storedFileMissing(err) : storageUnavailable('disk', 'disk', err);
      });
      return handle.createReadStream(range ? { start: range.start, end: range.end } : {});
    },
    async remove(key) {
      await rm(pathOf(key), { force: true });
    },
    describe: () => ({ kind: 'disk' }),
  };
}
