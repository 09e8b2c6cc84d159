import type { BrowserClientEvent, RealtimeServerEvent } from '../../shared/realtime-protocol.js';

/** The server events a browser client receives (the engine's, and OpenAI's own), as the protocol types them. */
export type ServerEvent = RealtimeServerEvent;
/** The client events this client sends (the engine's schema, plus OpenAI's WebRTC-only `output_audio_buffer.clear`). */
export type ClientEvent = BrowserClientEvent;

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
