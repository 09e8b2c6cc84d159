import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appendChunks, silence24k, speak24k } from '../../../../tests/helpers/realtime-audio.js';
import { audioMsOf, openSession, realStages } from '../../../../tests/helpers/realtime-harness.js';
import { speechAudioFactory, type SpeechAudioFactory } from '../../../../tests/helpers/speech-audio.js';
import { wordErrorRate } from '../../../../tests/helpers/wer.js';
import type { RealtimeSessionOptions } from './realtime-session.js';
import type { ResponseMetrics } from './response-runner.js';
import { applySessionUpdate, initialSession, vadOptions } from './session-config.js';
import type { RealtimeStages } from './stages.js';
import type { ServerTool } from './tool-runner.js';
import type { SttEngine } from '../stt/types.js';

const kioskTools = [
  { type: 'function', name: 'get_class_schedule', description: 'Group classes', parameters: { type: 'object', properties: { day: { type: 'string' }, class_type: { type: 'string' } } } },
  { type: 'function', name: 'get_opening_hours', description: 'Opening hours of the gym', parameters: { type: 'object', properties: {} } },
];
const userText = (text: string) => ({ type: 'conversation.item.create', item: { type: 'message', role: 'user', content: [{ type: 'input_text', text }] } });

let stages: RealtimeStages & { close(): Promise<void> };
beforeAll(async () => {
  stages = await realStages();
}, 60_000);
afterAll(() => stages?.close());

