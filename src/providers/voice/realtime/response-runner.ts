/**
 * One response: LLM streamed → sentence splitter → TTS sentence by sentence → ~100 ms audio deltas
 * with transcript deltas; tool calls become function_call items; server tools run here and the
 * response continues. Cancellation (barge-in, response.cancel) aborts LLM and TTS and keeps only
 * the played part of the transcript.
 */
import { isAbortError, type ChatMessage, type LlmCallContext, type LlmRequest, type ToolCall } from '../../llm/index.js';
import { AsyncQueue } from '../async-queue.js';
import { SentenceSplitter } from '../sentence-splitter.js';
import { playedMs, textPlayedUntil } from './barge-in.js';
import { messageText, type Conversation, type Entry } from './conversation.js';
import { newId } from './ids.js';
import { assistantAudioItem, functionCallItem, functionCallOutputItem } from './items.js';
import type { ConversationItem, OutgoingEvent, RealtimeResponse } from '../../../shared/realtime-protocol.js';
import type { SessionState } from './session-config.js';
import type { RealtimeIdentity, RealtimeLogger, RealtimeStages } from './stages.js';
import { runServerTool, toToolDefinition, type ServerTool } from './tool-runner.js';

/** 100 ms of PCM16 mono at 24 kHz. */
export const AUDIO_CHUNK_BYTES = 4800;
const BYTES_PER_MS = 48;
const MAX_TOOL_ROUNDS = 4;

export interface ResponseMetrics {
  responseId: string;
  /** Session ms: response started, transcripts ready, first LLM token, first TTS chunk, first audio delta sent, done. */
  startedAtMs: number;
  transcribedAtMs?: number;
  llmFirstTokenAtMs?: number;
  ttsFirstChunkAtMs?: number;
  firstAudioAtMs?: number;
  doneAtMs: number;
  status: string;
  /** An early reply was prepared for this response: its first audio was used, or thrown away. */
  earlyReply?: 'used' | 'discarded';
}

export interface ResponseContext {
  state: SessionState;
  conversation: Conversation;
  stages: RealtimeStages;
  serverTools: ReadonlyMap<string, ServerTool>;
  identity: RealtimeIdentity;
  send(event: OutgoingEvent): void;
  /** ms since the session started. */
  now(): number;
  /** An item completed (or changed after completing): hand it to the transcript sink. */
  completed(entry: Entry): void;
  logger: RealtimeLogger;
  onMetrics?: (metrics: ResponseMetrics) => void;
}

type CancelReason = 'turn_detected' | 'client_cancelled';

/** The LLM request of a response (without its signal): also what an early reply prepares. */
export function llmRequestFor(state: SessionState, serverTools: ReadonlyMap<string, ServerTool>, messages: ChatMessage[]): LlmRequest {
  const tools = [...state.tools, ...[...serverTools.values()].map(toToolDefinition)];
  return {
    messages,
    ...(tools.length ? { tools, toolChoice: state.toolChoice } : {}),
    ...(state.agent ? { agent: state.agent } : {}),
    ...(state.language ? { language: state.language } : {}),
    ...(state.maxOutputTokens ? { maxTokens: state.maxOutputTokens } : {}),
  };
}

/** Who an LLM call is for (usage metering). */
export function llmMeter(state: SessionState, identity: RealtimeIdentity): LlmCallContext {
  return { feature: state.feature, userId: identity.userId, organizationId: identity.organizationId };
}

export class ActiveResponse {
  readonly id = newId('resp');
  private readonly controller = new AbortController();
  private cancelReason: CancelReason | undefined;
  private readonly output: ConversationItem[] = [];
  private assistant: Entry | undefined;
  private usage = { input: 0, output: 0 };
  private metrics: Omit<ResponseMetrics, 'doneAtMs' | 'status'>;
  /** response.done was sent (the runner may still be unwinding). */
  finished = false;

  constructor(private readonly ctx: ResponseContext, private readonly instructions: string) {
    this.metrics = { responseId: this.id, startedAtMs: ctx.now() };
  }

  /** The assistant item being spoken (for barge-in truncation). */
  get speaking(): Entry | undefined {
    return this.assistant;
  }

  cancel(reason: CancelReason): void {
    this.cancelReason ??= reason;
    this.controller.abort(new DOMException('response cancelled', 'AbortError'));
  }

  async run(): Promise<void> {
    const { send } = this.ctx;
    send({ type: 'response.created', response: this.snapshot('in_progress') });
    let status: NonNullable<RealtimeResponse['status']> = 'completed';
    let failure = 'response_failed';
    try {
      await abortable(this.ctx.conversation.transcribed(), this.controller.signal);
      this.metrics.transcribedAtMs = this.ctx.now();
      for (let round = 0; round < MAX_TOOL_ROUNDS; round++) {
        const calls = await this.round();
        if (calls.length === 0 || !(await this.handleToolCalls(calls))) break;
      }
    } catch (err) {
      if (this.controller.signal.aborted || isAbortError(err)) status = 'cancelled';
      else {
        status = 'failed';
        failure = failureCode(err);
        this.ctx.logger.warn({ err, responseId: this.id }, 'realtime response failed');
      }
    }
    this.finishAssistant(status === 'cancelled');
    const response = this.snapshot(status);
    if (status === 'cancelled') response.status_details = { type: 'cancelled', reason: this.cancelReason ?? 'client_cancelled' };
    if (status === 'failed') response.status_details = { type: 'failed', error: { type: 'server_error', code: failure } };
    response.usage = { input_tokens: this.usage.input, output_tokens: this.usage.output, total_tokens: this.usage.input + this.usage.output };
    this.finished = true;
    send({ type: 'response.done', response });
    this.ctx.onMetrics?.({ ...this.metrics, doneAtMs: this.ctx.now(), status });
  }

