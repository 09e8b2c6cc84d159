import { availableParallelism } from 'node:os';
import { ProcessSlots } from '../process-slots.js';
import type { SpeechCapabilities } from '../speech-capabilities.js';
import { createEspeakTts } from './espeak-tts.js';
import { createFestivalTts, DEFAULT_TTS_QUEUE_TIMEOUT_MS, type FestivalOptions, type WarmTtsEngine } from './festival-tts.js';
import type { TtsEngine, TtsLanguage } from './types.js';
import { VOICE_IDS } from './types.js';
import { LOCAL_VOICES } from './voices.js';

export interface LocalTtsOptions extends FestivalOptions {
  /** espeak-ng sentences synthesised at once across all sessions (each is an espeak-ng and a sox process). Default: 2 per core. */
  espeakJobs?: number;
}

/**
 * The TTS the voice engine uses: routes each (voice, language) to festival or espeak-ng per
 * LOCAL_VOICES, falling back to espeak-ng when festival is not installed. Null when neither is.
 * Child processes are capped for the whole process: `processes` festival sentences and
 * `espeakJobs` espeak-ng sentences at once; the others wait up to `queueTimeoutMs`, then fail
 * with `tts_busy` (the response fails, the session goes on).
 */
export function createLocalTts(caps: Pick<SpeechCapabilities, 'espeak' | 'festival' | 'sox'>, options: LocalTtsOptions = {}): WarmTtsEngine | null {
  if (!caps.sox.available) return null;
  const { espeakJobs, ...festivalOptions } = options;
  const espeakSlots = new ProcessSlots({
    max: Math.max(1, espeakJobs ?? 2 * availableParallelism()),
    queueTimeoutMs: options.queueTimeoutMs ?? DEFAULT_TTS_QUEUE_TIMEOUT_MS,
    code: 'tts_busy',
    ...(options.clock ? { clock: options.clock } : {}),
  });
  const espeak = caps.espeak.available ? createEspeakTts({ languages: caps.espeak.languages, slots: espeakSlots }) : null;
  const festival = caps.festival.available ? createFestivalTts(festivalOptions) : null;
  if (!espeak && !festival) return null;
  const languages = [...new Set<TtsLanguage>([...(espeak?.capabilities.languages ?? []), ...(festival ? (['en'] as const) : [])])];
  const voices = espeak ? VOICE_IDS : VOICE_IDS.filter((v) => LOCAL_VOICES[v].english === 'festival');

  const pick = (voice: (typeof VOICE_IDS)[number], language: TtsLanguage): TtsEngine => {
    if (festival && language === 'en' && LOCAL_VOICES[voice].english === 'festival') return festival;
    if (espeak && espeak.capabilities.languages.includes(language)) return espeak;
    throw new Error(`no local voice for ${voice} in ${language}`);
  };

  return {
    name: [festival?.name, espeak?.name].filter(Boolean).join('+'),
    capabilities: { languages, sampleRate: 24_000, streaming: 'sentence', voices },
    synthesize: (text, options) => pick(options.voice, options.language ?? 'en').synthesize(text, options),
    warmUp: () => festival?.warmUp(),
    close: async () => festival?.close(),
  };
}

export function localTtsEngineFor(voice: (typeof VOICE_IDS)[number], language: TtsLanguage, festivalAvailable: boolean): 'festival' | 'espeak-ng' {
  return festivalAvailable && language === 'en' && LOCAL_VOICES[voice].english === 'festival' ? 'festival' : 'espeak-ng';
}
