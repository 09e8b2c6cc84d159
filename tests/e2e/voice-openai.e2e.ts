/**
 * The voice client's OpenAI path (WebRTC) against loopback fakes: the server mints the ephemeral
 * key from a fake `client_secrets`, the browser posts its SDP offer to the fake `calls` endpoint,
 * and a second page — a real RTCPeerConnection — answers as OpenAI would, then speaks the Realtime
 * protocol on the `oai-events` data channel. The screen must surface those events, the client
 * must save the transcript through the conversations API and end it from `pagehide`.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { startFakeOpenAiWebRtc, type FakeOpenAiWebRtc } from '../fakes/openai-webrtc-calls.js';
import { launchBrowser, newAppContext, DEMO_MEMBER } from './browser.js';
import { startE2eServer, type E2eServer } from './server.js';

const API_KEY = 'sk-e2e-fake-openai-key-0123456789';
const MEMBER = DEMO_MEMBER;

let fake: FakeOpenAiWebRtc;
let server: E2eServer;
let browser: Browser;

beforeAll(async () => {
  fake = await startFakeOpenAiWebRtc({ apiKey: API_KEY });
  server = await startE2eServer({
    webDir: inject('buildDir'),
    env: { VOICE_PROVIDER: 'openai', OPENAI_API_KEY: API_KEY, OPENAI_BASE_URL: fake.baseURL, AI_PROVIDER: 'offline' },
  });
  browser = await launchBrowser(['--use-fake-ui-for-media-stream', '--use-fake-device-for-media-stream', '--autoplay-policy=no-user-gesture-required']);
});
afterAll(async () => {
  await browser?.close();
  await server?.close();
  await fake?.close();
});

declare global {
  interface Window {
    remote?: { log: string[]; send(event: object): void; open: boolean; tracks: string[] };
  }
}

/** The "OpenAI" side: answers the offer, sends a tone back, logs what the client sends. */
async function answeringPeer(page: Page, offer: string): Promise<string> {
  return page.evaluate(async (sdp) => {
    const pc = new RTCPeerConnection();
    const remote = { log: [] as string[], open: false, tracks: [] as string[], send: (_: object) => undefined as void };
    window.remote = remote;
    pc.ontrack = (event) => remote.tracks.push(event.track.kind);
    pc.ondatachannel = (event) => {
      const channel = event.channel;
      remote.log.push(`channel:${channel.label}`);
      remote.send = (e) => channel.send(JSON.stringify(e));
      channel.onopen = () => (remote.open = true);
      channel.onmessage = (m: MessageEvent<string>) => remote.log.push(m.data);
    };
    await pc.setRemoteDescription({ type: 'offer', sdp });
    const ctx = new AudioContext();
    const tone = ctx.createOscillator();
    const out = ctx.createMediaStreamDestination();
    tone.connect(out);
    tone.start();
    pc.addTrack(out.stream.getAudioTracks()[0]!, out.stream);
    await pc.setLocalDescription(await pc.createAnswer());
    await new Promise<void>((resolve) => {
      if (pc.iceGatheringState === 'complete') return resolve();
      pc.addEventListener('icegatheringstatechange', () => pc.iceGatheringState === 'complete' && resolve());
      setTimeout(resolve, 2_000);
    });
    return pc.localDescription!.sdp;
  }, offer);
}

const send = (page: Page, ...events: object[]) => page.evaluate((list) => list.forEach((e) => window.remote!.send(e)), events);
const stateOf = (page: Page) => page.getByTestId('voice-state').getAttribute('data-state');
const texts = (page: Page, role: string) => page.locator(`[data-testid="voice-transcript"] li[data-role="${role}"] [data-testid="voice-text"]`).allTextContents();

