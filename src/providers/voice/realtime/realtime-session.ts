/**
 * The per-connection state machine of the realtime engine: client events in, server events out.
 * Audio (24 kHz) → 16 kHz → VAD → commit → STT → user item → response (response-runner.ts).
 * With a streaming STT the utterance is decoded while it is spoken (from the VAD's speech_started,
 * prefix padding included), so at speech_stopped only the last frames are left to decode, and the
 * reply is prepared while the VAD waits for the closing silence (early-reply.ts).
 * Turn-taking while the assistant speaks follows barge-in.ts. Never throws on client input.
 */
import { bufferToPcm16 } from '../audio.js';
import type { SttStream } from '../stt/types.js';
import type { VadEvent, VadStream } from '../vad/types.js';
import { isBackchannel, playedMs, type BargeInOptions } from './barge-in.js';
import { Conversation, toTranscriptItem, type Entry } from './conversation.js';
import { EarlyReply, withEarlyReply } from './early-reply.js';
import { newId } from './ids.js';
import { parseClientEvent, type ClientEvent, type ClientItem, type ConversationItem, type OutgoingEvent, type ServerEvent } from '../../../shared/realtime-protocol.js';
import { ActiveResponse, llmMeter, llmRequestFor, truncateAssistant, type ResponseContext, type ResponseMetrics } from './response-runner.js';
import { Downsampler24to16 } from './resample.js';
import { applySessionUpdate, initialSession, sessionObject, vadOptions, type SessionState } from './session-config.js';
import type { RealtimeIdentity, RealtimeLogger, RealtimeStages } from './stages.js';
import type { ServerTool } from './tool-runner.js';
import type { TranscriptSink } from './transcript.js';

export interface TranscriptionMetrics {
  itemId: string;
  /** Session ms when the turn ended (speech_stopped or commit) and when its transcript was ready. */
  endedAtMs: number;
  transcribedAtMs: number;
  audioMs: number;
}

export interface RealtimeSessionOptions {
  stages: RealtimeStages;
  identity: RealtimeIdentity;
  /** Delivers one server event to the client. */
  send(event: ServerEvent): void;
  sink?: TranscriptSink;
  serverTools?: readonly ServerTool[];
  model?: string;
  bargeIn?: Partial<BargeInOptions>;
  logger: RealtimeLogger;
  onResponseMetrics?: (metrics: ResponseMetrics) => void;
  onTranscriptionMetrics?: (metrics: TranscriptionMetrics) => void;
  /** Prepare the reply while the VAD waits for the closing silence (needs a streaming STT). Default true. */
  earlyReply?: boolean;
}

interface UserTurn {
  itemId: string;
  startMs: number;
  /** The assistant was audible when this turn started: it may be a barge-in or a backchannel. */
  overlapping: boolean;
  interrupted: boolean;
  timer?: NodeJS.Timeout;
  /** The utterance being decoded as it is spoken (streaming STT only), and how many samples it got. */
  stt?: SttStream | undefined;
  sttSamples?: number;
  /** Pauses and resumptions so far: an early reply is only kept for the pause it was made in. */
  pauses: number;
  early?: EarlyReply | undefined;
  /** The STT's guess at the last pause, and how many samples it had then. */
  guess?: { text: string; final: boolean; samples: number } | undefined;
}

const MIN_COMMIT_SAMPLES = 1600; // 100 ms at 16 kHz
/** Silence kept after the last speech frame when the VAD's closing silence is cut off before STT. */
const STT_TAIL_MS = 150;

/** The VAD utterance without most of the silence that closed it: STT time grows with audio length. */
function trimTrailingSilence(event: Extract<VadEvent, { type: 'speech_stopped' }>): Int16Array {
  const extraMs = Math.max(0, event.audioEndMs - event.speechEndMs - STT_TAIL_MS);
  const keep = Math.max(MIN_COMMIT_SAMPLES, event.audio.length - Math.floor(extraMs * 16));
  return event.audio.subarray(0, Math.min(event.audio.length, keep));
}

