/**
 * Voice turns event by event, on scripted stages and a manual clock: the VAD's turns and phases,
 * streaming STT, early replies (used, discarded, too late, off), the batch fallback, barge-in
 * (while the reply is generated, and after it finished), backchannels, commits by the client.
 *
 * Audio is scripted (tests/helpers/scripted-stages.ts): `say(text, ms)` is `ms` of speech the STT
 * reads back as `text`; `speak` appends it in 100 ms chunks while the clock moves 100 ms per chunk.
 * Default turn detection: server_vad, 300 ms prefix padding, 500 ms closing silence (the VAD says
 * `speech_paused` after 200 ms of it); barge-in after 700 ms of speech.
 */
import { describe, expect, it } from 'vitest';
import { openScriptedSession, userText } from '../../../../tests/helpers/scripted-session.js';
import { lastUserText } from '../../../../tests/helpers/scripted-stages.js';
import type { TranscriptionMetrics } from './realtime-session.js';
import type { ResponseMetrics } from './response-runner.js';

const QUESTION = 'Is there a yoga class tomorrow evening?';

/** The client events of a voice turn answered by the engine, from speech_started to response.done (deltas left out). */
const VOICE_TURN = [
  'input_audio_buffer.speech_started',
  'input_audio_buffer.speech_stopped',
  'input_audio_buffer.committed',
  'conversation.item.added',
  'response.created',
  'conversation.item.input_audio_transcription.completed',
  'conversation.item.done',
  'response.output_item.added',
  'conversation.item.added',
  'response.content_part.added',
  'response.output_audio.done',
  'response.output_audio_transcript.done',
  'response.content_part.done',
  'response.output_item.done',
  'conversation.item.done',
  'response.done',
];
const withoutDeltas = (types: string[]) => types.filter((t) => t !== 'response.output_audio.delta' && t !== 'response.output_audio_transcript.delta' && t !== 'session.created');

describe('a voice turn (streaming STT)', () => {
  it('speech_started with the prefix padding, decoding while spoken, the closing silence not decoded, transcript, reply', async () => {
    const metrics: TranscriptionMetrics[] = [];
    const { log, speak, speech, stt, sink, session } = await openScriptedSession({ onTranscriptionMetrics: (m) => metrics.push(m) });
    const phases: string[] = [];
    await speak(speech.silence(500));
    phases.push(session.turnPhase);
    await speak(speech.say(QUESTION, 1500));
    phases.push(session.turnPhase);
    await speak(speech.silence(200));
    phases.push(session.turnPhase);
    await speak(speech.silence(800));
    phases.push(session.turnPhase);
    expect(phases).toEqual(['idle', 'speaking', 'paused', 'idle']);

    expect(withoutDeltas(log.types())).toEqual(VOICE_TURN);
    const started = log.of('input_audio_buffer.speech_started')[0]!;
    // Speech at 500 ms, minus 300 ms of padding; the turn ends after 500 ms of silence.
    expect(started.audio_start_ms).toBe(200);
    expect(log.of('input_audio_buffer.speech_stopped')[0]).toMatchObject({ item_id: started.item_id, audio_end_ms: 2500 });
    expect(log.of('input_audio_buffer.committed')[0]).toMatchObject({ item_id: started.item_id, previous_item_id: null });
    expect(log.of('conversation.item.input_audio_transcription.completed')[0]).toMatchObject({ item_id: started.item_id, transcript: QUESTION });
    // The STT got 300 ms of padding + 10 ms of speech at speech_started, then the speech as it came,
    // and only 160 ms of the closing silence (the VAD held the rest back).
    expect(stt.streams).toEqual([{ firstWrite: 310 * 16, written: (300 + 1500 + 160) * 16, writtenAtFinish: (300 + 1500 + 160) * 16, hypotheses: 1, finished: true, cancelled: false }]);
    expect(metrics).toEqual([{ itemId: started.item_id, endedAtMs: 2500, transcribedAtMs: 2500, audioMs: 1950 }]);
    expect(sink.items()).toMatchObject([
      // The turn started when its first 100 ms chunk arrived.
      { role: 'user', text: QUESTION, startMs: 600, endMs: 2500 },
      { role: 'assistant', text: `You said: ${QUESTION}.`, startMs: 2500, status: 'completed' },
    ]);
  });

  it('input_audio_buffer.clear while the user speaks cancels the utterance; nothing is committed', async () => {
    const { log, send, speak, speech, stt, session } = await openScriptedSession();
    await speak(speech.join(speech.silence(300), speech.say(QUESTION, 800)));
    expect(session.turnPhase).toBe('speaking');
    await send({ type: 'input_audio_buffer.clear' });
    expect(session.turnPhase).toBe('idle');
    expect(stt.streams.map((s) => [s.cancelled, s.finished])).toEqual([[true, false]]);
    await speak(speech.silence(1200));
    expect(log.types()).toEqual(['session.created', 'input_audio_buffer.speech_started', 'input_audio_buffer.cleared']);
  });

  it('input_audio_buffer.commit ends the turn being spoken: committed, no reply', async () => {
    const { log, send, speak, speech, llm } = await openScriptedSession();
    await speak(speech.join(speech.silence(300), speech.say(QUESTION, 800)));
    await send({ type: 'input_audio_buffer.commit' });
    expect(log.types()).toEqual([
      'session.created',
      'input_audio_buffer.speech_started',
      'input_audio_buffer.speech_stopped',
      'input_audio_buffer.committed',
      'conversation.item.added',
      'conversation.item.input_audio_transcription.completed',
      'conversation.item.done',
    ]);
    expect(log.of('conversation.item.input_audio_transcription.completed')[0]!.transcript).toBe(QUESTION);
    expect(llm.requests).toEqual([]);
  });

  it('create_response false: the turn is committed and no reply starts', async () => {
    const { log, send, speak, speech } = await openScriptedSession();
    await send({ type: 'session.update', session: { audio: { input: { turn_detection: { type: 'server_vad', create_response: false } } } } });
    await speak(speech.join(speech.say(QUESTION, 800), speech.silence(600)));
    expect(log.of('input_audio_buffer.committed')).toHaveLength(1);
    expect(log.of('response.created')).toHaveLength(0);
  });

  it('a failed transcription is reported and the item keeps an empty transcript', async () => {
    const { log, speak, speech, stt } = await openScriptedSession();
    stt.failing = true;
    await speak(speech.join(speech.say(QUESTION, 800), speech.silence(600)));
    const item = log.of('input_audio_buffer.committed')[0]!.item_id;
    expect(log.of('conversation.item.input_audio_transcription.failed')).toMatchObject([{ item_id: item, error: { code: 'transcription_failed' } }]);
    expect(log.of('conversation.item.done')[0]!.item).toMatchObject({ id: item, content: [{ type: 'input_audio', transcript: '' }] });
  });
});

