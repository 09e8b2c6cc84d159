/**
 * Early replies: the VAD waits `silence_duration_ms` (500 ms by default) before it ends a turn,
 * time in which the engine would otherwise do nothing. When the speaker pauses (`speech_paused`,
 * 300 ms before the turn would end), the session asks the streaming STT for its best guess and
 * starts the reply to it here — the LLM stream and the audio of its first sentence — without
 * sending anything. When the turn really ends, the response runner asks its LLM and TTS stages as
 * usual; `withEarlyReply` answers from what was prepared when the request is exactly the one
 * prepared (same transcript, same conversation, same settings), and the first audio is ready at
 * once. Otherwise (the final transcript differs, the speaker went on) it is thrown away.
 *
 * Only the first LLM call and the first sentence's audio are prepared; the rest streams live.
 */
import type { LlmCallContext, LlmEvent, LlmRequest, LlmService } from '../../llm/index.js';
import { AsyncQueue } from '../async-queue.js';
import { SentenceSplitter } from '../sentence-splitter.js';
import type { RealtimeStages, RealtimeTts, RealtimeTtsOptions } from './stages.js';

/** What identifies an LLM request (everything but its signal). */
export function requestKey(request: LlmRequest): string {
  const { signal: _signal, ...rest } = request;
  return JSON.stringify(rest);
}

/** A reply prepared for a turn that has not ended yet. */
export class EarlyReply {
  private readonly controller = new AbortController();
  private readonly key: string;
  private readonly llmEvents = new AsyncQueue<LlmEvent>();
  private first: { text: string; audio: AsyncQueue<{ pcm: Buffer }> } | undefined;
  private llmClaimed = false;
  private ttsClaimed = false;
  /** Thrown away (mismatch, the speaker went on, the session closed). */
  cancelled = false;
  /** Prepared first audio was used. */
  used = false;

  constructor(
    private readonly stages: Pick<RealtimeStages, 'llm' | 'tts'>,
    request: LlmRequest,
    meter: LlmCallContext,
    private readonly tts: RealtimeTtsOptions,
  ) {
    this.key = requestKey(request);
    void this.prepare({ ...request, signal: this.controller.signal }, meter);
  }

  private async prepare(request: LlmRequest, meter: LlmCallContext): Promise<void> {
    const splitter = new SentenceSplitter();
    const speakFirst = (sentence: string): void => {
      if (this.first) return;
      const audio = new AsyncQueue<{ pcm: Buffer }>();
      this.first = { text: sentence, audio };
      void (async () => {
        try {
          for await (const chunk of this.stages.tts.synthesize(sentence, { ...this.tts, signal: this.controller.signal })) audio.push(chunk);
          audio.end();
        } catch (err) {
          audio.end(err);
        }
      })();
    };
    try {
      for await (const event of this.stages.llm.stream(request, meter)) {
        this.llmEvents.push(event);
        if (event.type === 'text' && event.delta) splitter.push(event.delta).forEach(speakFirst);
      }
      splitter.flush().forEach(speakFirst);
      this.llmEvents.end();
    } catch (err) {
      this.llmEvents.end(err);
    }
  }

  /** The prepared LLM stream if `request` is the one prepared (once); undefined otherwise. */
  claimLlm(request: LlmRequest): AsyncIterable<LlmEvent> | undefined {
    if (this.cancelled || this.llmClaimed) return undefined;
    if (requestKey(request) !== this.key) {
      this.cancel();
      return undefined;
    }
    this.llmClaimed = true;
    // From now on it is the response's work: its cancellation stops it.
    request.signal?.addEventListener('abort', () => this.controller.abort(request.signal!.reason), { once: true });
    return this.llmEvents.read(request.signal);
  }

  /** The prepared audio of the first sentence, if that is what is asked (once, after the LLM was claimed). */
  claimTts(text: string, options: RealtimeTtsOptions): AsyncIterable<{ pcm: Buffer }> | undefined {
    const first = this.first;
    if (!this.llmClaimed || this.ttsClaimed || this.cancelled || !first) return undefined;
    this.ttsClaimed = true;
    if (first.text !== text || options.voice !== this.tts.voice || options.language !== this.tts.language) return undefined;
    this.used = true;
    return first.audio.read(options.signal);
  }

  cancel(): void {
    if (this.cancelled || this.llmClaimed) return;
    this.cancelled = true;
    this.controller.abort(new DOMException('early reply discarded', 'AbortError'));
  }
}

/** The stages the response runner uses, answering from `early` what it prepared. */
export function withEarlyReply(stages: RealtimeStages, early: EarlyReply): RealtimeStages {
  const llm: LlmService = {
    stream: (request, ctx) => early.claimLlm(request) ?? stages.llm.stream(request, ctx),
    complete: (request, ctx) => stages.llm.complete(request, ctx),
    info: () => stages.llm.info(),
    close: () => stages.llm.close(),
  };
  const tts: RealtimeTts = {
    name: stages.tts.name,
    synthesize: (text, options) => early.claimTts(text, options) ?? stages.tts.synthesize(text, options),
  };
  return { ...stages, llm, tts };
}
