import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import type { LlmConfig } from '../../config/llm-config.js';
import type { ProviderName } from './types.js';

export interface ProviderPlan {
  primary: ProviderName;
  fallback: ProviderName[];
  /** The GGUF file when llama is in the plan. */
  modelPath?: string;
  /** Why the primary was chosen (logged at boot). */
  reason: string;
  /** Fallback entries that were dropped because they cannot run (logged at warn). */
  skipped: Array<{ provider: ProviderName; reason: string }>;
}

export interface FileSystemProbe {
  isFile(file: string): boolean;
  listDir(dir: string): string[];
}

export const realFileSystem: FileSystemProbe = {
  isFile: (file) => existsSync(file) && statSync(file).isFile(),
  listDir: (dir) => (existsSync(dir) && statSync(dir).isDirectory() ? readdirSync(dir) : []),
};

/** LLM_MODEL_PATH, else the first *.gguf (alphabetically) in MODELS_DIR. */
export function findGguf(config: Pick<LlmConfig, 'LLM_MODEL_PATH' | 'MODELS_DIR'>, fs: FileSystemProbe): string | undefined {
  if (config.LLM_MODEL_PATH !== undefined) return fs.isFile(config.LLM_MODEL_PATH) ? config.LLM_MODEL_PATH : undefined;
  const first = fs
    .listDir(config.MODELS_DIR)
    .filter((name) => name.toLowerCase().endsWith('.gguf'))
    .sort()
    .find((name) => fs.isFile(path.join(config.MODELS_DIR, name)));
  return first === undefined ? undefined : path.join(config.MODELS_DIR, first);
}

const openAiConfigured = (config: LlmConfig): boolean => config.OPENAI_API_KEY !== undefined || config.OPENAI_BASE_URL !== undefined;

/**
 * Decides which providers run. `auto`: openai when OPENAI_API_KEY (or OPENAI_BASE_URL, for
 * keyless local servers) is set, else llama when a GGUF file is found, else offline. An explicit
 * AI_PROVIDER that cannot run is a configuration error (fail fast, naming the variable).
 * Fallback: AI_FALLBACK, or offline by default; entries that cannot run are skipped.
 */
export function selectProviders(config: LlmConfig, fs: FileSystemProbe = realFileSystem): ProviderPlan {
  const gguf = findGguf(config, fs);
  let primary: ProviderName;
  let reason: string;
  switch (config.AI_PROVIDER) {
    case 'auto':
      if (openAiConfigured(config)) {
        primary = 'openai';
        reason = config.OPENAI_API_KEY !== undefined ? 'OPENAI_API_KEY is set' : 'OPENAI_BASE_URL is set';
      } else if (gguf !== undefined) {
        primary = 'llama';
        reason = `GGUF model found at ${gguf}`;
      } else {
        primary = 'offline';
        reason = 'no OPENAI_API_KEY and no GGUF model';
      }
      break;
    case 'openai':
      if (!openAiConfigured(config)) {
        throw new Error('AI_PROVIDER=openai needs OPENAI_API_KEY (or OPENAI_BASE_URL for a compatible server)');
      }
      primary = 'openai';
      reason = 'AI_PROVIDER=openai';
      break;
    case 'llama':
      if (gguf === undefined) {
        throw new Error(
          config.LLM_MODEL_PATH !== undefined
            ? `AI_PROVIDER=llama: LLM_MODEL_PATH ${config.LLM_MODEL_PATH} is not a file`
            : `AI_PROVIDER=llama needs LLM_MODEL_PATH or a *.gguf file in MODELS_DIR (${config.MODELS_DIR})`,
        );
      }
      primary = 'llama';
      reason = 'AI_PROVIDER=llama';
      break;
    case 'offline':
      primary = 'offline';
      reason = 'AI_PROVIDER=offline';
      break;
  }

  const wanted = config.AI_FALLBACK ?? (primary === 'offline' ? [] : ['offline' as const]);
  const fallback: ProviderName[] = [];
  const skipped: ProviderPlan['skipped'] = [];
  for (const name of wanted) {
    if (name === primary || fallback.includes(name)) continue;
    if (name === 'openai' && !openAiConfigured(config)) skipped.push({ provider: name, reason: 'OPENAI_API_KEY is not set' });
    else if (name === 'llama' && gguf === undefined) skipped.push({ provider: name, reason: 'no GGUF model found' });
    else fallback.push(name);
  }
  const plan: ProviderPlan = { primary, fallback, reason, skipped };
  if (gguf !== undefined && (primary === 'llama' || fallback.includes('llama'))) plan.modelPath = gguf;
  return plan;
}
