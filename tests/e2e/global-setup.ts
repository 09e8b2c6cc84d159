import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { startE2eServer } from './server.js';
import { buildWeb, plantedSecrets } from './web-build.js';

declare module 'vitest' {
  export interface ProvidedContext {
    /** Origin of the e2e server, e.g. http://127.0.0.1:40123 */
    baseUrl: string;
    /** The temporary production build the server serves. */
    buildDir: string;
    /** Secret values planted in the environment of that build. */
    plantedSecrets: string[];
  }
}

/**
 * Once per run: builds the SPA with planted secrets into a temp folder, then starts the real
 * server on a free port serving that build. Tests get the details through inject().
 */
export default async function setup(project: TestProject) {
  const buildDir = await mkdtemp(join(tmpdir(), 'coachhub-e2e-web-'));
  const secrets = plantedSecrets();
  await buildWeb(buildDir, secrets);
  const server = await startE2eServer({ webDir: buildDir });
  project.provide('baseUrl', server.baseUrl);
  project.provide('buildDir', buildDir);
  project.provide('plantedSecrets', Object.values(secrets));
  return async () => {
    await server.close();
    await rm(buildDir, { recursive: true, force: true });
  };
}