describe('realtime session: a text turn', () => {
  it('answers with audio deltas and transcript deltas, in the GA event order', async () => {
    const { log, send, sink } = openSession(stages);
    expect(log.events[0]).toMatchObject({ type: 'session.created', session: { type: 'realtime', audio: { output: { format: { type: 'audio/pcm', rate: 24000 } } } } });
    await send(userText('Hello, what can you do for me?'));
    await send({ type: 'response.create', event_id: 'client_1' });
    const done = await log.waitFor('response.done');
    expect(done.response.status).toBe('completed');

    const types = log.types().filter((t) => t !== 'response.output_audio.delta' && t !== 'response.output_audio_transcript.delta');
    expect(types).toEqual([
      'session.created',
      'conversation.item.added',
      'conversation.item.done',
      'response.created',
      'response.output_item.added',
      'conversation.item.added',
      'response.content_part.added',
      'response.output_audio.done',
      'response.output_audio_transcript.done',
      'response.content_part.done',
      'response.output_item.done',
      'conversation.item.done',
      'response.done',
    ]);
    const itemId = log.of('response.output_item.added')[0]!.item.id;
    const deltas = log.of('response.output_audio.delta');
    expect(deltas.length).toBeGreaterThan(3);
    for (const d of deltas) {
      expect(d).toMatchObject({ item_id: itemId, response_id: done.response.id, output_index: 0, content_index: 0 });
      expect(Buffer.from(d.delta, 'base64').length).toBeLessThanOrEqual(4800);
    }
    expect(new Set(log.events.map((e) => e.event_id)).size).toBe(log.events.length);
    const transcript = log.of('response.output_audio_transcript.delta').map((d) => d.delta).join('');
    expect(transcript.length).toBeGreaterThan(10);
    expect(log.of('response.output_audio_transcript.done')[0]!.transcript).toBe(transcript);
    // The reply is what the LLM wrote for this conversation.
    const expected = await stages.llm.complete({ messages: [{ role: 'user', content: 'Hello, what can you do for me?' }], agent: { kind: 'kiosk', gymName: 'FitClub Lyon' }, language: 'en' }, { feature: 'test' });
    expect(transcript.replace(/\s+/g, ' ')).toBe(expected.text.replace(/\s+/g, ' ').trim());
    // ~60 ms of audio per character of speech at least: the reply was really spoken.
    expect(audioMsOf(log)).toBeGreaterThan(transcript.length * 30);
    expect(done.response.usage?.output_tokens).toBeGreaterThan(0);
    const saved = sink.items();
    expect(saved.map((i) => [i.role, i.status])).toEqual([['user', 'completed'], ['assistant', 'completed']]);
    expect(saved[1]!.text).toBe(transcript);
    expect(saved[1]!.endMs - saved[1]!.startMs).toBeGreaterThan(500);
  });

  it('speaks first: response.create with an empty conversation', async () => {
    const { log, send } = openSession(stages);
    await send({ type: 'response.create' });
    const done = await log.waitFor('response.done');
    expect(done.response.status).toBe('completed');
    expect(log.of('response.output_audio_transcript.done')[0]!.transcript).toContain('FitClub Lyon');
    expect(audioMsOf(log)).toBeGreaterThan(1000);
  });

  it('turns malformed client events into error events and keeps going', async () => {
    const { log, send } = openSession(stages);
    await send({ type: 'no.such.event', event_id: 'e1' });
    await send({ type: 'input_audio_buffer.append', event_id: 'e2', audio: '%%% not base64 %%%' });
    await send({ type: 'conversation.item.create', event_id: 'e3', item: { type: 'message', role: 'user', content: [] } });
    await send({ type: 'session.update', event_id: 'e4', session: { audio: { output: { voice: 'nobody' } } } });
    await send({ type: 'response.cancel', event_id: 'e5' });
    await send({ type: 'input_audio_buffer.commit', event_id: 'e6' });
    await send({ type: 'conversation.item.create', event_id: 'e7', item: { type: 'function_call_output', call_id: 'unknown', output: '{}' } });
    const errors = log.of('error');
    expect(errors.map((e) => e.error.event_id)).toEqual(['e1', 'e2', 'e3', 'e4', 'e5', 'e6', 'e7']);
    for (const e of errors) expect(e.error.type).toBe('invalid_request_error');
    expect(errors.map((e) => e.error.code)).toEqual(['invalid_value', 'invalid_value', 'invalid_value', 'invalid_value', 'response_cancel_not_active', 'input_audio_buffer_commit_empty', 'invalid_value']);
    await send({ type: 'session.update', session: { instructions: 'Be brief.', audio: { output: { voice: 'verse' } } } });
    const updated = await log.waitFor('session.updated');
    expect(updated.session).toMatchObject({ instructions: 'Be brief.', audio: { output: { voice: 'verse' } } });
  });

  it('survives a burst of random and hostile frames, answering each with an error', async () => {
    const { log, session, send } = openSession(stages);
    const hostile: unknown[] = [
      null, 42, 'text', [], { type: null }, { type: 'session.update' }, { type: 'session.update', session: { tools: 'all' } },
      { type: 'session.update', session: { audio: { input: { turn_detection: { type: 'server_vad', threshold: 7 } } } } },
      { type: 'input_audio_buffer.append' }, { type: 'input_audio_buffer.append', audio: 12 },
      { type: 'conversation.item.create', item: { type: 'function_call', name: 'x' } },
      { type: 'conversation.item.truncate', item_id: 'nope', content_index: 0, audio_end_ms: 5 },
      { type: 'response.create', response: { instructions: 5 } }, { type: '__proto__' }, { type: 'constructor' },
      { type: 'x'.repeat(10_000) },
    ];
    let seed = 7;
    const random = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    for (let i = 0; i < 100; i++) hostile.push({ type: ['session.update', 'conversation.item.create', 'response.cancel', 'input_audio_buffer.commit'][i % 4], [String(random())]: random(), item: random() > 0.5 ? {} : undefined, session: random() > 0.5 ? 3 : undefined });
    for (const frame of hostile) await send(frame as object);
    await session.handle('\u0000\u0001');
    const errors = log.of('error');
    expect(errors).toHaveLength(hostile.length + 1);
    for (const e of errors) expect(e.error.type).toBe('invalid_request_error');
    expect(errors.some((e) => e.error.message.length > 200)).toBe(false);
    await send(userText('Hello'));
    await send({ type: 'response.create' });
    expect((await log.waitFor('response.done')).response.status).toBe('completed');
  });

  it('answers invalid JSON with an error', async () => {
    const { log, session } = openSession(stages);
    await session.handle('{oops');
    await session.handle('');
    expect(log.of('error').map((e) => e.error.code)).toEqual(['invalid_json', 'invalid_json']);
  });

  it('refuses a second response while one is active, and cancels on response.cancel', async () => {
    const { log, send, sink, session } = openSession(stages);
    await send(userText('Hello, what can you do for me?'));
    await send({ type: 'response.create' });
    await send({ type: 'response.create', event_id: 'again' });
    expect(log.of('error')[0]!.error).toMatchObject({ code: 'conversation_already_has_active_response', event_id: 'again' });
    await log.waitFor('response.output_audio.delta');
    await send({ type: 'response.cancel' });
    const done = await log.waitFor('response.done');
    expect(done.response.status).toBe('cancelled');
    expect(done.response.status_details).toMatchObject({ type: 'cancelled', reason: 'client_cancelled' });
    const item = log.of('conversation.item.done').at(-1)!.item;
    expect(item).toMatchObject({ status: 'incomplete' });
    await session.close(true);
    expect(sink.closedWith).toBe('completed');
  });

  it('closing mid-response tells the sink the conversation was interrupted', async () => {
    const { log, send, sink, session } = openSession(stages);
    await send({ type: 'response.create' });
    await log.waitFor('response.created');
    await session.close(true);
    expect(sink.closedWith).toBe('interrupted');
  });
});

