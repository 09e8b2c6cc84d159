import { readdir, readFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { describe, expect, inject, it } from 'vitest';

async function filesUnder(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true, recursive: true });
  return entries.filter((e) => e.isFile()).map((e) => join(e.parentPath, e.name));
}

describe('production web build', () => {
  const buildDir = inject('buildDir');
  const secrets = inject('plantedSecrets');

  it('was built from the app (an index.html loading JavaScript)', async () => {
    const files = await filesUnder(buildDir);
    const scripts = files.filter((f) => f.endsWith('.js'));
    expect(files.map((f) => relative(buildDir, f))).toContain('index.html');
    expect(scripts.length).toBeGreaterThan(0);
    const js = (await Promise.all(scripts.map((f) => readFile(f, 'utf8')))).join('\n');
    // The bundle really is this app: its API calls and its French dictionary are in it.
    expect(js).toContain('/api/auth/sign-in/email');
    expect(js).toContain('Bientôt disponible');
  });

  it('contains none of the secrets present in the build environment', async () => {
    expect(secrets.length).toBeGreaterThanOrEqual(5);
    const leaks: string[] = [];
    for (const file of await filesUnder(buildDir)) {
      const content = await readFile(file, 'latin1');
      for (const secret of secrets) {
        if (content.includes(secret)) leaks.push(`${relative(buildDir, file)} contains ${secret.slice(0, 16)}…`);
      }
    }
    expect(leaks).toEqual([]);
  });
});
