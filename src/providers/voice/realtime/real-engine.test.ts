/**
 * The integration set: the engine on its real stages (Silero VAD, python3-pocketsphinx or
 * pocketsphinx_batch, espeak-ng, the offline LLM) with real speech made by festival. Everything
 * that can be said event by event is in the deterministic tests (realtime-session.test.ts,
 * user-turn.test.ts); here each test waits for events (generous bounds, no sleeps), asserts what
 * holds however fast the machine is, and never asserts a duration, so it passes on a loaded
 * 2-core machine.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appendChunks, silence24k, speak24k } from '../../../../tests/helpers/realtime-audio.js';
import { audioMsOf, openSession, type EventLog } from '../../../../tests/helpers/realtime-harness.js';
import { realStages } from '../../../../tests/helpers/real-stages.js';
import { speechAudioFactory, type SpeechAudioFactory } from '../../../../tests/helpers/speech-audio.js';
import { wordErrorRate } from '../../../../tests/helpers/wer.js';
import type { RealtimeLogger, RealtimeStages } from './stages.js';

const QUESTION = 'Is there a yoga class tomorrow evening?';
const INTERRUPTION = 'Stop, wait a second. What are your opening hours on Sunday?';
const userText = (text: string) => ({ type: 'conversation.item.create', item: { type: 'message', role: 'user', content: [{ type: 'input_text', text }] } });

/** A logger whose messages can be awaited (a backchannel leaves no event, only a debug line). */
function recordingLogger() {
  const messages: string[] = [];
  const waiters: Array<() => void> = [];
  const push = (_fields: object, message: string): void => {
    messages.push(message);
    for (const w of waiters.splice(0)) w();
  };
  const logger: RealtimeLogger = { debug: push, info: push, warn: push };
  const waitFor = async (message: string): Promise<void> => {
    while (!messages.includes(message)) await new Promise<void>((resolve) => waiters.push(resolve));
  };
  return { logger, messages, waitFor };
}

/** All of `audio` at once, in 100 ms appends (the VAD's turns come from the audio, not from wall-clock time). */
async function upload(send: (e: object) => Promise<void>, audio: Int16Array): Promise<void> {
  for (const chunk of appendChunks(audio)) await send({ type: 'input_audio_buffer.append', audio: chunk });
}

const transcriptOf = (log: EventLog, responseId: string) =>
  log.of('response.output_audio_transcript.delta').filter((d) => d.response_id === responseId).map((d) => d.delta).join('');

let stages: RealtimeStages & { close(): Promise<void> };
let audio: SpeechAudioFactory;
let question: Int16Array;
let interruption: Int16Array;
let backchannel: Int16Array;

beforeAll(async () => {
  audio = await speechAudioFactory();
  [stages, question, interruption, backchannel] = await Promise.all([realStages(), speak24k(audio, QUESTION, 500), speak24k(audio, INTERRUPTION, 100), speak24k(audio, 'Okay.', 100)]);
}, 120_000);
afterAll(async () => {
  await stages?.close();
  await audio?.cleanup();
});

