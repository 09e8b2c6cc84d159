/**
 * Each limit of a session, broken by a client as an attacker would (scripted stages, manual clock):
 * the client gets a clear error, the limit holds (what is buffered, what reaches the VAD and the
 * LLM is asserted, never a wall time), and terminal limits close the session.
 */
import { describe, expect, it } from 'vitest';
import { appendChunks } from '../../../../tests/helpers/realtime-audio.js';
import { openScriptedSession, userText } from '../../../../tests/helpers/scripted-session.js';
import type { SessionCloseReason } from './session-end.js';
import { DEFAULT_LIMITS, INPUT_BYTES_PER_MS } from './session-limits.js';

const append = (audio: string, event_id?: string) => ({ type: 'input_audio_buffer.append', audio, ...(event_id ? { event_id } : {}) });

describe('input audio limits', () => {
  it('a flood of appends without turn detection: refused past the buffer cap, the buffer never above it; commit still works', async () => {
    const cap = 960_000; // 20 s
    const { log, send, session, speech, stt } = await openScriptedSession({ limits: { maxInputBufferBytes: cap, audioBurstMs: Number.MAX_SAFE_INTEGER } });
    await send({ type: 'session.update', session: { audio: { input: { turn_detection: null } } } });
    const chunk = Buffer.from(speech.say('flood', 10_000).buffer).toString('base64'); // 480,000 bytes, the largest append
    const frame = JSON.stringify(append(chunk));
    const flood = 100 * 1024 * 1024;
    let peak = 0;
    for (let sent = 0; sent < flood; sent += 480_000) {
      await session.handle(frame);
      peak = Math.max(peak, session.bufferedInputBytes);
    }
    expect(peak).toBe(cap);
    const errors = log.of('error');
    expect(errors.length).toBe(Math.ceil(flood / 480_000) - 2);
    expect(new Set(errors.map((e) => `${e.error.code} ${e.error.param}`))).toEqual(new Set(['input_audio_buffer_full audio']));
    await send({ type: 'input_audio_buffer.commit' });
    expect(log.of('conversation.item.input_audio_transcription.completed').map((e) => e.transcript)).toEqual(['flood']);
    expect(session.bufferedInputBytes).toBe(0);
    expect(stt.batches).toEqual([cap / 3]); // 20 s at 16 kHz
  });

  it('one append larger than maxAppendBytes is refused whole: nothing of it is buffered', async () => {
    const { log, send, vad } = await openScriptedSession();
    await send(append(Buffer.alloc(DEFAULT_LIMITS.maxAppendBytes + 2).toString('base64'), 'big'));
    expect(log.of('error').map((e) => e.error)).toMatchObject([{ type: 'invalid_request_error', code: 'audio_chunk_too_large', param: 'audio', event_id: 'big' }]);
    expect(vad.pushedSamples).toBe(0);
    await send(append(Buffer.alloc(DEFAULT_LIMITS.maxAppendBytes).toString('base64')));
    expect(log.of('error')).toHaveLength(1);
    expect(vad.pushedSamples).toBe((DEFAULT_LIMITS.maxAppendBytes / 2 / 3) * 2);
  });

  it('audio faster than real time: after a 10 s burst each append is refused (not buffered) until the clock catches up', async () => {
    const { log, send, clock, speech, vad } = await openScriptedSession();
    const payloads = appendChunks(speech.silence(30_000)); // 300 appends of 100 ms, sent at once
    for (const payload of payloads) await send(append(payload));
    expect(vad.pushedSamples).toBe(10_000 * 16);
    const errors = log.of('error');
    expect(errors).toHaveLength(200);
    expect(new Set(errors.map((e) => e.error.code))).toEqual(new Set(['audio_too_fast']));
    // 1 s later, 1 s more audio is accepted, and no more.
    await clock.advance(1_000);
    for (const payload of payloads.slice(0, 11)) await send(append(payload));
    expect(vad.pushedSamples).toBe(11_000 * 16);
    expect(log.of('error')).toHaveLength(201);
  });

  it('a real-time client is never refused, however long it speaks', async () => {
    const { log, speak, speech, vad } = await openScriptedSession({ limits: { maxSessionMs: 10 * 60_000 } });
    await speak(speech.silence(5 * 60_000));
    expect(log.of('error')).toEqual([]);
    expect(vad.pushedSamples).toBe(5 * 60_000 * 16);
  });

  it('a turn longer than maxUtteranceMs is ended and committed there; the speech that goes on is the next turn', async () => {
    const { log, send, speak, speech } = await openScriptedSession({ limits: { maxUtteranceMs: 5_000 } });
    await send({ type: 'session.update', session: { audio: { input: { turn_detection: { type: 'server_vad', create_response: false } } } } });
    await speak(speech.join(speech.say('I will not stop talking', 8_000), speech.silence(600)));
    expect(log.of('input_audio_buffer.speech_started').map((e) => e.audio_start_ms)).toEqual([0, 5_000]);
    expect(log.of('input_audio_buffer.speech_stopped').map((e) => e.audio_end_ms)).toEqual([5_000, 8_500]);
    expect(log.of('conversation.item.input_audio_transcription.completed').map((e) => [e.transcript, e.usage])).toEqual([
      ['I will not stop talking', { type: 'duration', seconds: 5 }],
      ['I will not stop talking', { type: 'duration', seconds: 3.15 }],
    ]);
    expect(log.of('error')).toEqual([]);
  });
});

