/**
 * The session, event by event, on scripted stages and a manual clock (tests/helpers): text turns,
 * client errors, responses and cancellation, tools, manual commit, truncation, session config.
 * Voice turns are in user-turn.test.ts; the real engines in real-engine.test.ts.
 */
import { describe, expect, it } from 'vitest';
import { openScriptedSession, userText } from '../../../../tests/helpers/scripted-session.js';
import { BusyError } from '../process-slots.js';
import { OPENING_PROMPT } from './conversation.js';
import { applySessionUpdate, initialSession, vadOptions } from './session-config.js';
import type { ServerTool } from './tool-runner.js';

const kioskTools = [
  { type: 'function', name: 'get_class_schedule', description: 'Group classes', parameters: { type: 'object', properties: { day: { type: 'string' }, class_type: { type: 'string' } } } },
  { type: 'function', name: 'get_opening_hours', description: 'Opening hours of the gym', parameters: { type: 'object', properties: {} } },
];
const scheduleCall = { id: 'call_1', name: 'get_class_schedule', arguments: '{"day":"tomorrow","class_type":"yoga"}' };

/** `response.output_audio.delta` events for one sentence of `ms` audio (100 ms deltas, the rest last). */
const deltasFor = (ms: number): string[] => Array.from({ length: Math.ceil(ms / 100) }, () => 'response.output_audio.delta');

