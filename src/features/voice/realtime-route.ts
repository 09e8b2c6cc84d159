import type { FastifyInstance } from 'fastify';
import { systemClock, type Clock } from '../../providers/voice/clock.js';
import { RealtimeSessionRegistry } from '../../providers/voice/realtime/session-registry.js';
import type { RealtimeIdentity, RealtimeStages } from '../../providers/voice/realtime/stages.js';
import { realtimeWebSocketServer } from '../../providers/voice/realtime/websocket-server.js';
import type { ConversationKind } from '../../shared/conversations.js';
import type { ConversationStore } from '../conversations/conversation-store.js';
import { createConversationSink } from './conversation-sink.js';
import { voiceMinuteHooks } from './voice-minute-hooks.js';
import type { VoiceMinutesService } from './voice-minutes.js';
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
}

/**
 * `/v1/realtime`: the self-hosted engine (OpenAI Realtime protocol), authenticated by our local
 * voice credentials, saving transcripts to the conversation store. The identity carries the
 * conversation kind the credential was minted for (the sink's).
 */
export async function realtimeRoutes(app: FastifyInstance, deps: RealtimeRouteDeps): Promise<void> {
  const clock = deps.clock ?? systemClock;
  const registry = new RealtimeSessionRegistry(clock);
  const minutes = voiceMinuteHooks(deps.voiceMinutes, { registry, clock, logger: app.log });
  await app.register(realtimeWebSocketServer<RealtimeIdentity & { kind: ConversationKind }>, {
    stages: deps.realtime.stages,
    clock,
    registry,
    // The minutes' check comes last among start checks: a refused session must hold nothing.
    mayStart: (identity, sessionId) => minutes.mayStart(identity, sessionId),
    onSessionStart: (info) => minutes.onSessionStart(info),
    onSessionEnd: (info) => minutes.onSessionEnd(info),
    earlyReply: deps.earlyReply,
    authenticate: async (token) => {
      const claims = await verifyVoiceToken(deps.authSecret, token).catch(() => null);
      // Transcripts belong to a user: an API key's credential names the member it acts for.
      if (!claims?.userId) return null;
      await deps.realtime.ready();
      return { userId: claims.userId, organizationId: claims.organizationId, defaults: { voice: claims.voice }, kind: claims.kind };
    },
    createSink: (identity, sessionId) =>
      createConversationSink(identity, sessionId, {
        store: deps.conversations,
        kind: identity.kind,
        onError: (err) => app.log.warn({ err }, 'realtime transcript not saved'),
      }),
  });
}