describe('realtime session: tools', () => {
  it('round trip with the client: function call, function_call_output, reply', async () => {
    const { log, send, sink } = openSession(stages);
    await send({ type: 'session.update', session: { tools: kioskTools } });
    await send(userText('Is there a yoga class tomorrow?'));
    await send({ type: 'response.create' });
    const first = await log.waitFor('response.done');
    expect(first.response.status).toBe('completed');
    expect(first.response.output).toHaveLength(1);
    expect(first.response.output![0]).toMatchObject({ type: 'function_call', name: 'get_class_schedule', status: 'completed' });
    const args = await log.waitFor('response.function_call_arguments.done');
    expect(JSON.parse(args.arguments)).toEqual({ day: 'tomorrow', class_type: 'yoga' });
    expect(args.response_id).toBe(first.response.id);

    await send({ type: 'conversation.item.create', item: { type: 'function_call_output', call_id: args.call_id, output: JSON.stringify([{ name: 'Yoga', time: '18:00', coach: 'Julie' }]) } });
    await send({ type: 'response.create' });
    const second = await log.waitFor('response.done', () => true, 20_000, 1);
    expect(second.response.status).toBe('completed');
    expect(log.of('response.output_audio_transcript.done')[0]!.transcript).toMatch(/Yoga.*18:00.*Julie/s);
    expect(sink.items().map((i) => i.kind)).toEqual(['message', 'function_call', 'function_call_output', 'message']);
  });

  it('runs server-side tools without a round trip and continues the response', async () => {
    const calls: unknown[] = [];
    const tool: ServerTool = {
      name: 'get_class_schedule',
      description: 'Group classes',
      parameters: kioskTools[0]!.parameters,
      execute: async (args) => {
        calls.push(args);
        return [{ name: 'Yoga', time: '19:30', coach: 'Marc' }];
      },
    };
    const { log, send } = openSession(stages, { serverTools: [tool] });
    await send(userText('Is there a yoga class tomorrow?'));
    await send({ type: 'response.create' });
    const done = await log.waitFor('response.done');
    expect(calls).toEqual([{ day: 'tomorrow', class_type: 'yoga' }]);
    expect(done.response.output!.map((i) => i.type)).toEqual(['function_call', 'message']);
    expect(log.of('conversation.item.added').map((e) => e.item.type)).toEqual(['message', 'function_call', 'function_call_output', 'message']);
    expect(log.of('response.output_audio_transcript.done')[0]!.transcript).toMatch(/Yoga.*19:30.*Marc/s);
    expect(log.of('response.done')).toHaveLength(1);
  });
});