describe('realtime session: a text turn', () => {
  it('answers with audio and transcript deltas, every event in the GA order, usage and transcript saved', async () => {
    const { log, send, sink, tts, llm } = await openScriptedSession();
    expect(log.events[0]).toMatchObject({ type: 'session.created', session: { type: 'realtime', audio: { output: { format: { type: 'audio/pcm', rate: 24000 } } } } });
    await send(userText('Hello there'));
    await send({ type: 'response.create', event_id: 'client_1' });

    // "You said: Hello there." is spoken as two sentences: "You said:" (450 ms), "Hello there." (600 ms).
    expect(tts.requests.map((r) => r.text)).toEqual(['You said:', 'Hello there.']);
    expect(log.types()).toEqual([
      'session.created',
      'conversation.item.added',
      'conversation.item.done',
      'response.created',
      'response.output_item.added',
      'conversation.item.added',
      'response.content_part.added',
      'response.output_audio_transcript.delta',
      ...deltasFor(450),
      'response.output_audio_transcript.delta',
      ...deltasFor(600),
      'response.output_audio.done',
      'response.output_audio_transcript.done',
      'response.content_part.done',
      'response.output_item.done',
      'conversation.item.done',
      'response.done',
    ]);
    const done = log.of('response.done')[0]!;
    expect(done.response).toMatchObject({ status: 'completed', usage: { input_tokens: 9, output_tokens: 4, total_tokens: 13 } });
    const itemId = log.of('response.output_item.added')[0]!.item.id;
    const deltas = log.of('response.output_audio.delta');
    expect(deltas.map((d) => Buffer.from(d.delta, 'base64').length)).toEqual([4800, 4800, 4800, 4800, 2400, 4800, 4800, 4800, 4800, 4800, 4800]);
    for (const d of deltas) expect(d).toMatchObject({ item_id: itemId, response_id: done.response.id, output_index: 0, content_index: 0 });
    expect(new Set(log.events.map((e) => e.event_id)).size).toBe(log.events.length);
    expect(log.of('response.output_audio_transcript.delta').map((d) => d.delta)).toEqual(['You said:', ' Hello there.']);
    expect(log.of('response.output_audio_transcript.done')[0]!.transcript).toBe('You said: Hello there.');
    // The LLM got the conversation with the session's agent and language.
    expect(llm.requests).toEqual([{ messages: [{ role: 'user', content: 'Hello there' }], agent: { kind: 'kiosk', gymName: 'FitClub Lyon' }, language: 'en' }]);
    // Transcript: the user item, then the reply from its first audio (t = 0) for 1050 ms of audio.
    expect(sink.items()).toMatchObject([
      { role: 'user', status: 'completed', text: 'Hello there', startMs: 0, endMs: 0 },
      { role: 'assistant', status: 'completed', text: 'You said: Hello there.', startMs: 0, endMs: 1050 },
    ]);
  });

  it('speaks first: response.create on an empty conversation sends the opening prompt', async () => {
    const { log, send, llm } = await openScriptedSession();
    await send({ type: 'response.create' });
    expect(llm.requests[0]!.messages).toEqual([{ role: 'system', content: OPENING_PROMPT }]);
    expect(log.of('response.done')[0]!.response.status).toBe('completed');
    expect(log.of('response.output_audio_transcript.done')[0]!.transcript).toBe('Hello, how can I help?');
  });

  it('the instructions go first, and response.instructions replace them for one response', async () => {
    const { send, llm } = await openScriptedSession();
    await send({ type: 'session.update', session: { instructions: 'You are the FitClub kiosk.' } });
    await send(userText('Hi'));
    await send({ type: 'response.create' });
    await send({ type: 'response.create', response: { instructions: 'Answer in one word.' } });
    expect(llm.requests.map((r) => r.messages[0])).toEqual([
      { role: 'system', content: 'You are the FitClub kiosk.' },
      { role: 'system', content: 'Answer in one word.' },
    ]);
  });

  it('turns malformed client events into error events and keeps going', async () => {
    const { log, send } = await openScriptedSession();
    await send({ type: 'no.such.event', event_id: 'e1' });
    await send({ type: 'input_audio_buffer.append', event_id: 'e2', audio: '%%% not base64 %%%' });
    await send({ type: 'conversation.item.create', event_id: 'e3', item: { type: 'message', role: 'user', content: [] } });
    await send({ type: 'session.update', event_id: 'e4', session: { audio: { output: { voice: 'nobody' } } } });
    await send({ type: 'response.cancel', event_id: 'e5' });
    await send({ type: 'input_audio_buffer.commit', event_id: 'e6' });
    await send({ type: 'conversation.item.create', event_id: 'e7', item: { type: 'function_call_output', call_id: 'unknown', output: '{}' } });
    await send({ type: 'conversation.item.create', event_id: 'e8', previous_item_id: 'nope', item: { type: 'message', role: 'user', content: [{ type: 'input_text', text: 'x' }] } });
    const errors = log.of('error');
    expect(errors.map((e) => e.error.event_id)).toEqual(['e1', 'e2', 'e3', 'e4', 'e5', 'e6', 'e7', 'e8']);
    for (const e of errors) expect(e.error.type).toBe('invalid_request_error');
    expect(errors.map((e) => e.error.code)).toEqual(['invalid_value', 'invalid_value', 'invalid_value', 'invalid_value', 'response_cancel_not_active', 'input_audio_buffer_commit_empty', 'invalid_value', 'item_not_found']);
    expect(errors.map((e) => e.error.param)).toEqual(['type', 'audio', 'item.content', 'session.audio.output.voice', undefined, undefined, 'item.call_id', 'previous_item_id']);
    await send({ type: 'session.update', session: { instructions: 'Be brief.', audio: { output: { voice: 'verse' } } } });
    expect(log.of('session.updated')[0]!.session).toMatchObject({ instructions: 'Be brief.', audio: { output: { voice: 'verse' } } });
  });

  it('survives a burst of random and hostile frames, answering each with an error', async () => {
    const { log, session, send } = await openScriptedSession();
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
    expect(errors.filter((e) => e.error.message.length > 200)).toEqual([]);
    await send(userText('Hello'));
    await send({ type: 'response.create' });
    expect(log.of('response.done')[0]!.response.status).toBe('completed');
  });

  it('answers invalid JSON with an error', async () => {
    const { log, session } = await openScriptedSession();
    await session.handle('{oops');
    await session.handle('');
    expect(log.of('error').map((e) => e.error.code)).toEqual(['invalid_json', 'invalid_json']);
  });
});

