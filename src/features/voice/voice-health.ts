import type { SpeechProbe } from '../../providers/voice/speech-capabilities.js';
import type { HealthContributor, MissingComponent } from '../system/health.js';

const TEXT_INSTEAD = 'voice screens offer text input instead';

/**
 * Reports the realtime voice backend and, for the self-hosted engine, which speech stages are
 * installed. Missing Debian packages degrade /api/health and name what the user loses.
 */
export function voiceHealth(deps: { probe: SpeechProbe; provider: 'openai' | 'local' }): HealthContributor {
  return {
    name: 'voice',
    async report() {
      if (deps.provider === 'openai') return { active: { realtime: 'openai' } };
      const caps = await deps.probe();
      const missing: MissingComponent[] = [];
      if (!caps.silero.available) missing.push({ component: 'silero-vad', reason: caps.silero.reason ?? 'unavailable', impact: `no turn detection: ${TEXT_INSTEAD}` });
      if (!caps.pocketsphinx.available) missing.push({ component: 'pocketsphinx', reason: caps.pocketsphinx.reason ?? 'not installed', impact: TEXT_INSTEAD });
      if (!caps.sox.available) missing.push({ component: 'sox', reason: caps.sox.reason ?? 'not installed', impact: `no audio resampling: ${TEXT_INSTEAD} and replies are shown as text` });
      if (!caps.espeak.available) {
        missing.push({
          component: 'espeak-ng',
          reason: caps.espeak.reason ?? 'not installed',
          impact: caps.festival.available ? 'no French voice and only the festival voices (alloy, sage) speak English' : 'voice replies are shown as text',
        });
      } else if (!caps.espeak.languages.includes('fr')) {
        missing.push({ component: 'espeak-ng French voice', reason: 'not installed', impact: 'French voice replies are shown as text' });
      }
      if (!caps.festival.available) missing.push({ component: 'festival', reason: caps.festival.reason ?? 'not installed', impact: 'the alloy and sage voices use espeak-ng instead of festival' });

      const tts = caps.sox.available ? [caps.festival.available ? 'festival' : null, caps.espeak.available ? 'espeak-ng' : null].filter(Boolean) : [];
      const voiceInput = caps.silero.available && caps.pocketsphinx.available && caps.sox.available;
      return {
        active: {
          realtime: 'local',
          vad: caps.silero.available ? 'silero' : null,
          stt: caps.pocketsphinx.available ? 'pocketsphinx' : null,
          tts,
          voiceInput,
          voiceOutput: tts.length > 0,
          languages: { input: caps.pocketsphinx.available ? ['en'] : [], output: caps.espeak.available ? caps.espeak.languages : caps.festival.available ? ['en'] : [] },
        },
        missing,
      };
    },
  };
}
