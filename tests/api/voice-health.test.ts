import { afterEach, describe, expect, it } from 'vitest';
import { probeSpeechNow, type SpeechCapabilities } from '../../src/providers/voice/index.js';
import { createTestApp, type TestApp } from '../helpers/test-app.js';

let t: TestApp | undefined;
afterEach(async () => {
  await t?.close();
  t = undefined;
});

describe('voice in /api/health', () => {
  it('reports the local speech stages found on this machine', async () => {
    // The real probe: the test machine has the Debian packages (scripts/setup.sh installs them).
    t = await createTestApp();
    const body = (await t.app.inject({ method: 'GET', url: '/api/health' })).json();
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
    const res = await t.app.inject({ method: 'GET', url: '/api/health' });
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
    const body = (await t.app.inject({ method: 'GET', url: '/api/health' })).json();
    expect(body.status).toBe('degraded');
    expect(body.missing).toEqual([{ component: 'python3-pocketsphinx', reason: 'python3-pocketsphinx not installed', impact: expect.stringMatching(/after each turn ends/) }]);
    expect(body.providers.voice).toMatchObject({ stt: 'pocketsphinx', voiceInput: true, languages: { input: ['en'] } });
    await t.close();

    t = await createTestApp({}, { speechProbe: async () => ({ ...real, pocketsphinx: { available: false, reason: 'pocketsphinx not installed' } }) });
    const streaming = (await t.app.inject({ method: 'GET', url: '/api/health' })).json();
    expect(streaming.missing).toEqual([]);
    expect(streaming.providers.voice).toMatchObject({ stt: 'pocketsphinx-streaming', voiceInput: true });
  });

  it('reports festival missing as a fallback to espeak-ng, and nothing local with OpenAI Realtime', async () => {
    const real = await probeSpeechNow();
    t = await createTestApp({}, { speechProbe: async () => ({ ...real, festival: { available: false, reason: 'festival not installed' } }) });
    const body = (await t.app.inject({ method: 'GET', url: '/api/health' })).json();
    expect(body.missing).toEqual([{ component: 'festival', reason: 'festival not installed', impact: 'the alloy and sage voices use espeak-ng instead of festival' }]);
    expect(body.providers.voice.tts).toEqual(['espeak-ng']);
    await t.close();

    t = await createTestApp({ VOICE_PROVIDER: 'openai', OPENAI_API_KEY: 'sk-test' }, { speechProbe: async () => ({ ...real, sox: { available: false, reason: 'sox not installed' } }) });
    const openai = (await t.app.inject({ method: 'GET', url: '/api/health' })).json();
    expect(openai.providers.voice).toEqual({ realtime: 'openai' });
    expect(openai.missing).toEqual([]);
  });
});
