/**
 * Scripted speech stages and LLM for deterministic tests of the realtime engine: they follow the
 * stage interfaces exactly, answer at once (or when the test's clock or gate says so) and record
 * what the engine asked of them.
 *
 * Speech is scripted as audio: `speech.say(text, ms)` is `ms` of samples at one amplitude — the
 * phrase's code —, `speech.silence(ms)` is zeros. The VAD hears speech where the amplitude is not
 * zero (the Silero stream's turn logic, 10 ms frames); the STT reads the codes back as the phrases
 * they stand for. So "said 'Is there yoga?', paused 350 ms, said 'And Sunday?'" is a turn with a
 * pause, and its transcript is exactly the two phrases.
 */
import type { ChatMessage, LlmCallContext, LlmEvent, LlmRequest, LlmResult, LlmService, ToolCall } from '../../src/providers/llm/index.js';
import { estimateInputTokens } from '../../src/providers/llm/token-estimate.js';
import { abortError } from '../../src/providers/voice/child-process.js';
import type { Clock } from '../../src/providers/voice/clock.js';
import type { RealtimeStages, RealtimeTts, RealtimeTtsOptions } from '../../src/providers/voice/realtime/stages.js';
import type { SttCapabilities, SttEngine, SttStream, Transcript } from '../../src/providers/voice/stt/types.js';
import { DEFAULT_VAD_OPTIONS, type VadEngine, type VadEvent, type VadOptions, type VadStream } from '../../src/providers/voice/vad/types.js';
import { concatPcm16 } from '../../src/providers/voice/audio.js';

// --- scripted speech ---------------------------------------------------------------------------

/** Phrases ↔ amplitude codes, shared by the audio the test makes and the STT that reads it. */
export class SpeechScript {
  private readonly codes = new Map<string, number>();
  private readonly phrases = new Map<number, string>();

  private codeOf(text: string): number {
    let code = this.codes.get(text);
    if (code === undefined) {
      code = 1000 + 10 * this.codes.size;
      this.codes.set(text, code);
      this.phrases.set(code, text);
    }
    return code;
  }

  /** `text` spoken for `ms`, as 24 kHz audio (the Realtime input format). */
  say(text: string, ms: number): Int16Array {
    return new Int16Array(ms * 24).fill(this.codeOf(text));
  }

  silence(ms: number): Int16Array {
    return new Int16Array(ms * 24);
  }

  join(...parts: Int16Array[]): Int16Array {
    return concatPcm16(parts);
  }

  /** The phrases in 16 kHz audio, in order (runs shorter than 1 ms are resampling edges). */
  read(audio: Int16Array): string {
    const out: string[] = [];
    for (let i = 0; i < audio.length; ) {
      let j = i;
      while (j < audio.length && audio[j] === audio[i]) j++;
      const phrase = this.phrases.get(audio[i]!);
      if (phrase && j - i >= 16) out.push(phrase);
      i = j;
    }
    return out.join(' ');
  }
}

// --- gate ----------------------------------------------------------------------------------------

/** Holds a fake stage until the test opens it. Open by default. */
export class Gate {
  private isOpen = true;
  private allowance = 0;
  private waiters: Array<() => void> = [];

  close(): this {
    this.isOpen = false;
    return this;
  }

  /** While closed, lets the next `n` waits through. */
  allow(n: number): this {
    this.allowance += n;
    return this;
  }

  open(): void {
    this.isOpen = true;
    for (const w of this.waiters.splice(0)) w();
  }

  async wait(signal?: AbortSignal): Promise<void> {
    if (!this.isOpen && this.allowance > 0) {
      this.allowance--;
      return;
    }
    while (!this.isOpen) {
      if (signal?.aborted) throw abortError(signal);
      await new Promise<void>((resolve) => {
        this.waiters.push(resolve);
        signal?.addEventListener('abort', () => resolve(), { once: true });
      });
    }
    if (signal?.aborted) throw abortError(signal);
  }
}

const delay = (clock: Clock, ms: number): Promise<void> => (ms > 0 ? new Promise((resolve) => clock.setTimeout(resolve, ms)) : Promise.resolve());

// --- VAD -----------------------------------------------------------------------------------------

const FRAME = 160; // 10 ms at 16 kHz
const FRAME_MS = 10;
const STREAMED_SILENCE_FRAMES = 16; // 160 ms, as the Silero stream
const PAUSE_BEFORE_CLOSE_MS = 300;

