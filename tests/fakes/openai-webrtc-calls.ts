/**
 * A loopback fake of OpenAI Realtime's WebRTC signaling for browser tests:
 * `POST /v1/realtime/client_secrets` (server side, with the API key) mints `ek_…` secrets, and
 * `POST /v1/realtime/calls?model=…` (from the browser, CORS) takes the SDP offer with the
 * ephemeral key as Bearer and answers with the SDP produced by `answer(offer)` — in the e2e test,
 * a real RTCPeerConnection in a second browser page plays OpenAI's side.
 */
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface RecordedCall {
  headers: IncomingHttpHeaders;
  model: string | null;
  offer: string;
}

export interface FakeOpenAiWebRtc {
  readonly baseURL: string;
  readonly secrets: string[];
  readonly calls: RecordedCall[];
  /** Produces the SDP answer for an offer (set by the test). */
  answer: (offer: string) => Promise<string>;
  close(): Promise<void>;
}

export async function startFakeOpenAiWebRtc(options: { apiKey: string }): Promise<FakeOpenAiWebRtc> {
  const fake: FakeOpenAiWebRtc = {
    baseURL: '',
    secrets: [],
    calls: [],
    answer: () => Promise.reject(new Error('no answering peer')),
    async close() {
      server.closeAllConnections();
      server.close();
      await once(server, 'close');
    },
  };
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://fake');
    const cors = {
      'access-control-allow-origin': req.headers.origin ?? '*',
      'access-control-allow-methods': 'POST, OPTIONS',
      'access-control-allow-headers': 'authorization, content-type',
    };
    const reply = (status: number, body: string, type = 'application/json') => {
      res.writeHead(status, { ...cors, 'content-type': type });
      res.end(body);
    };
    const error = (status: number, message: string) => reply(status, JSON.stringify({ error: { message, type: 'invalid_request_error', code: null } }));
    if (req.method === 'OPTIONS') return reply(204, '');
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      if (req.method === 'POST' && url.pathname === '/v1/realtime/client_secrets') {
        if (req.headers.authorization !== `Bearer ${options.apiKey}`) return error(401, 'Incorrect API key provided');
        const value = `ek_${randomBytes(16).toString('hex')}`;
        fake.secrets.push(value);
        const session = (JSON.parse(body) as { session?: object }).session ?? {};
        return reply(200, JSON.stringify({ value, expires_at: Math.floor(Date.now() / 1000) + 60, session: { ...session, id: `sess_${randomBytes(8).toString('hex')}` } }));
      }
      if (req.method === 'POST' && url.pathname === '/v1/realtime/calls') {
        fake.calls.push({ headers: req.headers, model: url.searchParams.get('model'), offer: body });
        const bearer = req.headers.authorization?.replace(/^Bearer /, '') ?? '';
        if (!fake.secrets.includes(bearer)) return error(401, 'Invalid ephemeral key');
        if (req.headers['content-type'] !== 'application/sdp') return error(400, 'Expected application/sdp');
        fake.answer(body).then(
          (sdp) => reply(201, sdp, 'application/sdp'),
          (err: unknown) => error(500, String(err)),
        );
        return;
      }
      error(404, `Unknown route ${req.method} ${url.pathname}`);
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  (fake as { baseURL: string }).baseURL = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
  return fake;
}
