import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { abortError, run } from '../child-process.js';
import { pcmFromProcesses, soxToPcm24, spawnPiped } from './pcm-stream.js';
import { splitSentences } from './sentences.js';
import type { TtsEngine } from './types.js';
import { FESTIVAL_VOICES, LOCAL_VOICES } from './voices.js';

export const FESTIVAL_VOICE = 'voice_cmu_us_slt_arctic_hts';

/**
 * festival's HTS voice (cmu_us_slt_arctic_hts, English): `text2wave` writes each sentence to a WAV
 * in a private folder (festival cannot stream a valid WAV to a pipe), then sox resamples
 * 32 kHz → 24 kHz PCM16, applying the voice's effects.
 */
export function createFestivalTts(): TtsEngine {
  return {
    name: 'festival',
    capabilities: { languages: ['en'], sampleRate: 24_000, streaming: 'sentence', voices: FESTIVAL_VOICES },
    async *synthesize(text, { voice, language = 'en', signal }) {
      if (language !== 'en') throw new Error(`festival: language ${language} is not installed`);
      const dir = await mkdtemp(join(tmpdir(), 'coachhub-tts-'));
      try {
        for (const [sentenceIndex, sentence] of splitSentences(text).entries()) {
          if (signal?.aborted) throw abortError(signal);
          const txt = join(dir, `s${sentenceIndex}.txt`);
          const wav = join(dir, `s${sentenceIndex}.wav`);
          await writeFile(txt, sentence);
          await run('text2wave', ['-eval', `(${FESTIVAL_VOICE})`, '-o', wav, txt], signal ? { signal } : {});
          const sox = spawnPiped('sox', soxToPcm24(wav, LOCAL_VOICES[voice].festivalEffects ?? []));
          sox.stdin!.end();
          for await (const pcm of pcmFromProcesses([sox], signal)) yield { pcm, sentenceIndex, sentence };
        }
      } finally {
        await rm(dir, { recursive: true, force: true });
      }
    },
  };
}
