/**
 * Speed of the self-hosted voice stages on this machine, with festival-spoken test audio made at
 * run time: STT warm latency per utterance (pocketsphinx, models loaded), TTS time to first audio
 * chunk per engine, and the VAD real-time factor (processing time / audio duration).
 *
 *   npm run bench:voice          (BENCH_UTTERANCES=40 to change the sample size, default 20)
 */
import { createEspeakTts, createFestivalTts, createPocketsphinxStt, createSileroVad, type TtsEngine, type TtsLanguage, type VoiceId } from '../src/providers/voice/index.js';
import { speechAudioFactory, type SpokenClip } from '../tests/helpers/speech-audio.js';
import { wordErrorRate } from '../tests/helpers/wer.js';

const N = Math.max(5, Number(process.env.BENCH_UTTERANCES ?? 20));
const SENTENCES = [
  'I would like to book a session for next week.',
  'Can you tell me more about the price of this product?',
  'The quick brown fox jumps over the lazy dog.',
  'What time does the gym open on Sunday morning?',
  'I am not sure this is the right solution for our team.',
  'Please send me the contract by email today.',
  'How many people work in your company?',
  'The treadmill on the second floor is broken.',
  'We need to reduce our costs before the end of the year.',
  'Thank you very much for your help.',
];
const FRENCH = ['Bonjour, comment puis-je vous aider aujourd’hui ?', 'Merci beaucoup, à la semaine prochaine.'];

const pct = (values: number[], p: number): number => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
};
const ms = (v: number): string => `${v.toFixed(0)} ms`;

const audio = await speechAudioFactory();
try {
  const texts = Array.from({ length: N }, (_, i) => SENTENCES[i % SENTENCES.length]!);
  const clips: SpokenClip[] = [];
  for (const t of [...new Set(texts)]) clips.push(await audio.speak(t, 300));
  const clipOf = (text: string) => clips.find((c) => c.text === text)!;

  // --- STT ------------------------------------------------------------------------------------
  const stt = await createPocketsphinxStt();
  const warmStart = performance.now();
  await stt.warmUp();
  const coldMs = performance.now() - warmStart;
  const sttLatencies: number[] = [];
  const wers: number[] = [];
  let audioMs = 0;
  for (const text of texts) {
    const clip = clipOf(text);
    const { text: heard, latencyMs } = await stt.transcribe(clip.samples);
    sttLatencies.push(latencyMs);
    wers.push(wordErrorRate(text, heard));
    audioMs += (clip.samples.length / 16_000) * 1000;
  }
  await stt.close();

  // --- TTS ------------------------------------------------------------------------------------
  const ttfc = async (engine: TtsEngine, language: TtsLanguage, sample: string[]) => {
    const values: number[] = [];
    for (let i = 0; i < N; i++) {
      const voice: VoiceId = engine.capabilities.voices[i % engine.capabilities.voices.length]!;
      const started = performance.now();
      const controller = new AbortController();
      for await (const _chunk of engine.synthesize(sample[i % sample.length]!, { voice, language, signal: controller.signal })) {
        values.push(performance.now() - started);
        controller.abort(); // only the first chunk matters; abort kills the processes
        break;
      }
    }
    return values;
  };
  const espeak = createEspeakTts();
  const festival = createFestivalTts();
  const tts = [
    { name: 'espeak-ng (en)', values: await ttfc(espeak, 'en', SENTENCES) },
    { name: 'espeak-ng (fr)', values: await ttfc(espeak, 'fr', FRENCH) },
    { name: 'festival HTS (en)', values: await ttfc(festival, 'en', SENTENCES) },
  ];

  // --- VAD ------------------------------------------------------------------------------------
  const vad = await createSileroVad();
  let vadAudioMs = 0;
  let vadMs = 0;
  const boundaryErrors: number[] = [];
  for (const text of texts) {
    const clip = clipOf(text);
    const stream = await vad.createStream();
    const started = performance.now();
    const events = [];
    // 20 ms pushes, as audio arrives from a browser.
    for (let i = 0; i < clip.samples.length; i += 320) events.push(...(await stream.push(clip.samples.subarray(i, i + 320))));
    events.push(...stream.flush());
    vadMs += performance.now() - started;
    for (const e of events) {
      if (e.type === 'speech_stopped') boundaryErrors.push(Math.abs(e.speechStartMs - clip.speechStartMs), Math.abs(e.speechEndMs - clip.speechEndMs));
    }
    vadAudioMs += (clip.samples.length / 16_000) * 1000;
  }

  const meanWer = wers.reduce((a, b) => a + b, 0) / wers.length;
  console.log(`\n### Voice stages — ${N} utterances, ${new Date().toISOString().slice(0, 10)}, ${process.arch}, Node ${process.versions.node}\n`);
  console.log('| Stage | Measure | p50 | p95 |');
  console.log('|---|---|---|---|');
  console.log(`| STT pocketsphinx (warm) | latency per utterance (mean ${(audioMs / N / 1000).toFixed(1)} s of audio) | ${ms(pct(sttLatencies, 50))} | ${ms(pct(sttLatencies, 95))} |`);
  for (const t of tts) console.log(`| TTS ${t.name} | time to first 24 kHz chunk | ${ms(pct(t.values, 50))} | ${ms(pct(t.values, 95))} |`);
  console.log('');
  console.log(`- STT: real-time factor ${(sttLatencies.reduce((a, b) => a + b, 0) / audioMs).toFixed(2)} (decode time / audio time); mean WER ${(meanWer * 100).toFixed(1)} %; start-up (models loading + first decode) ${ms(coldMs)}.`);
  console.log(`- VAD Silero: real-time factor ${(vadMs / vadAudioMs).toFixed(3)} (${ms(vadMs)} for ${(vadAudioMs / 1000).toFixed(1)} s of audio pushed in 20 ms chunks); boundary error vs sox-measured truth p50 ${ms(pct(boundaryErrors, 50))}, max ${ms(Math.max(...boundaryErrors))} over ${boundaryErrors.length / 2} segments.`);
} finally {
  await audio.cleanup();
}
