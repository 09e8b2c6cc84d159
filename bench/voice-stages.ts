/**
 * Speed of the self-hosted voice stages on this machine, with festival-spoken test audio made at
 * run time:
 *   - STT streaming (python3-pocketsphinx workers), fwdflat off (default) and on: audio written in
 *     100 ms chunks at real-time pace, then finish() → transcript (what is left when the turn
 *     ends); word error rate of both settings on 22 sentences;
 *   - STT batch (pocketsphinx_batch, warm): the whole utterance after it ended;
 *   - TTS time to first audio chunk per engine; the VAD real-time factor.
 *
 *   npm run bench:voice          (BENCH_UTTERANCES=40 to change the sample size, default 20)
 */
import { loadavg } from 'node:os';
import {
  createEspeakTts,
  createFestivalTts,
  createPocketsphinxStt,
  createSileroVad,
  createStreamingPocketsphinxStt,
  type SttEngine,
  type TtsEngine,
  type TtsLanguage,
  type VoiceId,
} from '../src/providers/voice/index.js';
import { writeClip } from '../tests/helpers/stt-stream.js';
import { speechAudioFactory, type SpokenClip } from '../tests/helpers/speech-audio.js';
import { wordErrorRate } from '../tests/helpers/wer.js';
import { KIOSK_QUESTIONS } from './kiosk-questions.js';

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
/** More sentences for the word error rate: the kiosk questions of bench/voice-engine.ts. */
const MORE_FOR_WER = KIOSK_QUESTIONS;
const FRENCH = ['Bonjour, comment puis-je vous aider aujourd’hui ?', 'Merci beaucoup, à la semaine prochaine.'];
const load = () => loadavg().map((l) => l.toFixed(2)).join(' ');

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

  const loadAtStart = load();
  // --- STT streaming: fwdflat off / on ----------------------------------------------------------
  const werClips: SpokenClip[] = [...clips];
  for (const t of MORE_FOR_WER) werClips.push(await audio.speak(t, 300));
  const meanWerOf = async (engine: SttEngine) => {
    let sum = 0;
    const misses: string[] = [];
    for (const clip of werClips) {
      const { text } = await engine.transcribe(clip.samples);
      const wer = wordErrorRate(clip.text, text);
      sum += wer;
      if (wer > 0) misses.push(`"${text}"`);
    }
    return { wer: sum / werClips.length, misses };
  };
  /** How often the guess before end_utt (what an early reply starts on) is the final transcript. */
  const guessMatches = async (engine: SttEngine) => {
    let same = 0;
    for (const clip of werClips) {
      const stream = engine.openStream!();
      stream.write(clip.samples);
      const guess = await stream.hypothesis!();
      if (guess?.text === (await stream.finish()).text) same++;
    }
    return same / werClips.length;
  };
  const configs = [
    { fwdflat: false, bestpath: true },
    { fwdflat: false, bestpath: false },
    { fwdflat: true, bestpath: true },
  ];
  const streaming: { fwdflat: boolean; bestpath: boolean; finish: number[]; wer: number; misses: string[]; startupMs: number; guessMatch: number }[] = [];
  for (const { fwdflat, bestpath } of configs) {
    const engine = createStreamingPocketsphinxStt({ decoders: 1, fwdflat, bestpath });
    const started = performance.now();
    await engine.warmUp();
    const startupMs = performance.now() - started;
    const finish: number[] = [];
    // Real-time pace: each distinct sentence once (decoding is deterministic, repeats add only time).
    for (const clip of clips) {
      const stream = engine.openStream!({ language: 'en' });
      await writeClip(stream, clip.samples, true);
      finish.push((await stream.finish()).latencyMs);
    }
    streaming.push({ fwdflat, bestpath, finish, ...(await meanWerOf(engine)), startupMs, guessMatch: await guessMatches(engine) });
    await engine.close();
  }

  // --- STT batch ------------------------------------------------------------------------------
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
      let first: number | undefined;
      // Only the first chunk is timed, but the sentence is played out: aborting would kill a warm process.
      for await (const _chunk of engine.synthesize(sample[i % sample.length]!, { voice, language })) first ??= performance.now() - started;
      if (first !== undefined) values.push(first);
    }
    return values;
  };
  const espeak = createEspeakTts();
  const festival = createFestivalTts({ processes: 1 });
  festival.warmUp(); // as the engine does when it loads: the voice is loaded before the first reply
  for await (const _chunk of festival.synthesize('Hello.', { voice: 'alloy' })) void _chunk;
  const tts = [
    { name: 'espeak-ng (en)', values: await ttfc(espeak, 'en', SENTENCES) },
    { name: 'espeak-ng (fr)', values: await ttfc(espeak, 'fr', FRENCH) },
    { name: 'festival HTS (en), warm process', values: await ttfc(festival, 'en', SENTENCES) },
  ];
  await festival.close();

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
  const clipMs = clips.reduce((n, c) => n + c.samples.length / 16, 0) / clips.length;
  for (const s of streaming) {
    console.log(`| STT streaming pocketsphinx, fwdflat ${s.fwdflat ? 'on' : 'off'}, bestpath ${s.bestpath ? 'on' : 'off'} | finish → transcript, audio written at real-time pace (mean ${(clipMs / 1000).toFixed(1)} s) | ${ms(pct(s.finish, 50))} | ${ms(pct(s.finish, 95))} |`);
  }
  console.log(`| STT batch pocketsphinx_batch (warm) | latency per utterance (mean ${(audioMs / N / 1000).toFixed(1)} s of audio) | ${ms(pct(sttLatencies, 50))} | ${ms(pct(sttLatencies, 95))} |`);
  for (const t of tts) console.log(`| TTS ${t.name} | time to first 24 kHz chunk | ${ms(pct(t.values, 50))} | ${ms(pct(t.values, 95))} |`);
  console.log('');
  for (const s of streaming) {
    console.log(
      `- STT streaming, fwdflat ${s.fwdflat ? 'on' : 'off'}, bestpath ${s.bestpath ? 'on' : 'off'}: mean WER ${(s.wer * 100).toFixed(1)} % on ${werClips.length} sentences; guess before the end = final transcript ${(s.guessMatch * 100).toFixed(0)} %; start-up ${ms(s.startupMs)}; misheard: ${s.misses.join(', ') || 'none'}.`,
    );
  }
  console.log(`- STT batch: real-time factor ${(sttLatencies.reduce((a, b) => a + b, 0) / audioMs).toFixed(2)} (decode time / audio time); mean WER ${(meanWer * 100).toFixed(1)} %; start-up (models loading + first decode) ${ms(coldMs)}.`);
  console.log(`- Load average (1/5/15 min) at start: ${loadAtStart}; at end: ${load()}.`);
  console.log(`- VAD Silero: real-time factor ${(vadMs / vadAudioMs).toFixed(3)} (${ms(vadMs)} for ${(vadAudioMs / 1000).toFixed(1)} s of audio pushed in 20 ms chunks); boundary error vs sox-measured truth p50 ${ms(pct(boundaryErrors, 50))}, max ${ms(Math.max(...boundaryErrors))} over ${boundaryErrors.length / 2} segments.`);
} finally {
  await audio.cleanup();
}
