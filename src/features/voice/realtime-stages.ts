import type { LlmService } from '../../providers/llm/index.js';
import { createLocalTts, createPocketsphinxStt, createSileroVad, type SpeechProbe } from '../../providers/voice/index.js';
import type { RealtimeStages, RealtimeTts } from '../../providers/voice/realtime/stages.js';
import type { SttEngine } from '../../providers/voice/stt/types.js';
import type { VadEngine } from '../../providers/voice/vad/types.js';

/** Without any TTS installed, replies still stream as transcript text (health says so). */
const silentTts: RealtimeTts = {
  name: 'none',
  // eslint-disable-next-line require-yield
  async *synthesize() {
    return;
  },
};

/**
 * The self-hosted engine's stages (Silero VAD, warm pocketsphinx, espeak-ng/festival TTS, the app's
 * LLM), loaded on the first realtime connection rather than at boot, so a server nobody talks to
 * never starts pocketsphinx. `ready()` rejects when a stage is missing (the connection is refused).
 */
export function createRealtimeStages(deps: { probe: SpeechProbe; llm: LlmService }) {
  let vad: VadEngine | undefined;
  let stt: SttEngine | undefined;
  let tts: RealtimeTts | undefined;
  let loading: Promise<void> | undefined;

  const need = <T>(stage: T | undefined, name: string): T => {
    if (!stage) throw new Error(`realtime stage ${name} used before ready()`);
    return stage;
  };

  const stages: RealtimeStages = {
    get vad() { return need(vad, 'vad'); },
    get stt() { return need(stt, 'stt'); },
    get tts() { return need(tts, 'tts'); },
    llm: deps.llm,
  };

  async function load(): Promise<void> {
    const caps = await deps.probe();
    if (!caps.silero.available || !caps.pocketsphinx.available || !caps.sox.available) {
      throw new Error('speech input stages are not installed (see /api/health)');
    }
    const [v, s] = await Promise.all([createSileroVad(), createPocketsphinxStt()]);
    await s.warmUp();
    vad = v;
    stt = s;
    tts = createLocalTts(caps) ?? silentTts;
  }

  return {
    stages,
    ready(): Promise<void> {
      loading ??= load().catch((err: unknown) => {
        loading = undefined; // a later connection retries (e.g. after the package was installed)
        throw err;
      });
      return loading;
    },
    async close(): Promise<void> {
      await Promise.all([vad?.close(), stt?.close()]);
    },
  };
}