  private snapshot(status: NonNullable<RealtimeResponse['status']>): RealtimeResponse {
    return {
      id: this.id,
      object: 'realtime.response',
      status,
      output: [...this.output],
      output_modalities: ['audio'],
      audio: { output: { format: { type: 'audio/pcm', rate: 24_000 }, voice: this.ctx.state.voice } },
    };
  }

  /** One LLM call, spoken as it streams. Returns the tool calls it made. */
  private async round(): Promise<ToolCall[]> {
    const { state, stages, conversation, identity } = this.ctx;
    const local = new AbortController();
    const signal = AbortSignal.any([this.controller.signal, local.signal]);
    const request: LlmRequest = { ...llmRequestFor(state, this.ctx.serverTools, conversation.toMessages(this.instructions)), signal };
    const sentences = new AsyncQueue<string>();
    const calls: ToolCall[] = [];
    const splitter = new SentenceSplitter();
    const llm = (async () => {
      for await (const event of stages.llm.stream(request, llmMeter(state, identity))) {
        if (event.type === 'text' && event.delta) {
          this.metrics.llmFirstTokenAtMs ??= this.ctx.now();
          for (const sentence of splitter.push(event.delta)) sentences.push(sentence);
        } else if (event.type === 'tool_call') calls.push(event.toolCall);
        else if (event.type === 'done') {
          this.usage.input += event.result.usage.inputTokens;
          this.usage.output += event.result.usage.outputTokens;
        }
      }
      for (const sentence of splitter.flush()) sentences.push(sentence);
      sentences.end();
    })().catch((err: unknown) => {
      sentences.end(err);
      throw err;
    });
    const tts = (async () => {
      for await (const sentence of sentences) await this.speak(sentence, signal);
    })();
    try {
      await Promise.all([llm, tts]);
    } catch (err) {
      local.abort(err);
      await Promise.allSettled([llm, tts]);
      throw err;
    }
    return calls;
  }

  private ensureAssistant(): Entry {
    if (this.assistant) return this.assistant;
    const item = assistantAudioItem(newId('item'));
    const entry: Entry = { item, startMs: this.ctx.now(), spans: [], audioMs: 0 };
    const previous = this.ctx.conversation.add(entry);
    this.assistant = entry;
    const ids = this.ids(entry);
    this.output.push(item);
    this.ctx.send({ type: 'response.output_item.added', response_id: this.id, output_index: ids.output_index, item: { ...item, content: [] } });
    this.ctx.send({ type: 'conversation.item.added', previous_item_id: previous, item: { ...item, content: [] } });
    this.ctx.send({ type: 'response.content_part.added', ...ids, content_index: 0, part: { type: 'audio', transcript: '' } });
    return entry;
  }

  private ids(entry: Entry) {
    const index = this.output.findIndex((i) => i.id === entry.item.id);
    return { response_id: this.id, item_id: entry.item.id, output_index: index < 0 ? this.output.length : index };
  }

  private async speak(sentence: string, signal: AbortSignal): Promise<void> {
    const entry = this.ensureAssistant();
    const spans = entry.spans!;
    const span = { text: sentence, startMs: entry.audioMs!, endMs: entry.audioMs! };
    let announced = false;
    const emit = (pcm: Buffer): void => {
      const ids = { ...this.ids(entry), content_index: 0 };
      if (!announced) {
        announced = true;
        spans.push(span);
        this.ctx.send({ type: 'response.output_audio_transcript.delta', ...ids, delta: (spans.length > 1 ? ' ' : '') + sentence });
      }
      if (entry.firstDeltaAtMs === undefined) {
        entry.firstDeltaAtMs = this.ctx.now();
        entry.startMs = entry.firstDeltaAtMs;
        this.metrics.firstAudioAtMs ??= entry.firstDeltaAtMs;
      }
      this.ctx.send({ type: 'response.output_audio.delta', ...ids, delta: pcm.toString('base64') });
      entry.audioMs! += pcm.length / BYTES_PER_MS;
      span.endMs = entry.audioMs!;
    };
    let carry: Buffer = Buffer.alloc(0);
    for await (const chunk of this.ctx.stages.tts.synthesize(sentence, { voice: this.ctx.state.voice, signal, ...(this.ctx.state.language ? { language: this.ctx.state.language } : {}) })) {
      signal.throwIfAborted();
      this.metrics.ttsFirstChunkAtMs ??= this.ctx.now();
      carry = carry.length ? Buffer.concat([carry, chunk.pcm]) : chunk.pcm;
      while (carry.length >= AUDIO_CHUNK_BYTES) {
        emit(carry.subarray(0, AUDIO_CHUNK_BYTES));
        carry = carry.subarray(AUDIO_CHUNK_BYTES);
      }
    }
    signal.throwIfAborted();
    const even = carry.length - (carry.length % 2);
    if (even > 0) emit(carry.subarray(0, even));
  }

