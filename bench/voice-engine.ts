/**
 * Realtime voice engine latency, in process, with the real stages: Silero VAD, pocketsphinx
 * (streaming python3-pocketsphinx workers by default; BENCH_STT=batch for pocketsphinx_batch),
 * the app's TTS stage (voice BENCH_VOICE: coral = espeak-ng, the default; alloy = festival HTS)
 * and the offline LLM. Utterances are spoken
 * by festival at run time and streamed in 100 ms appends at real-time pace, as a microphone would.
 *
 * Reports p50/p95 (server side, ms) of:
 *   stop → first audio   speech_stopped sent → first response.output_audio.delta sent
 *   STT                  speech_stopped → transcript ready
 *   LLM first token      transcript ready → first LLM text delta
 *   TTS first chunk      first LLM text delta → first TTS PCM chunk (includes waiting for a full sentence)
 * (with an early reply used, LLM and TTS were prepared during the closing silence: both are ~0)
 * then the same with 10 conversations at once, plus audio underruns: a reply underruns when a
 * delta arrives after the audio already sent would have finished playing.
 *
 *   npx tsx bench/voice-engine.ts        (BENCH_UTTERANCES, BENCH_CONCURRENCY, BENCH_STT=streaming|batch,
 *                                         BENCH_STT_POOL decoders, default one per core,
 *                                         BENCH_EARLY_REPLY=0 to turn early replies off)
 */
import { availableParallelism, loadavg } from 'node:os';
import pino from 'pino';
import { createLlm, llmConfigSchema, MemoryUsageSink } from '../src/providers/llm/index.js';
import { RealtimeSession } from '../src/providers/voice/realtime/realtime-session.js';
import type { ServerEvent } from '../src/shared/realtime-protocol.js';
import type { ResponseMetrics } from '../src/providers/voice/realtime/response-runner.js';
import type { RealtimeStages } from '../src/providers/voice/realtime/stages.js';
import { probeSpeech } from '../src/providers/voice/speech-capabilities.js';
import { createStreamingPocketsphinxStt } from '../src/providers/voice/stt/pocketsphinx-stream-stt.js';
import { createPocketsphinxStt } from '../src/providers/voice/stt/pocketsphinx-stt.js';
import { createLocalTts } from '../src/providers/voice/tts/local-tts.js';
import { createSileroVad } from '../src/providers/voice/vad/silero-vad.js';
import { appendChunks, silence24k, speak24k } from '../tests/helpers/realtime-audio.js';
import { speechAudioFactory } from '../tests/helpers/speech-audio.js';
import { KIOSK_QUESTIONS } from './kiosk-questions.js';

const UTTERANCES = KIOSK_QUESTIONS.slice(0, Number(process.env.BENCH_UTTERANCES ?? 12));
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 10);
const STT = process.env.BENCH_STT === 'batch' ? 'batch' : 'streaming';
const POOL = Number(process.env.BENCH_STT_POOL ?? availableParallelism());
const VOICE = process.env.BENCH_VOICE ?? 'coral';
const logger = pino({ level: 'silent' });

interface Turn {
  stopToAudioMs: number;
  sttMs: number;
  llmFirstTokenMs: number;
  ttsFirstChunkMs: number;
  underruns: number;
  worstLagMs: number;
  replyAudioMs: number;
  early: 'used' | 'discarded' | 'none';
}

