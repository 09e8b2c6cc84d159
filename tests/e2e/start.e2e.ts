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
 * In production the demo data needs SEED_DEMO=true, and its passwords are random, printed once.
 */
it('the production build starts on an empty embedded database, seeds it (SEED_DEMO=true) and prints random demo passwords', async () => {
  const build = spawnSync('npx', ['tsc', '-p', 'tsconfig.build.json'], { encoding: 'utf8' });
  expect(build.status, build.stdout + build.stderr).toBe(0);

  const dataDir = mkdtempSync(join(tmpdir(), 'coachhub-start-'));
  const port = await freePort();
  const env: NodeJS.ProcessEnv = { ...process.env, DATA_DIR: dataDir, PORT: String(port), HOST: '127.0.0.1', NODE_ENV: 'production', SEED_DEMO: 'true', LOG_LEVEL: 'warn' };
  delete env.DATABASE_URL;
  delete env.REDIS_URL;
  const server = spawn(process.execPath, ['dist/server/main.js'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  server.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  server.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  try {
    const deadline = Date.now() + 60_000;
    let health: { status: string } | undefined;
    while (Date.now() < deadline && !health) {
      health = await fetch(`http://127.0.0.1:${port}/api/health`)
        .then((r) => (r.ok ? (r.json() as Promise<{ status: string }>) : undefined))
        .catch(() => undefined);
      if (!health) await new Promise((resolve) => setTimeout(resolve, 250));
    }
    expect(health, output).toBeDefined();
    const adminLine = output.split('\n').find((line) => line.includes('admin@demo.coachhub.local'));
    const password = adminLine?.split(' / ')[1]?.trim();
    expect(password, output).toMatch(/^[A-Za-z0-9_-]{20}$/);
    expect(output).not.toContain('demo-admin-2026');
    const signIn = (pw: string) =>
      fetch(`http://127.0.0.1:${port}/api/auth/token`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ email: 'admin@demo.coachhub.local', password: pw }),
      });
    expect((await signIn('demo-admin-2026')).status).toBe(401);
    const token = await signIn(password!);
    expect(token.status).toBe(200);

    // A realtime connection loads the speech stages: session.created comes once they are warm.
    const { accessToken } = (await token.json()) as { accessToken: string };
    const details = (await (await fetch(`http://127.0.0.1:${port}/api/health`, { headers: { authorization: `Bearer ${accessToken}` } })).json()) as { database: { kind: string } };
    expect(details.database.kind).toBe('embedded');
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
    const voice = (await (await fetch(`http://127.0.0.1:${port}/api/health`, { headers: { authorization: `Bearer ${accessToken}` } })).json()) as { providers: { voice: { stt: string } } };
    expect(voice.providers.voice.stt, output).toBe('pocketsphinx-streaming');
  } finally {
    server.kill('SIGTERM');
    await new Promise((resolve) => server.once('exit', resolve));
    rmSync(dataDir, { recursive: true, force: true });
  }
}, 120_000);
