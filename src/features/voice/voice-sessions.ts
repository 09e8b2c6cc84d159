import type { Config } from '../../config/config.js';
import type { Actor } from '../../platform/actor.js';
import { AppError } from '../../platform/errors.js';
import { actingUserId } from '../../platform/scope.js';
import { createOpenAiClientSecret } from './openai-client-secrets.js';
import type { CreateVoiceSession, VoiceSessionCredentials } from '../../shared/api/voice.js';
import type { VoiceMinutesService } from './voice-minutes.js';
import { hashInstructions, mintVoiceToken } from './voice-token.js';
import type { VoiceCredentialStore } from './credential-store.js';
import { createSessionSpecs, type SessionSpecs } from './session-spec.js';

export { DEFAULT_TURN_DETECTION } from './session-spec.js';

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
  deps: {
    isInOrganization(userId: string, organizationId: string): Promise<boolean>;
    /** Where local credentials' specs are kept until their session starts (Redis or the database). */
    credentials: VoiceCredentialStore;
    /** Voice minutes by plan: minting answers 402 NO_CREDITS when the month is used up. */
    minutes: Pick<VoiceMinutesService, 'assertAvailable'>;
    /** The session spec per conversation kind (default: the built-in personas). */
    specs?: SessionSpecs;
  },
) {
  const specs = deps.specs ?? createSessionSpecs();
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
      // The transcript belongs to a person: an API key names the member it acts for.
      const userId = await actingUserId(actor, input.userId, deps.isInOrganization);
      // The month's voice minutes used up: 402 NO_CREDITS, as the chat answers (voice-minutes.ts).
      await deps.minutes.assertAvailable({ userId, organizationId: actor.organizationId });
      // What the session runs with is the server's choice (session-spec.ts), not the client's.
      const spec = await specs.build({ actor, userId, kind: input.kind ?? 'coach', input, model });
      const { voice, turnDetection } = spec;

      if (provider === 'openai') {
        const secret = await createOpenAiClientSecret(
          { apiKey: config.OPENAI_API_KEY!, ...(config.OPENAI_BASE_URL ? { baseUrl: config.OPENAI_BASE_URL } : {}) },
          {
            model,
            voice,
            turnDetection,
            transcriptionModel: config.REALTIME_TRANSCRIPTION_MODEL,
            ttlMs: config.VOICE_TOKEN_TTL_MS,
            instructions: spec.instructions,
            ...(spec.tools.length ? { tools: spec.tools } : {}),
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
          instructionsHash: hashInstructions(spec.instructions),
          turnDetection,
          kind: spec.kind,
        },
        { ttlMs: config.VOICE_TOKEN_TTL_MS },
      );
      await deps.credentials.put({ id: minted.tokenId, organizationId: actor.organizationId, userId, spec, expiresAtMs: minted.expiresAtMs });
      return { provider, clientSecret: minted.token, expiresAt: new Date(minted.expiresAtMs).toISOString(), model, voice, url: localRealtimeUrl(config.PUBLIC_URL) };
    },
  };
}

export type VoiceSessions = ReturnType<typeof createVoiceSessions>;
