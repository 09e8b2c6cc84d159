/**
 * An in-process realtime session whose server events are recorded and can be awaited (real-engine
 * tests wait for events, never sleep); the stages are real (real-stages.ts) or scripted
 * (scripted-session.ts).
 */
import pino from 'pino';
import { RealtimeSession, type RealtimeSessionOptions } from '../../src/providers/voice/realtime/realtime-session.js';
import type { ServerEvent } from '../../src/shared/realtime-protocol.js';
import type { RealtimeIdentity, RealtimeStages } from '../../src/providers/voice/realtime/stages.js';
import { MemoryTranscriptSink } from '../../src/providers/voice/realtime/transcript.js';

export const silentLogger = pino({ level: 'silent' });

type EventOf<T extends ServerEvent['type']> = Extract<ServerEvent, { type: T }>;

/** Server events as received, with waiting helpers. */
export class EventLog {
  readonly events: ServerEvent[] = [];
  private waiters: Array<() => void> = [];

  push(event: ServerEvent): void {
    this.events.push(event);
    for (const w of this.waiters.splice(0)) w();
  }

  of<T extends ServerEvent['type']>(type: T): EventOf<T>[] {
    return this.events.filter((e): e is EventOf<T> => e.type === type);
  }

  types(): string[] {
    return this.events.map((e) => e.type);
  }

  /** Resolves with the `nth` (0-based) event of `type` matching `match`. */
  async waitFor<T extends ServerEvent['type']>(type: T, match: (e: EventOf<T>) => boolean = () => true, timeoutMs = 60_000, nth = 0): Promise<EventOf<T>> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = this.of(type).filter(match)[nth];
      if (found) return found;
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`timed out waiting for ${type}; got: ${this.types().join(', ')}`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }
}

export const testIdentity: RealtimeIdentity = { userId: 'user-1', organizationId: 'org-1', defaults: { agent: { kind: 'kiosk', gymName: 'FitClub Lyon' }, language: 'en' } };

export function openSession(stages: RealtimeStages, options: Partial<RealtimeSessionOptions> = {}) {
  const log = new EventLog();
  const sink = new MemoryTranscriptSink();
  const session = new RealtimeSession({ stages, identity: testIdentity, send: (e) => log.push(e), sink, logger: silentLogger, ...options });
  void session.start();
  const send = (event: object) => session.handle(JSON.stringify(event));
  return { session, log, sink, send };
}

/** Total audio ms in `response.output_audio.delta` events. */
export function audioMsOf(log: EventLog, responseId?: string): number {
  const bytes = log.of('response.output_audio.delta').filter((e) => !responseId || e.response_id === responseId).reduce((n, e) => n + Buffer.from(e.delta, 'base64').length, 0);
  return bytes / 48;
}
