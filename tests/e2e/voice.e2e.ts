/**
 * The voice screen in a real Chromium against the real server and its self-hosted engine:
 * festival speech through Chromium's fake microphone → AudioWorklet capture → WebSocket →
 * Silero VAD + pocketsphinx → offline coach → TTS → the playback queue. Each test launches its
 * own Chromium, because the fake microphone and permission flags are per browser.
 */
import { appendFileSync } from 'node:fs';
import type { Browser, Page, WebSocketRoute } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, inject, it } from 'vitest';
import { wordErrorRate } from '../helpers/wer.js';
import { launchBrowser, newAppContext, DEMO_MEMBER } from './browser.js';
import { spokenWav, type SpokenWav } from './voice-audio.js';

const baseUrl = inject('baseUrl');
const MEMBER = DEMO_MEMBER;
const SENTENCE = 'Hello coach. Can you help me prepare for a job interview tomorrow?';

let browser: Browser | undefined;
let wav: SpokenWav;

beforeAll(() => {
  wav = spokenWav(SENTENCE);
});
afterAll(() => wav?.cleanup());
afterEach(async () => {
  await browser?.close();
  browser = undefined;
});

async function signInAndOpenVoice(page: Page): Promise<void> {
  await page.goto('/login');
  await page.getByLabel('Adresse e-mail').fill(MEMBER.email);
  await page.getByLabel('Mot de passe').fill(MEMBER.password);
  await page.getByRole('button', { name: 'Se connecter' }).click();
  await page.waitForURL((url) => url.pathname === '/');
  await page.getByRole('link', { name: 'Coach vocal' }).click();
  await page.waitForURL('**/voice');
  await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toBe('Coach vocal');
}

const transcriptOf = (page: Page, role: 'user' | 'assistant') =>
  page.locator(`[data-testid="voice-transcript"] li[data-role="${role}"] [data-testid="voice-text"]`).allTextContents();

const stats = (page: Page) =>
  page.evaluate(() => {
    const s = window.__voiceStats!;
    return { micOpens: s.micOpens, captureStarts: s.captureStarts, speechStops: s.speechStops, audioStarts: s.audioStarts, playedMs: s.playedMs() };
  });

async function transcriptApi(page: Page, id: string) {
  const res = await page.request.get(`/api/conversations/${id}`);
  expect(res.status()).toBe(200);
  return (await res.json()) as { conversation: { status: string; kind: string }; items: { role: string; text: string; startMs: number }[] };
}