describe('realtime session: responses', () => {
  it('refuses a second response while one is active; response.cancel keeps what was played', async () => {
    const { log, send, sink, session, clock, tts } = await openScriptedSession();
    tts.gate.close().allow(1); // the first sentence is spoken, the second waits
    await send(userText('Hello there'));
    await send({ type: 'response.create' });
    await send({ type: 'response.create', event_id: 'again' });
    expect(log.of('error').map((e) => e.error)).toMatchObject([{ code: 'conversation_already_has_active_response', event_id: 'again' }]);
    expect(log.of('response.output_audio.delta')).toHaveLength(5); // "You said:", 450 ms
    await clock.advance(300); // the client has played 300 ms of it
    await send({ type: 'response.cancel', event_id: 'stop' });
    const done = log.of('response.done');
    expect(done).toHaveLength(1);
    expect(done[0]!.response).toMatchObject({ status: 'cancelled', status_details: { type: 'cancelled', reason: 'client_cancelled' } });
    expect(tts.aborted).toEqual(['Hello there.']);
    // 300 ms of the 450 ms "You said:": one word of two.
    expect(log.of('conversation.item.done').at(-1)!.item).toMatchObject({ status: 'incomplete', content: [{ type: 'output_audio', transcript: 'You' }] });
    expect(sink.items().at(-1)).toMatchObject({ role: 'assistant', status: 'incomplete', text: 'You', startMs: 0, endMs: 300 });
    await session.close(true);
    expect(sink.closedWith).toBe('completed');
  });

  it('response.cancel with another response id is refused', async () => {
    const { log, send, llm } = await openScriptedSession();
    llm.gate.close();
    await send({ type: 'response.create' });
    await send({ type: 'response.cancel', event_id: 'other', response_id: 'resp_other' });
    expect(log.of('error').map((e) => e.error.code)).toEqual(['response_cancel_not_active']);
    expect(log.of('response.done')).toHaveLength(0);
  });

  it('closing mid-response stops the LLM and tells the sink the conversation was interrupted', async () => {
    const { log, send, sink, session, llm } = await openScriptedSession();
    llm.gate.close();
    await send(userText('Hello'));
    await send({ type: 'response.create' });
    expect(log.types().at(-1)).toBe('response.created');
    await session.close(true);
    expect(llm.aborted).toBe(1);
    expect(sink.closedWith).toBe('interrupted');
  });

  it('a failing stage fails the response (response.done failed) and the session goes on', async () => {
    const { log, send, tts } = await openScriptedSession();
    tts.failure = new Error('synthesis exploded');
    await send(userText('Hello'));
    await send({ type: 'response.create' });
    expect(log.of('response.done')[0]!.response).toMatchObject({ status: 'failed', status_details: { type: 'failed', error: { type: 'server_error', code: 'response_failed' } } });
    tts.failure = undefined;
    await send({ type: 'response.create' });
    expect(log.of('response.done')[1]!.response.status).toBe('completed');
  });

  it('no speech process free in time (tts_busy): the response fails with that code, the session goes on', async () => {
    const { log, send, tts } = await openScriptedSession();
    tts.failure = new BusyError('tts_busy', 'no speech process free within 10000 ms');
    await send(userText('Hello'));
    await send({ type: 'response.create' });
    expect(log.of('response.done')[0]!.response).toMatchObject({ status: 'failed', status_details: { error: { type: 'server_error', code: 'tts_busy' } } });
    tts.failure = undefined;
    await send({ type: 'response.create' });
    expect(log.of('response.done').map((d) => d.response.status)).toEqual(['failed', 'completed']);
  });
});