export class RealtimeSession {
  private readonly t0 = performance.now();
  private readonly state: SessionState;
  private readonly conversation = new Conversation();
  private readonly serverTools: ReadonlyMap<string, ServerTool>;
  private chain: Promise<void> = Promise.resolve();
  private vad: VadStream | undefined;
  /** Audio ms fed to previous VAD streams (VAD times are per stream). */
  private vadOffsetMs = 0;
  private vadFedMs = 0;
  private readonly downsampler = new Downsampler24to16();
  private manual: Int16Array[] = [];
  private manualStartMs: number | undefined;
  private turn: UserTurn | undefined;
  private active: ActiveResponse | undefined;
  private running: Promise<void> | undefined;
  private lastAssistant: Entry | undefined;
  private readonly tasks = new Set<Promise<unknown>>();
  private closed = false;
  private eventCounter = 0;

  constructor(private readonly options: RealtimeSessionOptions) {
    this.state = initialSession(newId('sess'), options.model ?? 'coachhub-local', options.identity.defaults, options.bargeIn);
    this.serverTools = new Map((options.serverTools ?? []).map((t) => [t.name, t]));
  }

  get id(): string {
    return this.state.id;
  }

  /** ms since the session started. */
  now = (): number => performance.now() - this.t0;

  start(): void {
    this.send({ type: 'session.created', session: sessionObject(this.state, this.options.stages.stt.name) });
  }

  /** Handles one client frame; frames are processed in order. */
  handle(raw: string): Promise<void> {
    this.chain = this.chain.then(() => this.dispatch(raw)).catch((err: unknown) => {
      this.options.logger.warn({ err: err instanceof Error ? err.message : String(err) }, 'realtime event failed');
      this.error('server_error', 'server_error', 'The server could not process the event.');
    });
    return this.chain;
  }

  /** The socket closed: stop everything, tell the sink. */
  async close(clientClosedNormally: boolean): Promise<void> {
    if (this.closed) return;
    const inFlight = (this.active !== undefined && !this.active.finished) || this.turn !== undefined || this.conversation.isTranscribing();
    this.closed = true;
    clearTimeout(this.turn?.timer);
    this.turn?.stt?.cancel();
    this.turn?.early?.cancel();
    this.active?.cancel('client_cancelled');
    await Promise.allSettled([this.chain, this.running, ...this.tasks]);
    try {
      await this.options.sink?.close(clientClosedNormally && !inFlight ? 'completed' : 'interrupted');
    } catch (err) {
      this.options.logger.warn({ err: err instanceof Error ? err.message : String(err) }, 'transcript sink close failed');
    }
  }

  private send(event: OutgoingEvent): void {
    if (this.closed) return;
    this.options.send({ ...event, event_id: `event_${this.state.id.slice(5, 13)}${(++this.eventCounter).toString(36)}` } as ServerEvent);
  }

  private error(type: string, code: string, message: string, eventId?: string, param?: string): void {
    this.send({ type: 'error', error: { type, code, message, ...(param ? { param } : {}), ...(eventId ? { event_id: eventId } : {}) } });
  }

  private track<T>(promise: Promise<T>): void {
    const tracked = promise.catch((err: unknown) => this.options.logger.warn({ err: err instanceof Error ? err.message : String(err) }, 'realtime task failed'));
    this.tasks.add(tracked);
    void tracked.finally(() => this.tasks.delete(tracked));
  }

  private async dispatch(raw: string): Promise<void> {
    if (this.closed) return;
    const parsed = parseClientEvent(raw);
    if (!parsed.ok) return this.error('invalid_request_error', parsed.code, parsed.message, parsed.eventId, parsed.param);
    const event = parsed.event;
    switch (event.type) {
      case 'session.update':
        applySessionUpdate(this.state, event.session);
        if (event.session.audio?.input?.turn_detection !== undefined) this.resetAudio();
        return this.send({ type: 'session.updated', session: sessionObject(this.state, this.options.stages.stt.name) });
      case 'input_audio_buffer.append':
        return this.append(Buffer.from(event.audio, 'base64'));
      case 'input_audio_buffer.commit':
        return this.commit(event.event_id);
      case 'input_audio_buffer.clear':
        this.resetAudio();
        return this.send({ type: 'input_audio_buffer.cleared' });
      case 'conversation.item.create':
        return this.createItem(event);
      case 'conversation.item.truncate':
        return this.truncate(event);
      case 'response.create':
        return this.startResponse(event.response?.instructions, event.event_id);
      case 'response.cancel':
        if (!this.active || (event.response_id && event.response_id !== this.active.id)) {
          return this.error('invalid_request_error', 'response_cancel_not_active', 'There is no active response to cancel.', event.event_id);
        }
        this.active.cancel('client_cancelled');
        return;
    }
  }

