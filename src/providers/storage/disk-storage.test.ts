import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Readable } from 'node:stream';
import { describeStorageContract } from './contract.js';
import { createDiskStorage } from './disk-storage.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'coachhub-storage-'));
  // A file where the storage folder should be: every write and read fails with ENOTDIR.
  await writeFile(join(dir, 'not-a-folder'), 'x');
});
afterAll(() => rm(dir, { recursive: true, force: true }));

describeStorageContract('disk', {
  storage: () => createDiskStorage(join(dir, 'storage')),
  failing: () => createDiskStorage(join(dir, 'not-a-folder')),
});

describe('disk storage', () => {
  it('never lets a key escape its folder', async () => {
    const s = createDiskStorage(join(dir, 'storage'));
    await expect(s.put('../outside.webm', Readable.from([Buffer.from('x')]), 'video/webm', 10)).rejects.toThrow(/escapes/);
  });
});
