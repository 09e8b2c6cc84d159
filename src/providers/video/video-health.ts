import type { HealthContributor } from '../../platform/health.js';
import type { VideoProvider } from './types.js';

/** Reports the active video provider in /api/health (no secrets). */
export function videoHealth(provider: VideoProvider): HealthContributor {
  return { name: 'video', report: async () => ({ active: { ...provider.describe(), recording: provider.capabilities.recording } }) };
}
