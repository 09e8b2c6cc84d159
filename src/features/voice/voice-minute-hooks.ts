import type { Clock, ClockTimer } from '../../providers/voice/clock.js';
import type { StartDecision } from '../../providers/voice/realtime/realtime-session.js';
import { CLOSE_CODES, type SessionCloseReason } from '../../providers/voice/realtime/session-end.js';
import type { RealtimeSessionRegistry } from '../../providers/voice/realtime/session-registry.js';
import type { RealtimeIdentity, RealtimeLogger } from '../../providers/voice/realtime/stages.js';
import type { VoiceEndReason } from '../../shared/api/voice.js';
import type { ConversationKind } from '../../shared/conversations.js';
import type { VoiceMember, VoiceMinutesService } from './voice-minutes.js';

// Every way the engine can end a session is a reason the usage table can store.
const storable = (reason: SessionCloseReason): VoiceEndReason => reason;

type Identity = RealtimeIdentity & { kind: ConversationKind };

const memberOf = (identity: Identity): VoiceMember => ({ userId: identity.userId, organizationId: identity.organizationId });

export const QUOTA_EXHAUSTED_MESSAGE = 'The voice minutes of this month are used up.';

/**
 * The realtime engine's hooks that meter voice minutes (voice-minutes.ts): `mayStart` holds the
 * first lease (refused with `quota_exhausted`, close 4402, when nothing is left — run it LAST
 * among the app's start checks, so a session another check refuses holds nothing);
 * `onSessionStart` arms a timer at the end of the lease, which holds the next one or ends the
 * session through the registry (`quota_exhausted`: an OpenAI-style `error` event, then close
 * 4402); `onSessionEnd` writes the seconds used.
 */
export function voiceMinuteHooks(minutes: VoiceMinutesService, options: { registry: RealtimeSessionRegistry; clock: Clock; logger: RealtimeLogger }) {
  const { registry, clock, logger } = options;
  /** Sessions that hold a lease: what they hold, when they started (session clock), their timer. */
  const running = new Map<string, { grantedSeconds: number | null; startedAtMs?: number; timer?: ClockTimer }>();

  const arm = (sessionId: string, identity: Identity): void => {
    const entry = running.get(sessionId);
    if (!entry || entry.grantedSeconds === null || entry.startedAtMs === undefined) return;
    const leaseEndMs = entry.startedAtMs + entry.grantedSeconds * 1000;
    entry.timer = clock.setTimeout(() => void renew(sessionId, identity), leaseEndMs - clock.now());
  };

  const renew = async (sessionId: string, identity: Identity): Promise<void> => {
    let result: { grantedSeconds: number | null; extra: number };
    try {
      result = await minutes.extend(memberOf(identity), sessionId);
    } catch (err) {
      // No grant without the database: the session may not run on unpaid time.
      logger.warn({ err, sessionId }, 'voice minutes not renewed: session ended');
      result = { grantedSeconds: 0, extra: 0 };
    }
    const entry = running.get(sessionId);
    if (!entry) return; // ended meanwhile
    if (result.grantedSeconds === null) {
      entry.grantedSeconds = null; // the plan became unlimited
      return;
    }
    if (result.extra > 0) {
      entry.grantedSeconds = result.grantedSeconds;
      return arm(sessionId, identity);
    }
    registry.end(sessionId, 'quota_exhausted', QUOTA_EXHAUSTED_MESSAGE);
  };

  return {
    async mayStart(identity: Identity, sessionId: string): Promise<StartDecision> {
      const lease = await minutes.begin(memberOf(identity), { sessionId, kind: identity.kind });
      if (!lease) return { ok: false, code: 'quota_exhausted', message: QUOTA_EXHAUSTED_MESSAGE, closeCode: CLOSE_CODES.quota_exhausted };
      running.set(sessionId, { grantedSeconds: lease.grantedSeconds });
      return { ok: true };
    },

    onSessionStart({ sessionId, identity }: { sessionId: string; identity: Identity }): void {
      const entry = running.get(sessionId);
      if (!entry) return;
      entry.startedAtMs = clock.now();
      arm(sessionId, identity);
    },

    onSessionEnd({ sessionId, identity, durationMs, reason }: { sessionId: string; identity: Identity; durationMs: number; reason: SessionCloseReason }): void {
      running.get(sessionId)?.timer?.cancel();
      running.delete(sessionId);
      minutes.finish(memberOf(identity), sessionId, { durationMs, reason: storable(reason) }).then(
        (seconds) => logger.info({ sessionId, seconds, reason }, 'voice minutes recorded'),
        (err: unknown) => logger.warn({ err, sessionId }, 'voice minutes not recorded'),
      );
    },
  };
}