/** The Silero stream's turn logic on 10 ms frames; a frame is speech when most of its samples are not silent. */
class EnergyVadStream implements VadStream {
  private pending = new Int16Array(0);
  private frameIndex = 0;
  private history: Int16Array[] = [];
  private utterance: Int16Array[] = [];
  private emitted = 0;
  private confirmed = 0;
  private inSpeech = false;
  private speechStartFrame = 0;
  private lastSpeechFrame = 0;
  private silentFrames = 0;

  constructor(readonly options: VadOptions, private readonly counted: (samples: number) => void) {}

  get speaking(): boolean {
    return this.inSpeech;
  }

  async push(samples: Int16Array): Promise<VadEvent[]> {
    this.counted(samples.length);
    const all = concatPcm16([this.pending, samples]);
    const events: VadEvent[] = [];
    let offset = 0;
    for (; offset + FRAME <= all.length; offset += FRAME) {
      const frame = all.slice(offset, offset + FRAME);
      const loud = frame.reduce((n, v) => n + (Math.abs(v) >= 100 ? 1 : 0), 0) >= FRAME / 2;
      this.step(frame, loud, events);
      this.frameIndex++;
    }
    this.pending = all.slice(offset);
    if (this.inSpeech) this.emitAudio(events);
    return events;
  }

  flush(): VadEvent[] {
    this.pending = new Int16Array(0);
    if (!this.inSpeech) return [];
    const events: VadEvent[] = [];
    this.stop(this.frameIndex, events);
    return events;
  }

  private get paddingFrames(): number {
    return Math.round(this.options.prefixPaddingMs / FRAME_MS);
  }

  private get pauseFrames(): number {
    const ms = this.options.pauseMs ?? Math.max(STREAMED_SILENCE_FRAMES * FRAME_MS, this.options.silenceDurationMs - PAUSE_BEFORE_CLOSE_MS);
    return Math.max(STREAMED_SILENCE_FRAMES, Math.ceil(ms / FRAME_MS));
  }

  private emitAudio(events: VadEvent[]): void {
    if (this.emitted >= this.confirmed) return;
    events.push({ type: 'speech_audio', audio: concatPcm16(this.utterance.slice(this.emitted, this.confirmed)) });
    this.emitted = this.confirmed;
  }

  private step(frame: Int16Array, loud: boolean, events: VadEvent[]): void {
    if (!this.inSpeech) {
      if (!loud) {
        this.history.push(frame);
        if (this.history.length > this.paddingFrames) this.history.shift();
        return;
      }
      this.inSpeech = true;
      this.speechStartFrame = this.lastSpeechFrame = this.frameIndex;
      this.silentFrames = 0;
      const padding = this.paddingFrames > 0 ? this.history.slice(-this.paddingFrames) : [];
      this.utterance = [...padding, frame];
      this.history = [];
      this.emitted = this.confirmed = this.utterance.length;
      const speechStartMs = this.speechStartFrame * FRAME_MS;
      events.push({ type: 'speech_started', speechStartMs, audioStartMs: speechStartMs - padding.length * FRAME_MS, audio: concatPcm16(this.utterance) });
      return;
    }
    this.utterance.push(frame);
    if (loud) {
      this.lastSpeechFrame = this.frameIndex;
      this.confirmed = this.utterance.length;
      this.silentFrames = 0;
      return;
    }
    this.silentFrames++;
    if (this.silentFrames <= STREAMED_SILENCE_FRAMES) this.confirmed = this.utterance.length;
    if (this.silentFrames * FRAME_MS >= this.options.silenceDurationMs) return this.stop(this.frameIndex + 1, events);
    if (this.silentFrames === this.pauseFrames) {
      this.emitAudio(events);
      events.push({ type: 'speech_paused', speechEndMs: (this.lastSpeechFrame + 1) * FRAME_MS });
    }
  }

  private stop(endFrame: number, events: VadEvent[]): void {
    const audio = concatPcm16(this.utterance);
    const speechStartMs = this.speechStartFrame * FRAME_MS;
    events.push({ type: 'speech_stopped', speechStartMs, speechEndMs: (this.lastSpeechFrame + 1) * FRAME_MS, audioEndMs: endFrame * FRAME_MS, audio });
    this.inSpeech = false;
    this.utterance = [];
    this.emitted = this.confirmed = this.silentFrames = 0;
  }
}

