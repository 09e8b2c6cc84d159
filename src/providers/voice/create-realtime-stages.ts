import type { LlmService } from '../llm/index.js';
import { createLocalTts, createPocketsphinxStt, createSileroVad, createStreamingPocketsphinxStt, type SpeechProbe } from './index.js';
import type { RealtimeStages, RealtimeTts } from './realtime/stages.js';
import type { SttEngine } from './stt/types.js';
import type { VadEngine } from './vad/types.js';
import { sttChoice } from './voice-health.js';

export interface RealtimeSpeechOptions {
  /** Streaming decoder processes (VOICE_STT_DECODERS); default one per core. */
  decoders?: number | undefined;
  /** VOICE_STT_FWDFLAT */
  fwdflat?: boolean | undefined;
  /** VOICE_TTS_FESTIVAL_PROCESSES */
  festivalProcesses?: number | undefined;
}

type Logger = { warn(fields: object, message: string): void; info(fields: object, message: string): void };

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
 * STT: streaming pocketsphinx (python3-pocketsphinx workers) when installed, else pocketsphinx_batch.
 */
export function createRealtimeStages(deps: { probe: SpeechProbe; llm: LlmService; speech?: RealtimeSpeechOptions; logger?: Logger }) {
  let vad: VadEngine | undefined;
  let stt: SttEngine | undefined;
  let sttName: 'pocketsphinx-streaming' | 'pocketsphinx' | undefined;
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
    const choice = sttChoice(caps);
    if (!caps.silero.available || !choice || !caps.sox.available) {
      throw new Error('speech input stages are not installed (see /api/health)');
    }
    const [v, s] = await Promise.all([createSileroVad(), loadStt(choice, caps.pocketsphinx.available)]);
    vad = v;
    stt = s.engine;
    sttName = s.name;
    tts = createLocalTts(caps, deps.speech?.festivalProcesses ? { processes: deps.speech.festivalProcesses } : {}) ?? silentTts;
    tts.warmUp?.(); // festival's voice loads while the user says their first words
  }

  /** Streaming first; a streaming engine that cannot start (broken python) falls back to batch. */
  async function loadStt(choice: 'pocketsphinx-streaming' | 'pocketsphinx', batchInstalled: boolean): Promise<{ engine: SttEngine; name: 'pocketsphinx-streaming' | 'pocketsphinx' }> {
    if (choice === 'pocketsphinx-streaming') {
      const streaming = createStreamingPocketsphinxStt({ decoders: deps.speech?.decoders, fwdflat: deps.speech?.fwdflat });
      try {
        await streaming.warmUp();
        return { engine: streaming, name: choice };
      } catch (err) {
        await streaming.close();
        if (!batchInstalled) throw err;
        deps.logger?.warn({ err }, 'streaming STT did not start: using pocketsphinx_batch');
      }
    }
    const batch = await createPocketsphinxStt();
    await batch.warmUp();
    return { engine: batch, name: 'pocketsphinx' };
  }

  return {
    stages,
    /** The STT in use once loaded (health reports it), undefined before the first connection. */
    sttInUse: (): 'pocketsphinx-streaming' | 'pocketsphinx' | undefined => sttName,
    ready(): Promise<void> {
      loading ??= load().catch((err: unknown) => {
        loading = undefined; // a later connection retries (e.g. after the package was installed)
        throw err;
      });
      return loading;
    },
    async close(): Promise<void> {
      await Promise.all([vad?.close(), stt?.close(), tts?.close?.()]);
    },
  };
}
