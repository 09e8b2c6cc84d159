import { z } from 'zod';

const unsetIfEmpty = (value: unknown): unknown => (typeof value === 'string' && value.trim() === '' ? undefined : value);

const modelList = z.preprocess(
  unsetIfEmpty,
  z
    .string()
    .default('gpt-realtime')
    .transform((s) => s.split(',').map((m) => m.trim()).filter(Boolean))
    .pipe(z.array(z.string().regex(/^[\w.:-]+$/, 'model names are letters, digits, . : _ -')).min(1, 'needs at least one model')),
);

/** A monthly voice-minute allowance: whole minutes (0 = no voice), or `unlimited` (→ null). */
const minuteAllowance = (fallback: number | 'unlimited') =>
  z.preprocess(
    (v) => unsetIfEmpty(v) ?? String(fallback),
    z.union([z.literal('unlimited').transform(() => null), z.coerce.number().int('must be whole minutes or "unlimited"').min(0).max(1_000_000)]),
  );

/** The environment variables of realtime voice; merged into the app's config schema. */
export const voiceConfigSchema = z.object({
  /** auto: OpenAI Realtime when OPENAI_API_KEY is set, else the self-hosted engine. */
  VOICE_PROVIDER: z.preprocess(unsetIfEmpty, z.enum(['auto', 'openai', 'local']).default('auto')),
  /** Realtime models clients may ask for; the first is the default. */
  REALTIME_MODELS: modelList,
  REALTIME_TRANSCRIPTION_MODEL: z.preprocess(unsetIfEmpty, z.string().trim().default('gpt-4o-mini-transcribe')),
  /** How long a voice credential may be used to START a session (the session may last longer). */
  VOICE_TOKEN_TTL_MS: z.preprocess(unsetIfEmpty, z.coerce.number().int().min(10_000).max(7_200_000).default(60_000)),
  /** Streaming STT decoder processes (~110 MB each; one core of work each). Unset: one per CPU core, at most 8. */
  VOICE_STT_DECODERS: z.preprocess(unsetIfEmpty, z.coerce.number().int().min(1).max(32).optional()),
  /** Most warm festival processes for the alloy and sage voices (~330 MB each, started as replies overlap). */
  VOICE_TTS_FESTIVAL_PROCESSES: z.preprocess(unsetIfEmpty, z.coerce.number().int().min(1).max(16).default(2)),
  /**
   * Prepare the reply while the VAD waits for the closing silence (one LLM call per pause of the
   * speaker, thrown away when they go on: with a paid LLM API, those calls are billed).
   */
  VOICE_EARLY_REPLY: z.preprocess(
    unsetIfEmpty,
    z.union([z.boolean(), z.enum(['true', 'false', '1', '0', 'yes', 'no']).transform((s) => ['true', '1', 'yes'].includes(s))]).default(true),
  ),
  /** Voice minutes per member and calendar month (UTC) on each plan; `unlimited` for none (docs/voice.md#voice-minutes). */
  VOICE_MINUTES_FREE: minuteAllowance(30),
  VOICE_MINUTES_BASIC: minuteAllowance(300),
  VOICE_MINUTES_PREMIUM: minuteAllowance('unlimited'),
  /** pocketsphinx's second search pass at the end of each utterance (docs/voice.md: slower, no better on our tests). */
  VOICE_STT_FWDFLAT: z.preprocess(
    unsetIfEmpty,
    z.union([z.boolean(), z.enum(['true', 'false', '1', '0', 'yes', 'no']).transform((s) => ['true', '1', 'yes'].includes(s))]).default(false),
  ),
});

export type VoiceConfig = z.output<typeof voiceConfigSchema>;
