/**
 * Real stages for the realtime engine's integration tests: Silero VAD, warm pocketsphinx
 * (streaming by default, as the app uses it, or the batch fallback), espeak-ng TTS, the offline LLM.
 */
import { createLlm, llmConfigSchema, MemoryUsageSink } from '../../src/providers/llm/index.js';
import type { RealtimeStages } from '../../src/providers/voice/realtime/stages.js';
import { createStreamingPocketsphinxStt } from '../../src/providers/voice/stt/pocketsphinx-stream-stt.js';
import { createPocketsphinxStt } from '../../src/providers/voice/stt/pocketsphinx-stt.js';
import { createSileroVad } from '../../src/providers/voice/vad/silero-vad.js';
import { createEspeakTestTts } from './espeak-tts.js';
import { silentLogger } from './realtime-harness.js';

export async function realStages(stt: 'streaming' | 'batch' = 'streaming'): Promise<RealtimeStages & { close(): Promise<void> }> {
  const [vad, engine, llm] = await Promise.all([
    createSileroVad(),
    stt === 'streaming' ? createStreamingPocketsphinxStt({ decoders: 2 }) : createPocketsphinxStt(),
    createLlm(llmConfigSchema.parse({ AI_PROVIDER: 'offline' }), { usage: new MemoryUsageSink(), logger: silentLogger }),
  ]);
  await engine.warmUp();
  return {
    vad,
    stt: engine,
    llm,
    tts: createEspeakTestTts(),
    async close() {
      await Promise.all([vad.close(), engine.close(), llm.close()]);
    },
  };
}