  // --- audio in -------------------------------------------------------------------------------

  private resetAudio(): void {
    this.vadOffsetMs += this.vadFedMs;
    this.vadFedMs = 0;
    this.vad = undefined;
    this.downsampler.reset();
    this.manual = [];
    this.manualStartMs = undefined;
    clearTimeout(this.turn?.timer);
    this.turn?.stt?.cancel();
    this.turn?.early?.cancel();
    this.turn = undefined;
  }

  private async append(bytes: Buffer): Promise<void> {
    const samples = this.downsampler.push(bufferToPcm16(bytes));
    const options = vadOptions(this.state.turnDetection);
    if (!options) {
      this.manualStartMs ??= this.now();
      this.manual.push(samples);
      return;
    }
    this.vad ??= await this.options.stages.vad.createStream(options);
    this.vadFedMs += samples.length / 16;
    for (const vadEvent of await this.vad.push(samples)) this.onVad(vadEvent);
  }

  private commit(eventId: string | undefined): void {
    if (this.state.turnDetection) {
      const events = this.vad?.flush() ?? [];
      events.forEach((e) => this.onVad(e, true));
      if (!events.some((e) => e.type === 'speech_stopped')) this.error('invalid_request_error', 'input_audio_buffer_commit_empty', 'The input audio buffer holds no speech to commit.', eventId);
      return;
    }
    const total = this.manual.reduce((n, s) => n + s.length, 0);
    if (total < MIN_COMMIT_SAMPLES) {
      return this.error('invalid_request_error', 'input_audio_buffer_commit_empty', 'Expected at least 100ms of audio in the input buffer.', eventId);
    }
    const audio = new Int16Array(total);
    let at = 0;
    for (const chunk of this.manual) audio.set(chunk, (at += chunk.length) - chunk.length);
    const turn: UserTurn = { itemId: newId('item'), startMs: this.manualStartMs ?? this.now(), overlapping: false, interrupted: false, pauses: 0 };
    this.manual = [];
    this.manualStartMs = undefined;
    this.commitTurn(turn, audio, false, this.transcribeAudio(audio));
  }

  private onVad(event: VadEvent, byClient = false): void {
    if (event.type === 'speech_audio') {
      const turn = this.turn;
      if (!turn) return;
      if (turn.stt) this.writeStt(turn, event.audio);
      if (turn.pauses % 2 === 1) {
        // Speech resumed after a pause: the guess and the reply prepared for it are moot.
        turn.pauses++;
        turn.early?.cancel();
        turn.early = undefined;
        turn.guess = undefined;
      }
      return;
    }
    if (event.type === 'speech_paused') {
      if (this.turn && this.turn.pauses % 2 === 0) {
        this.turn.pauses++;
        if (this.canReplyEarly(this.turn)) this.track(this.prepareEarlyReply(this.turn));
      }
      return;
    }
    if (event.type === 'speech_started') {
      const overlapping = this.audible() && this.state.turnDetection?.interrupt_response !== false;
      const stt = this.openStt(event.audio);
      const turn: UserTurn = { itemId: newId('item'), startMs: this.now(), overlapping, interrupted: false, stt, sttSamples: stt ? event.audio.length : 0, pauses: 0 };
      if (overlapping) {
        // Speech that ended before bargeInMinMs is reported by speech_stopped within
        // bargeInMinMs + silence; still speaking at that point means it is a barge-in.
        const silenceMs = vadOptions(this.state.turnDetection)?.silenceDurationMs ?? 500;
        turn.timer = setTimeout(() => {
          turn.interrupted = true;
          this.interrupt();
        }, this.state.bargeIn.bargeInMinMs + silenceMs);
      }
      this.turn = turn;
      this.send({ type: 'input_audio_buffer.speech_started', item_id: turn.itemId, audio_start_ms: Math.round(this.vadOffsetMs + event.audioStartMs) });
      return;
    }
    const turn: UserTurn = this.turn ?? { itemId: newId('item'), startMs: this.now(), overlapping: false, interrupted: false, pauses: 0 };
    this.turn = undefined;
    clearTimeout(turn.timer);
    this.send({ type: 'input_audio_buffer.speech_stopped', item_id: turn.itemId, audio_end_ms: Math.round(this.vadOffsetMs + event.audioEndMs) });
    const utterance = trimTrailingSilence(event);
    // Streaming: the speech (and the start of the closing silence) is decoded already. Up to the
    // tail the batch path keeps, add what the VAD held back (usually nothing), then finish.
    if (turn.stt) this.writeStt(turn, utterance.subarray(turn.sttSamples ?? 0));
    const transcript = turn.stt ? this.finishStt(turn.stt, turn.guess?.final && turn.guess.samples === turn.sttSamples ? turn.guess.text : undefined) : this.transcribeAudio(utterance);
    const short = event.speechEndMs - event.speechStartMs < this.state.bargeIn.bargeInMinMs;
    const early = turn.early;
    turn.early = undefined;
    if (byClient) early?.cancel();
    if (turn.overlapping && !turn.interrupted && !byClient && short) {
      early?.cancel();
      return this.track(this.shortUtterance(turn, utterance, transcript));
    }
    if (turn.overlapping && !turn.interrupted) this.interrupt();
    this.commitTurn(turn, utterance, !byClient, transcript, this.now(), byClient ? undefined : early);
  }

