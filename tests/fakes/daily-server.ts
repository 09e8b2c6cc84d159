/**
 * A loopback fake of the Daily REST API (https://docs.daily.co/reference/rest-api) speaking its
 * wire format for what Coach Hub uses: `POST /rooms`, `GET /rooms/:name`, `POST /meeting-tokens`.
 * It checks the Bearer key and validates request bodies strictly (unknown or mistyped
 * properties are answered 400 `invalid-request-error`, like Daily), records every request,
 * serves cloud recordings the way Daily hands them out (`GET /recordings/:id/access-link` gives
 * a short-lived signed `download_link`, here on this server, answering byte ranges like S3),
 * and can sign webhook deliveries the way Daily does (`X-Webhook-Signature` /
 * `X-Webhook-Timestamp`: base64 HMAC-SHA256 of `${timestamp}.${body}` keyed by the
 * base64-decoded secret).
 */
import { createHmac, randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface RecordedRequest {
  method: string;
  path: string;
  authorization: string | undefined;
  body: unknown;
}

export interface FakeDailyRoom {
  id: string;
  name: string;
  api_created: true;
  privacy: 'private' | 'public';
  url: string;
  created_at: string;
  config: Record<string, unknown>;
}

const ROOM_PROPERTIES: Record<string, 'number' | 'boolean'> = {
  exp: 'number',
  eject_at_room_exp: 'boolean',
  max_participants: 'number',
  enable_screenshare: 'boolean',
  enable_chat: 'boolean',
  enable_prejoin_ui: 'boolean',
};
const TOKEN_PROPERTIES: Record<string, 'number' | 'boolean' | 'string'> = {
  room_name: 'string',
  is_owner: 'boolean',
  user_name: 'string',
  user_id: 'string',
  exp: 'number',
};

export interface FakeDaily {
  url: string;
  apiKey: string;
  requests: RecordedRequest[];
  rooms: Map<string, FakeDailyRoom>;
  /** Tokens issued, with the properties they were minted with. */
  tokens: Map<string, Record<string, unknown>>;
  /** Recording files by Daily recording id, served at their download links. */
  recordingFiles: Map<string, Buffer>;
  /** Requests to download links (path and Range header), recorded separately from API calls. */
  downloads: { path: string; range: string | undefined; signature: string | null }[];
  /** Makes the next N requests fail with this status (e.g. 500, 429). */
  failNext(status: number, count?: number): void;
  close(): Promise<void>;
}

function invalid(res: ServerResponse, info: string) {
  res.writeHead(400, { 'content-type': 'application/json' }).end(JSON.stringify({ error: 'invalid-request-error', info }));
}

function checkTypes(props: Record<string, unknown>, spec: Record<string, string>): string | null {
  for (const [key, value] of Object.entries(props)) {
    if (!(key in spec)) return `unknown property '${key}'`;
    if (typeof value !== spec[key]) return `'${key}' must be a ${spec[key]}`;
  }
  return null;
}

export async function startFakeDaily(options: { apiKey?: string; domain?: string } = {}): Promise<FakeDaily> {
  const apiKey = options.apiKey ?? `daily-key-${randomBytes(6).toString('hex')}`;
  const domain = options.domain ?? 'coachhub-test.daily.co';
  const requests: RecordedRequest[] = [];
  const rooms = new Map<string, FakeDailyRoom>();
  const tokens = new Map<string, Record<string, unknown>>();
  let failures: { status: number; count: number } | null = null;
  const recordingFiles = new Map<string, Buffer>();
  const downloads: FakeDaily['downloads'] = [];
  const signatures = new Map<string, string>();
  let origin = '';

  const server = createServer(async (req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const raw = Buffer.concat(chunks).toString('utf8');
    let body: unknown = null;
    if (raw) {
      try {
        body = JSON.parse(raw);
      } catch {
        return invalid(res, 'body is not JSON');
      }
    }
    const download = /^\/downloads\/([^/?]+)\.mp4(?:\?signature=([^&]+))?$/.exec(req.url ?? '');
    if (download) {
      // Not the API: a pre-signed storage link (no Bearer key), like Daily's S3 download links.
      const [, id = '', signature = null] = download;
      downloads.push({ path: req.url ?? '', range: req.headers.range, signature });
      const file = recordingFiles.get(id);
      if (!file || signatures.get(id) !== signature) return res.writeHead(403, { 'content-type': 'application/xml' }).end('<Error><Code>AccessDenied</Code></Error>');
      const range = /^bytes=(\d+)-(\d*)$/.exec(req.headers.range ?? '');
      if (!range) return res.writeHead(200, { 'content-type': 'video/mp4', 'content-length': file.length, 'accept-ranges': 'bytes' }).end(file);
      const start = Number(range[1]);
      if (start >= file.length) return res.writeHead(416, { 'content-range': `bytes */${file.length}` }).end();
      const end = Math.min(range[2] ? Number(range[2]) : file.length - 1, file.length - 1);
      return res
        .writeHead(206, { 'content-type': 'video/mp4', 'content-length': end - start + 1, 'content-range': `bytes ${start}-${end}/${file.length}`, 'accept-ranges': 'bytes' })
        .end(file.subarray(start, end + 1));
    }
    const path = (req.url ?? '/').replace(/^\/v1/, '');
    requests.push({ method: req.method ?? 'GET', path, authorization: req.headers.authorization, body });
    const json = (status: number, value: unknown) => res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(value));

    if (req.headers.authorization !== `Bearer ${apiKey}`) return json(401, { error: 'authentication-error', info: 'bad API key' });
    if (failures && failures.count > 0) {
      failures.count--;
      return json(failures.status, { error: 'server-error' });
    }

    if (req.method === 'POST' && path === '/rooms') {
      const b = body as { name?: unknown; privacy?: unknown; properties?: Record<string, unknown> } | null;
      if (!b || typeof b.name !== 'string' || !/^[A-Za-z0-9_-]{1,128}$/.test(b.name)) return invalid(res, 'name must be [A-Za-z0-9_-]{1,128}');
      if (b.privacy !== 'private' && b.privacy !== 'public') return invalid(res, 'privacy must be private or public');
      const props = b.properties ?? {};
      const bad = checkTypes(props, ROOM_PROPERTIES);
      if (bad) return invalid(res, bad);
      if (rooms.has(b.name)) return invalid(res, `a room named ${b.name} already exists`);
      const room: FakeDailyRoom = {
        id: randomBytes(8).toString('hex'),
        name: b.name,
        api_created: true,
        privacy: b.privacy,
        url: `https://${domain}/${b.name}`,
        created_at: new Date().toISOString(),
        config: props,
      };
      rooms.set(room.name, room);
      return json(200, room);
    }
    const roomMatch = /^\/rooms\/([^/]+)$/.exec(path);
    if (req.method === 'GET' && roomMatch) {
      const room = rooms.get(decodeURIComponent(roomMatch[1]!));
      return room ? json(200, room) : json(404, { error: 'not-found', info: 'room not found' });
    }
    if (req.method === 'POST' && path === '/meeting-tokens') {
      const props = (body as { properties?: Record<string, unknown> } | null)?.properties;
      if (!props) return invalid(res, 'properties is required');
      const bad = checkTypes(props, TOKEN_PROPERTIES);
      if (bad) return invalid(res, bad);
      if (typeof props.room_name !== 'string' || !rooms.has(props.room_name)) return invalid(res, 'room_name does not exist');
      const token = `eyFake.${randomBytes(16).toString('base64url')}`;
      tokens.set(token, props);
      return json(200, { token });
    }
    const linkMatch = /^\/recordings\/([^/]+)\/access-link$/.exec(path);
    if (req.method === 'GET' && linkMatch) {
      const id = decodeURIComponent(linkMatch[1]!);
      if (!recordingFiles.has(id)) return json(404, { error: 'not-found', info: 'recording not found' });
      const signature = randomBytes(8).toString('hex');
      signatures.set(id, signature);
      return json(200, { download_link: `${origin}/downloads/${encodeURIComponent(id)}.mp4?signature=${signature}`, expires: Math.floor(Date.now() / 1000) + 3600 });
    }
    json(404, { error: 'not-found', info: `no route ${req.method} ${path}` });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  origin = `http://127.0.0.1:${port}`;
  return {
    url: `http://127.0.0.1:${port}/v1`,
    apiKey,
    requests,
    rooms,
    tokens,
    recordingFiles,
    downloads,
    failNext: (status, count = 1) => {
      failures = { status, count };
    },
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

/** Signs a webhook body the way Daily does (for tests posting webhooks to our endpoint). */
export function signDailyWebhook(secretBase64: string, body: string, timestamp = String(Math.floor(Date.now() / 1000))) {
  const signature = createHmac('sha256', Buffer.from(secretBase64, 'base64')).update(`${timestamp}.${body}`).digest('base64');
  return { 'x-webhook-signature': signature, 'x-webhook-timestamp': timestamp };
}