describe('early replies', () => {
  it('prepared at the pause, used when the turn ends as guessed: same events, one LLM call, the first sentence synthesised once', async () => {
    const metrics: ResponseMetrics[] = [];
    const { log, speak, speech, llm, tts } = await openScriptedSession({ onResponseMetrics: (m) => metrics.push(m) });
    await speak(speech.join(speech.silence(500), speech.say(QUESTION, 1500), speech.silence(200)));
    // Paused: the reply is being prepared, nothing of it sent.
    expect(llm.requests.map(lastUserText)).toEqual([QUESTION]);
    expect(tts.requests.map((r) => r.text)).toEqual(['You said:']);
    expect(withoutDeltas(log.types())).toEqual(['input_audio_buffer.speech_started']);
    await speak(speech.silence(800));
    expect(withoutDeltas(log.types())).toEqual(VOICE_TURN);
    expect(metrics.map((m) => m.earlyReply)).toEqual(['used']);
    expect(llm.requests.map(lastUserText)).toEqual([QUESTION]);
    expect(tts.requests.map((r) => r.text)).toEqual(['You said:', `${QUESTION}.`]);
    expect(log.of('response.output_audio_transcript.done')[0]!.transcript).toBe(`You said: ${QUESTION}.`);
    // The reply's first audio left when the turn ended (t = 2500 ms).
    expect(metrics[0]).toMatchObject({ startedAtMs: 2500, firstAudioAtMs: 2500 });
  });

  it('off (earlyReply: false): no guess, one LLM call at the end of the turn, the same events', async () => {
    const metrics: ResponseMetrics[] = [];
    const { log, speak, speech, llm, stt } = await openScriptedSession({ earlyReply: false, onResponseMetrics: (m) => metrics.push(m) });
    await speak(speech.join(speech.silence(500), speech.say(QUESTION, 1500), speech.silence(200)));
    expect(llm.requests).toEqual([]);
    await speak(speech.silence(800));
    expect(withoutDeltas(log.types())).toEqual(VOICE_TURN);
    expect(metrics.map((m) => m.earlyReply)).toEqual([undefined]);
    expect(stt.streams[0]!.hypotheses).toBe(0);
    expect(llm.requests.map(lastUserText)).toEqual([QUESTION]);
  });

  it('a pause the speaker talks through is thrown away; the reply answers the whole turn', async () => {
    const metrics: ResponseMetrics[] = [];
    const { log, speak, speech, llm, session } = await openScriptedSession({ onResponseMetrics: (m) => metrics.push(m) });
    const SECOND = 'And what about Sunday morning?';
    await speak(speech.join(speech.silence(500), speech.say(QUESTION, 1200), speech.silence(300)));
    // 300 ms of silence: past speech_paused (200 ms), short of the end of the turn (500 ms).
    expect(session.turnPhase).toBe('paused');
    expect(llm.requests.map(lastUserText)).toEqual([QUESTION]);
    await speak(speech.say(SECOND, 1000));
    expect(session.turnPhase).toBe('speaking');
    await speak(speech.silence(1000));
    expect(log.of('input_audio_buffer.speech_stopped')).toHaveLength(1);
    expect(log.of('conversation.item.input_audio_transcription.completed')[0]!.transcript).toBe(`${QUESTION} ${SECOND}`);
    // Two guesses, one per pause; the first thrown away, the second used.
    expect(llm.requests.map(lastUserText)).toEqual([QUESTION, `${QUESTION} ${SECOND}`]);
    expect(metrics.map((m) => m.earlyReply)).toEqual(['used']);
    expect(log.of('response.output_audio_transcript.done')[0]!.transcript).toBe(`You said: ${QUESTION} ${SECOND}.`);
  });

  it('a guess that comes after the turn ended is not used: the reply runs live', async () => {
    const metrics: ResponseMetrics[] = [];
    const { speak, speech, llm, stt } = await openScriptedSession({ onResponseMetrics: (m) => metrics.push(m) });
    stt.hypothesisLatencyMs = 400; // the turn ends 300 ms after the pause
    await speak(speech.join(speech.silence(500), speech.say(QUESTION, 1500), speech.silence(1000)));
    expect(metrics.map((m) => m.earlyReply)).toEqual([undefined]);
    expect(llm.requests.map(lastUserText)).toEqual([QUESTION]);
  });

  it('a prepared reply whose request no longer matches (the conversation changed) is discarded', async () => {
    const metrics: ResponseMetrics[] = [];
    const { send, speak, speech, llm } = await openScriptedSession({ onResponseMetrics: (m) => metrics.push(m) });
    await speak(speech.join(speech.silence(500), speech.say(QUESTION, 1500), speech.silence(200)));
    await send(userText('(typed while speaking)'));
    await speak(speech.silence(800));
    expect(metrics.map((m) => m.earlyReply)).toEqual(['discarded']);
    expect(llm.requests).toHaveLength(2);
    expect(llm.requests[1]!.messages.map((m) => m.content)).toEqual(['(typed while speaking)', QUESTION]);
  });
});