describe('realtime session: tools', () => {
  it('round trip with the client: function call, function_call_output, reply', async () => {
    const { log, send, sink, llm } = await openScriptedSession();
    await send({ type: 'session.update', session: { tools: kioskTools } });
    llm.reply({ toolCalls: [scheduleCall] }, { text: 'Yoga at 18:00 with Julie.' });
    await send(userText('Is there a yoga class tomorrow?'));
    await send({ type: 'response.create' });
    const first = log.of('response.done')[0]!;
    expect(first.response).toMatchObject({ status: 'completed', output: [{ type: 'function_call', name: 'get_class_schedule', call_id: 'call_1', status: 'completed' }] });
    expect(log.types().slice(-7)).toEqual([
      'response.created',
      'response.output_item.added',
      'conversation.item.added',
      'response.function_call_arguments.done',
      'response.output_item.done',
      'conversation.item.done',
      'response.done',
    ]);
    expect(log.of('response.output_item.added')[0]!.item).toMatchObject({ type: 'function_call', status: 'in_progress', arguments: '' });
    const args = log.of('response.function_call_arguments.done')[0]!;
    expect(args).toMatchObject({ call_id: 'call_1', name: 'get_class_schedule', response_id: first.response.id });
    expect(JSON.parse(args.arguments)).toEqual({ day: 'tomorrow', class_type: 'yoga' });
    expect(llm.requests[0]!.tools!.map((t) => t.name)).toEqual(['get_class_schedule', 'get_opening_hours']);

    const output = JSON.stringify([{ name: 'Yoga', time: '18:00', coach: 'Julie' }]);
    await send({ type: 'conversation.item.create', item: { type: 'function_call_output', call_id: args.call_id, output } });
    await send({ type: 'response.create' });
    expect(llm.requests[1]!.messages.slice(-2)).toEqual([
      { role: 'assistant', content: null, toolCalls: [scheduleCall] },
      { role: 'tool', toolCallId: 'call_1', content: output },
    ]);
    expect(log.of('response.done')[1]!.response.status).toBe('completed');
    expect(log.of('response.output_audio_transcript.done')[0]!.transcript).toBe('Yoga at 18:00 with Julie.');
    expect(sink.items().map((i) => i.kind)).toEqual(['message', 'function_call', 'function_call_output', 'message']);
  });

  it('runs server-side tools without a round trip and continues the same response', async () => {
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
    const { log, send, llm } = await openScriptedSession({ serverTools: [tool] });
    llm.reply({ toolCalls: [scheduleCall] }, { text: 'Yoga at 19:30 with Marc.' });
    await send(userText('Is there a yoga class tomorrow?'));
    await send({ type: 'response.create' });
    expect(calls).toEqual([{ day: 'tomorrow', class_type: 'yoga' }]);
    expect(log.of('response.done')).toHaveLength(1);
    expect(log.of('response.done')[0]!.response.output!.map((i) => i.type)).toEqual(['function_call', 'message']);
    expect(log.of('conversation.item.added').map((e) => e.item.type)).toEqual(['message', 'function_call', 'function_call_output', 'message']);
    expect(llm.requests[1]!.messages.at(-1)).toEqual({ role: 'tool', toolCallId: 'call_1', content: '[{"name":"Yoga","time":"19:30","coach":"Marc"}]' });
    expect(log.of('response.output_audio_transcript.done')[0]!.transcript).toBe('Yoga at 19:30 with Marc.');
  });

  it('a server tool that throws gives the model {"error": message}', async () => {
    const tool: ServerTool = { name: 'get_class_schedule', execute: async () => Promise.reject(new Error('schedule unavailable')) };
    const { log, send, llm } = await openScriptedSession({ serverTools: [tool] });
    llm.reply({ toolCalls: [scheduleCall] }, { text: 'Sorry, I cannot see the schedule.' });
    await send(userText('Yoga tomorrow?'));
    await send({ type: 'response.create' });
    expect(llm.requests[1]!.messages.at(-1)).toEqual({ role: 'tool', toolCallId: 'call_1', content: '{"error":"schedule unavailable"}' });
    expect(log.of('response.done')[0]!.response.status).toBe('completed');
  });
});

