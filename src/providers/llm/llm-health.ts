import type { LlmService } from './index.js';
import type { HealthContributor } from '../../platform/health.js';

/**
 * Reports the active LLM provider and model to /api/health. The offline engine is a supported
 * default (labelled in the UI), not a missing component, so it does not degrade the status.
 */
export function llmHealth(llm: LlmService): HealthContributor {
  return {
    name: 'ai',
    report: async () => ({ active: { ...llm.info() } }),
  };
}
