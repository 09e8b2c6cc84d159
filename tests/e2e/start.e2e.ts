import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import WebSocket from 'ws';
import { freePort } from '../helpers/free-port.js';

/**
 * What `npm start` runs: the compiled server (dist/server/main.js) on an empty data folder. It
 * must compile without test-only files, migrate, seed the demo data, print the logins and answer,
 * and its realtime engine must load (the streaming STT's Python program ships inside the JS).
 */
it('the production build starts on an empty embedded database, seeds it and prints the demo logins', async () => {
  const build = spawnSync('npx', ['tsc', '-p', 'tsconfig.build.json'], { encoding: 'utf8' });
  expect(build.status, build.stdout + build.stderr).toBe(0);

  const dataDir = mkdtempSync(join(tmpdir(), 'coachhub-start-'));
  const port = await freePort();
  const env: NodeJS.ProcessEnv = { ...process.env, DATA_DIR: dataDir, PORT: String(port), HOST: '127.0.0.1', NODE_ENV: 'production', LOG_LEVEL: 'warn' };
  delete env.DATABASE_URL;
  delete env.REDIS_URL;
  const server = spawn(process.execPath, ['dist/server/main.js'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  server.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  server.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  try {
    const deadline = Date.now() + 60_000;
    let health: { status: string; database: { kind: string } } | undefined;
    while (Date.now() < deadline && !health) {
      health = await fetch(`http://127.0.0.1:${port}/api/health`)
        .then((r) => (r.ok ? (r.json() as Promise<{ status: string; database: { kind: string } }>) : undefined))
        .catch(() => undefined);
      if (!health) await new Promise((resolve) => setTimeout(resolve, 250));
    }
    expect(health, output).toBeDefined();
    expect(health!.database.kind).toBe('embedded');
    expect(output).toContain('admin@demo.coachhub.local');
    const token = await fetch(`http://127.0.0.1:${port}/api/auth/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'admin@demo.coachhub.local', password: 'demo-admin-2026' }),
    });
    expect(token.status).toBe(200);

    // A realtime connection loads the speech stages: session.created comes once they are warm.
    const { accessToken } = (await token.json()) as { accessToken: string };
    const credential = await fetch(`http://127.0.0.1:${port}/api/voice/sessions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${accessToken}` },
      body: '{}',
    });
    expect(credential.status).toBe(201);
    const { clientSecret } = (await credential.json()) as { clientSecret: string };
    const socket = new WebSocket(`ws://127.0.0.1:${port}/v1/realtime`, { headers: { Authorization: `Bearer ${clientSecret}` } });
    const first = await new Promise<string>((resolve, reject) => {
      socket.once('message', (data) => resolve(String(data)));
      socket.once('error', reject);
    });
    socket.close();
    expect(JSON.parse(first)).toMatchObject({ type: 'session.created' });
    const voice = (await (await fetch(`http://127.0.0.1:${port}/api/health`)).json()) as { providers: { voice: { stt: string } } };
    expect(voice.providers.voice.stt, output).toBe('pocketsphinx-streaming');
  } finally {
    server.kill('SIGTERM');
    await new Promise((resolve) => server.once('exit', resolve));
    rmSync(dataDir, { recursive: true, force: true });
  }
}, 120_000);
