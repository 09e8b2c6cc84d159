import { isErrorCode } from '../../shared/error-codes.js';
import { ApiError, isAbortError, toApiError } from '../api/client.js';
import { chatUrls } from './chat-api.js';
import type { SendResult } from './types.js';

/**
 * POST /api/chat/send with `Accept: text/event-stream`: calls `onDelta` for each piece of the
 * reply and resolves with the final `done` payload. Errors before the stream (402, 403, 429…)
 * arrive as JSON and are thrown as ApiError, like every other call; an `error` event too.
 */
export async function streamSend(body: { sessionId?: string; message: string }, onDelta: (delta: string) => void, signal: AbortSignal): Promise<SendResult> {
  let response: Response;
  try {
    response = await fetch(chatUrls.send, {
      method: 'POST',
      credentials: 'same-origin',
      headers: { accept: 'text/event-stream', 'content-type': 'application/json' },
      body: JSON.stringify(body),
      signal,
    });
  } catch (err) {
    if (isAbortError(err)) throw err;
    throw ApiError.network(err);
  }
  if (!response.ok || !response.body) throw await toApiError(response);
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
        const e = payload as { code?: unknown; message?: unknown; details?: unknown };
        throw new ApiError(500, isErrorCode(e.code) ? e.code : 'INTERNAL', typeof e.message === 'string' ? e.message : '', e.details);
      }
    }
  }
  throw new ApiError(0, 'NETWORK', 'The stream ended before the reply was complete.');
}
