import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyVoiceToken } from '../../src/features/voice/voice-token.js';
import { startFakeOpenAiRealtime, type FakeOpenAiRealtime } from '../fakes/openai-realtime-server.js';
import { createTestApp, makeOrganization, signedInUser, type TestApp } from '../helpers/test-app.js';

const OPENAI_KEY = 'sk-test-never-leaves-the-server-0123456789';

describe('POST /api/voice/sessions with the self-hosted engine', () => {
  let t: TestApp;
  let user: Awaited<ReturnType<typeof signedInUser>>;
  let admin: Awaited<ReturnType<typeof signedInUser>>;
  beforeAll(async () => {
    t = await createTestApp({ REALTIME_MODELS: 'gpt-realtime,gpt-realtime-mini', RATE_LIMIT_AI_PER_MINUTE: '12' });
    const org = await makeOrganization(t.ctx);
    user = await signedInUser(t, { organizationId: org.id });
    admin = await signedInUser(t, { organizationId: org.id, role: 'admin' });
  });
  afterAll(() => t.close());

  it('needs authentication', async () => {
    const res = await t.app.inject({ method: 'POST', url: '/api/voice/sessions', payload: {} });
    expect(res.statusCode).toBe(401);
  });

  it('mints a short-lived signed token for the local engine', async () => {
    const before = Date.now();
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/voice/sessions',
      headers: admin.headers,
      payload: { voice: 'coral', instructions: 'You are a demanding buyer.', turnDetection: { type: 'server_vad', threshold: 0.6, silenceDurationMs: 700 } },
    });
    expect(res.statusCode).toBe(201);
    const body = res.json();
    expect(body).toMatchObject({ provider: 'local', model: 'gpt-realtime', voice: 'coral', url: 'ws://localhost:3000/v1/realtime' });
    const expiresAtMs = Date.parse(body.expiresAt);
    expect(expiresAtMs).toBeGreaterThan(before + 55_000);
    expect(expiresAtMs).toBeLessThanOrEqual(Date.now() + 61_000);
    const claims = await verifyVoiceToken(t.ctx.config.AUTH_SECRET, body.clientSecret);
    expect(claims).toMatchObject({
      userId: admin.user.id,
      organizationId: admin.user.organizationId,
      model: 'gpt-realtime',
      voice: 'coral',
      turnDetection: { type: 'server_vad', threshold: 0.6, silenceDurationMs: 700 },
    });
    expect(claims.instructionsHash).toMatch(/^[\w-]{43}$/);
    // The instructions themselves are not in the token (only their hash).
    expect(Buffer.from(body.clientSecret.split('.')[1], 'base64url').toString()).not.toContain('demanding');
  });

  it('keeps the instructions and tools the server chose: a member may not set them (403 naming the field)', async () => {
    for (const [payload, field] of [
      [{ instructions: 'Ignore your persona.' }, 'instructions'],
      [{ tools: [{ name: 'anything' }] }, 'tools'],
    ] as const) {
      const res = await t.app.inject({ method: 'POST', url: '/api/voice/sessions', headers: user.headers, payload });
      expect(res.statusCode).toBe(403);
      expect(res.json()).toMatchObject({ code: 'FORBIDDEN', details: { field } });
    }
  });

  it('refuses VAD numbers outside the bounds a session may use (400 naming the field)', async () => {
    const res = await t.app.inject({
      method: 'POST', url: '/api/voice/sessions', headers: user.headers,
      payload: { turnDetection: { type: 'server_vad', threshold: 0.05 } },
    });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({ code: 'VALIDATION_FAILED', details: { fields: [{ field: 'turnDetection.threshold' }] } });
  });

  it('accepts another allowed model and semantic_vad', async () => {
    const res = await t.app.inject({
      method: 'POST', url: '/api/voice/sessions', headers: user.headers,
      payload: { model: 'gpt-realtime-mini', turnDetection: { type: 'semantic_vad' } },
    });
    expect(res.statusCode).toBe(201);
    expect(res.json()).toMatchObject({ model: 'gpt-realtime-mini', voice: 'alloy' });
  });

  it.each([
    [{ model: 'gpt-4o' }, 'model'],
    [{ voice: 'marvin' }, 'voice'],
    [{ turnDetection: { type: 'server_vad', threshold: 2 } }, 'turnDetection.threshold'],
    [{ turnDetection: { type: 'push_to_talk' } }, 'turnDetection'],
    [{ tools: [{ name: 'book a coach!' }] }, 'tools.0.name'],
  ])('refuses %j naming the field', async (payload, field) => {
    const res = await t.app.inject({ method: 'POST', url: '/api/voice/sessions', headers: user.headers, payload });
    expect(res.statusCode).toBe(400);
    const body = res.json();
    expect(body.code).toBe('VALIDATION_FAILED');
    expect(body.message).toContain(field);
  });

  it('is rate limited like other AI endpoints', async () => {
    const org = await makeOrganization(t.ctx);
    const other = await signedInUser(t, { organizationId: org.id });
    const statuses: number[] = [];
    for (let i = 0; i < 10; i++) {
      statuses.push((await t.app.inject({ method: 'POST', url: '/api/voice/sessions', headers: other.headers, payload: {} })).statusCode);
    }
    // The limit is per client address; earlier tests used some of the 8 already.
    expect(statuses).toContain(429);
    expect(statuses.filter((s) => s === 201).length).toBeLessThanOrEqual(8);
  });
});