describe('the batch STT fallback', () => {
  it('transcribes the turn after it ends (closing silence trimmed to 150 ms); the reply waits for the transcript', async () => {
    const metrics: TranscriptionMetrics[] = [];
    const { log, speak, speech, stt, llm, clock } = await openScriptedSession({ streamingStt: false, onTranscriptionMetrics: (m) => metrics.push(m) });
    stt.latencyMs = 300;
    await speak(speech.join(speech.silence(500), speech.say(QUESTION, 1500), speech.silence(500)));
    // The turn ended at 2500 ms; the transcript is 300 ms away.
    expect(withoutDeltas(log.types()).slice(-3)).toEqual(['input_audio_buffer.committed', 'conversation.item.added', 'response.created']);
    expect(llm.requests).toEqual([]);
    await clock.advance(300);
    expect(withoutDeltas(log.types())).toEqual(VOICE_TURN);
    expect(stt.streams).toEqual([]);
    expect(stt.batches).toEqual([(300 + 1500 + 150) * 16]);
    expect(metrics).toMatchObject([{ endedAtMs: 2500, transcribedAtMs: 2800 }]);
    expect(llm.requests.map(lastUserText)).toEqual([QUESTION]);
  });
});

describe('turn-taking over a spoken reply', () => {
  const REPLY = 'Here is what I can do for you today. I can tell you about our classes.';
  const INTERRUPTION = 'Stop, what are your opening hours on Sunday?';

  /** A typed question answered with REPLY; 100 ms of audio per character ("Here is what I can do for you today." is 3600 ms). */
  async function replying(options: { holdSecondSentence: boolean }) {
    const session = await openScriptedSession();
    session.tts.msPerChar = 100;
    if (options.holdSecondSentence) session.tts.gate.close().allow(1);
    session.llm.reply({ text: REPLY });
    await session.send(userText('Hello, what can you do for me?'));
    await session.send({ type: 'response.create' });
    await session.speak(session.speech.silence(1000));
    return session;
  }

  it('barge-in while the reply is generated: cancelled (turn_detected) 700 + 500 ms after speech started, the item keeps what was played', async () => {
    const { log, speak, speech, sink, tts } = await replying({ holdSecondSentence: true });
    await speak(speech.say(INTERRUPTION, 1200)); // speech_started at 1100 ms (its first chunk)
    expect(log.of('response.done')).toHaveLength(0);
    await speak(speech.say(INTERRUPTION, 100)); // t = 2300 ms: 1200 ms after speech started
    const first = log.of('response.done')[0]!;
    expect(first.response).toMatchObject({ status: 'cancelled', status_details: { type: 'cancelled', reason: 'turn_detected' } });
    expect(tts.aborted).toEqual(['I can tell you about our classes.']);
    tts.gate.open();
    await speak(speech.silence(600));
    expect(log.of('response.done').map((d) => d.response.status)).toEqual(['cancelled', 'completed']);
    expect(log.of('conversation.item.truncated')).toEqual([]);
    // 2300 ms of the first sentence's 3600 ms: 5 of its 9 words. The interruption ends 500 ms after its speech.
    expect(sink.items().map((i) => [i.role, i.status, i.text, i.startMs, i.endMs])).toEqual([
      ['user', 'completed', 'Hello, what can you do for me?', 0, 0],
      ['assistant', 'incomplete', 'Here is what I can', 0, 2300],
      ['user', 'completed', INTERRUPTION, 1100, 2800],
      ['assistant', 'completed', `You said: ${INTERRUPTION}.`, 2800, 2800 + tts.audioMs('You said:') + tts.audioMs(`${INTERRUPTION}.`)],
    ]);
  });

  it('barge-in after the reply was generated, while it still plays: the item is truncated at what was heard', async () => {
    const { log, speak, speech, sink } = await replying({ holdSecondSentence: false });
    const item = log.of('response.output_item.done')[0]!.item;
    expect(log.of('response.done').map((d) => d.response.status)).toEqual(['completed']);
    await speak(speech.say(INTERRUPTION, 1300)); // speech_started at 1100 ms, barge-in at 2300 ms
    expect(log.of('conversation.item.truncated')).toMatchObject([{ item_id: item.id, content_index: 0, audio_end_ms: 2300 }]);
    await speak(speech.silence(600));
    expect(log.of('response.done').map((d) => d.response.status)).toEqual(['completed', 'completed']);
    expect(sink.items().map((i) => [i.role, i.status, i.text])).toEqual([
      ['user', 'completed', 'Hello, what can you do for me?'],
      ['assistant', 'incomplete', 'Here is what I can'],
      ['user', 'completed', INTERRUPTION],
      ['assistant', 'completed', `You said: ${INTERRUPTION}.`],
    ]);
  });

  it('backchannel: a short "okay" over the reply neither interrupts it nor starts a turn', async () => {
    const { log, speak, speech, sink, clock, tts } = await replying({ holdSecondSentence: true });
    await speak(speech.join(speech.say('okay', 300), speech.silence(600)));
    expect(log.of('input_audio_buffer.speech_started')).toHaveLength(1);
    expect(log.of('input_audio_buffer.speech_stopped')).toHaveLength(1);
    tts.gate.open();
    await clock.advance(10_000);
    expect(log.of('input_audio_buffer.committed')).toHaveLength(0);
    expect(log.of('response.created')).toHaveLength(1);
    expect(log.of('response.done').map((d) => d.response.status)).toEqual(['completed']);
    expect(log.of('conversation.item.truncated')).toHaveLength(0);
    expect(sink.items().map((i) => `${i.role}:${i.status}`)).toEqual(['user:completed', 'assistant:completed']);
    // Only the session's own timers are left (maximum duration, idle): the barge-in timer was cancelled.
    expect(clock.pending).toBe(2);
  });

  it('a short utterance that is not a backchannel interrupts at once and becomes a turn', async () => {
    const { log, speak, speech, tts } = await replying({ holdSecondSentence: true });
    await speak(speech.join(speech.say('wait', 300), speech.silence(500)));
    expect(log.of('response.done')[0]!.response).toMatchObject({ status: 'cancelled', status_details: { reason: 'turn_detected' } });
    tts.gate.open();
    await speak(speech.silence(100));
    expect(log.of('conversation.item.input_audio_transcription.completed').map((e) => e.transcript)).toEqual(['wait']);
    expect(log.of('response.done').map((d) => d.response.status)).toEqual(['cancelled', 'completed']);
  });

  it('interrupt_response false: speech over the reply does not cut it; its turn is answered after it', async () => {
    const { log, send, speak, speech, tts } = await replying({ holdSecondSentence: true });
    await send({ type: 'session.update', session: { audio: { input: { turn_detection: { type: 'server_vad', interrupt_response: false } } } } });
    await speak(speech.join(speech.say(INTERRUPTION, 1500), speech.silence(600)));
    expect(log.of('input_audio_buffer.committed')).toHaveLength(1);
    expect(log.of('response.done')).toHaveLength(0);
    tts.gate.open();
    await speak(speech.silence(100));
    expect(log.of('response.done').map((d) => d.response.status)).toEqual(['completed', 'completed']);
    expect(log.of('conversation.item.truncated')).toHaveLength(0);
  });
});