describe('realtime session: manual commit, truncate, session config', () => {
  it('turn_detection null: the client commits, gets the transcript, and asks for the reply', async () => {
    const { log, send, upload, sink, speech } = await openScriptedSession();
    await send({ type: 'session.update', session: { audio: { input: { turn_detection: null } } } });
    expect(log.of('session.updated')[0]!.session).toMatchObject({ audio: { input: { turn_detection: null } } });
    await upload(speech.join(speech.say('How do I use the rowing machine?', 1000), speech.silence(300)));
    await send({ type: 'input_audio_buffer.commit' });
    expect(log.types()).toEqual([
      'session.created',
      'session.updated',
      'input_audio_buffer.committed',
      'conversation.item.added',
      'conversation.item.input_audio_transcription.completed',
      'conversation.item.done',
    ]);
    expect(log.of('conversation.item.input_audio_transcription.completed')[0]).toMatchObject({ transcript: 'How do I use the rowing machine?', usage: { type: 'duration', seconds: 1.3 } });
    expect(log.of('input_audio_buffer.speech_started')).toHaveLength(0);
    expect(log.of('response.created')).toHaveLength(0);
    await send({ type: 'response.create' });
    expect(log.of('response.done')[0]!.response.status).toBe('completed');
    expect(sink.items().map((i) => [i.role, i.text])).toEqual([['user', 'How do I use the rowing machine?'], ['assistant', 'You said: How do I use the rowing machine?.']]);
    await send({ type: 'input_audio_buffer.commit', event_id: 'empty' });
    expect(log.of('error').at(-1)!.error).toMatchObject({ code: 'input_audio_buffer_commit_empty', event_id: 'empty' });
    // Less than 100 ms is not enough either; clear empties the buffer.
    await upload(speech.say('Hi', 90));
    await send({ type: 'input_audio_buffer.commit', event_id: 'short' });
    expect(log.of('error').at(-1)!.error).toMatchObject({ code: 'input_audio_buffer_commit_empty', event_id: 'short' });
    await upload(speech.say('Hi', 200));
    await send({ type: 'input_audio_buffer.clear' });
    await send({ type: 'input_audio_buffer.commit', event_id: 'cleared' });
    expect(log.types().slice(-2)).toEqual(['input_audio_buffer.cleared', 'error']);
  });

  it('conversation.item.truncate cuts the assistant transcript to what the client played', async () => {
    const { log, send, sink } = await openScriptedSession();
    await send(userText('Hello there'));
    await send({ type: 'response.create' });
    const item = log.of('response.output_item.done')[0]!.item;
    // "You said:" plays 0–450 ms, "Hello there." 450–1050 ms: at 800 ms, 1 word of 2 of the second.
    await send({ type: 'conversation.item.truncate', item_id: item.id, content_index: 0, audio_end_ms: 800 });
    expect(log.of('conversation.item.truncated')).toMatchObject([{ item_id: item.id, content_index: 0, audio_end_ms: 800 }]);
    expect(sink.items().find((i) => i.id === item.id)).toMatchObject({ status: 'incomplete', text: 'You said: Hello', startMs: 0, endMs: 800 });
    await send({ type: 'conversation.item.truncate', event_id: 'far', item_id: item.id, content_index: 0, audio_end_ms: 999_999 });
    expect(log.of('error').at(-1)!.error).toMatchObject({ event_id: 'far', param: 'audio_end_ms' });
    const user = log.of('conversation.item.added')[0]!.item;
    await send({ type: 'conversation.item.truncate', event_id: 'user', item_id: user.id, content_index: 0, audio_end_ms: 0 });
    expect(log.of('error').at(-1)!.error).toMatchObject({ event_id: 'user', param: 'item_id' });
  });

  it('maps server_vad settings to the VAD and semantic_vad to a longer silence', async () => {
    const state = initialSession('sess_x', 'm');
    expect(vadOptions(state.turnDetection)).toEqual({ threshold: 0.5, prefixPaddingMs: 300, silenceDurationMs: 500 });
    applySessionUpdate(state, { audio: { input: { turn_detection: { type: 'server_vad', silence_duration_ms: 700 } } } });
    expect(vadOptions(state.turnDetection)).toMatchObject({ silenceDurationMs: 700, threshold: 0.5 });
    applySessionUpdate(state, { audio: { input: { turn_detection: { type: 'semantic_vad', eagerness: 'low' } } } });
    expect(vadOptions(state.turnDetection)).toEqual({ silenceDurationMs: 1200 });
    applySessionUpdate(state, { audio: { input: { turn_detection: null } } });
    expect(vadOptions(state.turnDetection)).toBeNull();

    // And the VAD stage gets them.
    const { send, upload, speech, vad } = await openScriptedSession();
    await send({ type: 'session.update', session: { audio: { input: { turn_detection: { type: 'server_vad', threshold: 0.7, prefix_padding_ms: 200, silence_duration_ms: 900 } } } } });
    await upload(speech.silence(100));
    expect(vad.streams).toMatchObject([{ threshold: 0.7, prefixPaddingMs: 200, silenceDurationMs: 900 }]);
  });
});
