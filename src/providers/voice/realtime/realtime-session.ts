/**
 * One realtime connection: client events in, server events out. It dispatches client events,
 * holds the conversation's items and runs responses (response-runner.ts); what the client's audio
 * becomes — VAD turns, streaming STT, early replies, barge-in — is user-turn.ts. It enforces what
 * the credential binds (session-policy.ts) and the session's limits (session-limits.ts), and can be
 * ended from outside (`end`). Time comes from an injectable clock. Never throws on client input.
 */
import { bufferToPcm16 } from '../audio.js';
import { systemClock, type Clock } from '../clock.js';
import { playedMs, type BargeInOptions } from './barge-in.js';
import { Conversation, toTranscriptItem, type Entry } from './conversation.js';
import { EarlyReply, withEarlyReply } from './early-reply.js';
import { newId } from './ids.js';
import { assistantTextItem, functionCallOutputItem, systemItem, userAudioItem, userTextItem, type Item } from './items.js';
import { parseClientEvent, type ClientEvent, type OutgoingEvent, type ServerEvent } from '../../../shared/realtime-protocol.js';
import { ActiveResponse, llmMeter, llmRequestFor, truncateAssistant, type ResponseContext, type ResponseMetrics } from './response-runner.js';
import { applySessionUpdate, initialSession, sessionObject, withSessionUpdate, type SessionState } from './session-config.js';
import { CLOSE_CODES, END_MESSAGES, type SessionCloseReason, type SessionEndReason } from './session-end.js';
import { SessionLifetime, type LifetimeHooks, type SessionInfo } from './session-lifetime.js';
import { AudioRateLimiter, DEFAULT_LIMITS, INPUT_BYTES_PER_MS, MinuteCounter, ResponseBudget, type RealtimeLimits } from './session-limits.js';
import { refuseItemRole, refuseResponseInstructions, refuseSessionChange, type PolicyRefusal } from './session-policy.js';
import type { RealtimeIdentity, RealtimeLogger, RealtimeStages } from './stages.js';
import type { ServerTool } from './tool-runner.js';
import type { TranscriptSink } from './transcript.js';
import { UserTurns, type FinishedTurn, type TurnHost, type TurnPhase } from './user-turn.js';

export interface TranscriptionMetrics {
  itemId: string;
  /** Session ms when the turn ended (speech_stopped or commit) and when its transcript was ready. */
  endedAtMs: number;
  transcribedAtMs: number;
  audioMs: number;
}

export type { SessionInfo, StartDecision } from './session-lifetime.js';

export interface RealtimeSessionOptions extends LifetimeHooks {
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
  /** Time and timers (tests: a manual clock). Default: the system clock. */
  clock?: Clock;
  /** Limits; each missing one takes its default (DEFAULT_LIMITS). */
  limits?: Partial<RealtimeLimits>;
  /** Closes the transport (the WebSocket) with a close code, after the session ended itself. */
  closeTransport?(code: number, reason: string): void;
  /** Bytes queued on the transport and not yet taken by the client (ws `bufferedAmount`). */
  bufferedAmount?(): number;
}

const MAX_ERROR_MESSAGE = 200;

export class RealtimeSession {
  private readonly clock: Clock;
  private readonly t0: number;
  private readonly limits: RealtimeLimits;
  private readonly state: SessionState;
  private readonly conversation: Conversation;
  private readonly serverTools: ReadonlyMap<string, ServerTool>;
  private readonly turns: UserTurns;
  private readonly audioRate: AudioRateLimiter;
  private readonly responses: ResponseBudget;
  private readonly errors: MinuteCounter;
  private readonly lifetime: SessionLifetime;
  private chain: Promise<void> = Promise.resolve();
  private active: ActiveResponse | undefined;
  private running: Promise<void> | undefined;
  private lastAssistant: Entry | undefined;
  private readonly tasks = new Set<Promise<unknown>>();
  private closed = false;
  private ending = false;
  private eventCounter = 0;