  /** Early replies: with a streaming STT, when nothing else is going on and the turn will get a reply. */
  private canReplyEarly(turn: UserTurn): boolean {
    return (
      this.options.earlyReply !== false &&
      turn.stt?.hypothesis !== undefined &&
      !turn.overlapping &&
      !this.active &&
      !this.audible() &&
      this.state.turnDetection?.create_response !== false
    );
  }

  /** The speaker paused: prepare the reply to what they said so far (used if the turn ends now). */
  private async prepareEarlyReply(turn: UserTurn): Promise<void> {
    const pause = turn.pauses;
    const samples = turn.sttSamples ?? 0;
    const guess = await turn.stt!.hypothesis!();
    if (!guess || this.closed || this.turn !== turn || turn.pauses !== pause) return;
    turn.guess = { ...guess, samples };
    const text = guess.text;
    if (!text) return;
    const messages = this.conversation.toMessages(this.state.instructions, text);
    turn.early = new EarlyReply(this.options.stages, llmRequestFor(this.state, this.serverTools, messages), llmMeter(this.state, this.options.identity), {
      voice: this.state.voice,
      ...(this.state.language ? { language: this.state.language } : {}),
    });
  }

  /** A short utterance over the assistant's voice: ignore a backchannel, otherwise interrupt. */
  private async shortUtterance(turn: UserTurn, audio: Int16Array, transcript: Promise<string | undefined>): Promise<void> {
    const endedAtMs = this.now();
    const text = await transcript;
    if (this.closed) return;
    if (text !== undefined && isBackchannel(text)) {
      this.options.logger.debug({ transcript: text }, 'backchannel ignored');
      return;
    }
    this.interrupt();
    this.commitTurn(turn, audio, true, Promise.resolve(text ?? ''), endedAtMs);
  }

  private get sttOptions(): { language?: 'en' | 'fr' } {
    return this.state.language ? { language: this.state.language } : {};
  }

  /** A streaming STT utterance started with the audio the VAD has so far; undefined for a batch STT. */
  private openStt(audio: Int16Array): SttStream | undefined {
    const stt = this.options.stages.stt;
    if (!stt.capabilities.streaming || !stt.openStream) return undefined;
    try {
      const stream = stt.openStream(this.sttOptions);
      stream.write(audio);
      return stream;
    } catch (err) {
      this.options.logger.warn({ err: err instanceof Error ? err.message : String(err) }, 'streaming transcription not started');
      return undefined;
    }
  }

  private writeStt(turn: UserTurn, samples: Int16Array): void {
    turn.sttSamples = (turn.sttSamples ?? 0) + samples.length;
    turn.stt!.write(samples);
  }