describe('realtime session: manual commit, truncate, session config', () => {
  it('turn_detection null: the client commits, gets the transcript, and asks for the reply', async () => {
    const audio = await speechAudioFactory();
    try {
      const clip = await speak24k(audio, 'How do I use the rowing machine?', 300);
      const { log, send, sink } = openSession(stages);
      await send({ type: 'session.update', session: { audio: { input: { turn_detection: null } } } });
      expect(log.of('session.updated')[0]!.session).toMatchObject({ audio: { input: { turn_detection: null } } });
      for (const chunk of appendChunks(clip)) await send({ type: 'input_audio_buffer.append', audio: chunk });
      await send({ type: 'input_audio_buffer.commit' });
      const transcript = await log.waitFor('conversation.item.input_audio_transcription.completed');
      expect(wordErrorRate('How do I use the rowing machine?', transcript.transcript)).toBeLessThanOrEqual(0.4);
      expect(log.of('input_audio_buffer.speech_started')).toHaveLength(0);
      expect(log.of('response.created')).toHaveLength(0);
      await send({ type: 'response.create' });
      expect((await log.waitFor('response.done')).response.status).toBe('completed');
      expect(sink.items().map((i) => i.role)).toEqual(['user', 'assistant']);
      await send({ type: 'input_audio_buffer.commit', event_id: 'empty' });
      expect(log.of('error').at(-1)!.error).toMatchObject({ code: 'input_audio_buffer_commit_empty', event_id: 'empty' });
    } finally {
      await audio.cleanup();
    }
  });

  it('conversation.item.truncate cuts the assistant transcript to what the client played', async () => {
    const { log, send, sink } = openSession(stages);
    await send(userText('Hello, what can you do for me?'));
    await send({ type: 'response.create' });
    await log.waitFor('response.done');
    const item = log.of('response.output_item.done')[0]!.item;
    const full = log.of('response.output_audio_transcript.done')[0]!.transcript;
    await send({ type: 'conversation.item.truncate', item_id: item.id, content_index: 0, audio_end_ms: 1500 });
    expect(log.of('conversation.item.truncated')[0]).toMatchObject({ item_id: item.id, audio_end_ms: 1500 });
    const saved = sink.items().find((i) => i.id === item.id)!;
    expect(saved.status).toBe('incomplete');
    expect(saved.text.length).toBeGreaterThan(0);
    expect(saved.text.length).toBeLessThan(full.length);
    expect(full.startsWith(saved.text)).toBe(true);
    await send({ type: 'conversation.item.truncate', event_id: 'far', item_id: item.id, content_index: 0, audio_end_ms: 999_999 });
    expect(log.of('error').at(-1)!.error).toMatchObject({ event_id: 'far', param: 'audio_end_ms' });
  });

  it('maps server_vad settings to the VAD and semantic_vad to a longer silence', () => {
    const state = initialSession('sess_x', 'm');
    expect(vadOptions(state.turnDetection)).toEqual({ threshold: 0.5, prefixPaddingMs: 300, silenceDurationMs: 500 });
    applySessionUpdate(state, { audio: { input: { turn_detection: { type: 'server_vad', silence_duration_ms: 700 } } } });
    expect(vadOptions(state.turnDetection)).toMatchObject({ silenceDurationMs: 700, threshold: 0.5 });
    applySessionUpdate(state, { audio: { input: { turn_detection: { type: 'semantic_vad', eagerness: 'low' } } } });
    expect(vadOptions(state.turnDetection)).toEqual({ silenceDurationMs: 1200 });
    applySessionUpdate(state, { audio: { input: { turn_detection: null } } });
    expect(vadOptions(state.turnDetection)).toBeNull();
  });
});

/** Wraps an STT engine to record what the session does with its streams. */
function spyStt(stages: RealtimeStages) {
  const streams: { firstWrite: number; written: number; writtenAtFinish?: number; finished: boolean; cancelled: boolean }[] = [];
  const stt: SttEngine = {
    name: stages.stt.name,
    capabilities: stages.stt.capabilities,
    transcribe: (audio, options) => stages.stt.transcribe(audio, options),
    warmUp: () => stages.stt.warmUp(),
    close: async () => undefined,
    ...(stages.stt.openStream
      ? {
          openStream: (options) => {
            const inner = stages.stt.openStream!(options);
            const record: (typeof streams)[number] = { firstWrite: 0, written: 0, finished: false, cancelled: false };
            streams.push(record);
            return {
              write: (pcm) => {
                if (record.written === 0) record.firstWrite = pcm.length;
                record.written += pcm.length;
                inner.write(pcm);
              },
              finish: () => {
                record.finished = true;
                record.writtenAtFinish = record.written;
                return inner.finish();
              },
              cancel: () => {
                record.cancelled = true;
                inner.cancel();
              },
            };
          },
        }
      : {}),
  };
  return { stages: { ...stages, stt }, streams };
}

