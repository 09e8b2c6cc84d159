/** A WebSocket client of /v1/realtime for API tests and benches: events kept in order, waits without sleeps. */
import WebSocket from 'ws';

export interface RealtimeEvent {
  type: string;
  [key: string]: unknown;
}

export interface RealtimeClient {
  ws: WebSocket;
  events: RealtimeEvent[];
  /** The close code, once closed. */
  closed: Promise<number>;
  waitFor(predicate: string | ((e: RealtimeEvent) => boolean), timeoutMs?: number): Promise<RealtimeEvent>;
  send(event: object): void;
  errors(): Array<{ code: string; message: string; param?: string }>;
}

/** Opens a session with the browser's subprotocol auth; resolves once the socket is open. */
export async function openRealtime(url: string, secret: string): Promise<RealtimeClient> {
  const ws = new WebSocket(url, ['realtime', `openai-insecure-api-key.${secret}`]);
  const events: RealtimeEvent[] = [];
  const waiters = new Set<() => void>();
  ws.on('message', (data) => {
    events.push(JSON.parse(String(data)) as RealtimeEvent);
    for (const w of waiters) w();
  });
  const closed = new Promise<number>((resolve) => ws.on('close', (code) => {
    resolve(code);
    for (const w of waiters) w();
  }));
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('error', reject);
  });
  const waitFor = (predicate: string | ((e: RealtimeEvent) => boolean), timeoutMs = 30_000): Promise<RealtimeEvent> => {
    const test = typeof predicate === 'string' ? (e: RealtimeEvent) => e.type === predicate : predicate;
    return new Promise((resolve, reject) => {
      const check = () => {
        const found = events.find(test);
        if (found) {
          cleanup();
          resolve(found);
        } else if (ws.readyState === WebSocket.CLOSED) {
          cleanup();
          reject(new Error(`closed without ${String(predicate)}; got ${events.map((e) => e.type).join(', ')}`));
        }
      };
      const timer = setTimeout(() => {
        cleanup();
        reject(new Error(`no ${String(predicate)} within ${timeoutMs} ms; got ${events.map((e) => e.type).join(', ')}`));
      }, timeoutMs);
      const cleanup = () => {
        clearTimeout(timer);
        waiters.delete(check);
      };
      waiters.add(check);
      check();
    });
  };
  return {
    ws,
    events,
    closed,
    waitFor,
    send: (e) => ws.send(JSON.stringify(e)),
    errors: () => events.filter((e) => e.type === 'error').map((e) => e.error as { code: string; message: string; param?: string }),
  };
}

/** The first thing the server says: `session.created`, or an `error` (refused), then maybe a close. */
export async function firstAnswer(client: RealtimeClient): Promise<RealtimeEvent> {
  return client.waitFor((e) => e.type === 'session.created' || e.type === 'error');
}
