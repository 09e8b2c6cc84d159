import pino from 'pino';
import { createLlm, llmConfigSchema, MemoryUsageSink } from '../../src/providers/llm/index.js';
import { RealtimeSession } from '../../src/providers/voice/realtime/realtime-session.js';
import { probeSpeech } from '../../src/providers/voice/speech-capabilities.js';
import { createStreamingPocketsphinxStt } from '../../src/providers/voice/stt/pocketsphinx-stream-stt.js';
import { createLocalTts } from '../../src/providers/voice/tts/local-tts.js';
import { createSileroVad } from '../../src/providers/voice/vad/silero-vad.js';
import { appendChunks, silence24k, speak24k } from '../../tests/helpers/realtime-audio.js';
import { speechAudioFactory } from '../../tests/helpers/speech-audio.js';
const logger = pino({ level: 'silent' });
const f = await speechAudioFactory();
const clip = await speak24k(f, 'Hello coach. Can you help me prepare for a job interview tomorrow?', 500);
const [vad, stt, llm] = await Promise.all([createSileroVad(), createStreamingPocketsphinxStt({ decoders: 2 }), createLlm(llmConfigSchema.parse({ AI_PROVIDER: 'offline' }), { usage: new MemoryUsageSink(), logger })]);
await stt.warmUp();
const tts = createLocalTts(await probeSpeech())!;
tts.warmUp();
for (let r = 0; r < 4; r++) {
  let stopped = 0, first = 0, transcript = 0; let early = ''; const events: string[] = [];
  let done!: () => void; const fin = new Promise<void>((res) => (done = res));
  const session: RealtimeSession = new RealtimeSession({ stages: { vad, stt, llm, tts }, identity: { userId: 'u', organizationId: 'o', defaults: { voice: 'alloy' } }, logger,
    send: (e) => { const now = session.now(); if (e.type.startsWith('input_audio_buffer.speech')) events.push(`${e.type.slice(19)}@${Math.round(now)}`); if (e.type === 'input_audio_buffer.speech_stopped') stopped = now; if (e.type === 'conversation.item.input_audio_transcription.completed') { transcript = now; events.push(e.transcript); } if (e.type === 'response.output_audio.delta' && !first) first = now; if (e.type === 'response.done') done(); },
    onResponseMetrics: (m) => (early = m.earlyReply ?? 'none') });
  session.start();
  const chunks = [...appendChunks(clip, 40), ...appendChunks(silence24k(1500), 40)];
  const t0 = performance.now();
  for (let i = 0; i < chunks.length; i++) { await session.handle(JSON.stringify({ type: 'input_audio_buffer.append', audio: chunks[i] })); const w = t0 + (i + 1) * 40 - performance.now(); if (w > 0) await new Promise((res) => setTimeout(res, w)); }
  await fin; await session.close(true);
  console.log(`transcript +${Math.round(transcript - stopped)} first audio +${Math.round(first - stopped)} early ${early}`, events.join(' '));
}
await Promise.all([vad.close(), stt.close(), llm.close(), tts.close()]); await f.cleanup();
