import { abortError } from '../child-process.js';
import { splitSentences } from '../sentence-splitter.js';
import { pcmFromProcesses, soxToPcm24, spawnPiped } from './pcm-stream.js';
import type { TtsEngine, TtsLanguage, VoiceId } from './types.js';
import { VOICE_IDS } from './types.js';
import { LOCAL_VOICES } from './voices.js';

/** The espeak-ng voice name, e.g. `en-us+f3` or `fr+m3`. */
export function espeakVoiceName(voice: VoiceId, language: TtsLanguage): string {
  const v = LOCAL_VOICES[voice].espeak;
  return `${language === 'fr' ? 'fr' : v.accent}+${v.variant}`;
}

/**
 * espeak-ng (English and French): each sentence is spoken by `espeak-ng --stdout` (text on stdin,
 * never on the command line) piped into sox, which resamples 22.05 kHz → 24 kHz PCM16.
 */
export function createEspeakTts(options: { languages?: readonly TtsLanguage[] } = {}): TtsEngine {
  const languages = options.languages ?? (['en', 'fr'] as const);
  return {
    name: 'espeak-ng',
    capabilities: { languages, sampleRate: 24_000, streaming: 'sentence', voices: VOICE_IDS },
    async *synthesize(text, { voice, language = 'en', signal }) {
      if (!languages.includes(language)) throw new Error(`espeak-ng: language ${language} is not installed`);
      const v = LOCAL_VOICES[voice].espeak;
      const sentences = splitSentences(text);
      for (const [sentenceIndex, sentence] of sentences.entries()) {
        if (signal?.aborted) throw abortError(signal);
        const espeak = spawnPiped('espeak-ng', ['--stdout', '-v', espeakVoiceName(voice, language), '-p', String(v.pitch), '-s', String(v.speed)]);
        const sox = spawnPiped('sox', soxToPcm24('-'));
        espeak.stdout!.pipe(sox.stdin!);
        espeak.stdin!.on('error', () => undefined);
        sox.stdin!.on('error', () => undefined);
        espeak.stdin!.end(sentence);
        for await (const pcm of pcmFromProcesses([espeak, sox], signal)) yield { pcm, sentenceIndex, sentence };
      }
    },
  };
}