  /**
   * The transcript of a streamed turn. `known`: the STT's final guess at the pause, with no audio
   * written since — it is the transcript (the decoder is still finished, to free it).
   */
  private async finishStt(stream: SttStream, known?: string): Promise<string | undefined> {
    if (known !== undefined) {
      void stream.finish().then(
        ({ text }) => text !== known && this.options.logger.warn({}, 'streaming STT: final guess and transcript differ'),
        () => undefined,
      );
      return known;
    }
    try {
      return (await stream.finish()).text;
    } catch (err) {
      this.options.logger.warn({ err: err instanceof Error ? err.message : String(err) }, 'transcription failed');
      return undefined;
    }
  }

  private async transcribeAudio(audio: Int16Array): Promise<string | undefined> {
    try {
      return (await this.options.stages.stt.transcribe(audio, this.sttOptions)).text;
    } catch (err) {
      this.options.logger.warn({ err: err instanceof Error ? err.message : String(err) }, 'transcription failed');
      return undefined;
    }
  }

  /** Commits a user audio turn: item added now, its transcript when `transcript` settles, then maybe a response. */
  private commitTurn(turn: UserTurn, audio: Int16Array, auto: boolean, transcript: Promise<string | undefined>, endedAtMs = this.now(), early?: EarlyReply): void {
    const item: ConversationItem & { id: string } = { id: turn.itemId, object: 'realtime.item', type: 'message', role: 'user', status: 'completed', content: [{ type: 'input_audio' }] };
    const entry: Entry = { item, startMs: turn.startMs, endMs: endedAtMs };
    const previous = this.conversation.add(entry);
    this.send({ type: 'input_audio_buffer.committed', item_id: item.id, previous_item_id: previous });
    this.send({ type: 'conversation.item.added', previous_item_id: previous, item: { ...item, content: [{ type: 'input_audio' }] } });
    const transcribing = (async () => {
      const text = await transcript;
      entry.transcribing = undefined;
      item.content = [{ type: 'input_audio', transcript: text ?? '' }];
      if (text === undefined) {
        this.send({ type: 'conversation.item.input_audio_transcription.failed', item_id: item.id, content_index: 0, error: { type: 'server_error', code: 'transcription_failed', message: 'Transcription failed.' } });
      } else {
        this.send({ type: 'conversation.item.input_audio_transcription.completed', item_id: item.id, content_index: 0, transcript: text, usage: { type: 'duration', seconds: audio.length / 16_000 } });
      }
      this.options.onTranscriptionMetrics?.({ itemId: item.id, endedAtMs, transcribedAtMs: this.now(), audioMs: audio.length / 16 });
      this.send({ type: 'conversation.item.done', item });
      this.completed(entry);
    })();
    entry.transcribing = transcribing;
    this.track(transcribing);
    if (auto && this.state.turnDetection?.create_response !== false) this.startResponseWhenIdle(early);
    else early?.cancel();
  }

  /** Starts a response once the current one (being cancelled by a barge-in, or finishing) is done. */
  private startResponseWhenIdle(early?: EarlyReply): void {
    if (!this.active) return this.startResponse(undefined, undefined, early);
    const running = this.running;
    this.track(
      Promise.resolve(running).then(() => {
        if (!this.closed && !this.active) this.startResponse(undefined, undefined, early);
        else early?.cancel();
      }),
    );
  }

  // --- turn-taking ----------------------------------------------------------------------------

  /** The assistant is generating or its audio is still playing at the client. */
  private audible(): boolean {
    if (this.active) return true;
    const last = this.lastAssistant;
    return last?.firstDeltaAtMs !== undefined && this.now() < last.firstDeltaAtMs + (last.audioMs ?? 0);
  }

  /** Barge-in: cancel the reply, or cut the transcript of one still playing. */
  private interrupt(): void {
    if (this.active) return this.active.cancel('turn_detected');
    const last = this.lastAssistant;
    if (!last || last.firstDeltaAtMs === undefined) return;
    const played = playedMs(last.audioMs ?? 0, last.firstDeltaAtMs, this.now());
    if (truncateAssistant(last, played)) {
      this.send({ type: 'conversation.item.truncated', item_id: last.item.id, content_index: 0, audio_end_ms: Math.round(played) });
      this.completed(last);
    }
  }

  // --- items and responses --------------------------------------------------------------------

  private completed(entry: Entry): void {
    if (entry.item.type === 'message' && entry.item.role === 'assistant') this.lastAssistant = entry;
    const sink = this.options.sink;
    if (sink) this.track(sink.save(toTranscriptItem(entry)));
  }

