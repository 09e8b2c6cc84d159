import type { SpeechCapabilities, SpeechProbe } from './speech-capabilities.js';
import type { HealthContributor, MissingComponent } from '../../platform/health.js';

const TEXT_INSTEAD = 'voice screens offer text input instead';
const SLOWER_STT = 'speech is transcribed only after each turn ends (pocketsphinx_batch): replies start 1–2 s later';

/** The STT the self-hosted engine uses (see createRealtimeStages): streaming first, else batch. */
export function sttChoice(caps: Pick<SpeechCapabilities, 'pocketsphinx' | 'pocketsphinxStreaming'>): 'pocketsphinx-streaming' | 'pocketsphinx' | null {
  if (caps.pocketsphinxStreaming.available) return 'pocketsphinx-streaming';
  return caps.pocketsphinx.available ? 'pocketsphinx' : null;
}

/**
 * Reports the realtime voice backend and, for the self-hosted engine, which speech stages are
 * installed. Missing Debian packages degrade /api/health and name what the user loses.
 */
export function voiceHealth(deps: { probe: SpeechProbe; provider: 'openai' | 'local'; sttInUse?: () => string | undefined }): HealthContributor {
  return {
    name: 'voice',
    async report() {
      if (deps.provider === 'openai') return { active: { realtime: 'openai' } };
      const caps = await deps.probe();
      const missing: MissingComponent[] = [];
      if (!caps.silero.available) missing.push({ component: 'silero-vad', reason: caps.silero.reason ?? 'unavailable', impact: `no turn detection: ${TEXT_INSTEAD}` });
      // STT: streaming python3-pocketsphinx when installed, else the pocketsphinx_batch CLI.
      // Once the engine has loaded, what it really uses (streaming that failed to start falls back).
      const stt = deps.sttInUse?.() ?? sttChoice(caps);
      if (!stt) missing.push({ component: 'pocketsphinx', reason: caps.pocketsphinx.reason ?? 'not installed', impact: TEXT_INSTEAD });
      if (stt !== 'pocketsphinx-streaming') {
        const reason = caps.pocketsphinxStreaming.available ? 'did not start (see the server log)' : (caps.pocketsphinxStreaming.reason ?? 'not installed');
        missing.push({ component: 'python3-pocketsphinx', reason, impact: stt ? SLOWER_STT : TEXT_INSTEAD });
      }
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
      const voiceInput = caps.silero.available && stt !== null && caps.sox.available;
      return {
        active: {
          realtime: 'local',
          vad: caps.silero.available ? 'silero' : null,
          stt,
          tts,
          voiceInput,
          voiceOutput: tts.length > 0,
          languages: { input: stt ? ['en'] : [], output: caps.espeak.available ? caps.espeak.languages : caps.festival.available ? ['en'] : [] },
        },
        missing,
      };
    },
  };
}
