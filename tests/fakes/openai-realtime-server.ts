/**
 * A loopback fake of OpenAI's GA Realtime REST endpoint `POST /v1/realtime/client_secrets`: checks
 * the Bearer key, records the request, answers `{ value: "ek_…", expires_at, session }` like the
 * real API (or a scripted OpenAI-shaped error).
 */
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface RecordedSecretRequest {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  body: { expires_after?: { anchor?: string; seconds?: number }; session?: Record<string, unknown> } | undefined;
}

export interface FakeOpenAiRealtime {
  readonly baseURL: string;
  readonly requests: RecordedSecretRequest[];
  /** When set, the next request gets this status and OpenAI-shaped error body. */
  failNext: { status: number; message: string } | undefined;
  close(): Promise<void>;
}

export async function startFakeOpenAiRealtime(options: { apiKey: string }): Promise<FakeOpenAiRealtime> {
  const requests: RecordedSecretRequest[] = [];
  const fake: FakeOpenAiRealtime = {
    baseURL: '',
    requests,
    failNext: undefined,
    async close() {
      server.closeAllConnections();
      server.close();
      await once(server, 'close');
    },
  };
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      let body: RecordedSecretRequest['body'];
      try {
        body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as RecordedSecretRequest['body'];
      } catch {
        body = undefined;
      }
      requests.push({ method: req.method ?? '', path: req.url ?? '', headers: req.headers, body });
      const error = (status: number, message: string, code: string | null = null): void => {
        res.writeHead(status, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ error: { message, type: 'invalid_request_error', param: null, code } }));
      };
      if (req.headers.authorization !== `Bearer ${options.apiKey}`) return error(401, 'Incorrect API key provided', 'invalid_api_key');
      if (req.method !== 'POST' || req.url !== '/v1/realtime/client_secrets') return error(404, `Unknown route ${req.method} ${req.url}`);
      if (fake.failNext) {
        const { status, message } = fake.failNext;
        fake.failNext = undefined;
        return error(status, message);
      }
      const seconds = body?.expires_after?.seconds ?? 600;
      const createdAt = Math.floor(Date.now() / 1000);
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(
        JSON.stringify({
          value: `ek_${randomBytes(16).toString('hex')}`,
          expires_at: createdAt + seconds,
          session: { ...body?.session, id: `sess_${randomBytes(8).toString('hex')}`, object: 'realtime.session', expires_at: 0 },
        }),
      );
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  (fake as { baseURL: string }).baseURL = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
  return fake;
}
