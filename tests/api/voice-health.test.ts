import { afterEach, describe, expect, it, vi } from 'vitest';
import { probeSpeechNow, type SpeechCapabilities } from '../../src/providers/voice/index.js';
import { speechInputAvailable } from '../../src/web/voice/voice-api.js';
import { createTestApp, healthAsAdmin, type TestApp } from '../helpers/test-app.js';

let t: TestApp | undefined;
afterEach(async () => {
  vi.unstubAllGlobals();
  await t?.close();
  t = undefined;
});

describe('voice in /api/health', () => {
  it('reports the local speech stages found on this machine', async () => {
    // The real probe: the test machine has the Debian packages (scripts/setup.sh installs them).
    t = await createTestApp();
    const body = (await healthAsAdmin(t)).json();
    expect(body.providers.voice).toEqual({
      realtime: 'local',
      vad: 'silero',
      stt: 'pocketsphinx-streaming',
      tts: ['festival', 'espeak-ng'],
      voiceInput: true,
      voiceOutput: true,
      languages: { input: ['en'], output: ['en', 'fr'] },
    });
    expect(body.missing).toEqual([]);
    expect(body.status).toBe('ok');
  });

  it('names a missing package and what degrades, without failing', async () => {
    const real = await probeSpeechNow();
    const probe = async (): Promise<SpeechCapabilities> => ({
      ...real,
      pocketsphinx: { available: false, reason: 'pocketsphinx not installed' },
      pocketsphinxStreaming: { available: false, reason: 'python3-pocketsphinx not installed' },
    });
    t = await createTestApp({}, { speechProbe: probe });
    const res = await healthAsAdmin(t);
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body.status).toBe('degraded');
    expect(body.missing).toEqual([
      { component: 'pocketsphinx', reason: 'pocketsphinx not installed', impact: 'voice screens offer text input instead' },
      { component: 'python3-pocketsphinx', reason: 'python3-pocketsphinx not installed', impact: 'voice screens offer text input instead' },
    ]);
    expect(body.providers.voice).toMatchObject({ stt: null, voiceInput: false, voiceOutput: true });
  });

  it('falls back to pocketsphinx_batch without python3-pocketsphinx, and needs no CLI with it', async () => {
    const real = await probeSpeechNow();
    t = await createTestApp({}, { speechProbe: async () => ({ ...real, pocketsphinxStreaming: { available: false, reason: 'python3-pocketsphinx not installed' } }) });
    const body = (await healthAsAdmin(t)).json();
    expect(body.status).toBe('degraded');
    expect(body.missing).toEqual([{ component: 'python3-pocketsphinx', reason: 'python3-pocketsphinx not installed', impact: expect.stringMatching(/after each turn ends/) }]);
    expect(body.providers.voice).toMatchObject({ stt: 'pocketsphinx', voiceInput: true, languages: { input: ['en'] } });
    await t.close();

    t = await createTestApp({}, { speechProbe: async () => ({ ...real, pocketsphinx: { available: false, reason: 'pocketsphinx not installed' } }) });
    const streaming = (await healthAsAdmin(t)).json();
    expect(streaming.missing).toEqual([]);
    expect(streaming.providers.voice).toMatchObject({ stt: 'pocketsphinx-streaming', voiceInput: true });
  });

  it('reports festival missing as a fallback to espeak-ng, and nothing local with OpenAI Realtime', async () => {
    const real = await probeSpeechNow();
    t = await createTestApp({}, { speechProbe: async () => ({ ...real, festival: { available: false, reason: 'festival not installed' } }) });
    const body = (await healthAsAdmin(t)).json();
    expect(body.missing).toEqual([{ component: 'festival', reason: 'festival not installed', impact: 'the alloy and sage voices use espeak-ng instead of festival' }]);
    expect(body.providers.voice.tts).toEqual(['espeak-ng']);
    await t.close();

    t = await createTestApp({ VOICE_PROVIDER: 'openai', OPENAI_API_KEY: 'sk-test' }, { speechProbe: async () => ({ ...real, sox: { available: false, reason: 'sox not installed' } }) });
    const openai = (await healthAsAdmin(t)).json();
    expect(openai.providers.voice).toEqual({ realtime: 'openai' });
    expect(openai.missing).toEqual([]);
  });
});

describe('voice availability for the browser (GET /api/config)', () => {
  /** The web app's own client, its `fetch` answered by the real app. */
  async function webClientSees(app: TestApp): Promise<{ available: boolean; requested: string[] }> {
    const requested: string[] = [];
    vi.stubGlobal('fetch', async (path: string, init: RequestInit) => {
      requested.push(path);
      const res = await app.app.inject({ method: init.method as 'GET', url: path, headers: init.headers as Record<string, string> });
      return new Response(res.body, { status: res.statusCode, headers: { 'content-type': String(res.headers['content-type']) } });
    });
    return { available: await speechInputAvailable(), requested };
  }

  it('says the server cannot hear speech when the STT is missing, and the web client reads it there, not in /api/health', async () => {
    const real = await probeSpeechNow();
    t = await createTestApp({}, {
      speechProbe: async () => ({
        ...real,
        pocketsphinx: { available: false, reason: 'pocketsphinx not installed' },
        pocketsphinxStreaming: { available: false, reason: 'python3-pocketsphinx not installed' },
      }),
    });
    expect((await t.app.inject({ method: 'GET', url: '/api/config' })).json().voice).toEqual({ provider: 'local', speechInput: false });
    // Anonymous callers no longer see the components in /api/health.
    expect((await t.app.inject({ method: 'GET', url: '/api/health' })).json()).toEqual({ status: 'degraded' });
    expect(await webClientSees(t)).toEqual({ available: false, requested: ['/api/config'] });
  });

  it('says it can with the speech stages installed, and always with OpenAI Realtime', async () => {
    t = await createTestApp();
    expect((await t.app.inject({ method: 'GET', url: '/api/config' })).json().voice).toEqual({ provider: 'local', speechInput: true });
    expect(await webClientSees(t)).toEqual({ available: true, requested: ['/api/config'] });
    await t.close();

    const real = await probeSpeechNow();
    t = await createTestApp({ VOICE_PROVIDER: 'openai', OPENAI_API_KEY: 'sk-test' }, { speechProbe: async () => ({ ...real, pocketsphinx: { available: false, reason: 'x' }, pocketsphinxStreaming: { available: false, reason: 'x' } }) });
    expect((await t.app.inject({ method: 'GET', url: '/api/config' })).json().voice).toEqual({ provider: 'openai', speechInput: true });
    expect((await webClientSees(t)).available).toBe(true);
  });
});
