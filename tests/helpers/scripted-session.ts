/**
 * A realtime session on scripted stages and a manual clock: every client event is handled and
 * everything it caused has run (`settle`) when `send` returns; time moves only with
 * `clock.advance` (or `speak`, which moves it 100 ms per 100 ms of audio, as a microphone does).
 * The session starts at clock time 0 of the session (`session.now()`).
 */
import type { RealtimeSessionOptions } from '../../src/providers/voice/realtime/realtime-session.js';
import { ManualClock, settle } from './manual-clock.js';
import { openSession } from './realtime-harness.js';
import { appendChunks } from './realtime-audio.js';
import { scriptedStages } from './scripted-stages.js';

export const userText = (text: string, extra: object = {}) => ({ type: 'conversation.item.create', item: { type: 'message', role: 'user', content: [{ type: 'input_text', text }] }, ...extra });

export async function openScriptedSession(options: Partial<RealtimeSessionOptions> & { streamingStt?: boolean } = {}) {
  const { streamingStt, ...sessionOptions } = options;
  const clock = new ManualClock();
  const fakes = scriptedStages(clock, streamingStt === undefined ? {} : { streamingStt });
  /** Transport closes the session asked for (code, reason). */
  const transportClosed: Array<{ code: number; reason: string }> = [];
  const opened = openSession(fakes.stages, { clock, closeTransport: (code, reason) => transportClosed.push({ code, reason }), ...sessionOptions });
  await settle();
  const send = async (event: object): Promise<void> => {
    await opened.session.handle(JSON.stringify(event));
    await settle();
  };
  /**
   * Appends 24 kHz audio as a microphone does: each 100 ms chunk when it has been recorded (time
   * moves 100 ms, then the chunk is sent), so the audio up to t ms arrives at t ms of clock time.
   */
  const speak = async (audio: Int16Array): Promise<void> => {
    for (const payload of appendChunks(audio)) {
      await clock.advance(100);
      await send({ type: 'input_audio_buffer.append', audio: payload });
    }
  };
  /** Appends 24 kHz audio in 100 ms chunks at once (time does not move). */
  const upload = async (audio: Int16Array): Promise<void> => {
    for (const payload of appendChunks(audio)) await send({ type: 'input_audio_buffer.append', audio: payload });
  };
  return { ...fakes, ...opened, clock, send, speak, upload, transportClosed };
}
