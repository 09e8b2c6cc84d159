import { z } from 'zod';

/** The LLM engines Coach Hub can use (providers/llm has one adapter each). */
export const PROVIDER_NAMES = ['openai', 'llama', 'offline'] as const;
export type ProviderName = (typeof PROVIDER_NAMES)[number];

/** Empty strings in the environment (e.g. `OPENAI_API_KEY=`) count as unset. */
const unsetIfEmpty = (value: unknown): unknown =>
  typeof value === 'string' && value.trim() === '' ? undefined : value;

const optionalString = z.preprocess(unsetIfEmpty, z.string().trim().optional());

const fallbackList = z.preprocess(
  unsetIfEmpty,
  z
    .string()
    .optional()
    .transform((value, ctx): ProviderName[] | undefined => {
      if (value === undefined) return undefined;
      const names = value
        .split(',')
        .map((name) => name.trim().toLowerCase())
        .filter((name) => name !== '');
      if (names.length === 1 && names[0] === 'none') return [];
      const invalid = names.filter((name) => !(PROVIDER_NAMES as readonly string[]).includes(name));
      if (invalid.length > 0) {
        ctx.addIssue({
          code: 'custom',
          message: `AI_FALLBACK: unknown provider(s) ${invalid.join(', ')} (use openai, llama, offline or none)`,
        });
        return z.NEVER;
      }
      return names as ProviderName[];
    }),
);

/** The environment variables the LLM layer reads; merged into the app's config schema. */
export const llmConfigSchema = z.object({
  AI_PROVIDER: z.preprocess(unsetIfEmpty, z.enum(['auto', 'openai', 'llama', 'offline']).default('auto')),
  AI_FALLBACK: fallbackList,
  OPENAI_API_KEY: optionalString,
  OPENAI_BASE_URL: z.preprocess(unsetIfEmpty, z.url().optional()),
  OPENAI_MODEL: z.preprocess(unsetIfEmpty, z.string().trim().default('gpt-4o-mini')),
  LLM_MAX_TOKENS: z.preprocess(unsetIfEmpty, z.coerce.number().int().positive().default(1000)),
  LLM_TEMPERATURE: z.preprocess(unsetIfEmpty, z.coerce.number().min(0).max(2).default(0.7)),
  LLM_TIMEOUT_MS: z.preprocess(unsetIfEmpty, z.coerce.number().int().positive().default(60_000)),
  LLM_MAX_RETRIES: z.preprocess(unsetIfEmpty, z.coerce.number().int().min(0).max(10).default(2)),
  LLM_MODEL_PATH: optionalString,
  MODELS_DIR: z.preprocess(unsetIfEmpty, z.string().trim().default('./models')),
  LLM_THREADS: z.preprocess(unsetIfEmpty, z.coerce.number().int().positive().optional()),
});

export type LlmConfig = z.output<typeof llmConfigSchema>;
