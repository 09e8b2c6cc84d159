/**
 * A real TTS for the realtime engine's tests until the TTS stage lands on this branch: espeak-ng
 * speaks the text, sox converts its 22.05 kHz WAV to PCM16 24 kHz raw. Real audio, no mock.
 */
import { run } from '../../src/providers/voice/child-process.js';
import type { RealtimeTts } from '../../src/providers/voice/realtime/stages.js';

export function createEspeakTestTts(): RealtimeTts {
  return {
    name: 'espeak-ng (test helper)',
    async *synthesize(text, options) {
      const signal = options.signal;
      const voice = options.language === 'fr' ? 'fr' : 'en-us';
      const wav = await run('espeak-ng', ['--stdin', '--stdout', '-v', voice, '-s', '170'], { input: text, ...(signal ? { signal } : {}) });
      const pcm = await run('sox', ['-t', 'wav', '-', '-r', '24000', '-c', '1', '-b', '16', '-e', 'signed-integer', '-t', 'raw', '-'], { input: wav, ...(signal ? { signal } : {}) });
      yield { pcm };
    },
  };
}