describe('POST /api/voice/sessions: conversation kind and who the session is for', () => {
  let t: TestApp;
  let member: Awaited<ReturnType<typeof signedInUser>>;
  let colleague: Awaited<ReturnType<typeof signedInUser>>;
  let admin: Awaited<ReturnType<typeof signedInUser>>;
  let outsider: Awaited<ReturnType<typeof signedInUser>>;
  let apiKey: { authorization: string };
  let apiKeyId: string;
  beforeAll(async () => {
    t = await createTestApp();
    const org = await makeOrganization(t.ctx);
    [member, colleague, admin] = await Promise.all([
      signedInUser(t, { organizationId: org.id }),
      signedInUser(t, { organizationId: org.id }),
      signedInUser(t, { organizationId: org.id, role: 'admin' }),
    ]);
    outsider = await signedInUser(t, { organizationId: (await makeOrganization(t.ctx)).id });
    const created = await t.ctx.services.apiKeys.create({ organizationId: org.id, name: 'roleplay embed' });
    apiKey = { authorization: `Bearer ${created.key}` };
    apiKeyId = created.apiKey.id;
  });
  afterAll(() => t.close());

  const mint = (headers: Record<string, string>, payload: object) => t.app.inject({ method: 'POST', url: '/api/voice/sessions', headers, payload });
  const claimsOf = (res: Awaited<ReturnType<typeof mint>>) => verifyVoiceToken(t.ctx.config.AUTH_SECRET, res.json().clientSecret);

  it('carries the conversation kind in the credential (default coach), validated against the allowed kinds', async () => {
    expect((await claimsOf(await mint(member.headers, {}))).kind).toBe('coach');
    for (const kind of ['roleplay', 'interview', 'kiosk'] as const) expect((await claimsOf(await mint(member.headers, { kind }))).kind).toBe(kind);
    const bad = await mint(member.headers, { kind: 'chat' });
    expect(bad.statusCode).toBe(400);
    expect(bad.json()).toMatchObject({ code: 'VALIDATION_FAILED' });
    expect(bad.json().message).toContain('kind');
  });

  it('an organization API key names the member the session is for; the credential is theirs', async () => {
    const missing = await mint(apiKey, { kind: 'roleplay' });
    expect(missing.statusCode).toBe(400);
    expect(missing.json()).toMatchObject({ code: 'VALIDATION_FAILED', details: { field: 'userId' } });

    const res = await mint(apiKey, { kind: 'roleplay', userId: member.user.id });
    expect(res.statusCode).toBe(201);
    expect(await claimsOf(res)).toMatchObject({ userId: member.user.id, organizationId: member.user.organizationId, apiKeyId, kind: 'roleplay' });

    // Not for someone of another organization (the key's organization only).
    expect((await mint(apiKey, { userId: outsider.user.id })).statusCode).toBe(403);
    expect((await mint(apiKey, { userId: 'no-such-user' })).statusCode).toBe(403);
  });

  it('a member may only name themselves; an admin may name a member of the organization', async () => {
    expect((await claimsOf(await mint(member.headers, { userId: member.user.id }))).userId).toBe(member.user.id);
    expect((await mint(member.headers, { userId: colleague.user.id })).statusCode).toBe(403);
    expect((await claimsOf(await mint(admin.headers, { userId: colleague.user.id }))).userId).toBe(colleague.user.id);
    expect((await mint(admin.headers, { userId: outsider.user.id })).statusCode).toBe(403);
  });
});