  constructor(private readonly options: RealtimeSessionOptions) {
    this.clock = options.clock ?? systemClock;
    this.t0 = this.clock.now();
    this.limits = { ...DEFAULT_LIMITS, ...options.limits };
    const { identity } = options;
    this.state = initialSession(newId('sess'), options.model ?? 'coachhub-local', identity.defaults, options.bargeIn, identity.policy);
    this.conversation = new Conversation(this.limits.historyTokenBudget);
    this.serverTools = new Map((options.serverTools ?? []).map((t) => [t.name, t]));
    this.audioRate = new AudioRateLimiter(this.clock, this.limits.audioBurstMs);
    this.responses = new ResponseBudget(this.clock, this.limits);
    this.errors = new MinuteCounter(this.clock, this.limits.maxErrorsPerMinute);
    this.turns = new UserTurns(this.turnHost());
    this.lifetime = new SessionLifetime(
      {
        clock: this.clock,
        logger: options.logger,
        limits: this.limits,
        info: () => this.info(),
        now: this.now,
        busyUntil: () => this.busyUntil(),
        end: (reason) => this.end(reason),
      },
      options,
    );
  }

  get id(): string {
    return this.state.id;
  }

  /** The user's turn: idle, speaking, or paused inside a turn. */
  get turnPhase(): TurnPhase {
    return this.turns.phase;
  }

  /** Input audio held for a manual commit (decoded bytes at 24 kHz). */
  get bufferedInputBytes(): number {
    return this.turns.bufferedSamples * 3;
  }

  /** ms since the session was created. */
  now = (): number => this.clock.now() - this.t0;

  /**
   * Asks `mayStart`, then sends `session.created` and starts the session's clocks (maximum
   * duration, idle). Client frames handled meanwhile wait. False when the session was refused.
   */
  start(): Promise<boolean> {
    const started = (async (): Promise<boolean> => {
      const decision = this.options.mayStart ? await this.lifetime.admit() : ({ ok: true } as const);
      if (this.closed) return false;
      if (!decision.ok) {
        this.error('invalid_request_error', decision.code ?? 'session_refused', decision.message ?? END_MESSAGES.session_refused);
        this.finish('session_refused', decision.closeCode);
        return false;
      }
      this.send({ type: 'session.created', session: sessionObject(this.state, this.options.stages.stt.name) });
      this.lifetime.started();
      return true;
    })();
    this.chain = started.then(() => undefined);
    return started;
  }

  private info(): SessionInfo {
    return { sessionId: this.id, identity: this.options.identity };
  }

  /** Handles one client frame; frames are processed in order. */
  handle(raw: string): Promise<void> {
    this.chain = this.chain
      .then(() => this.dispatch(raw))
      .catch((err: unknown) => {
        this.options.logger.warn({ err }, 'realtime event failed');
        this.error('server_error', 'server_error', 'The server could not process the event.');
      });
    return this.chain;
  }

  /**
   * Ends the session from the server side (a limit, or the app: credential revoked, quota used
   * up…): an `error` event with `reason` as its code, then the transport is closed with the
   * reason's close code (session-end.ts) and everything in flight stops.
   */
  end(reason: SessionEndReason, message?: string): void {
    if (this.closed || this.ending) return;
    this.ending = true;
    this.error('invalid_request_error', reason, message ?? END_MESSAGES[reason]);
    this.finish(reason);
  }

  private finish(reason: SessionEndReason, closeCode?: number): void {
    this.ending = true;
    this.options.logger.info({ sessionId: this.id, reason }, 'realtime session ended by the server');
    this.options.closeTransport?.(closeCode ?? CLOSE_CODES[reason], reason);
    void this.close(false, reason);
  }

