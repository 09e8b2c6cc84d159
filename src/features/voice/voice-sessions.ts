import type { Config } from '../../config/config.js';
import type { Actor } from '../../platform/actor.js';
import { AppError } from '../../platform/errors.js';
import { actingUserId } from '../../platform/scope.js';
import { createOpenAiClientSecret } from './openai-client-secrets.js';
import type { CreateVoiceSession, TurnDetection, VoiceSessionCredentials } from '../../shared/api/voice.js';
import type { VoiceMinutesService } from './voice-minutes.js';
import { hashInstructions, mintVoiceToken } from './voice-token.js';

export const DEFAULT_TURN_DETECTION: TurnDetection = { type: 'server_vad', threshold: 0.5, prefixPaddingMs: 300, silenceDurationMs: 500 };

type VoiceSessionConfig = Pick<
  Config,
  'VOICE_PROVIDER' | 'REALTIME_MODELS' | 'REALTIME_TRANSCRIPTION_MODEL' | 'VOICE_TOKEN_TTL_MS' | 'OPENAI_API_KEY' | 'OPENAI_BASE_URL' | 'AUTH_SECRET' | 'PUBLIC_URL'
>;

/** Which realtime backend voice sessions use with this configuration. */
export function realtimeProvider(config: Pick<Config, 'VOICE_PROVIDER' | 'OPENAI_API_KEY'>): 'openai' | 'local' {
  if (config.VOICE_PROVIDER !== 'auto') return config.VOICE_PROVIDER;
  return config.OPENAI_API_KEY ? 'openai' : 'local';
}

/** `http(s)://host/base` → `ws(s)://host/base/v1/realtime`. */
export function localRealtimeUrl(publicUrl: string): string {
  return `${publicUrl.replace(/^http/, 'ws').replace(/\/$/, '')}/v1/realtime`;
}

/**
 * Voice session credentials: short-lived secrets the browser uses to START a realtime session,
 * from OpenAI (ephemeral client secret) or from us (a signed token for the self-hosted engine).
 */
export function createVoiceSessions(
  config: VoiceSessionConfig,
  deps: { isInOrganization(userId: string, organizationId: string): Promise<boolean>; minutes: Pick<VoiceMinutesService, 'assertAvailable'> },
) {
  const provider = realtimeProvider(config);
  if (provider === 'openai' && !config.OPENAI_API_KEY) throw new Error('VOICE_PROVIDER=openai needs OPENAI_API_KEY');

  return {
    provider,
    async create(actor: Actor, input: CreateVoiceSession): Promise<VoiceSessionCredentials> {
      const model = input.model ?? config.REALTIME_MODELS[0]!;
      if (!config.REALTIME_MODELS.includes(model)) {
        throw new AppError('VALIDATION_FAILED', `Invalid model: must be one of ${config.REALTIME_MODELS.join(', ')}`, {
          fields: [{ field: 'model', message: `must be one of ${config.REALTIME_MODELS.join(', ')}` }],
        });
      }
      const voice = input.voice ?? 'alloy';
      const turnDetection = input.turnDetection ?? DEFAULT_TURN_DETECTION;
      // The transcript belongs to a person: an API key names the member it acts for.
      const userId = await actingUserId(actor, input.userId, deps.isInOrganization);
      // The month's voice minutes used up: 402 NO_CREDITS, as the chat answers (voice-minutes.ts).
      await deps.minutes.assertAvailable({ userId, organizationId: actor.organizationId });

      if (provider === 'openai') {
        const secret = await createOpenAiClientSecret(
          { apiKey: config.OPENAI_API_KEY!, ...(config.OPENAI_BASE_URL ? { baseUrl: config.OPENAI_BASE_URL } : {}) },
          {
            model,
            voice,
            turnDetection,
            transcriptionModel: config.REALTIME_TRANSCRIPTION_MODEL,
            ttlMs: config.VOICE_TOKEN_TTL_MS,
            ...(input.instructions !== undefined ? { instructions: input.instructions } : {}),
            ...(input.tools ? { tools: input.tools } : {}),
          },
        );
        return { provider, clientSecret: secret.value, expiresAt: new Date(secret.expiresAtMs).toISOString(), model, voice, callsUrl: secret.callsUrl };
      }

      const minted = await mintVoiceToken(
        config.AUTH_SECRET,
        {
          userId,
          organizationId: actor.organizationId,
          ...(actor.apiKeyId ? { apiKeyId: actor.apiKeyId } : {}),
          model,
          voice,
          instructionsHash: hashInstructions(input.instructions),
          turnDetection,
          kind: input.kind ?? 'coach',
        },
        { ttlMs: config.VOICE_TOKEN_TTL_MS },
      );
      return { provider, clientSecret: minted.token, expiresAt: new Date(minted.expiresAtMs).toISOString(), model, voice, url: localRealtimeUrl(config.PUBLIC_URL) };
    },
  };
}

export type VoiceSessions = ReturnType<typeof createVoiceSessions>;
