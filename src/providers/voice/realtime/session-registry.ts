/**
 * The sessions running in this process, found by session id, user or credential, so the app can
 * end them from outside (credential revoked, quota used up, time bought is over) and count them
 * (concurrency, in its `mayStart`). The WebSocket plugin adds a session when it starts and removes
 * it when it ends; the app creates the registry and passes it to the plugin (one per process:
 * with several instances, each ends its own sessions — the app fans the request out, e.g. over
 * Redis pub/sub).
 */
import { systemClock, type Clock } from '../clock.js';
import type { SessionEndReason } from './session-end.js';
import type { RealtimeIdentity } from './stages.js';

/** What the registry needs of a session. */
export interface EndableSession {
  readonly id: string;
  end(reason: SessionEndReason, message?: string): void;
}

export interface RegisteredSession {
  sessionId: string;
  userId: string;
  organizationId: string;
  credentialId: string | undefined;
  /** When it started, on the registry's clock (ms, monotonic). */
  startedAtMs: number;
}

export class RealtimeSessionRegistry {
  private readonly sessions = new Map<string, { session: EndableSession; info: RegisteredSession }>();

  constructor(private readonly clock: Clock = systemClock) {}

  add(session: EndableSession, identity: RealtimeIdentity): void {
    this.sessions.set(session.id, {
      session,
      info: { sessionId: session.id, userId: identity.userId, organizationId: identity.organizationId, credentialId: identity.credentialId, startedAtMs: this.clock.now() },
    });
  }

  remove(sessionId: string): void {
    this.sessions.delete(sessionId);
  }

  get size(): number {
    return this.sessions.size;
  }

  get(sessionId: string): RegisteredSession | undefined {
    return this.sessions.get(sessionId)?.info;
  }

  list(filter: { userId?: string; organizationId?: string; credentialId?: string } = {}): RegisteredSession[] {
    return [...this.sessions.values()]
      .map((s) => s.info)
      .filter((i) => (filter.userId === undefined || i.userId === filter.userId) && (filter.organizationId === undefined || i.organizationId === filter.organizationId) && (filter.credentialId === undefined || i.credentialId === filter.credentialId));
  }

  /** Ends one session (error event with `reason`, then close). False when it is not here. */
  end(sessionId: string, reason: SessionEndReason, message?: string): boolean {
    const found = this.sessions.get(sessionId);
    found?.session.end(reason, message);
    return found !== undefined;
  }

  /** Ends every session matching `filter` (all of them with `{}`, e.g. at shutdown); returns how many. */
  endWhere(filter: { userId?: string; organizationId?: string; credentialId?: string }, reason: SessionEndReason, message?: string): number {
    const matching = this.list(filter);
    for (const info of matching) this.end(info.sessionId, reason, message);
    return matching.length;
  }
}