async function converse(stages: RealtimeStages, audio: Int16Array): Promise<Turn> {
  let stoppedAt: number | undefined;
  let firstAudioAt: number | undefined;
  let stt: number | undefined;
  let metrics: ResponseMetrics | undefined;
  // Client-side playback model: deltas received (wall clock) vs audio received so far.
  let playStart: number | undefined;
  let received = 0;
  let underruns = 0;
  let worstLagMs = 0;
  let done!: () => void;
  const finished = new Promise<void>((r) => (done = r));
  const session: RealtimeSession = new RealtimeSession({
    stages,
    identity: { userId: 'bench', organizationId: 'bench', defaults: { agent: { kind: 'kiosk', gymName: 'FitClub' }, language: 'en', voice: VOICE } },
    logger,
    send: (event: ServerEvent) => {
      const now = session.now();
      if (event.type === 'input_audio_buffer.speech_stopped') stoppedAt ??= now;
      if (event.type === 'response.output_audio.delta') {
        firstAudioAt ??= now;
        const wall = performance.now();
        playStart ??= wall;
        const lag = wall - playStart - received;
        if (lag > 0) {
          underruns++;
          worstLagMs = Math.max(worstLagMs, lag);
        }
        received += Buffer.from(event.delta, 'base64').length / 48;
      }
      if (event.type === 'response.done') done();
    },
    onTranscriptionMetrics: (m) => (stt = m.transcribedAtMs - m.endedAtMs),
    earlyReply: process.env.BENCH_EARLY_REPLY !== '0',
    onResponseMetrics: (m) => (metrics = m),
  });
  session.start();
  const chunks = [...appendChunks(audio), ...appendChunks(silence24k(1500))];
  const started = performance.now();
  for (let i = 0; i < chunks.length; i++) {
    await session.handle(JSON.stringify({ type: 'input_audio_buffer.append', audio: chunks[i] }));
    const wait = started + (i + 1) * 100 - performance.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
  }
  await finished;
  await session.close(true);
  const m = metrics!;
  return {
    stopToAudioMs: firstAudioAt! - stoppedAt!,
    sttMs: stt!,
    llmFirstTokenMs: m.llmFirstTokenAtMs! - m.transcribedAtMs!,
    ttsFirstChunkMs: m.ttsFirstChunkAtMs! - m.llmFirstTokenAtMs!,
    underruns,
    worstLagMs,
    replyAudioMs: received,
    early: m.earlyReply ?? 'none',
  };
}

const pct = (values: number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
};
function report(title: string, turns: Turn[]): void {
  const row = (name: string, pick: (t: Turn) => number) => {
    const v = turns.map(pick);
    return { metric: name, p50: Math.round(pct(v, 50)), p95: Math.round(pct(v, 95)), max: Math.round(Math.max(...v)) };
  };
  console.log(`\n${title} (${turns.length} turns)`);
  console.table([
    row('stop → first audio', (t) => t.stopToAudioMs),
    row('STT', (t) => t.sttMs),
    row('LLM first token', (t) => t.llmFirstTokenMs),
    row('TTS first chunk', (t) => t.ttsFirstChunkMs),
    row('reply audio', (t) => t.replyAudioMs),
  ]);
  const under = turns.filter((t) => t.underruns > 0);
  console.log(`underruns: ${under.length}/${turns.length} replies, worst lag ${Math.round(Math.max(0, ...turns.map((t) => t.worstLagMs)))} ms`);
  const early = (kind: Turn['early']) => turns.filter((t) => t.early === kind).length;
  console.log(`early replies: ${early('used')} used, ${early('discarded')} discarded, ${early('none')} not prepared`);
}

const factory = await speechAudioFactory();
const clips = await Promise.all(UTTERANCES.map((u) => speak24k(factory, u, 500)));
const [vad, stt, llm] = await Promise.all([
  createSileroVad(),
  STT === 'streaming' ? createStreamingPocketsphinxStt({ decoders: POOL }) : createPocketsphinxStt({ poolSize: POOL }),
  createLlm(llmConfigSchema.parse({ AI_PROVIDER: 'offline' }), { usage: new MemoryUsageSink(), logger }),
]);
await stt.warmUp();
const tts = createLocalTts(await probeSpeech())!;
const stages: RealtimeStages = { vad, stt, llm, tts };
const load = () => loadavg().map((l) => l.toFixed(2)).join(' ');
console.log(`node ${process.version}, ${availableParallelism()} cores; STT ${STT} × ${POOL}; TTS ${tts.name}, voice ${VOICE}; load average ${load()}`);

await converse(stages, clips[0]!); // warm-up
const sequential: Turn[] = [];
for (const clip of clips) sequential.push(await converse(stages, clip));
report('One conversation at a time', sequential);

const concurrent = await Promise.all(Array.from({ length: CONCURRENCY }, (_, i) => converse(stages, clips[i % clips.length]!)));
report(`${CONCURRENCY} conversations at once`, concurrent);
console.log(`\nload average at the end: ${load()}`);

await Promise.all([vad.close(), stt.close(), llm.close(), tts.close()]);
await factory.cleanup();
