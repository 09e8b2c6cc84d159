import type { ConversationKind } from '../../shared/conversations.js';
import { api, ApiError } from '../api/client.js';
import { createConversation, fetchVoiceCredentials, speechInputAvailable, voiceUrls, type VoiceCredentials, type VoiceProvider, type VoiceSessionRequest } from './voice-api.js';
import { CAPTURE_CHUNK_MS, MicError, openMicrophone, startPcmCapture, type PcmCapture } from './mic-capture.js';
import { base64ToBytes, bytesToBase64, bytesToPcm16, pcm16ToBytes } from './pcm.js';
import { PlaybackQueue } from './playback-queue.js';
import { TransportError, type RealtimeTransport, type ServerEvent } from './transport.js';
import type { TextFallbackReason, VoiceClientEvent, VoiceClientListener, VoiceErrorCode, VoiceState } from './voice-events.js';
import { voiceStats } from './voice-stats.js';
import { WebRtcTransport } from './webrtc-transport.js';
import { WebSocketTransport } from './websocket-transport.js';

export interface VoiceClientOptions {
  /** What the conversation is (the transcript's kind). */
  kind: ConversationKind;
  title?: string;
  session?: VoiceSessionRequest;
  /** Start with text input even when a microphone exists. */
  textOnly?: boolean;
  /** Reconnection attempts after a lost connection (each with a new credential). */
  maxReconnects?: number;
  reconnectBaseDelayMs?: number;
  /** Plays the remote track with WebRTC (created off-DOM when omitted). */
  audioElement?: HTMLAudioElement;
  /** Where credentials come from (default POST /api/voice/sessions). */
  fetchCredentials?: (request: VoiceSessionRequest) => Promise<VoiceCredentials>;
}

interface TurnTiming {
  startMs: number;
  endMs: number;
}

/** At most 5 s of microphone audio wait for the connection (the oldest are dropped). */
const MAX_PENDING_CHUNKS = Math.ceil(5000 / CAPTURE_CHUNK_MS);

const randomItemId = (): string => `item_${crypto.randomUUID().replace(/-/g, '').slice(0, 24)}`;

/**
 * The ONE browser voice client. Gets a credential, opens the microphone (or falls back to text),
 * connects over WebSocket (self-hosted engine) or WebRTC (OpenAI), plays replies, handles
 * barge-in, reconnects, and with OpenAI saves the transcript through the conversations API.
 * Screens subscribe to its typed event stream (`on`).
 */
export class VoiceClient {
  private listeners = new Set<VoiceClientListener>();
  private state: VoiceState = 'idle';
  private transport: RealtimeTransport | undefined;
  private credentials: VoiceCredentials | undefined;
  private microphone: MediaStream | null = null;
  private capture: PcmCapture | undefined;
  private audioContext: AudioContext | undefined;
  private playback: PlaybackQueue | undefined;
  private audioElement: HTMLAudioElement;
  private conversationId: string | null = null;
  private inputMode: 'voice' | 'text' = 'voice';
  private muted = false;
  private reconnects = 0;
  private stopped = false;
  private sessionStartMs = 0;
  private responseActive = false;
  /** The transport is ready for audio; until then capture chunks wait in `pendingAudio`. */
  private connected = false;
  private pendingAudio: Int16Array[] = [];
  /** Messages typed while (re)connecting, sent once connected. */
  private pendingTexts: string[] = [];
  private timings = new Map<string, TurnTiming>();
  private assistantText = new Map<string, string>();
  private readonly onPageHide = () => this.endBeacon();

  constructor(private readonly options: VoiceClientOptions) {
    this.audioElement = options.audioElement ?? new Audio();
    this.audioElement.autoplay = true;
  }

