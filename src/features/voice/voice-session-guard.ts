/**
 * The app's side of the engine's lifetime hooks: a credential starts one session (consumed in
 * `mayStart`), sessions per user and per organization are bounded across instances (slots with
 * leases renewed while they run), and the sessions of a user who signed out everywhere or was
 * deleted, or of a revoked API key, are ended (ejections from any instance).
 */
import type { RealtimeSessionRegistry } from '../../providers/voice/realtime/session-registry.js';
import type { StartDecision } from '../../providers/voice/realtime/realtime-session.js';
import type { RealtimeIdentity, RealtimeLogger } from '../../providers/voice/realtime/stages.js';
import type { VoiceCredentialStore } from './credential-store.js';
import type { SlotLimits, SlotOwner, VoiceSessionSlots } from './session-slots.js';
import type { Ejection, VoiceEjections } from './voice-ejections.js';

export interface GuardedIdentity extends RealtimeIdentity {
  apiKeyId?: string;
}

/** A slot lease; renewed every third of it while the session runs. */
export const SLOT_LEASE_MS = 60_000;
/** A session admitted but never started (its socket closed meanwhile) gives its slot back after this. */
const START_GRACE_MS = 30_000;

const EJECTION_MESSAGES: Record<Ejection['cause'], string> = {
  signed_out: 'The user signed out everywhere.',
  user_deleted: 'The user was deleted.',
  api_key_revoked: 'The API key that started this session was revoked.',
};

export function createVoiceSessionGuard(deps: {
  credentials: VoiceCredentialStore;
  slots: VoiceSessionSlots;
  ejections: VoiceEjections;
  registry: RealtimeSessionRegistry;
  limits: SlotLimits;
  logger: RealtimeLogger;
  leaseMs?: number;
}) {
  const leaseMs = deps.leaseMs ?? SLOT_LEASE_MS;
  /** Sessions of this instance holding a slot, with who they belong to. */
  const running = new Map<string, { owner: SlotOwner; apiKeyId: string | undefined; admittedAtMs: number }>();

  const release = (sessionId: string): void => {
    const held = running.get(sessionId);
    if (!held) return;
    running.delete(sessionId);
    deps.slots.release(held.owner).catch((err: unknown) => deps.logger.warn({ err, sessionId }, 'voice session slot not released (its lease will expire)'));
  };

  const renew = setInterval(() => {
    const now = Date.now();
    for (const [sessionId, held] of running) {
      if (!deps.registry.get(sessionId) && now - held.admittedAtMs > START_GRACE_MS) release(sessionId);
    }
    deps.slots.renew([...running.values()].map((h) => h.owner)).catch((err: unknown) => deps.logger.warn({ err }, 'voice session slots not renewed'));
  }, Math.max(1_000, Math.floor(leaseMs / 3)));
  renew.unref();

  deps.ejections.onEjection((ejection) => {
    const target = ejection.target;
    for (const [sessionId, held] of running) {
      const match = 'userId' in target ? held.owner.userId === target.userId : held.apiKeyId === target.apiKeyId;
      if (match) deps.registry.end(sessionId, 'credential_revoked', EJECTION_MESSAGES[ejection.cause]);
    }
  });

  return {
    async mayStart(identity: GuardedIdentity, sessionId: string): Promise<StartDecision> {
      if (!identity.credentialId || !(await deps.credentials.consume(identity.credentialId))) {
        return { ok: false, code: 'credential_already_used', message: 'This credential has already started a session: ask for a new one.' };
      }
      const owner = { sessionId, userId: identity.userId, organizationId: identity.organizationId };
      const verdict = await deps.slots.acquire(owner, deps.limits);
      if (verdict === 'user_limit') {
        return { ok: false, code: 'too_many_sessions', message: `At most ${deps.limits.perUser} voice sessions at once per user.`, closeCode: 4429 };
      }
      if (verdict === 'organization_limit') {
        return { ok: false, code: 'too_many_sessions', message: `At most ${deps.limits.perOrganization} voice sessions at once per organization.`, closeCode: 4429 };
      }
      running.set(sessionId, { owner, apiKeyId: identity.apiKeyId, admittedAtMs: Date.now() });
      return { ok: true };
    },
    onSessionEnd(info: { sessionId: string }): void {
      release(info.sessionId);
    },
    /** Sessions of this instance holding a slot (tests, health). */
    get size(): number {
      return running.size;
    },
    async close(): Promise<void> {
      clearInterval(renew);
      await Promise.allSettled([...running.keys()].map(async (id) => release(id)));
    },
  };
}

export type VoiceSessionGuard = ReturnType<typeof createVoiceSessionGuard>;