describe('the engine on real stages', () => {
  it('a text turn: the offline LLM reply spoken by espeak-ng, deltas of at most 100 ms, the transcript saved', async () => {
    const { log, send, sink } = openSession(stages);
    await send(userText('Hello, what can you do for me?'));
    await send({ type: 'response.create' });
    const done = await log.waitFor('response.done');
    expect(done.response.status).toBe('completed');
    const transcript = log.of('response.output_audio_transcript.done')[0]!.transcript;
    const expected = await stages.llm.complete({ messages: [{ role: 'user', content: 'Hello, what can you do for me?' }], agent: { kind: 'kiosk', gymName: 'FitClub Lyon' }, language: 'en' }, { feature: 'test' });
    expect(transcript.replace(/\s+/g, ' ')).toBe(expected.text.replace(/\s+/g, ' ').trim());
    for (const d of log.of('response.output_audio.delta')) expect(Buffer.from(d.delta, 'base64').length).toBeLessThanOrEqual(4800);
    // Real speech: at least ~30 ms of audio per character.
    expect(audioMsOf(log)).toBeGreaterThan(transcript.length * 30);
    expect(done.response.usage?.output_tokens).toBeGreaterThan(0);
    expect(sink.items().map((i) => [i.role, i.status, i.text])).toEqual([['user', 'completed', 'Hello, what can you do for me?'], ['assistant', 'completed', transcript]]);
  }, 120_000);

  it('a spoken turn through Silero and streaming pocketsphinx: transcript, then the spoken reply', async () => {
    expect(stages.stt.capabilities.streaming).toBe(true);
    const { log, send, sink } = openSession(stages);
    await upload(send, question);
    await upload(send, silence24k(1200));
    const transcript = await log.waitFor('conversation.item.input_audio_transcription.completed');
    expect(wordErrorRate(QUESTION, transcript.transcript), transcript.transcript).toBeLessThanOrEqual(0.4);
    expect((await log.waitFor('response.done')).response.status).toBe('completed');
    const types = log.types();
    expect(types.indexOf('input_audio_buffer.speech_started')).toBeLessThan(types.indexOf('input_audio_buffer.speech_stopped'));
    expect(types.indexOf('input_audio_buffer.speech_stopped')).toBeLessThan(types.indexOf('input_audio_buffer.committed'));
    expect(types.indexOf('input_audio_buffer.committed')).toBeLessThan(types.indexOf('response.created'));
    expect(log.of('response.output_audio.delta').length).toBeGreaterThan(3);
    await expect.poll(() => sink.items().map((i) => i.role), { timeout: 30_000 }).toEqual(['user', 'assistant']);
    expect(sink.items()[0]!.text).toBe(transcript.transcript);
  }, 120_000);

  it('the batch fallback (pocketsphinx_batch): the same turn, transcribed after it ends', async () => {
    const batch = await realStages('batch');
    try {
      expect(batch.stt.capabilities.streaming).toBe(false);
      const { log, send } = openSession(batch);
      await upload(send, question);
      await upload(send, silence24k(1200));
      const transcript = await log.waitFor('conversation.item.input_audio_transcription.completed');
      expect(wordErrorRate(QUESTION, transcript.transcript), transcript.transcript).toBeLessThanOrEqual(0.4);
      expect((await log.waitFor('response.done')).response.status).toBe('completed');
    } finally {
      await batch.close();
    }
  }, 120_000);

  it('barge-in: speech over the reply ends it (the item keeps only what was heard) and is answered', async () => {
    const { log, send, sink } = openSession(stages);
    await send(userText('Hello, what can you do for me?'));
    await send({ type: 'response.create' });
    const first = await log.waitFor('response.created');
    await log.waitFor('response.output_audio.delta');
    await upload(send, interruption);
    await upload(send, silence24k(800));
    const second = await log.waitFor('response.done', (e) => e.response.id !== first.response.id);
    expect(second.response.status).toBe('completed');
    // Cancelled while generating, or truncated while playing: either way the reply item ends incomplete.
    await expect.poll(() => sink.items().map((i) => `${i.role}:${i.status}`), { timeout: 30_000 }).toEqual(['user:completed', 'assistant:incomplete', 'user:completed', 'assistant:completed']);
    const [, cut, interrupted] = sink.items();
    const full = transcriptOf(log, first.response.id!);
    expect(cut!.text.length).toBeLessThan(full.length);
    expect(full.startsWith(cut!.text)).toBe(true);
    expect(wordErrorRate(INTERRUPTION, interrupted!.text), interrupted!.text).toBeLessThanOrEqual(0.5);
  }, 120_000);

  it('backchannel: a short "okay" over the reply is heard, ignored, and the reply goes on', async () => {
    const recording = recordingLogger();
    const { log, send, sink } = openSession(stages, { logger: recording.logger });
    await send(userText('Hello, what can you do for me?'));
    await send({ type: 'response.create' });
    await log.waitFor('response.output_audio.delta');
    await upload(send, backchannel);
    await upload(send, silence24k(900));
    await log.waitFor('input_audio_buffer.speech_stopped');
    await recording.waitFor('backchannel ignored');
    expect((await log.waitFor('response.done')).response.status).toBe('completed');
    expect(log.of('input_audio_buffer.speech_started')).toHaveLength(1);
    expect(log.of('input_audio_buffer.committed')).toHaveLength(0);
    expect(log.of('response.created')).toHaveLength(1);
    expect(log.of('conversation.item.truncated')).toHaveLength(0);
    expect(sink.items().map((i) => `${i.role}:${i.status}`)).toEqual(['user:completed', 'assistant:completed']);
  }, 120_000);
});