  /** Closes the assistant item: full transcript, or only the played part when cancelled. */
  private finishAssistant(cancelled: boolean): void {
    const entry = this.assistant;
    if (!entry || entry.item.type !== 'message') return;
    const full = entry.spans!.map((s) => s.text).join(' ');
    const heard = cancelled ? playedMs(entry.audioMs!, entry.firstDeltaAtMs, this.ctx.now()) : entry.audioMs!;
    const transcript = cancelled ? textPlayedUntil(entry.spans!, heard) : full;
    entry.item.content = [{ type: 'output_audio', transcript }];
    entry.item.status = cancelled ? 'incomplete' : 'completed';
    entry.endMs = (entry.firstDeltaAtMs ?? entry.startMs) + heard;
    if (cancelled) entry.audioMs = heard;
    const ids = { ...this.ids(entry), content_index: 0 };
    this.ctx.send({ type: 'response.output_audio.done', ...ids });
    this.ctx.send({ type: 'response.output_audio_transcript.done', ...ids, transcript });
    this.ctx.send({ type: 'response.content_part.done', ...ids, part: { type: 'audio', transcript } });
    const { content_index: _ci, item_id: _id, ...outputIds } = ids;
    this.ctx.send({ type: 'response.output_item.done', ...outputIds, item: entry.item });
    this.ctx.send({ type: 'conversation.item.done', item: entry.item });
    this.ctx.completed(entry);
    this.assistant = undefined;
  }

  /** Emits function_call items; runs server tools. True when the response should continue. */
  private async handleToolCalls(calls: ToolCall[]): Promise<boolean> {
    this.finishAssistant(false);
    let clientCall = false;
    const serverCalls: Array<{ call: ToolCall; tool: ServerTool }> = [];
    for (const call of calls) {
      const id = newId('item');
      const callId = call.id || newId('call');
      const item = functionCallItem(id, callId, call.name, call.arguments);
      const entry: Entry = { item, startMs: this.ctx.now(), endMs: this.ctx.now() };
      const previous = this.ctx.conversation.add(entry);
      this.output.push(item);
      const output_index = this.output.length - 1;
      const started = functionCallItem(id, callId, call.name, '', 'in_progress');
      this.ctx.send({ type: 'response.output_item.added', response_id: this.id, output_index, item: started });
      this.ctx.send({ type: 'conversation.item.added', previous_item_id: previous, item: started });
      this.ctx.send({ type: 'response.function_call_arguments.done', response_id: this.id, item_id: id, output_index, call_id: callId, name: call.name, arguments: call.arguments });
      this.ctx.send({ type: 'response.output_item.done', response_id: this.id, output_index, item });
      this.ctx.send({ type: 'conversation.item.done', item });
      this.ctx.completed(entry);
      const tool = this.ctx.serverTools.get(call.name);
      if (tool) serverCalls.push({ call: { ...call, id: callId }, tool });
      else clientCall = true;
    }
    if (clientCall || serverCalls.length === 0) return false;
    for (const { call, tool } of serverCalls) {
      const output = await runServerTool(tool, call.arguments, this.controller.signal);
      const item = functionCallOutputItem(newId('item'), call.id, output);
      const entry: Entry = { item, startMs: this.ctx.now(), endMs: this.ctx.now() };
      const previous = this.ctx.conversation.add(entry);
      this.ctx.send({ type: 'conversation.item.added', previous_item_id: previous, item });
      this.ctx.send({ type: 'conversation.item.done', item });
      this.ctx.completed(entry);
    }
    return true;
  }
}

/**
 * Cuts an assistant item's transcript to what was played up to `audioEndMs` (barge-in after the
 * response finished, or the client's `conversation.item.truncate`). Returns false when nothing changed.
 */
export function truncateAssistant(entry: Entry, audioEndMs: number): boolean {
  if (entry.item.type !== 'message' || entry.item.role !== 'assistant' || !entry.spans) return false;
  const end = Math.min(audioEndMs, entry.audioMs ?? 0);
  const transcript = textPlayedUntil(entry.spans, end);
  if (end >= (entry.audioMs ?? 0) && transcript === messageText(entry.item)) return false;
  entry.item.content = [{ type: 'output_audio', transcript }];
  entry.item.status = 'incomplete';
  entry.audioMs = end;
  entry.endMs = (entry.firstDeltaAtMs ?? entry.startMs) + end;
  return true;
}

/** A failed response's code: the stage's own (`tts_busy`, `stt_busy`…) when it has one. */
function failureCode(err: unknown): string {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' && /^[a-z][a-z_]{2,40}$/.test(code) ? code : 'response_failed';
}

function abortable<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(signal.reason);
  return new Promise((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}
