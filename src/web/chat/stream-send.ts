import { ApiError } from '../api/client.js';
import type { SendResult } from './types.js';

/**
 * POST /api/chat/send with `Accept: text/event-stream`: calls `onDelta` for each piece of the
 * reply and resolves with the final `done` payload. Errors before the stream (402, 403, 429…)
 * arrive as JSON and are thrown as ApiError, like every other call.
 */
export async function streamSend(
  body: { sessionId?: string; message: string },
  onDelta: (delta: string) => void,
  signal: AbortSignal,
): Promise<SendResult> {
  let response: Response;
  try {
    response = await fetch('/api/chat/send', {
      method: 'POST',
      credentials: 'same-origin',
      headers: { accept: 'text/event-stream', 'content-type': 'application/json' },
      body: JSON.stringify(body),
      signal,
    });
  } catch (err) {
    if (err instanceof DOMException && err.name === 'AbortError') throw err;
    throw new ApiError(0, 'NETWORK', 'Network error');
  }
  if (!response.ok || !response.body) {
    const error = (await response.json().catch(() => null)) as { code?: string; message?: string } | null;
    throw new ApiError(response.status, error?.code ?? `HTTP_${response.status}`, error?.message ?? response.statusText);
  }
  const reader = response.body.getReader();
  const decoder = new TextDecoder();
  let buffer = '';
  for (;;) {
    const { value, done } = await reader.read();
    if (done) break;
    buffer += decoder.decode(value, { stream: true });
    let end: number;
    while ((end = buffer.indexOf('\n\n')) >= 0) {
      const block = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      const event = /^event: (.*)$/m.exec(block)?.[1];
      const data = /^data: (.*)$/m.exec(block)?.[1];
      if (!event || data === undefined) continue;
      const payload = JSON.parse(data) as unknown;
      if (event === 'delta') onDelta((payload as { delta: string }).delta);
      else if (event === 'done') return payload as SendResult;
      else if (event === 'error') {
        const e = payload as { code: string; message: string };
        throw new ApiError(500, e.code, e.message);
      }
    }
  }
  throw new ApiError(0, 'NETWORK', 'The stream ended before the reply was complete.');
}
