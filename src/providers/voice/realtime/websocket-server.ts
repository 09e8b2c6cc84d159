/**
 * `GET /v1/realtime`: the OpenAI Realtime WebSocket endpoint of the self-hosted engine.
 *
 * Auth as OpenAI does it: `Authorization: Bearer <token>` (servers, the SDK), or the
 * `openai-insecure-api-key.<token>` subprotocol (browsers, which cannot set headers; `realtime`
 * is echoed back when offered). A missing token, or a bad header token, gets HTTP 401 before the
 * upgrade; a bad subprotocol token is closed with 4401 after it (browsers cannot read a 401).
 */
import websocket from '@fastify/websocket';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { IncomingMessage } from 'node:http';
import { WebSocket } from 'ws';
import type { BargeInOptions } from './barge-in.js';
import type { ResponseMetrics } from './response-runner.js';
import { RealtimeSession, type TranscriptionMetrics } from './realtime-session.js';
import type { Authenticate, RealtimeIdentity, RealtimeStages } from './stages.js';
import type { ServerTool } from './tool-runner.js';
import type { TranscriptSink } from './transcript.js';

/** `I`: what `authenticate` returns — a RealtimeIdentity, plus whatever the app's sink needs. */
export interface RealtimeServerOptions<I extends RealtimeIdentity = RealtimeIdentity> {
  stages: RealtimeStages;
  authenticate: Authenticate<I>;
  /** A transcript sink per session (the DB sink in the app). */
  createSink?: (identity: I, sessionId: string) => TranscriptSink;
  /** Tools run on the server for this identity (no browser round trip). */
  serverTools?: (identity: I) => readonly ServerTool[];
  bargeIn?: Partial<BargeInOptions>;
  /** Prepare replies during the closing silence (early-reply.ts). Default true. */
  earlyReply?: boolean;
  path?: string;
  onResponseMetrics?: (metrics: ResponseMetrics) => void;
  onTranscriptionMetrics?: (metrics: TranscriptionMetrics) => void;
}

const KEY_PROTOCOL = 'openai-insecure-api-key.';
export const CLOSE_UNAUTHORIZED = 4401;

/** Picks the subprotocol to echo: `realtime` when offered (as OpenAI does), else the first one. */
export function realtimeHandleProtocols(protocols: Set<string>, _request: IncomingMessage): string | false {
  if (protocols.has('realtime')) return 'realtime';
  const first = [...protocols][0];
  return first ?? false;
}

function tokenFrom(request: FastifyRequest): { token: string; via: 'header' | 'subprotocol' } | undefined {
  const header = request.headers.authorization;
  if (header?.startsWith('Bearer ') && header.length > 7) return { token: header.slice(7).trim(), via: 'header' };
  const protocols = String(request.headers['sec-websocket-protocol'] ?? '').split(',').map((p) => p.trim());
  const keyed = protocols.find((p) => p.startsWith(KEY_PROTOCOL) && p.length > KEY_PROTOCOL.length);
  return keyed ? { token: keyed.slice(KEY_PROTOCOL.length), via: 'subprotocol' } : undefined;
}

/** The Fastify plugin. Registers @fastify/websocket unless the app already did (then pass it `realtimeHandleProtocols`). */
export async function realtimeWebSocketServer<I extends RealtimeIdentity = RealtimeIdentity>(app: FastifyInstance, options: RealtimeServerOptions<I>): Promise<void> {
  if (!app.hasDecorator('websocketServer')) {
    await app.register(websocket, { options: { maxPayload: 8 * 1024 * 1024, handleProtocols: realtimeHandleProtocols } });
  }
  const identities = new WeakMap<FastifyRequest, I>();

  app.route({
    method: 'GET',
    url: options.path ?? '/v1/realtime',
    preValidation: async (request, reply) => {
      const found = tokenFrom(request);
      if (!found) return reply.code(401).send({ error: { type: 'invalid_request_error', code: 'UNAUTHENTICATED', message: 'Missing bearer token.' } });
      const identity = await options.authenticate(found.token).catch(() => null);
      if (identity) identities.set(request, identity);
      else if (found.via === 'header') return reply.code(401).send({ error: { type: 'invalid_request_error', code: 'UNAUTHENTICATED', message: 'Invalid token.' } });
    },
    handler: (_request, reply) => reply.code(426).send({ error: { type: 'invalid_request_error', code: 'UPGRADE_REQUIRED', message: 'Connect with a WebSocket.' } }),
    wsHandler: (socket, request) => {
      const identity = identities.get(request);
      if (!identity) return socket.close(CLOSE_UNAUTHORIZED, 'invalid token');
      const model = (request.query as { model?: unknown }).model;
      const logger = request.log.child({ component: 'realtime' });
      let sessionId = '';
      let sink: TranscriptSink | undefined;
      // Created on first use: sessions that never save anything do not open a transcript.
      const sinkOf = (): TranscriptSink => (sink ??= options.createSink!(identity, sessionId));
      const session = new RealtimeSession({
        stages: options.stages,
        identity,
        send: (event) => {
          if (socket.readyState === WebSocket.OPEN) socket.send(JSON.stringify(event));
        },
        ...(options.createSink ? { sink: { save: (item) => sinkOf().save(item), close: async (reason) => void (await sink?.close(reason)) } } : {}),
        ...(options.serverTools ? { serverTools: options.serverTools(identity) } : {}),
        ...(typeof model === 'string' && model.length <= 100 ? { model } : {}),
        ...(options.bargeIn ? { bargeIn: options.bargeIn } : {}),
        ...(options.earlyReply !== undefined ? { earlyReply: options.earlyReply } : {}),
        ...(options.onResponseMetrics ? { onResponseMetrics: options.onResponseMetrics } : {}),
        ...(options.onTranscriptionMetrics ? { onTranscriptionMetrics: options.onTranscriptionMetrics } : {}),
        logger,
      });
      sessionId = session.id;
      logger.info({ sessionId: session.id, userId: identity.userId }, 'realtime session opened');
      session.start();
      socket.on('message', (data, isBinary) => {
        if (isBinary) return void session.handle('{"type":"binary frame"}');
        void session.handle(Buffer.isBuffer(data) ? data.toString('utf8') : Array.isArray(data) ? Buffer.concat(data).toString('utf8') : Buffer.from(data).toString('utf8'));
      });
      socket.on('error', (err) => logger.warn({ err: err.message }, 'realtime socket error'));
      socket.on('close', (code) => {
        logger.info({ sessionId, code }, 'realtime session closed');
        void session.close(code === 1000);
      });
    },
  });
}