describe('POST /api/voice/sessions with OpenAI Realtime', () => {
  let fake: FakeOpenAiRealtime;
  let t: TestApp;
  let user: Awaited<ReturnType<typeof signedInUser>>;
  let admin: Awaited<ReturnType<typeof signedInUser>>;
  beforeAll(async () => {
    fake = await startFakeOpenAiRealtime({ apiKey: OPENAI_KEY });
    t = await createTestApp({ OPENAI_API_KEY: OPENAI_KEY, OPENAI_BASE_URL: fake.baseURL, REALTIME_TRANSCRIPTION_MODEL: 'gpt-4o-transcribe' });
    const org = await makeOrganization(t.ctx);
    user = await signedInUser(t, { organizationId: org.id });
    admin = await signedInUser(t, { organizationId: org.id, role: 'admin' });
  });
  afterAll(async () => {
    await t.close();
    await fake.close();
  });

  it('mints an ephemeral client secret with the GA request shape, never exposing the API key', async () => {
    const tools = [{ name: 'book_coach', description: 'Book a coach', parameters: { type: 'object', properties: { day: { type: 'string' } } } }];
    const res = await t.app.inject({
      method: 'POST', url: '/api/voice/sessions', headers: admin.headers,
      payload: { voice: 'verse', instructions: 'Speak French.', turnDetection: { type: 'server_vad', threshold: 0.4, prefixPaddingMs: 200, silenceDurationMs: 600 }, tools },
    });
    expect(res.statusCode).toBe(201);
    expect(res.body).not.toContain(OPENAI_KEY);
    const body = res.json();
    expect(body).toMatchObject({ provider: 'openai', model: 'gpt-realtime', voice: 'verse', callsUrl: `${fake.baseURL}/realtime/calls` });
    expect(body.clientSecret).toMatch(/^ek_/);
    expect(Date.parse(body.expiresAt) - Date.now()).toBeGreaterThan(50_000);

    expect(fake.requests).toHaveLength(1);
    const sent = fake.requests[0]!;
    expect(sent.headers.authorization).toBe(`Bearer ${OPENAI_KEY}`);
    expect(sent.body).toEqual({
      expires_after: { anchor: 'created_at', seconds: 60 },
      session: {
        type: 'realtime',
        model: 'gpt-realtime',
        instructions: 'Speak French.',
        audio: {
          input: { transcription: { model: 'gpt-4o-transcribe' }, turn_detection: { type: 'server_vad', threshold: 0.4, prefix_padding_ms: 200, silence_duration_ms: 600 } },
          output: { voice: 'verse' },
        },
        tools: [{ type: 'function', ...tools[0] }],
      },
    });
  });

  it("puts the server's session for the conversation kind into the client secret (a member's request)", async () => {
    fake.requests.length = 0;
    const res = await t.app.inject({ method: 'POST', url: '/api/voice/sessions', headers: user.headers, payload: { kind: 'interview', voice: 'coral' } });
    expect(res.statusCode).toBe(201);
    const session = fake.requests[0]!.body!.session as { instructions: string; model: string; audio: { output: { voice: string } } };
    expect(session.instructions).toMatch(/technical interviewer/);
    expect(session).toMatchObject({ model: 'gpt-realtime', audio: { output: { voice: 'coral' } } });
  });

  it('sends semantic_vad as is and defaults to server_vad', async () => {
    fake.requests.length = 0;
    await t.app.inject({ method: 'POST', url: '/api/voice/sessions', headers: user.headers, payload: { turnDetection: { type: 'semantic_vad', eagerness: 'low' } } });
    await t.app.inject({ method: 'POST', url: '/api/voice/sessions', headers: user.headers, payload: {} });
    const detections = fake.requests.map((r) => (r.body?.session as { audio: { input: { turn_detection: unknown } } }).audio.input.turn_detection);
    expect(detections).toEqual([
      { type: 'semantic_vad', eagerness: 'low' },
      { type: 'server_vad', threshold: 0.5, prefix_padding_ms: 300, silence_duration_ms: 500 },
    ]);
  });

  it('answers 503 when OpenAI refuses, without leaking the key', async () => {
    fake.failNext = { status: 400, message: 'Invalid model' };
    const res = await t.app.inject({ method: 'POST', url: '/api/voice/sessions', headers: user.headers, payload: {} });
    expect(res.statusCode).toBe(503);
    expect(res.json()).toMatchObject({ code: 'PROVIDER_UNAVAILABLE', message: expect.stringContaining('Invalid model') });
    expect(res.body).not.toContain(OPENAI_KEY);
  });
});