  /** The transport closed (or the session ended): stop everything, tell the sink and `onEnd`. */
  async close(clientClosedNormally: boolean, reason: SessionCloseReason = 'client_closed'): Promise<void> {
    if (this.closed) return;
    const inFlight = (this.active !== undefined && !this.active.finished) || this.turns.phase !== 'idle' || this.conversation.isTranscribing();
    this.closed = true;
    this.lifetime.stopped(reason);
    this.turns.reset();
    this.active?.cancel('client_cancelled');
    await Promise.allSettled([this.chain, this.running, ...this.tasks]);
    try {
      await this.options.sink?.close(clientClosedNormally && !inFlight ? 'completed' : 'interrupted');
    } catch (err) {
      this.options.logger.warn({ err }, 'transcript sink close failed');
    }
  }

  private send(event: OutgoingEvent): void {
    if (this.closed) return;
    this.options.send({ ...event, event_id: `event_${this.state.id.slice(5, 13)}${(++this.eventCounter).toString(36)}` } as ServerEvent);
    const buffered = this.options.bufferedAmount?.() ?? 0;
    if (buffered > this.limits.maxBufferedBytes && !this.ending) {
      this.options.logger.warn({ sessionId: this.id, buffered }, 'realtime client too slow: closing');
      this.end('slow_consumer');
    }
  }

  private error(type: string, code: string, message: string, eventId?: string, param?: string): void {
    const text = message.length > MAX_ERROR_MESSAGE ? `${message.slice(0, MAX_ERROR_MESSAGE - 1)}…` : message;
    this.send({ type: 'error', error: { type, code, message: text, ...(param ? { param } : {}), ...(eventId ? { event_id: eventId } : {}) } });
    // A client that keeps causing errors (a flood of refused appends…) is closed, not served forever.
    if (!this.ending && !this.closed && !this.errors.take()) this.end('too_many_errors');
  }

  private refuse(refusal: PolicyRefusal, eventId: string | undefined): void {
    this.error('invalid_request_error', refusal.code, refusal.message, eventId, refusal.param);
  }

