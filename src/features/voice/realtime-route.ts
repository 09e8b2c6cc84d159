import type { FastifyInstance } from 'fastify';
import { systemClock, type Clock } from '../../providers/voice/clock.js';
import type { RealtimeSessionRegistry } from '../../providers/voice/realtime/session-registry.js';
import type { RealtimeStages } from '../../providers/voice/realtime/stages.js';
import { realtimeWebSocketServer } from '../../providers/voice/realtime/websocket-server.js';
import type { ConversationKind } from '../../shared/conversations.js';
import type { ConversationStore } from '../conversations/conversation-store.js';
import { createConversationSink } from './conversation-sink.js';
import type { VoiceCredentialStore } from './credential-store.js';
import { toRealtimePolicy } from './session-spec.js';
import { voiceMinuteHooks } from './voice-minute-hooks.js';
import type { VoiceMinutesService } from './voice-minutes.js';
import type { GuardedIdentity, VoiceSessionGuard } from './voice-session-guard.js';
import { verifyVoiceToken } from './voice-token.js';

export interface RealtimeRouteDeps {
  authSecret: string;
  earlyReply: boolean;
  /** The self-hosted engine's stages and a promise of them being loaded (first connection). */
  realtime: { stages: RealtimeStages; ready(): Promise<void> };
  conversations: ConversationStore;
  /** Voice minutes: each session holds its time and records what it used (voice-minute-hooks.ts). */
  voiceMinutes: VoiceMinutesService;
  /** The engine's time (tests drive it by hand). */
  clock?: Clock;
  /** The session specs minted with the credentials. */
  credentials: VoiceCredentialStore;
  /** One-time credentials, sessions per user and organization, ejections. */
  guard: VoiceSessionGuard;
  registry: RealtimeSessionRegistry;
  /** Time limits per conversation kind (VOICE_MAX_SESSION_MS, VOICE_IDLE_TIMEOUT_MS) and errors per minute (VOICE_MAX_ERRORS_PER_MINUTE). */
  limits: { maxSessionMs: Record<ConversationKind, number>; idleTimeoutMs: Record<ConversationKind, number>; maxErrorsPerMinute: number };
}

type VoiceIdentity = GuardedIdentity & { kind: ConversationKind };

/**
 * `/v1/realtime`: the self-hosted engine (OpenAI Realtime protocol), authenticated by our local
 * voice credentials. The session runs with the spec the server stored at mint (instructions,
 * model, tools, turn detection, kind: the identity's policy) under its kind's time limits, and
 * saves its transcript to the conversation store.
 */
export async function realtimeRoutes(app: FastifyInstance, deps: RealtimeRouteDeps): Promise<void> {
  const clock = deps.clock ?? systemClock;
  const minutes = voiceMinuteHooks(deps.voiceMinutes, { registry: deps.registry, clock, logger: app.log });
  await app.register(realtimeWebSocketServer<VoiceIdentity>, {
    stages: deps.realtime.stages,
    clock,
    earlyReply: deps.earlyReply,
    registry: deps.registry,
    limits: { maxErrorsPerMinute: deps.limits.maxErrorsPerMinute },
    authenticate: async (token) => {
      const claims = await verifyVoiceToken(deps.authSecret, token).catch(() => null);
      // Transcripts belong to a user: an API key's credential names the member it acts for.
      if (!claims?.userId) return null;
      const spec = await deps.credentials.spec(claims.tokenId);
      if (!spec) return null;
      await deps.realtime.ready();
      return {
        userId: claims.userId,
        organizationId: claims.organizationId,
        credentialId: claims.tokenId,
        ...(claims.apiKeyId ? { apiKeyId: claims.apiKeyId } : {}),
        kind: spec.kind,
        policy: toRealtimePolicy(spec),
        limits: { maxSessionMs: deps.limits.maxSessionMs[spec.kind], idleTimeoutMs: deps.limits.idleTimeoutMs[spec.kind] },
      };
    },
    // One-time credential and session counts first; the minutes' lease last, so that a session
    // another check refuses holds no time (and one the minutes refuse gives its slot back).
    mayStart: async (identity, sessionId) => {
      const admitted = await deps.guard.mayStart(identity, sessionId);
      if (!admitted.ok) return admitted;
      const leased = await minutes.mayStart(identity, sessionId).catch((err: unknown) => {
        deps.guard.onSessionEnd({ sessionId });
        throw err;
      });
      if (!leased.ok) deps.guard.onSessionEnd({ sessionId });
      return leased;
    },
    onSessionStart: (info) => minutes.onSessionStart(info),
    onSessionEnd: (info) => {
      deps.guard.onSessionEnd(info);
      minutes.onSessionEnd(info);
    },
    createSink: (identity, sessionId) =>
      createConversationSink(identity, sessionId, {
        store: deps.conversations,
        kind: identity.kind,
        onError: (err) => app.log.warn({ err }, 'realtime transcript not saved'),
      }),
  });
}
