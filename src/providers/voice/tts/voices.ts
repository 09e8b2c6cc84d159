import type { VoiceId } from './types.js';

/** How one OpenAI voice id sounds locally. */
export interface LocalVoice {
  /** Preferred engine for English; French always uses espeak-ng (festival has no French voice here). */
  english: 'festival' | 'espeak-ng';
  espeak: { accent: 'en-us' | 'en-gb' | 'en-gb-x-rp' | 'en-gb-scotland'; variant: string; pitch: number; speed: number };
  /** sox effects applied after festival's cmu_us_slt_arctic_hts voice. */
  festivalEffects?: string[];
}

/**
 * The 8 OpenAI voice ids → 8 distinct local voices: espeak-ng variants with their own pitch and
 * speed, and festival's HTS voice (natural-sounding English) for alloy and sage. The espeak
 * settings are also the fallback for alloy/sage without festival, and the French voices.
 */
export const LOCAL_VOICES: Record<VoiceId, LocalVoice> = {
  alloy: { english: 'festival', espeak: { accent: 'en-us', variant: 'f3', pitch: 50, speed: 170 } },
  ash: { english: 'espeak-ng', espeak: { accent: 'en-us', variant: 'm3', pitch: 35, speed: 165 } },
  ballad: { english: 'espeak-ng', espeak: { accent: 'en-gb-x-rp', variant: 'm2', pitch: 45, speed: 150 } },
  coral: { english: 'espeak-ng', espeak: { accent: 'en-us', variant: 'f4', pitch: 65, speed: 175 } },
  echo: { english: 'espeak-ng', espeak: { accent: 'en-gb', variant: 'm7', pitch: 30, speed: 160 } },
  sage: {
    english: 'festival',
    espeak: { accent: 'en-gb-scotland', variant: 'f2', pitch: 55, speed: 150 },
    festivalEffects: ['tempo', '0.92', 'pitch', '-180'],
  },
  shimmer: { english: 'espeak-ng', espeak: { accent: 'en-us', variant: 'f2', pitch: 75, speed: 185 } },
  verse: { english: 'espeak-ng', espeak: { accent: 'en-gb-scotland', variant: 'm4', pitch: 50, speed: 170 } },
};

export const FESTIVAL_VOICES = (Object.keys(LOCAL_VOICES) as VoiceId[]).filter((v) => LOCAL_VOICES[v].english === 'festival');