describe('responses and items', () => {
  it('text turns count against the responses per minute, like voice turns', async () => {
    const { log, send, speak, speech, clock, llm } = await openScriptedSession({ limits: { maxResponsesPerMinute: 3 } });
    for (let i = 1; i <= 3; i++) {
      await send(userText(`Question ${i}`));
      await send({ type: 'response.create' });
      await clock.advance(10_000);
    }
    await send(userText('Question 4'));
    await send({ type: 'response.create', event_id: 'fourth' });
    expect(log.of('error').map((e) => e.error)).toMatchObject([{ code: 'response_rate_limited', event_id: 'fourth' }]);
    // A voice turn now is committed, its reply refused.
    await speak(speech.join(speech.say('And now?', 800), speech.silence(600)));
    expect(log.of('input_audio_buffer.committed')).toHaveLength(1);
    expect(log.of('error').map((e) => e.error.code)).toEqual(['response_rate_limited', 'response_rate_limited']);
    expect(llm.requests).toHaveLength(3);
    // A minute after the first response, one more may start.
    await clock.advance(60_000 - 31_400);
    await send({ type: 'response.create' });
    expect(log.of('response.done').map((d) => d.response.status)).toEqual(['completed', 'completed', 'completed', 'completed']);
  });

  it('at most maxResponses per session', async () => {
    const { log, send, clock } = await openScriptedSession({ limits: { maxResponses: 2 } });
    for (let i = 0; i < 3; i++) {
      await send({ type: 'response.create', event_id: `r${i}` });
      await clock.advance(60_000);
    }
    expect(log.of('response.done')).toHaveLength(2);
    expect(log.of('error').map((e) => e.error)).toMatchObject([{ code: 'response_limit_reached', event_id: 'r2' }]);
  });

  it('at most maxItems items: further items and responses are refused', async () => {
    const { log, send } = await openScriptedSession({ limits: { maxItems: 3 } });
    for (let i = 0; i < 4; i++) await send(userText(`Item ${i}`, { event_id: `i${i}` }));
    await send({ type: 'response.create', event_id: 'r' });
    expect(log.of('conversation.item.done')).toHaveLength(3);
    expect(log.of('error').map((e) => [e.error.code, e.error.event_id])).toEqual([['conversation_item_limit', 'i3'], ['conversation_item_limit', 'r']]);
  });

  it('the history sent to the LLM is trimmed to the token budget: instructions, then the newest turns from a question', async () => {
    // "Be brief." costs 9 tokens; a 40-character message 14 (16 for the first one kept): 70 keeps four.
    const { send, llm } = await openScriptedSession({ limits: { historyTokenBudget: 70 } });
    await send({ type: 'session.update', session: { instructions: 'Be brief.' } });
    const text = (name: string) => name.padEnd(40, '.');
    for (const [role, name] of [['user', 'U1'], ['assistant', 'A1'], ['user', 'U2'], ['assistant', 'A2'], ['user', 'U3'], ['assistant', 'A3'], ['user', 'U4']] as const) {
      await send({ type: 'conversation.item.create', item: { type: 'message', role, content: [{ type: role === 'user' ? 'input_text' : 'output_text', text: text(name) }] } });
    }
    await send({ type: 'response.create' });
    // A2, U3, A3, U4 fit; a history does not start with an answer: A2 is dropped too.
    expect(llm.requests[0]!.messages).toEqual([
      { role: 'system', content: 'Be brief.' },
      { role: 'user', content: text('U3') },
      { role: 'assistant', content: text('A3') },
      { role: 'user', content: text('U4') },
    ]);
  });
});