export class EnergyVad implements VadEngine {
  readonly name = 'energy (test)';
  readonly capabilities = { sampleRates: [16_000], frameSamples: FRAME, streaming: true as const };
  /** The options of every stream the engine opened. */
  readonly streams: VadOptions[] = [];
  /** Samples (16 kHz) the engine pushed into its streams. */
  pushedSamples = 0;

  async createStream(options: Partial<VadOptions> = {}): Promise<VadStream> {
    const resolved = { ...DEFAULT_VAD_OPTIONS, ...options };
    this.streams.push(resolved);
    return new EnergyVadStream(resolved, (n) => (this.pushedSamples += n));
  }

  async probabilities(samples: Int16Array): Promise<number[]> {
    const out: number[] = [];
    for (let i = 0; i + FRAME <= samples.length; i += FRAME) out.push(samples[i] ? 1 : 0);
    return out;
  }

  async close(): Promise<void> {}
}

// --- STT -----------------------------------------------------------------------------------------

/** What the engine did with one streamed utterance. */
export interface StreamRecord {
  /** Samples in the first write (the VAD's speech_started audio: prefix padding + first frame). */
  firstWrite: number;
  written: number;
  writtenAtFinish?: number;
  hypotheses: number;
  finished: boolean;
  cancelled: boolean;
}

export class ScriptedStt implements SttEngine {
  readonly name = 'scripted-stt';
  readonly capabilities: SttCapabilities;
  readonly streams: StreamRecord[] = [];
  /** Audio lengths (samples) of batch `transcribe` calls. */
  readonly batches: number[] = [];
  /** Clock ms from finish() / transcribe() to the transcript, and from hypothesis() to the guess. */
  latencyMs = 0;
  hypothesisLatencyMs = 0;
  /** Make every transcription fail. */
  failing = false;

  constructor(private readonly speech: SpeechScript, private readonly clock: Clock, streaming = true) {
    // Without streaming the engine only calls transcribe() (it checks the capability).
    this.capabilities = { languages: ['en', 'fr'], sampleRates: [16_000], streaming, warm: true };
  }

  async transcribe(audio: Int16Array): Promise<Transcript> {
    this.batches.push(audio.length);
    await delay(this.clock, this.latencyMs);
    if (this.failing) throw new Error('scripted transcription failure');
    return { text: this.speech.read(audio), latencyMs: this.latencyMs };
  }

  openStream(): SttStream {
    const record: StreamRecord = { firstWrite: 0, written: 0, hypotheses: 0, finished: false, cancelled: false };
    this.streams.push(record);
    const parts: Int16Array[] = [];
    let result: Promise<Transcript> | undefined;
    return {
      write: (pcm) => {
        if (record.finished || record.cancelled || pcm.length === 0) return;
        if (record.written === 0) record.firstWrite = pcm.length;
        record.written += pcm.length;
        parts.push(pcm.slice());
      },
      finish: () =>
        (result ??= (async () => {
          record.finished = true;
          record.writtenAtFinish = record.written;
          await delay(this.clock, this.latencyMs);
          if (record.cancelled) throw new DOMException('speech recognition cancelled', 'AbortError');
          if (this.failing) throw new Error('scripted transcription failure');
          return { text: this.speech.read(concatPcm16(parts)), latencyMs: this.latencyMs };
        })()),
      cancel: () => {
        record.cancelled = true;
      },
      hypothesis: async () => {
        record.hypotheses++;
        await delay(this.clock, this.hypothesisLatencyMs);
        if (record.finished || record.cancelled || this.failing) return null;
        return { text: this.speech.read(concatPcm16(parts)), final: true };
      },
    };
  }

  async warmUp(): Promise<void> {}
  async close(): Promise<void> {}
}

// --- TTS -----------------------------------------------------------------------------------------

export class ScriptedTts implements RealtimeTts {
  readonly name = 'scripted-tts';
  /** Every sentence asked for, in order, with its options (the signal left out). */
  readonly requests: Array<{ text: string; voice: string; language?: 'en' | 'fr' }> = [];
  /** Sentences whose synthesis was aborted. */
  readonly aborted: string[] = [];
  /** Audio ms per character of text: "Hello there." is 600 ms. */
  msPerChar = 50;
  /** Closed: each sentence waits for it before its audio. */
  readonly gate = new Gate();
  /** Make synthesis fail with this error. */
  failure: Error | undefined;

