import { Readable } from 'node:stream';
import type { ReadableStream as NodeReadableStream } from 'node:stream/web';
import { AppError } from '../../platform/errors.js';
import type { RecordingMedia, RoomSpec, TokenRequest, VideoProvider, VideoRoom } from './types.js';
import { videoUnavailable } from './video-error.js';

export interface DailyOptions {
  apiKey: string;
  /** https://api.daily.co/v1, or a loopback fake in tests. */
  apiUrl: string;
  timeoutMs?: number;
  fetch?: typeof fetch;
}

interface DailyRoomBody {
  name: string;
  url: string;
  config?: { exp?: number };
}

const seconds = (ms: number) => Math.floor(ms / 1000);

/**
 * Daily.co adapter: `POST /rooms` (private, 2 people, expiry with ejection) and
 * `POST /meeting-tokens` (owner for the coach). Daily's contract is in seconds.
 */
export function createDailyVideoProvider(options: DailyOptions): VideoProvider {
  const base = options.apiUrl.replace(/\/$/, '');
  const doFetch = options.fetch ?? fetch;
  const timeoutMs = options.timeoutMs ?? 10_000;

  async function call<T>(method: 'GET' | 'POST', path: string, body?: unknown): Promise<{ status: number; json: T | null }> {
    let response: Response;
    try {
      response = await doFetch(base + path, {
        method,
        headers: { authorization: `Bearer ${options.apiKey}`, 'content-type': 'application/json', accept: 'application/json' },
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: AbortSignal.timeout(timeoutMs),
      });
    } catch (err) {
      throw videoUnavailable('daily', err instanceof Error && err.name === 'TimeoutError' ? 'timeout' : 'connection', err);
    }
    const json = (await response.json().catch(() => null)) as T | null;
    return { status: response.status, json };
  }

  const fail = (status: number) => videoUnavailable('daily', status === 401 || status === 403 ? 'auth' : status === 429 ? 'rate_limited' : 'server');

  async function recordingLink(recordingId: string): Promise<string> {
    const res = await call<{ download_link?: string }>('GET', `/recordings/${encodeURIComponent(recordingId)}/access-link`);
    if (res.status >= 300) throw fail(res.status);
    if (!res.json?.download_link) throw videoUnavailable('daily', 'bad_response');
    return res.json.download_link;
  }

  return {
    name: 'daily',
    capabilities: { recording: 'cloud', client: 'daily-js' },

    async createRoom(spec: RoomSpec): Promise<VideoRoom> {
      const created = await call<DailyRoomBody & { info?: string; error?: string }>('POST', '/rooms', {
        name: spec.name,
        privacy: 'private',
        properties: {
          exp: seconds(spec.expiresAtMs),
          eject_at_room_exp: true,
          max_participants: spec.maxParticipants,
          enable_screenshare: spec.screenshare,
          enable_chat: spec.chat,
          enable_prejoin_ui: spec.prejoin,
        },
      });
      let room = created.status < 300 ? created.json : null;
      if (!room && created.status === 400 && /already exists/i.test(created.json?.info ?? '')) {
        const existing = await call<DailyRoomBody>('GET', `/rooms/${encodeURIComponent(spec.name)}`);
        if (existing.status >= 300) throw fail(existing.status);
        room = existing.json;
      } else if (!room) {
        throw fail(created.status);
      }
      if (!room?.url || !room.name) throw videoUnavailable('daily', 'bad_response');
      return { provider: 'daily', name: room.name, url: room.url, expiresAtMs: spec.expiresAtMs };
    },

    async mintToken(request: TokenRequest): Promise<string> {
      const expiresAtMs = Math.min(request.expiresAtMs, request.room.expiresAtMs);
      if (expiresAtMs <= Date.now()) throw new AppError('CONFLICT', 'The room has expired.');
      const res = await call<{ token?: string }>('POST', '/meeting-tokens', {
        properties: {
          room_name: request.room.name,
          is_owner: request.role === 'owner',
          user_name: request.userName,
          user_id: request.userId,
          exp: seconds(expiresAtMs),
        },
      });
      if (res.status >= 300) throw fail(res.status);
      if (!res.json?.token) throw videoUnavailable('daily', 'bad_response');
      return res.json.token;
    },

    recordingLink,

    async openRecording(recordingId: string, range?: string): Promise<RecordingMedia> {
      const link = await recordingLink(recordingId);
      // The timeout covers the wait for the answer, not the streaming of a long video.
      const controller = new AbortController();
      const timer = setTimeout(() => controller.abort(new DOMException('timeout', 'TimeoutError')), timeoutMs);
      let res: Response;
      try {
        res = await doFetch(link, { headers: range ? { range } : {}, signal: controller.signal });
      } catch (err) {
        throw videoUnavailable('daily', controller.signal.aborted ? 'timeout' : 'connection', err);
      } finally {
        clearTimeout(timer);
      }
      if ((res.status !== 200 && res.status !== 206) || !res.body) {
        await res.body?.cancel();
        if (res.status === 416) {
          // As for our own recordings: 416, naming the size when Daily gives it (`bytes */size`).
          const size = /^bytes \*\/(\d+)$/.exec(res.headers.get('content-range') ?? '')?.[1];
          throw new AppError('RANGE_NOT_SATISFIABLE', 'The requested range is outside the recording.', size === undefined ? { field: 'range' } : { field: 'range', size: Number(size) });
        }
        throw fail(res.status);
      }
      const length = res.headers.get('content-length');
      return {
        status: res.status,
        contentType: res.headers.get('content-type') ?? 'video/mp4',
        contentLength: length === null ? null : Number(length),
        contentRange: res.headers.get('content-range'),
        acceptRanges: res.headers.get('accept-ranges') === 'bytes',
        body: Readable.fromWeb(res.body as unknown as NodeReadableStream),
      };
    },

    describe: () => ({ provider: 'daily', apiUrl: base }),
  };
}
