/**
 * A session's life as the app sees it (scripted stages, manual clock): `mayStart` before it starts,
 * `onStart` / `onEnd` with its duration, `end(reason)` from outside, and a client that does not
 * read what it is sent (slow consumer).
 */
import { describe, expect, it } from 'vitest';
import { EventLog } from '../../../../tests/helpers/realtime-harness.js';
import { Gate } from '../../../../tests/helpers/scripted-stages.js';
import { openScriptedSession, userText } from '../../../../tests/helpers/scripted-session.js';
import type { SessionInfo, StartDecision } from './realtime-session.js';
import type { SessionCloseReason } from './session-end.js';

describe('start and end hooks', () => {
  it('onStart after session.created; onEnd with the duration when the client closes', async () => {
    const calls: string[] = [];
    const started: SessionInfo[] = [];
    const { session, clock, log } = await openScriptedSession({
      onStart: (info) => {
        started.push(info);
        calls.push('start');
      },
      onEnd: ({ durationMs, reason }) => calls.push(`end ${durationMs} ${reason}`),
    });
    expect(log.types()).toEqual(['session.created']);
    expect(started.map((i) => [i.sessionId, i.identity.userId])).toEqual([[session.id, 'user-1']]);
    await clock.advance(90_000);
    await session.close(true);
    await session.close(true);
    expect(calls).toEqual(['start', 'end 90000 client_closed']);
  });

  it('mayStart says no: an error with its code, close 4403, no session.created, no onStart/onEnd, frames ignored', async () => {
    const calls: string[] = [];
    const { log, send, transportClosed, session, llm } = await openScriptedSession({
      mayStart: () => ({ ok: false, code: 'credential_already_used', message: 'This credential was already used.' }),
      onStart: () => calls.push('start'),
      onEnd: () => calls.push('end'),
    });
    await send(userText('Hello'));
    await send({ type: 'response.create' });
    expect(log.events.map((e) => [e.type, e.type === 'error' ? e.error.code : ''])).toEqual([['error', 'credential_already_used']]);
    expect(transportClosed).toEqual([{ code: 4403, reason: 'session_refused' }]);
    await session.close(false);
    expect(calls).toEqual([]);
    expect(llm.requests).toEqual([]);
  });

  it('mayStart failing refuses the session (session_refused); a refusal may carry its own close code', async () => {
    const failing = await openScriptedSession({ mayStart: () => Promise.reject(new Error('database down')) });
    expect(failing.log.events.map((e) => e.type === 'error' && e.error.code)).toEqual(['session_refused']);
    expect(failing.transportClosed).toEqual([{ code: 4403, reason: 'session_refused' }]);
    const busy = await openScriptedSession({ mayStart: () => ({ ok: false, code: 'too_many_sessions', closeCode: 4429 }) });
    expect(busy.transportClosed).toEqual([{ code: 4429, reason: 'session_refused' }]);
  });

  it('frames that arrive while mayStart decides wait for session.created', async () => {
    const decided = new Gate().close();
    const asked: SessionInfo[] = [];
    const { log, session, transportClosed } = await openScriptedSession({
      mayStart: async (info) => {
        asked.push(info);
        await decided.wait();
        return { ok: true } satisfies StartDecision;
      },
    });
    const handled = session.handle(JSON.stringify(userText('early bird')));
    expect(log.events).toEqual([]);
    decided.open();
    await handled;
    expect(log.types()).toEqual(['session.created', 'conversation.item.added', 'conversation.item.done']);
    expect(asked.map((a) => [a.sessionId, a.identity.userId])).toEqual([[session.id, 'user-1']]);
    expect(transportClosed).toEqual([]);
  });
});

describe('ending a session from outside', () => {
  it.each([
    ['credential_revoked', 4403],
    ['quota_exhausted', 4402],
    ['session_expired', 4408],
  ] as const)('end(%s): the error event, close %i, the reply in flight stopped, onEnd, the sink told', async (reason, code) => {
    const ended: Array<{ durationMs: number; reason: SessionCloseReason }> = [];
    const { log, send, session, clock, transportClosed, llm, sink } = await openScriptedSession({ onEnd: ({ durationMs, reason }) => ended.push({ durationMs, reason }) });
    llm.gate.close();
    await send(userText('Hello'));
    await send({ type: 'response.create' });
    await clock.advance(42_000);
    session.end(reason);
    session.end('quota_exhausted'); // once only
    await clock.advance(0);
    expect(log.events.at(-1)).toMatchObject({ type: 'error', error: { type: 'invalid_request_error', code: reason } });
    expect(log.of('error')).toHaveLength(1);
    expect(transportClosed).toEqual([{ code, reason }]);
    expect(llm.aborted).toBe(1);
    expect(ended).toEqual([{ durationMs: 42_000, reason }]);
    expect(sink.closedWith).toBe('interrupted');
    const count = log.events.length;
    await send(userText('anyone?'));
    expect(log.events).toHaveLength(count);
  });

  it('end with the app\'s own message', async () => {
    const { log, session } = await openScriptedSession();
    session.end('quota_exhausted', 'Your plan includes 60 voice minutes a month.');
    expect(log.events.at(-1)).toMatchObject({ type: 'error', error: { code: 'quota_exhausted', message: 'Your plan includes 60 voice minutes a month.' } });
  });
});

describe('a client that does not read (slow consumer)', () => {
  it('is closed with slow_consumer once the transport holds more than maxBufferedBytes; generation stops', async () => {
    let buffered = 0;
    const sizes: number[] = [];
    const limit = 20_000;
    const log = new EventLog();
    const { send, transportClosed, tts } = await openScriptedSession({
      limits: { maxBufferedBytes: limit },
      bufferedAmount: () => buffered,
      send: (event) => {
        // Nothing is ever taken by the client: every event stays queued.
        const size = JSON.stringify(event).length;
        sizes.push(size);
        buffered += size;
        log.push(event);
      },
    });
    await send(userText('Tell me everything.'));
    await send({ type: 'response.create' });
    expect(log.events.at(-1)).toMatchObject({ type: 'error', error: { code: 'slow_consumer' } });
    expect(transportClosed).toEqual([{ code: 4429, reason: 'slow_consumer' }]);
    // Closed at the first event that took the queue over the limit (the error after it).
    const before = buffered - sizes.at(-1)! - sizes.at(-2)!;
    expect(before).toBeLessThanOrEqual(limit);
    expect(buffered - sizes.at(-1)!).toBeGreaterThan(limit);
    expect(log.of('response.output_audio.delta')).toHaveLength(3); // ~6.5 kB each
    // The reply stopped there: its second sentence was never synthesised.
    expect(tts.requests.map((r) => r.text)).toEqual(['You said:']);
    expect(log.of('response.done')).toHaveLength(0);
  });
});