describe('realtime session: voice turns through the STT stage', () => {
  const SENTENCE = 'Is there a yoga class tomorrow evening?';
  let audio: SpeechAudioFactory;
  let clip: Int16Array;
  beforeAll(async () => {
    audio = await speechAudioFactory();
    clip = await speak24k(audio, SENTENCE, 500);
  }, 60_000);
  afterAll(() => audio?.cleanup());

  /** One spoken turn; `paced`: appended at real-time pace, as a microphone would (early replies need the time). */
  async function spokenTurn(turnStages: RealtimeStages, options: Partial<RealtimeSessionOptions> = {}, audio = clip, paced = false, said = SENTENCE) {
    const { log, send, sink } = openSession(turnStages, options);
    const started = performance.now();
    let n = 0;
    for (const chunk of [...appendChunks(audio), ...appendChunks(silence24k(1200))]) {
      await send({ type: 'input_audio_buffer.append', audio: chunk });
      const wait = started + ++n * 100 - performance.now();
      if (paced && wait > 0) await new Promise((r) => setTimeout(r, wait));
    }
    const transcript = await log.waitFor('conversation.item.input_audio_transcription.completed');
    expect(wordErrorRate(said, transcript.transcript), transcript.transcript).toBeLessThanOrEqual(0.4);
    expect((await log.waitFor('response.done')).response.status).toBe('completed');
    await new Promise((r) => setTimeout(r, 50));
    expect(sink.items().map((i) => i.role)).toEqual(['user', 'assistant']);
    expect(sink.items()[0]!.text).toBe(transcript.transcript);
    return log;
  }

  it('streaming: decoding starts at speech_started with the prefix padding, the speech is written before the turn ends', async () => {
    const spy = spyStt(stages);
    expect(spy.stages.stt.capabilities.streaming).toBe(true);
    const log = await spokenTurn(spy.stages);
    expect(spy.streams).toHaveLength(1);
    const [stream] = spy.streams;
    expect(stream!.firstWrite).toBeGreaterThanOrEqual(300 * 16); // 300 ms of prefix padding at 16 kHz, and more
    expect(stream!.finished).toBe(true);
    expect(stream!.cancelled).toBe(false);
    // The decoder got padding + speech + ~150 ms of the closing silence (as the batch path), not the
    // whole 500 ms that closed the turn.
    const stopped = log.of('input_audio_buffer.speech_stopped')[0]!;
    const started = log.of('input_audio_buffer.speech_started')[0]!;
    const writtenMs = stream!.writtenAtFinish! / 16;
    expect(writtenMs).toBeGreaterThan(stopped.audio_end_ms - started.audio_start_ms - 500);
    expect(writtenMs).toBeLessThan(stopped.audio_end_ms - started.audio_start_ms - 250);
  });

  /** Counts LLM calls (an early reply makes its call before the turn ends). */
  function countingLlm(base: RealtimeStages) {
    const calls: string[] = [];
    const llm: RealtimeStages['llm'] = {
      stream: (request, ctx) => {
        calls.push(String(request.messages.at(-1)?.content));
        return base.llm.stream(request, ctx);
      },
      complete: (request, ctx) => base.llm.complete(request, ctx),
      info: () => base.llm.info(),
      close: async () => undefined,
    };
    return { stages: { ...base, llm }, calls };
  }

  it('early reply: prepared during the closing silence, used when the turn ends as guessed — same events, one LLM call', async () => {
    const counted = countingLlm(stages);
    const metrics: ResponseMetrics[] = [];
    const log = await spokenTurn(counted.stages, { onResponseMetrics: (m) => metrics.push(m) }, clip, true);
    expect(metrics.map((m) => m.earlyReply)).toEqual(['used']);
    expect(counted.calls).toHaveLength(1);
    const transcript = log.of('conversation.item.input_audio_transcription.completed')[0]!.transcript;
    expect(counted.calls[0]).toBe(transcript);
    // The client sees the usual order: committed, response.created, then the transcript.
    const types = log.types();
    expect(types.indexOf('input_audio_buffer.speech_stopped')).toBeLessThan(types.indexOf('input_audio_buffer.committed'));
    expect(types.indexOf('input_audio_buffer.committed')).toBeLessThan(types.indexOf('response.created'));
    expect(types.indexOf('response.created')).toBeLessThan(types.indexOf('response.output_audio.delta'));
    // Nothing of the reply was sent before the turn ended.
    expect(types.indexOf('response.output_audio_transcript.delta')).toBeGreaterThan(types.indexOf('input_audio_buffer.speech_stopped'));

    const off = countingLlm(stages);
    const offMetrics: ResponseMetrics[] = [];
    await spokenTurn(off.stages, { earlyReply: false, onResponseMetrics: (m) => offMetrics.push(m) }, clip, true);
    expect(offMetrics.map((m) => m.earlyReply)).toEqual([undefined]);
    expect(off.calls).toHaveLength(1);
  });

  it('early reply: a pause the speaker talks through is thrown away; the reply answers the whole turn', async () => {
    const [spoken1, spoken2] = await Promise.all([speak24k(audio, SENTENCE, 0), speak24k(audio, 'And what about Sunday morning?', 0)]);
    // Festival's own silent edges cut off: the pause is exactly 350 ms — past speech_paused
    // (200 ms), short of the end of the turn (500 ms).
    const loud = (s: Int16Array) => s.findIndex((v) => Math.abs(v) > 300);
    const trim = (s: Int16Array) => s.subarray(loud(s), s.length - loud(s.slice().reverse()));
    const [first, second] = [trim(spoken1), trim(spoken2)];
    const gap = 24 * 350;
    const paused = new Int16Array(24 * 500 + first.length + gap + second.length);
    paused.set(first, 24 * 500);
    paused.set(second, 24 * 500 + first.length + gap);
    const counted = countingLlm(stages);
    const metrics: ResponseMetrics[] = [];
    const log = await spokenTurn(counted.stages, { onResponseMetrics: (m) => metrics.push(m) }, paused, true, `${SENTENCE} And what about Sunday morning?`);
    expect(log.of('input_audio_buffer.speech_stopped')).toHaveLength(1);
    const transcript = log.of('conversation.item.input_audio_transcription.completed')[0]!.transcript;
    expect(transcript).toMatch(/sunday/);
    // Two guesses (at the pause, then at the end), the first dropped; the reply is to the whole turn.
    expect(counted.calls.length).toBe(2);
    expect(counted.calls.at(-1)).toBe(transcript);
    expect(counted.calls[0]).not.toMatch(/sunday/);
    expect(metrics.map((m) => m.earlyReply)).toEqual(['used']);
  });

  it('input_audio_buffer.clear while the user speaks cancels the stream; nothing is committed', async () => {
    const spy = spyStt(stages);
    const { log, send } = openSession(spy.stages);
    for (const chunk of appendChunks(clip.subarray(0, 24_000 * 2))) await send({ type: 'input_audio_buffer.append', audio: chunk });
    await log.waitFor('input_audio_buffer.speech_started');
    await send({ type: 'input_audio_buffer.clear' });
    expect(spy.streams).toHaveLength(1);
    expect(spy.streams[0]!.cancelled).toBe(true);
    for (const chunk of appendChunks(silence24k(1200))) await send({ type: 'input_audio_buffer.append', audio: chunk });
    expect(log.of('input_audio_buffer.committed')).toHaveLength(0);
    expect(log.of('conversation.item.input_audio_transcription.completed')).toHaveLength(0);
  });

  it('batch fallback (pocketsphinx_batch, no streaming): the same turn, transcribed after it ends', async () => {
    const batch = await realStages('batch');
    try {
      expect(batch.stt.capabilities.streaming).toBe(false);
      await spokenTurn(batch);
    } finally {
      await batch.close();
    }
  }, 60_000);
});
