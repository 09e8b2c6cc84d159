import { z } from 'zod';
import { PROVIDER_NAMES, type ProviderName } from './types.js';

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

/** Markdown list of the variables, ready for .env.example / docs. */
export const LLM_ENV_DOC = `
- \`AI_PROVIDER\` — \`auto\` (default) | \`openai\` | \`llama\` | \`offline\`. \`auto\` picks openai when \`OPENAI_API_KEY\` or \`OPENAI_BASE_URL\` is set, else llama when a GGUF model is found, else the offline engine.
- \`AI_FALLBACK\` — comma list of providers tried when the primary is unavailable, or \`none\`. Default: \`offline\` (unless the primary is offline).
- \`OPENAI_API_KEY\` — API key for OpenAI or the compatible server.
- \`OPENAI_BASE_URL\` — any OpenAI-compatible server, e.g. \`http://localhost:11434/v1\` (Ollama), vLLM, LM Studio.
- \`OPENAI_MODEL\` — model name (default \`gpt-4o-mini\`).
- \`LLM_MAX_TOKENS\` — default max output tokens per call (default 1000); features may override.
- \`LLM_TEMPERATURE\` — default temperature 0–2 (default 0.7); features may override.
- \`LLM_TIMEOUT_MS\` — max ms without progress (before the first token, or between tokens) before an attempt is abandoned (default 60000).
- \`LLM_MAX_RETRIES\` — retries of retryable failures (429, 5xx, connection errors, timeouts) before failing or falling back (default 2).
- \`LLM_MODEL_PATH\` — GGUF file for the in-process llama provider (default: the first \`*.gguf\` in \`MODELS_DIR\`).
- \`MODELS_DIR\` — where to look for GGUF models (default \`./models\`).
- \`LLM_THREADS\` — CPU threads for the local model (default: CPU math cores minus one, at least 1).
`.trim();