  /** The audio length of `text`, in ms. */
  audioMs(text: string): number {
    return text.length * this.msPerChar;
  }

  async *synthesize(text: string, options: RealtimeTtsOptions): AsyncIterable<{ pcm: Buffer }> {
    this.requests.push({ text, voice: options.voice, ...(options.language ? { language: options.language } : {}) });
    try {
      await this.gate.wait(options.signal);
      if (this.failure) throw this.failure;
      const samples = this.audioMs(text) * 24;
      // Two chunks of odd sizes: the engine re-cuts them into 100 ms deltas.
      const half = Math.floor(samples / 2) | 1;
      yield { pcm: Buffer.alloc(half * 2, 1) };
      options.signal?.throwIfAborted();
      yield { pcm: Buffer.alloc((samples - half) * 2, 1) };
    } catch (err) {
      if (options.signal?.aborted) this.aborted.push(text);
      throw err;
    }
  }
}

// --- LLM -----------------------------------------------------------------------------------------

export interface LlmReply {
  text?: string;
  toolCalls?: ToolCall[];
}

/** The text of the last user message of a request. */
export const lastUserText = (request: Pick<LlmRequest, 'messages'>): string => {
  const last = [...request.messages].reverse().find((m): m is Extract<ChatMessage, { role: 'user' }> => m.role === 'user');
  return last?.content ?? '';
};

/**
 * An LlmService that answers from a script: queued replies first (`reply`), else `defaultReply`
 * ("You said: <last user text>."). Text streams word by word. Every request is recorded.
 */
export class ScriptedLlm implements LlmService {
  /** The requests as received (their signal left out). */
  readonly requests: Array<Omit<LlmRequest, 'signal'>> = [];
  /** Calls whose stream was aborted. */
  aborted = 0;
  /** Closed: each call waits for it before streaming. */
  readonly gate = new Gate();
  private readonly queued: Array<LlmReply | ((request: LlmRequest) => LlmReply)> = [];
  defaultReply: (request: LlmRequest) => LlmReply = (request) => ({ text: lastUserText(request) ? `You said: ${lastUserText(request)}.` : 'Hello, how can I help?' });

  /** The next calls answer these, in order. */
  reply(...replies: Array<LlmReply | ((request: LlmRequest) => LlmReply)>): this {
    this.queued.push(...replies);
    return this;
  }

  async *stream(request: LlmRequest, _ctx: LlmCallContext): AsyncGenerator<LlmEvent> {
    const { signal, ...recorded } = request;
    this.requests.push(recorded);
    const next = this.queued.shift() ?? this.defaultReply;
    const reply = typeof next === 'function' ? next(request) : next;
    try {
      await this.gate.wait(signal);
      const words = reply.text?.match(/\S+\s*/g) ?? [];
      for (const delta of words) {
        signal?.throwIfAborted();
        yield { type: 'text', delta };
      }
      for (const toolCall of reply.toolCalls ?? []) yield { type: 'tool_call', toolCall };
      const result: LlmResult = {
        text: reply.text ?? '',
        toolCalls: reply.toolCalls ?? [],
        finishReason: reply.toolCalls?.length ? 'tool_calls' : 'stop',
        usage: { inputTokens: estimateInputTokens(request.messages, request.tools), outputTokens: words.length, approximate: true },
        provider: 'offline',
        model: 'scripted',
      };
      yield { type: 'done', result };
    } catch (err) {
      if (signal?.aborted) this.aborted++;
      throw err;
    }
  }

  async complete(request: LlmRequest, ctx: LlmCallContext): Promise<LlmResult> {
    for await (const event of this.stream(request, ctx)) if (event.type === 'done') return event.result;
    throw new Error('no result');
  }

  info() {
    return { provider: 'offline' as const, model: 'scripted', offline: true, fallback: [] };
  }

  async close(): Promise<void> {}
}

// --- all together --------------------------------------------------------------------------------

export function scriptedStages(clock: Clock, options: { streamingStt?: boolean } = {}) {
  const speech = new SpeechScript();
  const vad = new EnergyVad();
  const stt = new ScriptedStt(speech, clock, options.streamingStt ?? true);
  const tts = new ScriptedTts();
  const llm = new ScriptedLlm();
  const stages: RealtimeStages = { vad, stt, tts, llm };
  return { stages, speech, vad, stt, tts, llm };
}
