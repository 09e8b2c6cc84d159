import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { speechAudioFactory, type SpeechAudioFactory } from '../../../../tests/helpers/speech-audio.js';
import { appendChunks, silence24k, speak24k } from '../../../../tests/helpers/realtime-audio.js';
import { openSession, realStages, type EventLog } from '../../../../tests/helpers/realtime-harness.js';
import { isBackchannel, playedMs, textPlayedUntil } from './barge-in.js';
import type { RealtimeStages } from './stages.js';

describe('barge-in rules', () => {
  it('recognises backchannels in English and French, not real turns', () => {
    for (const t of ['ok', 'Okay.', 'yeah', 'yes', 'Oui.', "d'accord", 'D’accord !', 'mm', 'uh-huh', 'mm hmm', 'okay okay', '']) expect(isBackchannel(t), t).toBe(true);
    for (const t of ['stop', 'wait a second', 'yes but how much is it', 'no', 'okay so what about Sunday']) expect(isBackchannel(t), t).toBe(false);
  });

  it('keeps the text actually played: whole sentences, then words in proportion', () => {
    const spans = [
      { text: 'Hello there.', startMs: 0, endMs: 1000 },
      { text: 'We open at six in the morning.', startMs: 1000, endMs: 3000 },
    ];
    expect(textPlayedUntil(spans, 0)).toBe('');
    expect(textPlayedUntil(spans, 1000)).toBe('Hello there.');
    expect(textPlayedUntil(spans, 2000)).toBe('Hello there. We open at');
    expect(textPlayedUntil(spans, 5000)).toBe('Hello there. We open at six in the morning.');
    // Played = min(audio sent, wall-clock since the first delta).
    expect(playedMs(3000, 1000, 1500)).toBe(500);
    expect(playedMs(3000, 1000, 9000)).toBe(3000);
    expect(playedMs(3000, undefined, 9000)).toBe(0);
  });
});

/** Streams 24 kHz audio in 100 ms appends at real-time pace, as a microphone would. */
async function streamRealtime(send: (e: object) => Promise<void>, samples: Int16Array): Promise<void> {
  const started = performance.now();
  let i = 0;
  for (const audio of appendChunks(samples)) {
    await send({ type: 'input_audio_buffer.append', audio });
    const wait = started + ++i * 100 - performance.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
  }
}

const fullTranscript = (log: EventLog, responseId: string) =>
  log.of('response.output_audio_transcript.delta').filter((d) => d.response_id === responseId).map((d) => d.delta).join('');

describe('turn-taking over a spoken reply (real VAD, STT, TTS)', () => {
  let stages: RealtimeStages & { close(): Promise<void> };
  let audio: SpeechAudioFactory;
  let interruption: Int16Array;
  let backchannel: Int16Array;

  beforeAll(async () => {
    audio = await speechAudioFactory();
    [stages, interruption, backchannel] = await Promise.all([
      realStages(),
      speak24k(audio, 'Stop, wait a second. What are your opening hours on Sunday?', 100),
      speak24k(audio, 'Okay.', 100),
    ]);
  }, 60_000);
  afterAll(async () => {
    await stages?.close();
    await audio?.cleanup();
  });

  it('barge-in: user speech cancels the reply and the assistant item keeps only what was played', async () => {
    const { log, send, sink } = openSession(stages);
    await send({ type: 'conversation.item.create', item: { type: 'message', role: 'user', content: [{ type: 'input_text', text: 'Hello, what can you do for me?' }] } });
    await send({ type: 'response.create' });
    const first = await log.waitFor('response.created');
    await log.waitFor('response.output_audio.delta');
    await streamRealtime(send, interruption);
    await streamRealtime(send, silence24k(800));
    const second = await log.waitFor('response.done', (e) => e.response.id !== first.response.id, 20_000);
    expect(second.response.status).toBe('completed');

    const full = fullTranscript(log, first.response.id!);
    const firstDone = log.of('response.done').find((e) => e.response.id === first.response.id)!;
    const cutEvent = log.of('conversation.item.truncated')[0];
    // Either the reply was still being generated (cancelled) or only its playback was cut (truncated).
    if (firstDone.response.status === 'cancelled') expect(firstDone.response.status_details).toMatchObject({ reason: 'turn_detected' });
    else expect(cutEvent).toBeDefined();

    const items = sink.items();
    expect(items.map((i) => `${i.role}:${i.status}`)).toEqual(['user:completed', 'assistant:incomplete', 'user:completed', 'assistant:completed']);
    const cut = items[1]!;
    expect(cut.text.length).toBeLessThan(full.length);
    expect(full.startsWith(cut.text)).toBe(true);
    // What was heard lasted about as long as it took the barge-in to fire (≥ 0.7 s of speech + 0.5 s silence).
    expect(cut.endMs - cut.startMs).toBeGreaterThan(900);
    expect(cut.endMs - cut.startMs).toBeLessThan(4000);
    expect(items[2]!.text).toMatch(/opening hours/);
    expect(items[2]!.startMs).toBeLessThan(cut.endMs);
  }, 30_000);

  it('backchannel: a short "okay" over the reply neither interrupts it nor starts a turn', async () => {
    const { log, send, sink } = openSession(stages);
    await send({ type: 'conversation.item.create', item: { type: 'message', role: 'user', content: [{ type: 'input_text', text: 'Hello, what can you do for me?' }] } });
    await send({ type: 'response.create' });
    await log.waitFor('response.output_audio.delta');
    await streamRealtime(send, backchannel);
    await streamRealtime(send, silence24k(900));
    await log.waitFor('input_audio_buffer.speech_stopped');
    const done = await log.waitFor('response.done');
    // Give the backchannel's transcription time to finish (it must not start anything).
    await new Promise((r) => setTimeout(r, 1200));
    expect(done.response.status).toBe('completed');
    expect(log.of('input_audio_buffer.speech_started')).toHaveLength(1);
    expect(log.of('input_audio_buffer.committed')).toHaveLength(0);
    expect(log.of('response.created')).toHaveLength(1);
    expect(log.of('conversation.item.truncated')).toHaveLength(0);
    expect(sink.items().map((i) => `${i.role}:${i.status}`)).toEqual(['user:completed', 'assistant:completed']);
  }, 30_000);
});