describe('voice coach (self-hosted engine)', () => {
  it('hears the spoken question, answers out loud, saves both turns in order, and measures voice-to-voice latency', async () => {
    browser = await launchBrowser([
      '--use-fake-ui-for-media-stream',
      '--use-fake-device-for-media-stream',
      `--use-file-for-fake-audio-capture=${wav.path}%noloop`,
      '--autoplay-policy=no-user-gesture-required',
    ]);
    const context = await newAppContext(browser, baseUrl);
    const page = await context.newPage();
    await signInAndOpenVoice(page);

    let conversationId = '';
    const pageErrors: string[] = [];
    page.on('pageerror', (e) => pageErrors.push(e.message));
    const firstArrival = new Map<string, number>(); // server event type → when it first reached the page (test clock)
    page.on('websocket', (ws) => ws.on('framereceived', ({ payload }) => {
      const type = /"type":"([\w.]+)"/.exec(String(payload))?.[1];
      if (type && !firstArrival.has(type)) firstArrival.set(type, Date.now());
      const match = /"type":"session\.created".*?"id":"(sess_[\w-]+)"/.exec(String(payload));
      if (match) conversationId = match[1]!;
    }));
    await page.getByRole('button', { name: 'Démarrer la conversation' }).click();

    // The user's words, recognized by the server, in the live transcript.
    await expect.poll(() => transcriptOf(page, 'user'), { timeout: 30_000 }).toHaveLength(1);
    const [heard] = await transcriptOf(page, 'user');
    const wer = wordErrorRate(SENTENCE, heard!);
    console.log(`voice e2e: heard "${heard}" (WER ${(wer * 100).toFixed(0)} %)`);
    expect(wer).toBeLessThanOrEqual(0.4);

    // A reply is streamed as text and really played by the playback queue.
    await expect.poll(async () => (await transcriptOf(page, 'assistant')).join(' ').length, { timeout: 30_000 }).toBeGreaterThan(10);
    await expect.poll(async () => (await stats(page)).playedMs, { timeout: 30_000 }).toBeGreaterThan(500);
    const measured = await stats(page);
    expect(measured.micOpens).toHaveLength(1);
    expect(measured.captureStarts).toHaveLength(1);
    expect(measured.audioStarts.length).toBeGreaterThanOrEqual(1);

    // Voice-to-voice: end of speech in the WAV (the fake device starts playing the file when the
    // microphone opens) → first reply audio played.
    const speechEndAt = measured.micOpens[0]! + wav.speechEndMs;
    const latencyMs = Math.round(measured.audioStarts[0]! - speechEndAt);
    const vadMs = Math.round(measured.speechStops[0]! - speechEndAt);
    const after = (type: string) => (firstArrival.get(type) ?? NaN) - firstArrival.get('input_audio_buffer.speech_stopped')!;
    const breakdown = { transcriptMs: after('conversation.item.input_audio_transcription.completed'), firstAudioDeltaMs: after('response.output_audio.delta') };
    console.log(
      `voice e2e: voice-to-voice latency ${latencyMs} ms (speech_stopped ${vadMs} ms after the end of speech; then transcript +${breakdown.transcriptMs} ms, first audio delta +${breakdown.firstAudioDeltaMs} ms)`,
    );
    expect(latencyMs).toBeGreaterThan(0);
    expect(latencyMs).toBeLessThan(15_000);
    if (process.env.VOICE_BENCH_FILE) appendFileSync(process.env.VOICE_BENCH_FILE, `${JSON.stringify({ latencyMs, vadMs, ...breakdown, wer, heard })}\n`);

    // The state indicator follows the conversation back to listening.
    await expect.poll(() => page.getByTestId('voice-state').getAttribute('data-state'), { timeout: 30_000 }).toBe('listening');

    // Both turns saved server-side, in order, under the session's conversation.
    expect(conversationId).toMatch(/^sess_/);
    const saved = await transcriptApi(page, conversationId);
    expect(saved.conversation).toMatchObject({ kind: 'coach', status: 'active' });
    expect(saved.items.map((i) => i.role)).toEqual(['user', 'assistant']);
    expect(saved.items[0]!.text).toBe(heard);
    expect(saved.items[1]!.text.length).toBeGreaterThan(10);

    // Hanging up ends it completed.
    await page.getByRole('button', { name: 'Raccrocher' }).click();
    await expect.poll(() => page.getByTestId('voice-state').getAttribute('data-state')).toBe('ended');
    await expect.poll(async () => (await transcriptApi(page, conversationId)).conversation.status, { timeout: 10_000 }).toBe('completed');
    expect(pageErrors).toEqual([]);
  }, 90_000);

  it('falls back to text input when the microphone is denied, and the typed message gets a spoken reply', async () => {
    browser = await launchBrowser(['--use-fake-device-for-media-stream', '--deny-permission-prompts', '--autoplay-policy=no-user-gesture-required']);
    const context = await newAppContext(browser, baseUrl);
    const page = await context.newPage();
    await signInAndOpenVoice(page);
    await page.getByRole('button', { name: 'Démarrer la conversation' }).click();

    await expect.poll(() => page.locator('[data-error-code]').textContent(), { timeout: 15_000 }).toContain('Accès au micro refusé');
    const input = page.getByLabel('Votre message');
    await input.waitFor({ timeout: 15_000 });
    // Typed at once, possibly while still connecting: the message waits for the connection.
    await input.fill('Can you help me prepare for a job interview?');
    await page.getByRole('button', { name: 'Envoyer' }).click();

    await expect.poll(() => transcriptOf(page, 'user')).toEqual(['Can you help me prepare for a job interview?']);
    await expect.poll(async () => (await transcriptOf(page, 'assistant')).join(' ').length, { timeout: 30_000 }).toBeGreaterThan(10);
    await expect.poll(async () => (await stats(page)).playedMs, { timeout: 30_000 }).toBeGreaterThan(300);
    await expect.poll(() => page.locator('li[data-role="assistant"]').getAttribute('data-final'), { timeout: 30_000 }).toBe('true');
    expect(await page.locator('[data-error-code]').getAttribute('data-error-code')).toBe('MIC_DENIED'); // no later error
    expect((await stats(page)).micOpens).toHaveLength(0); // the microphone never opened
  }, 60_000);
  it('reconnects with a new credential when the connection drops, and the conversation goes on', async () => {
    browser = await launchBrowser(['--autoplay-policy=no-user-gesture-required']);
    const page = await (await newAppContext(browser, baseUrl)).newPage();
    // Playwright sits between the page and the engine, so the test can cut the connection.
    const routes: { page: WebSocketRoute; server: WebSocketRoute }[] = [];
    const sessionIds: string[] = [];
    await page.routeWebSocket(/\/v1\/realtime/, (ws) => {
      const server = ws.connectToServer();
      server.onMessage((message) => {
        const id = /"type":"session\.created".*?"id":"(sess_[\w-]+)"/.exec(String(message))?.[1];
        if (id) sessionIds.push(id);
        ws.send(message);
      });
      routes.push({ page: ws, server });
    });
    let credentials = 0;
    page.on('request', (request) => void (new URL(request.url()).pathname === '/api/voice/sessions' && credentials++));
    await signInAndOpenVoice(page);
    await page.getByLabel('Écrire plutôt que parler').check();
    await page.getByRole('button', { name: 'Démarrer la conversation' }).click();
    await expect.poll(() => page.getByTestId('voice-state').getAttribute('data-state'), { timeout: 15_000 }).toBe('listening');
    expect(sessionIds).toHaveLength(1);
    await page.getByLabel('Votre message').fill('Hi coach');
    await page.getByRole('button', { name: 'Envoyer' }).click();
    await expect.poll(async () => (await transcriptOf(page, 'assistant')).length, { timeout: 30_000 }).toBe(1);
    await expect.poll(async () => (await transcriptApi(page, sessionIds[0]!)).items.length, { timeout: 10_000 }).toBe(2);

    // The connection drops: both sides close with a non-normal code (Playwright's routed sockets
    // live in the page, where only 1000 and 3000–4999 may be sent).
    await routes[0]!.server.close({ code: 4000, reason: 'network down' });
    await routes[0]!.page.close({ code: 4000, reason: 'network down' });
    await expect.poll(() => page.locator('[data-error-code]').getAttribute('data-error-code'), { timeout: 10_000 }).toBe('CONNECTION_LOST');
    await expect.poll(() => sessionIds.length, { timeout: 15_000 }).toBe(2);
    await expect.poll(() => page.getByTestId('voice-state').getAttribute('data-state')).toBe('listening');
    expect(credentials).toBe(2); // a fresh credential for the new connection
    await expect.poll(async () => (await transcriptApi(page, sessionIds[0]!)).conversation.status, { timeout: 20_000 }).toBe('interrupted');

    // The new connection works.
    await page.getByLabel('Votre message').fill('Hello again coach');
    await page.getByRole('button', { name: 'Envoyer' }).click();
    await expect.poll(async () => (await transcriptOf(page, 'assistant')).length, { timeout: 30_000 }).toBe(2);
    await expect.poll(async () => (await transcriptApi(page, sessionIds[1]!)).items.map((i) => i.role), { timeout: 10_000 }).toEqual(['user', 'assistant']);
  }, 60_000);
});
