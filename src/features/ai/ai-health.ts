import type { LlmService } from '../../providers/llm/index.js';
import type { HealthContributor } from '../system/health.js';

/**
 * Reports the active LLM provider and model to /api/health. The offline engine is a supported
 * default (labelled in the UI), not a missing component, so it does not degrade the status.
 */
export function aiHealth(llm: LlmService): HealthContributor {
  return {
    name: 'ai',
    report: async () => ({ active: { ...llm.info() } }),
  };
}
