import { TransportError, type ClientEvent, type RealtimeTransport, type ServerEvent, type TransportHandlers } from './transport.js';

/**
 * The self-hosted engine over WebSocket. Browsers cannot set headers, so the credential travels
 * as the `openai-insecure-api-key.<secret>` subprotocol (next to `realtime`), as with OpenAI.
 * Ready when the server's `session.created` arrives.
 */
export class WebSocketTransport implements RealtimeTransport {
  readonly kind = 'websocket' as const;
  readonly mediaAudio = false;
  private socket: WebSocket | undefined;
  private closing = false;

  constructor(private readonly options: { url: string; clientSecret: string; model: string; connectTimeoutMs?: number }) {}

  connect(handlers: TransportHandlers): Promise<void> {
    const url = new URL(this.options.url, window.location.href);
    url.protocol = url.protocol.replace(/^http/, 'ws');
    url.searchParams.set('model', this.options.model);
    const socket = new WebSocket(url, ['realtime', `openai-insecure-api-key.${this.options.clientSecret}`]);
    this.socket = socket;
    return new Promise<void>((resolve, reject) => {
      let ready = false;
      const timer = setTimeout(() => {
        if (ready) return;
        reject(new TransportError('The voice server did not answer in time.'));
        socket.close();
      }, this.options.connectTimeoutMs ?? 15_000);
      socket.onmessage = (message: MessageEvent<string>) => {
        let event: ServerEvent;
        try {
          event = JSON.parse(message.data) as ServerEvent;
        } catch {
          return;
        }
        if (!ready && event.type === 'session.created') {
          ready = true;
          clearTimeout(timer);
          resolve();
        }
        handlers.onEvent(event);
      };
      socket.onclose = (event) => {
        clearTimeout(timer);
        if (!ready) return reject(new TransportError(`The voice server closed the connection (${event.code}${event.reason ? ` ${event.reason}` : ''}).`, event.code === 4401 ? 401 : undefined));
        if (!this.closing) handlers.onLost({ code: event.code, reason: event.reason });
      };
    });
  }

  send(event: ClientEvent): void {
    if (this.socket?.readyState === WebSocket.OPEN) this.socket.send(JSON.stringify(event));
  }

  close(): void {
    this.closing = true;
    this.socket?.close(1000, 'hang up');
  }
}
