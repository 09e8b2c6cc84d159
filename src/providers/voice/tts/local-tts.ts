import type { SpeechCapabilities } from '../speech-capabilities.js';
import { createEspeakTts } from './espeak-tts.js';
import { createFestivalTts, type FestivalOptions, type WarmTtsEngine } from './festival-tts.js';
import type { TtsEngine, TtsLanguage } from './types.js';
import { VOICE_IDS } from './types.js';
import { LOCAL_VOICES } from './voices.js';

/**
 * The TTS the voice engine uses: routes each (voice, language) to festival or espeak-ng per
 * LOCAL_VOICES, falling back to espeak-ng when festival is not installed. Null when neither is.
 */
export function createLocalTts(caps: Pick<SpeechCapabilities, 'espeak' | 'festival' | 'sox'>, festivalOptions: FestivalOptions = {}): WarmTtsEngine | null {
  if (!caps.sox.available) return null;
  const espeak = caps.espeak.available ? createEspeakTts({ languages: caps.espeak.languages }) : null;
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