describe('errors caused by the client', () => {
  it('past maxErrorsPerMinute refused events in a minute the session ends: too_many_errors, close 4429; a minute later the count starts again', async () => {
    const { log, send, clock, transportClosed } = await openScriptedSession({ limits: { maxErrorsPerMinute: 3, audioBurstMs: 1_000 } });
    const tooFast = append(Buffer.alloc(2 * INPUT_BYTES_PER_MS * 1_000).toString('base64')); // 2 s of audio: over the 1 s burst
    for (let i = 0; i < 3; i++) await send(tooFast);
    expect(transportClosed).toEqual([]);
    await clock.advance(60_000);
    for (let i = 0; i < 3; i++) await send(tooFast);
    expect(transportClosed).toEqual([]);
    await send(tooFast);
    expect(log.of('error').map((e) => e.error.code)).toEqual([...Array(7).fill('audio_too_fast'), 'too_many_errors']);
    expect(transportClosed).toEqual([{ code: 4429, reason: 'too_many_errors' }]);
  });
});

describe('time limits', () => {
  it('idle: no audio or text for idleTimeoutMs → idle_timeout error, close 4408, onEnd', async () => {
    const ended: Array<{ durationMs: number; reason: SessionCloseReason }> = [];
    const { log, send, clock, transportClosed, sink } = await openScriptedSession({ onEnd: ({ durationMs, reason }) => ended.push({ durationMs, reason }) });
    await clock.advance(100_000);
    await send(userText('still here'));
    await clock.advance(119_999);
    expect(transportClosed).toEqual([]);
    await clock.advance(1);
    expect(log.events.at(-1)).toMatchObject({ type: 'error', error: { type: 'invalid_request_error', code: 'idle_timeout' } });
    expect(transportClosed).toEqual([{ code: 4408, reason: 'idle_timeout' }]);
    expect(ended).toEqual([{ durationMs: 220_000, reason: 'idle_timeout' }]);
    await send(userText('too late'));
    expect(log.events.at(-1)!.type).toBe('error');
    expect(sink.closedWith).toBe('interrupted');
  });

  it('idle: a reply being generated or played is not idleness; the idle time counts from the end of its audio', async () => {
    const { log, send, clock, transportClosed, llm } = await openScriptedSession();
    llm.gate.close();
    await send(userText('Hello there'));
    await send({ type: 'response.create' });
    await clock.advance(200_000);
    expect(transportClosed).toEqual([]);
    llm.gate.open();
    await clock.advance(0);
    expect(log.of('response.done')).toHaveLength(1);
    // "You said: Hello there." is 1050 ms of audio from t = 200 s.
    await clock.advance(1_050 + 119_999);
    expect(transportClosed).toEqual([]);
    await clock.advance(1);
    expect(transportClosed).toEqual([{ code: 4408, reason: 'idle_timeout' }]);
  });

  it('maximum duration: session_expired at maxSessionMs whatever the client does; the reply in flight stops', async () => {
    const ended: Array<{ durationMs: number; reason: SessionCloseReason }> = [];
    const { log, send, speak, speech, clock, transportClosed, llm } = await openScriptedSession({ limits: { maxSessionMs: 10_000 }, onEnd: ({ durationMs, reason }) => ended.push({ durationMs, reason }) });
    await speak(speech.silence(9_000));
    llm.gate.close();
    await send({ type: 'response.create' });
    await clock.advance(999);
    expect(transportClosed).toEqual([]);
    await clock.advance(1);
    expect(log.events.at(-1)).toMatchObject({ type: 'error', error: { code: 'session_expired' } });
    expect(transportClosed).toEqual([{ code: 4408, reason: 'session_expired' }]);
    expect(ended).toEqual([{ durationMs: 10_000, reason: 'session_expired' }]);
    expect(llm.aborted).toBe(1);
    expect(log.of('response.done')).toHaveLength(0);
  });
});
