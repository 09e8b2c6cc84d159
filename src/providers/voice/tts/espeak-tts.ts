import { abortError } from '../child-process.js';
import type { ProcessSlots } from '../process-slots.js';
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
 * never on the command line) piped into sox, which resamples 22.05 kHz → 24 kHz PCM16. With
 * `slots`, a sentence waits for a slot before it spawns (the global cap on speech processes).
 */
export function createEspeakTts(options: { languages?: readonly TtsLanguage[]; slots?: ProcessSlots } = {}): TtsEngine {
  const { slots } = options;
  const languages = options.languages ?? (['en', 'fr'] as const);
  return {
    name: 'espeak-ng',
    capabilities: { languages, sampleRate: 24_000, streaming: 'sentence', voices: VOICE_IDS },
    async *synthesize(text, { voice, language = 'en', signal }) {
      if (!languages.includes(language)) throw new Error(`espeak-ng: language ${language} is not installed`);
      for (const [sentenceIndex, sentence] of splitSentences(text).entries()) {
        if (signal?.aborted) throw abortError(signal);
        const release = await slots?.acquire(signal);
        try {
          for await (const pcm of speakSentence(sentence, voice, language, signal)) yield { pcm, sentenceIndex, sentence };
        } finally {
          release?.();
        }
      }
    },
  };
}

/** One sentence: espeak-ng → sox → PCM16 24 kHz. */
function speakSentence(sentence: string, voice: VoiceId, language: TtsLanguage, signal: AbortSignal | undefined): AsyncGenerator<Buffer> {
  const v = LOCAL_VOICES[voice].espeak;
  const espeak = spawnPiped('espeak-ng', ['--stdout', '-v', espeakVoiceName(voice, language), '-p', String(v.pitch), '-s', String(v.speed)]);
  const sox = spawnPiped('sox', soxToPcm24('-'));
  espeak.stdout!.pipe(sox.stdin!);
  espeak.stdin!.on('error', () => undefined);
  sox.stdin!.on('error', () => undefined);
  espeak.stdin!.end(sentence);
  return pcmFromProcesses([espeak, sox], signal);
}