describe('voice coach (OpenAI Realtime over WebRTC, loopback fake)', () => {
  it('posts the SDP offer with the ephemeral key, surfaces data-channel events, saves and ends the transcript', async () => {
    const remotePage = await (await browser.newContext()).newPage();
    fake.answer = (offer) => answeringPeer(remotePage, offer);

    const page = await (await newAppContext(browser, server.baseUrl)).newPage();
    const pageErrors: string[] = [];
    page.on('pageerror', (e) => pageErrors.push(e.message));
    await page.goto('/login');
    await page.getByLabel('Adresse e-mail').fill(MEMBER.email);
    await page.getByLabel('Mot de passe').fill(MEMBER.password);
    await page.getByRole('button', { name: 'Se connecter' }).click();
    await page.waitForURL((url) => url.pathname === '/');
    await page.goto('/voice');
    await page.getByLabel('Voix du coach').selectOption('coral');
    await page.getByRole('button', { name: 'Démarrer la conversation' }).click();

    // Signaling: one offer, to the calls URL, with the ephemeral key (never the API key).
    await expect.poll(() => fake.calls.length, { timeout: 15_000 }).toBe(1);
    const call = fake.calls[0]!;
    expect(call.headers['content-type']).toBe('application/sdp');
    expect(call.headers.authorization).toBe(`Bearer ${fake.secrets[0]}`);
    expect(call.headers.authorization).not.toContain(API_KEY);
    expect(call.model).toBe('gpt-realtime');
    expect(call.offer).toContain('m=audio');
    expect(call.offer).toContain('webrtc-datachannel');

    // Media and the oai-events channel are up: the peer gets the microphone track.
    await expect.poll(() => remotePage.evaluate(() => window.remote?.open ?? false), { timeout: 15_000 }).toBe(true);
    expect(await remotePage.evaluate(() => window.remote!.log[0])).toBe('channel:oai-events');
    await expect.poll(() => remotePage.evaluate(() => window.remote!.tracks)).toEqual(['audio']);
    await expect.poll(() => stateOf(page), { timeout: 10_000 }).toBe('listening');

    // Server events → the typed event stream → the screen.
    await send(
      remotePage,
      { type: 'session.created', session: { id: 'sess_fake', object: 'realtime.session' } },
      { type: 'input_audio_buffer.speech_started', item_id: 'item_user_1', audio_start_ms: 200 },
    );
    await expect.poll(() => stateOf(page)).toBe('userSpeaking');
    await send(
      remotePage,
      { type: 'input_audio_buffer.speech_stopped', item_id: 'item_user_1', audio_end_ms: 1900 },
      { type: 'conversation.item.input_audio_transcription.completed', item_id: 'item_user_1', content_index: 0, transcript: 'I want to practise my sales pitch.' },
      { type: 'response.created', response: { id: 'resp_1' } },
      { type: 'response.output_item.added', response_id: 'resp_1', item: { id: 'item_coach_1', type: 'message', role: 'assistant' } },
      { type: 'output_audio_buffer.started', response_id: 'resp_1' },
      { type: 'response.output_audio_transcript.delta', item_id: 'item_coach_1', delta: 'Great idea. ' },
      { type: 'response.output_audio_transcript.delta', item_id: 'item_coach_1', delta: 'Start with your opening line.' },
    );
    await expect.poll(() => texts(page, 'user')).toEqual(['I want to practise my sales pitch.']);
    await expect.poll(() => texts(page, 'assistant')).toEqual(['Great idea. Start with your opening line.']);
    expect(await stateOf(page)).toBe('speaking');

    // "Stop the reply" reaches the peer as protocol events over the data channel.
    await page.getByRole('button', { name: 'Interrompre la réponse' }).click();
    await expect
      .poll(async () => (await remotePage.evaluate(() => window.remote!.log)).slice(1).map((m) => (JSON.parse(m) as { type: string }).type))
      .toEqual(['response.cancel', 'output_audio_buffer.clear']);
    await send(
      remotePage,
      { type: 'response.output_audio_transcript.done', item_id: 'item_coach_1', transcript: 'Great idea. Start with your opening line.' },
      { type: 'response.done', response: { id: 'resp_1', status: 'cancelled' } },
      { type: 'output_audio_buffer.cleared', response_id: 'resp_1' },
    );
    await expect.poll(() => stateOf(page)).toBe('listening');

    // The browser saved both turns, in order, under an openai conversation.
    const list = await (await page.request.get('/api/conversations?kind=coach&limit=1')).json() as { conversations: { id: string; provider: string; model: string; status: string }[] };
    const conversation = list.conversations[0]!;
    expect(conversation).toMatchObject({ provider: 'openai', model: 'gpt-realtime', status: 'active' });
    const transcript = async () => (await (await page.request.get(`/api/conversations/${conversation.id}`)).json()) as { conversation: { status: string }; items: { itemId: string; role: string; text: string }[] };
    await expect.poll(async () => (await transcript()).items.map((i) => [i.itemId, i.role, i.text])).toEqual([
      ['item_user_1', 'user', 'I want to practise my sales pitch.'],
      ['item_coach_1', 'assistant', 'Great idea. Start with your opening line.'],
    ]);

    // Leaving the page mid-conversation: the pagehide beacon ends it interrupted.
    await page.goto('/');
    await expect.poll(async () => (await transcript()).conversation.status, { timeout: 10_000 }).toBe('interrupted');
    expect(pageErrors).toEqual([]);
  }, 60_000);
});