  on(listener: VoiceClientListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  get currentState(): VoiceState {
    return this.state;
  }

  get provider(): VoiceProvider | undefined {
    return this.credentials?.provider;
  }

  private emit(event: VoiceClientEvent): void {
    for (const listener of this.listeners) listener(event);
  }

  private setState(state: VoiceState): void {
    if (state === this.state) return;
    this.state = state;
    this.emit({ type: 'state', state });
  }

  private fail(code: VoiceErrorCode, detail: string, fatal: boolean): void {
    this.emit({ type: 'error', error: { code, detail, fatal } });
    if (fatal) {
      this.teardown();
      this.setState('failed');
    }
  }

  /** Call from a user gesture (a click): audio playback and the microphone need one. */
  async start(): Promise<void> {
    if (this.state !== 'idle' && this.state !== 'ended' && this.state !== 'failed') return;
    this.stopped = false;
    this.connected = false;
    this.pendingAudio = [];
    this.pendingTexts = [];
    this.reconnects = 0;
    this.conversationId = null;
    this.timings.clear();
    this.assistantText.clear();
    this.setState('connecting');
    this.audioContext = new AudioContext();
    void this.audioContext.resume();
    this.playback = new PlaybackQueue(this.audioContext, {
      onItemStart: (itemId, atMs) => {
        voiceStats.audioStarts.push(atMs);
        performance.mark('voice:audio-start', { startTime: atMs, detail: { itemId } });
        this.emit({ type: 'audio.start', itemId, atMs });
        this.setState('speaking');
      },
      onIdle: () => {
        if (this.state === 'speaking' && !this.responseActive) this.setState('listening');
      },
    });
    const playback = this.playback;
    voiceStats.playedMs = () => playback.playedMs();

    let credentials: VoiceCredentials;
    try {
      credentials = await this.getCredentials();
    } catch (err) {
      return this.fail(credentialFailure(err), err instanceof Error ? err.message : String(err), true);
    }
    if (this.stopped) return;

    await this.chooseInput(credentials);
    if (this.stopped) return;
    try {
      if (credentials.provider === 'openai') await this.startOpenAiConversation(credentials);
      await this.connect(credentials);
    } catch (err) {
      return this.fail('CONNECTION_FAILED', err instanceof Error ? err.message : String(err), true);
    }
    window.addEventListener('pagehide', this.onPageHide);
  }

  private async getCredentials(): Promise<VoiceCredentials> {
    const fetcher = this.options.fetchCredentials ?? fetchVoiceCredentials;
    this.credentials = await fetcher({ ...(this.options.session ?? {}), kind: this.options.kind });
    return this.credentials;
  }

  /** Microphone, or text input when it is denied/missing or the server cannot hear. */
  private async chooseInput(credentials: VoiceCredentials): Promise<void> {
    let reason: TextFallbackReason | undefined;
    if (this.options.textOnly) reason = 'chosen';
    else if (credentials.provider === 'local' && !(await speechInputAvailable())) reason = 'speechUnavailable';
    else {
      try {
        this.microphone = await openMicrophone();
        voiceStats.micOpens.push(performance.now());
        // Capture from now on (buffered until connected): words said while connecting are kept.
        if (credentials.provider === 'local') await this.startCapture();
      } catch (err) {
        reason = err instanceof MicError && err.reason === 'denied' ? 'micDenied' : 'noMic';
        if (reason === 'micDenied') this.fail('MIC_DENIED', err instanceof Error ? err.message : String(err), false);
      }
    }
    this.inputMode = reason ? 'text' : 'voice';
    this.emit(reason ? { type: 'input', mode: 'text', reason } : { type: 'input', mode: 'voice' });
  }

  private async startOpenAiConversation(credentials: VoiceCredentials): Promise<void> {
    if (this.conversationId) return; // a reconnect continues the same transcript
    this.conversationId = await createConversation({
      kind: this.options.kind,
      ...(this.options.title ? { title: this.options.title } : {}),
      provider: 'openai',
      model: credentials.model,
    });
    this.sessionStartMs = performance.now();
  }

  private async connect(credentials: VoiceCredentials): Promise<void> {
    const transport: RealtimeTransport =
      credentials.provider === 'openai'
        ? new WebRtcTransport({ callsUrl: credentials.callsUrl, clientSecret: credentials.clientSecret, model: credentials.model, microphone: this.microphone, audioElement: this.audioElement })
        : new WebSocketTransport({ url: credentials.url, clientSecret: credentials.clientSecret, model: credentials.model });
    this.transport = transport;
    await transport.connect({
      onEvent: (event) => this.handle(event),
      onLost: (info) => void this.reconnect(`${info.code ?? ''} ${info.reason ?? ''}`.trim()),
    });
    if (this.stopped) return transport.close();
    if (credentials.provider === 'local') this.sessionStartMs = performance.now();
    this.connected = true;
    for (const pcm of this.pendingAudio.splice(0)) this.sendAudio(pcm);
    for (const text of this.pendingTexts.splice(0)) this.sendText(text);
    this.emit({ type: 'session', provider: credentials.provider, conversationId: this.conversationId, model: credentials.model });
    this.setState('listening');
  }

  private async startCapture(): Promise<void> {
    if (!this.audioContext || !this.microphone) return;
    let first = true;
    this.capture = await startPcmCapture(this.audioContext, this.microphone, (pcm) => {
      if (first) {
        first = false;
        const startedAt = performance.now() - CAPTURE_CHUNK_MS;
        voiceStats.captureStarts.push(startedAt);
        performance.mark('voice:capture-start', { startTime: startedAt });
      }
      if (this.transport?.kind === 'websocket' && this.connected) this.sendAudio(pcm);
      else if (this.pendingAudio.push(pcm) > MAX_PENDING_CHUNKS) this.pendingAudio.shift();
    });
    this.capture.setMuted(this.muted);
  }

  private sendAudio(pcm: Int16Array): void {
    this.transport?.send({ type: 'input_audio_buffer.append', audio: bytesToBase64(pcm16ToBytes(pcm)) });
  }

  private async reconnect(reason: string): Promise<void> {
    if (this.stopped) return;
    this.transport = undefined;
    this.connected = false;
    this.playback?.stop();
    this.responseActive = false;
    const max = this.options.maxReconnects ?? 3;
    if (this.reconnects >= max) return this.fail('CONNECTION_FAILED', `gave up after ${max} attempts: ${reason}`, true);
    this.fail('CONNECTION_LOST', reason, false);
    this.setState('reconnecting');
    while (!this.stopped && this.reconnects < max) {
      const delay = (this.options.reconnectBaseDelayMs ?? 500) * 2 ** this.reconnects;
      this.reconnects++;
      await new Promise((resolve) => setTimeout(resolve, delay));
      if (this.stopped) return;
      try {
        await this.connect(await this.getCredentials());
        this.reconnects = 0;
        return;
      } catch (err) {
        reason = err instanceof Error ? err.message : String(err);
        if (err instanceof ApiError && !err.isNetwork && err.status < 500) return this.fail(credentialFailure(err), err.message, true);
      }
    }
    if (!this.stopped) this.fail('CONNECTION_FAILED', `gave up after ${max} attempts: ${reason}`, true);
  }

  private nowMs(): number {
    return Math.max(0, Math.round(performance.now() - this.sessionStartMs));
  }

  private handle(event: ServerEvent): void {
    switch (event.type) {
      case 'session.created': {
        // The self-hosted engine files the transcript under its session id (the SDK's session type has none).
        const id = (event.session as { id?: unknown }).id;
        if (this.credentials?.provider === 'local' && typeof id === 'string') this.conversationId = id;
        break;
      }
      case 'input_audio_buffer.speech_started': {
        this.interruptPlayback();
        // One clock for every item (the client's), so saved turns sort in the order they happened.
        this.timings.set(event.item_id, { startMs: this.nowMs(), endMs: this.nowMs() });
        this.setState('userSpeaking');
        break;
      }
      case 'input_audio_buffer.speech_stopped': {
        const timing = this.timings.get(event.item_id);
        if (timing) timing.endMs = this.nowMs();
        voiceStats.speechStops.push(performance.now());
        this.setState('thinking');
        break;
      }
      case 'conversation.item.input_audio_transcription.completed': {
        const { item_id: itemId } = event;
        const text = event.transcript.trim();
        this.emit({ type: 'user.transcript', itemId, text });
        const timing = this.timings.get(itemId) ?? { startMs: this.nowMs(), endMs: this.nowMs() };
        this.persist({ itemId, role: 'user', text, ...timing });
        break;
      }
      case 'response.created':
        this.responseActive = true;
        if (this.state !== 'speaking') this.setState('thinking');
        break;
      case 'response.output_item.added': {
        const { item } = event;
        if (item.id && item.type === 'message') {
          this.assistantText.set(item.id, '');
          this.timings.set(item.id, { startMs: this.nowMs(), endMs: this.nowMs() });
        }
        break;
      }
      case 'response.output_audio.delta':
        this.playback?.enqueue(event.item_id, bytesToPcm16(base64ToBytes(event.delta)));
        break;
      case 'response.output_audio_transcript.delta':
      case 'response.output_text.delta': {
        const { item_id: itemId, delta } = event;
        this.assistantText.set(itemId, (this.assistantText.get(itemId) ?? '') + delta);
        this.emit({ type: 'assistant.delta', itemId, delta });
        break;
      }
      case 'response.output_audio_transcript.done':
      case 'response.output_text.done': {
        const itemId = event.item_id;
        const text = (event.type === 'response.output_text.done' ? event.text : event.transcript) ?? this.assistantText.get(itemId) ?? '';
        this.emit({ type: 'assistant.done', itemId, text });
        const timing = this.timings.get(itemId) ?? { startMs: this.nowMs(), endMs: this.nowMs() };
        timing.endMs = Math.max(timing.startMs, this.nowMs());
        this.persist({ itemId, role: 'assistant', text, ...timing });
        break;
      }
      case 'response.function_call_arguments.done':
        this.emit({ type: 'function.call', itemId: event.item_id, callId: event.call_id, name: event.name, arguments: event.arguments });
        break;
      case 'output_audio_buffer.started': // WebRTC: OpenAI plays the reply on the media track
        voiceStats.audioStarts.push(performance.now());
        this.emit({ type: 'audio.start', itemId: event.response_id, atMs: performance.now() });
        this.setState('speaking');
        break;
      case 'output_audio_buffer.stopped':
      case 'output_audio_buffer.cleared':
        if (this.state === 'speaking') this.setState('listening');
        break;
      case 'response.done':
        this.responseActive = false;
        if (!this.playback?.playing && (this.state === 'thinking' || this.state === 'speaking')) this.setState('listening');
        break;
      case 'error':
        // The month's voice minutes ran out: the server closes the session; no reconnecting.
        if (event.error.code === 'quota_exhausted') this.fail('NO_MINUTES', event.error.message || 'quota_exhausted', true);
        // Reconnecting would not help: the server ended or refused the session for good.
        else if (event.error.code === 'credential_revoked') this.fail('SESSION_REVOKED', event.error.message || 'credential_revoked', true);
        else if (event.error.code === 'too_many_sessions') this.fail('TOO_MANY_SESSIONS', event.error.message || 'too_many_sessions', true);
        else this.fail('SERVER_ERROR', event.error.message || event.error.code || 'error', false);
        break;
    }
  }

  /** Stops reply audio at once and tells the server how much was heard. */
  private interruptPlayback(): void {
    const stopped = this.playback?.stop();
    if (!stopped) return;
    this.transport?.send({ type: 'conversation.item.truncate', item_id: stopped.itemId, content_index: 0, audio_end_ms: stopped.playedMs });
    this.emit({ type: 'audio.interrupted', itemId: stopped.itemId, playedMs: stopped.playedMs });
  }

  /** With OpenAI the browser saves the transcript (idempotent by item id); the local engine saves its own. */
  private persist(item: { itemId: string; role: 'user' | 'assistant'; text: string; startMs: number; endMs: number }): void {
    if (this.credentials?.provider !== 'openai' || !this.conversationId || !item.itemId) return;
    const body = { ...item, startMs: Math.round(item.startMs), endMs: Math.max(Math.round(item.startMs), Math.round(item.endMs)) };
    const save = (attempt: number): Promise<unknown> =>
      api('POST', voiceUrls.conversationItems(this.conversationId!), body).catch((err: unknown) =>
        attempt < 3 && (!(err instanceof ApiError) || err.isNetwork || err.status >= 500) ? new Promise((r) => setTimeout(r, 500 * 2 ** attempt)).then(() => save(attempt + 1)) : undefined,
      );
    void save(0);
  }

  /** Sends a typed message (text input) and asks for a reply. */
  sendText(text: string): void {
    const trimmed = text.trim();
    if (!trimmed || this.stopped) return;
    if (!this.transport || !this.connected) {
      this.pendingTexts.push(trimmed);
      return;
    }
    this.interruptPlayback();
    if (this.responseActive) this.transport.send({ type: 'response.cancel' }); // cancelling nothing is an error
    const itemId = randomItemId();
    this.transport.send({ type: 'conversation.item.create', item: { id: itemId, type: 'message', role: 'user', content: [{ type: 'input_text', text: trimmed }] } });
    this.transport.send({ type: 'response.create' });
    this.emit({ type: 'user.transcript', itemId, text: trimmed });
    const at = this.nowMs();
    this.persist({ itemId, role: 'user', text: trimmed, startMs: at, endMs: at });
    this.setState('thinking');
  }

  /** Answers a `function.call` event: the tool's result goes back and the model continues. */
  sendFunctionResult(callId: string, output: unknown): void {
    if (!this.transport) return;
    this.transport.send({ type: 'conversation.item.create', item: { type: 'function_call_output', call_id: callId, output: typeof output === 'string' ? output : JSON.stringify(output) } });
    this.transport.send({ type: 'response.create' });
  }

  /** Stops the reply being spoken (the "stop" button). */
  cancelReply(): void {
    this.interruptPlayback();
    if (this.responseActive) this.transport?.send({ type: 'response.cancel' });
    if (this.transport?.kind === 'webrtc') this.transport.send({ type: 'output_audio_buffer.clear' });
  }

  setMuted(muted: boolean): void {
    this.muted = muted;
    this.capture?.setMuted(muted);
    for (const track of this.microphone?.getAudioTracks() ?? []) if (this.transport?.kind === 'webrtc') track.enabled = !muted;
  }

  get isMuted(): boolean {
    return this.muted;
  }

  get input(): 'voice' | 'text' {
    return this.inputMode;
  }

  get conversation(): string | null {
    return this.conversationId;
  }

  /** Hangs up: the conversation ends `completed`. */
  async hangUp(): Promise<void> {
    const wasOpenAi = this.credentials?.provider === 'openai';
    const id = this.conversationId;
    this.teardown();
    this.setState('ended');
    if (wasOpenAi && id) await api('POST', voiceUrls.conversationEnd(id), { status: 'completed' }).catch(() => undefined);
  }

  /** Tab closing mid-conversation (OpenAI): the transcript ends `interrupted`. */
  private endBeacon(): void {
    if (this.credentials?.provider !== 'openai' || !this.conversationId || this.state === 'ended') return;
    navigator.sendBeacon(voiceUrls.conversationEnd(this.conversationId), new Blob([JSON.stringify({ status: 'interrupted' })], { type: 'application/json' }));
  }

  private teardown(): void {
    this.stopped = true;
    window.removeEventListener('pagehide', this.onPageHide);
    this.playback?.stop();
    this.capture?.stop();
    this.capture = undefined;
    this.transport?.close();
    this.transport = undefined;
    for (const track of this.microphone?.getTracks() ?? []) track.stop();
    this.microphone = null;
    void this.audioContext?.close().catch(() => undefined);
    this.audioContext = undefined;
  }
}

/** Why credentials were refused: the month's voice minutes used up (402 NO_CREDITS), or anything else. */
export function credentialFailure(err: unknown): VoiceErrorCode {
  return err instanceof ApiError && err.code === 'NO_CREDITS' ? 'NO_MINUTES' : 'TOKEN_FAILED';
}

export { TransportError };