  private createItem(event: Extract<ClientEvent, { type: 'conversation.item.create' }>): void {
    const source: ClientItem = event.item;
    if (source.id && this.conversation.has(source.id)) return this.error('invalid_request_error', 'item_already_exists', `Item ${source.id} already exists.`, event.event_id, 'item.id');
    if (event.previous_item_id && !this.conversation.has(event.previous_item_id)) {
      return this.error('invalid_request_error', 'item_not_found', 'previous_item_id does not exist.', event.event_id, 'previous_item_id');
    }
    const id = source.id ?? newId('item');
    let item: ConversationItem & { id: string };
    if (source.type === 'function_call_output') {
      if (!this.conversation.hasCallId(source.call_id)) return this.error('invalid_request_error', 'invalid_value', `No function call with call_id ${source.call_id}.`, event.event_id, 'item.call_id');
      item = { id, object: 'realtime.item', type: 'function_call_output', status: 'completed', call_id: source.call_id, output: source.output };
    } else {
      const text = source.content.map((c) => ('text' in c && c.text) || ('transcript' in c && c.transcript) || '').join(' ').trim();
      if (source.role === 'user') item = { id, object: 'realtime.item', type: 'message', role: 'user', status: 'completed', content: [{ type: 'input_text', text }] };
      else if (source.role === 'assistant') item = { id, object: 'realtime.item', type: 'message', role: 'assistant', status: 'completed', content: [{ type: 'output_text', text }] };
      else item = { id, object: 'realtime.item', type: 'message', role: 'system', status: 'completed', content: [{ type: 'input_text', text }] };
    }
    const now = this.now();
    const entry: Entry = { item, startMs: now, endMs: now };
    const previous = this.conversation.add(entry, event.previous_item_id ?? undefined);
    this.send({ type: 'conversation.item.added', previous_item_id: previous, item });
    this.send({ type: 'conversation.item.done', previous_item_id: previous, item });
    this.completed(entry);
  }

  private truncate(event: Extract<ClientEvent, { type: 'conversation.item.truncate' }>): void {
    const entry = this.conversation.get(event.item_id);
    if (!entry || entry.item.type !== 'message' || entry.item.role !== 'assistant' || !entry.spans) {
      return this.error('invalid_request_error', 'invalid_value', 'Only assistant audio items can be truncated.', event.event_id, 'item_id');
    }
    if (event.audio_end_ms > (entry.audioMs ?? 0)) return this.error('invalid_request_error', 'invalid_value', 'audio_end_ms is beyond the audio of the item.', event.event_id, 'audio_end_ms');
    truncateAssistant(entry, event.audio_end_ms);
    this.send({ type: 'conversation.item.truncated', item_id: entry.item.id, content_index: event.content_index, audio_end_ms: event.audio_end_ms });
    if (entry.item.status !== 'in_progress') this.completed(entry);
  }

  private startResponse(instructions: string | undefined, eventId: string | undefined, early?: EarlyReply): void {
    if (this.active) {
      early?.cancel();
      return this.error('invalid_request_error', 'conversation_already_has_active_response', 'A response is already in progress.', eventId);
    }
    const context: ResponseContext = {
      state: this.state,
      conversation: this.conversation,
      // An early reply answers the response's first LLM call and first sentence if they match.
      stages: early ? withEarlyReply(this.options.stages, early) : this.options.stages,
      serverTools: this.serverTools,
      identity: this.options.identity,
      send: (e) => this.send(e),
      now: this.now,
      completed: (entry) => this.completed(entry),
      logger: this.options.logger,
      ...(this.options.onResponseMetrics ? { onMetrics: (m: ResponseMetrics) => this.options.onResponseMetrics!(early ? { ...m, earlyReply: early.used ? 'used' : 'discarded' } : m) } : {}),
    };
    const response = new ActiveResponse(context, instructions ?? this.state.instructions);
    this.active = response;
    this.running = response
      .run()
      .catch((err: unknown) => this.options.logger.warn({ err: err instanceof Error ? err.message : String(err) }, 'realtime response crashed'))
      .finally(() => {
        early?.cancel(); // unclaimed (a different request): stop preparing it
        if (this.active === response) this.active = undefined;
      });
  }
}
