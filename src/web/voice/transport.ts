/** Realtime server events, loosely typed: the client reads the fields it needs, by event type. */
export interface ServerEvent {
  type: string;
  event_id?: string;
  [field: string]: unknown;
}

/** Client events of the OpenAI Realtime protocol (the subset this client sends). */
export type ClientEvent =
  | { type: 'input_audio_buffer.append'; audio: string }
  | { type: 'conversation.item.create'; item: { id?: string; type: 'message'; role: 'user'; content: { type: 'input_text'; text: string }[] } }
  | { type: 'conversation.item.create'; item: { type: 'function_call_output'; call_id: string; output: string } }
  | { type: 'conversation.item.truncate'; item_id: string; content_index: 0; audio_end_ms: number }
  | { type: 'response.create' }
  | { type: 'response.cancel' }
  | { type: 'output_audio_buffer.clear' }
  | { type: 'session.update'; session: Record<string, unknown> };

export interface TransportHandlers {
  onEvent(event: ServerEvent): void;
  /** The connection ended without `close()` being called (network, server, auth). */
  onLost(info: { code?: number; reason?: string }): void;
}

/**
 * One realtime connection. WebSocket (self-hosted engine): the client streams PCM as
 * `input_audio_buffer.append` and plays `response.output_audio.delta`. WebRTC (OpenAI): audio
 * travels as media tracks; only JSON events use the `oai-events` data channel.
 */
export interface RealtimeTransport {
  readonly kind: 'websocket' | 'webrtc';
  /** True when the transport carries microphone and reply audio itself (WebRTC media). */
  readonly mediaAudio: boolean;
  /** Resolves once the server is ready for events (session created / channel open). */
  connect(handlers: TransportHandlers): Promise<void>;
  send(event: ClientEvent): void;
  close(): void;
}

export class TransportError extends Error {
  constructor(message: string, readonly status?: number, options?: ErrorOptions) {
    super(message, options);
    this.name = 'TransportError';
  }
}