  private track<T>(promise: Promise<T>): void {
    const tracked = promise.catch((err: unknown) => this.options.logger.warn({ err }, 'realtime task failed'));
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
        return this.updateSession(event);
      case 'input_audio_buffer.append':
        return this.append(event);
      case 'input_audio_buffer.commit':
        if (this.turns.commit()) return;
        return this.error(
          'invalid_request_error',
          'input_audio_buffer_commit_empty',
          this.state.turnDetection ? 'The input audio buffer holds no speech to commit.' : 'Expected at least 100ms of audio in the input buffer.',
          event.event_id,
        );
      case 'input_audio_buffer.clear':
        this.turns.reset();
        return this.send({ type: 'input_audio_buffer.cleared' });
      case 'conversation.item.create':
        this.lifetime.activity();
        return this.createItem(event);
      case 'conversation.item.truncate':
        return this.truncate(event);
      case 'response.create': {
        this.lifetime.activity();
        const refusal = refuseResponseInstructions(this.options.identity.policy, this.state, event.response?.instructions);
        if (refusal) return this.refuse(refusal, event.event_id);
        return this.startResponse(event.response?.instructions, event.event_id);
      }
      case 'response.cancel':
        if (!this.active || (event.response_id && event.response_id !== this.active.id)) {
          return this.error('invalid_request_error', 'response_cancel_not_active', 'There is no active response to cancel.', event.event_id);
        }
        this.active.cancel('client_cancelled');
        return;
    }
  }

  private updateSession(event: Extract<ClientEvent, { type: 'session.update' }>): void {
    const policy = this.options.identity.policy;
    if (policy) {
      const refusal = refuseSessionChange(policy, this.state, withSessionUpdate(this.state, event.session));
      if (refusal) return this.refuse(refusal, event.event_id);
    }
    applySessionUpdate(this.state, event.session);
    if (event.session.audio?.input?.turn_detection !== undefined) this.turns.reset();
    this.send({ type: 'session.updated', session: sessionObject(this.state, this.options.stages.stt.name) });
  }

  // --- audio in -------------------------------------------------------------------------------

  private async append(event: Extract<ClientEvent, { type: 'input_audio_buffer.append' }>): Promise<void> {
    this.lifetime.activity();
    // Decoded size from the base64 length, before decoding anything.
    const bytes = Math.floor((event.audio.length * 3) / 4) - (event.audio.endsWith('==') ? 2 : event.audio.endsWith('=') ? 1 : 0);
    const { maxAppendBytes, maxInputBufferBytes } = this.limits;
    if (bytes > maxAppendBytes) {
      return this.error('invalid_request_error', 'audio_chunk_too_large', `An append may carry at most ${maxAppendBytes} bytes of audio.`, event.event_id, 'audio');
    }
    if (!this.state.turnDetection && this.bufferedInputBytes + bytes > maxInputBufferBytes) {
      return this.error('invalid_request_error', 'input_audio_buffer_full', `The input audio buffer holds at most ${maxInputBufferBytes} bytes: commit or clear it.`, event.event_id, 'audio');
    }
    if (!this.audioRate.take(bytes / INPUT_BYTES_PER_MS)) {
      return this.error('invalid_request_error', 'audio_too_fast', 'Audio is arriving faster than real time: this append was dropped.', event.event_id, 'audio');
    }
    await this.turns.append(bufferToPcm16(Buffer.from(event.audio, 'base64')));
  }

  private turnHost(): TurnHost {
    return {
      state: this.state,
      stages: this.options.stages,
      logger: this.options.logger,
      clock: this.clock,
      earlyReplies: this.options.earlyReply !== false,
      maxUtteranceMs: this.limits.maxUtteranceMs,
      now: this.now,
      send: (event) => this.send(event),
      audible: () => this.audible(),
      responding: () => this.active !== undefined,
      mayRespond: () => this.responses.check() === 'ok',
      interrupt: () => this.interrupt(),
      prepareReply: (text) => this.prepareReply(text),
      commit: (turn) => this.commitTurn(turn),
      track: (promise) => this.track(promise),
    };
  }

  /** The reply to `text` as if the user's turn ended now (early-reply.ts). */
  private prepareReply(text: string): EarlyReply | undefined {
    if (this.closed) return undefined;
    const messages = this.conversation.toMessages(this.state.instructions, text);
    return new EarlyReply(this.options.stages, llmRequestFor(this.state, this.serverTools, messages), llmMeter(this.state, this.options.identity), {
      voice: this.state.voice,
      ...(this.state.language ? { language: this.state.language } : {}),
    });
  }

  /** Commits a user audio turn: item added now, its transcript when it settles, then maybe a response. */
  private commitTurn(turn: FinishedTurn): void {
    if (this.closed) return turn.early?.cancel();
    if (this.conversation.size >= this.limits.maxItems) {
      turn.early?.cancel();
      return this.error('invalid_request_error', 'conversation_item_limit', `A session holds at most ${this.limits.maxItems} items.`);
    }
    const item = userAudioItem(turn.itemId);
    const entry: Entry = { item, startMs: turn.startMs, endMs: turn.endedAtMs };
    const previous = this.conversation.add(entry);
    this.send({ type: 'input_audio_buffer.committed', item_id: item.id, previous_item_id: previous });
    this.send({ type: 'conversation.item.added', previous_item_id: previous, item: userAudioItem(item.id) });
    const transcribing = (async () => {
      const text = await turn.transcript;
      entry.transcribing = undefined;
      item.content = userAudioItem(item.id, text ?? '').content;
      if (text === undefined) {
        this.send({ type: 'conversation.item.input_audio_transcription.failed', item_id: item.id, content_index: 0, error: { type: 'server_error', code: 'transcription_failed', message: 'Transcription failed.' } });
      } else {
        this.send({ type: 'conversation.item.input_audio_transcription.completed', item_id: item.id, content_index: 0, transcript: text, usage: { type: 'duration', seconds: turn.audio.length / 16_000 } });
      }
      this.options.onTranscriptionMetrics?.({ itemId: item.id, endedAtMs: turn.endedAtMs, transcribedAtMs: this.now(), audioMs: turn.audio.length / 16 });
      this.send({ type: 'conversation.item.done', item });
      this.completed(entry);
    })();
    entry.transcribing = transcribing;
    this.track(transcribing);
    if (turn.auto && this.state.turnDetection?.create_response !== false) this.startResponseWhenIdle(turn.early);
    else turn.early?.cancel();
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

  /** Until when (session ms) the assistant is generating (now) or its audio plays (estimated). */
  private busyUntil(): number {
    if (this.active) return this.now();
    const last = this.lastAssistant;
    return last?.firstDeltaAtMs !== undefined ? last.firstDeltaAtMs + (last.audioMs ?? 0) : 0;
  }

  /** The assistant is generating or its audio is still playing at the client. */
  private audible(): boolean {
    if (this.active) return true;
    const last = this.lastAssistant;
    return last?.firstDeltaAtMs !== undefined && this.now() < last.firstDeltaAtMs + (last.audioMs ?? 0);
  }

  /** Barge-in: cancel the reply, or cut the transcript of one still playing. */
  private interrupt(): void {
    if (this.closed) return;
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
    const source = event.item;
    if (source.type === 'message') {
      const refusal = refuseItemRole(this.options.identity.policy, source.role);
      if (refusal) return this.refuse(refusal, event.event_id);
    }
    if (this.conversation.size >= this.limits.maxItems) {
      return this.error('invalid_request_error', 'conversation_item_limit', `A session holds at most ${this.limits.maxItems} items.`, event.event_id);
    }
    if (source.id && this.conversation.has(source.id)) return this.error('invalid_request_error', 'item_already_exists', `Item ${source.id} already exists.`, event.event_id, 'item.id');
    if (event.previous_item_id && !this.conversation.has(event.previous_item_id)) {
      return this.error('invalid_request_error', 'item_not_found', 'previous_item_id does not exist.', event.event_id, 'previous_item_id');
    }
    const id = source.id ?? newId('item');
    let item: Item;
    if (source.type === 'function_call_output') {
      if (!this.conversation.hasCallId(source.call_id)) return this.error('invalid_request_error', 'invalid_value', `No function call with call_id ${source.call_id}.`, event.event_id, 'item.call_id');
      item = functionCallOutputItem(id, source.call_id, source.output);
    } else {
      const text = source.content.map((c) => ('text' in c && c.text) || ('transcript' in c && c.transcript) || '').join(' ').trim();
      item = source.role === 'user' ? userTextItem(id, text) : source.role === 'assistant' ? assistantTextItem(id, text) : systemItem(id, text);
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
    if (this.closed) return early?.cancel();
    if (this.active) {
      early?.cancel();
      return this.error('invalid_request_error', 'conversation_already_has_active_response', 'A response is already in progress.', eventId);
    }
    if (this.conversation.size >= this.limits.maxItems) {
      early?.cancel();
      return this.error('invalid_request_error', 'conversation_item_limit', `A session holds at most ${this.limits.maxItems} items.`, eventId);
    }
    const budget = this.responses.take();
    if (budget !== 'ok') {
      early?.cancel();
      return budget === 'per_session'
        ? this.error('invalid_request_error', 'response_limit_reached', `A session may have at most ${this.limits.maxResponses} responses.`, eventId)
        : this.error('invalid_request_error', 'response_rate_limited', `At most ${this.limits.maxResponsesPerMinute} responses per minute.`, eventId);
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
      .catch((err: unknown) => this.options.logger.warn({ err }, 'realtime response crashed'))
      .finally(() => {
        early?.cancel(); // unclaimed (a different request): stop preparing it
        if (this.active === response) this.active = undefined;
      });
  }
}
