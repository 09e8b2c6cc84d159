/**
 * `GET /v1/realtime`: the OpenAI Realtime WebSocket endpoint of the self-hosted engine.
 *
 * Auth as OpenAI does it: `Authorization: Bearer <token>` (servers, the SDK), or the
 * `openai-insecure-api-key.<token>` subprotocol (browsers, which cannot set headers; `realtime`
 * is echoed back when offered). A missing token, or a bad header token, gets HTTP 401 before the
 * upgrade; a bad subprotocol token is closed with 4401 after it (browsers cannot read a 401).
 *
 * Each connection is a RealtimeSession with the plugin's limits; the app decides whether it may
 * start (`mayStart`), hears when it starts and ends (`onSessionStart`, `onSessionEnd` with its
 * duration), and ends it from outside through the `registry`. A socket whose send buffer keeps
 * growing (a client that does not read) is closed as a slow consumer.
 */
import websocket from '@fastify/websocket';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { IncomingMessage } from 'node:http';
import { WebSocket } from 'ws';
import { systemClock, type Clock } from '../clock.js';
import type { BargeInOptions } from './barge-in.js';
import type { ResponseMetrics } from './response-runner.js';
import { RealtimeSession, type StartDecision, type TranscriptionMetrics } from './realtime-session.js';
import type { SessionCloseReason } from './session-end.js';
import type { RealtimeLimits } from './session-limits.js';
import { RealtimeSessionRegistry } from './session-registry.js';
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
  /** Limits of every session (each missing one takes its default, session-limits.ts). */
  limits?: Partial<RealtimeLimits>;
  /** Where running sessions are found to end them from outside. Default: a registry of the plugin's own. */
  registry?: RealtimeSessionRegistry;
  /** Asked before `session.created` (one-time credentials, concurrency); a refusal sends an error and closes (default 4403). */
  mayStart?: (identity: I, sessionId: string) => StartDecision | Promise<StartDecision>;
  /** A session started. */
  onSessionStart?: (info: { sessionId: string; identity: I }) => void;
  /** A session that started has ended, `durationMs` after it started (voice-minute metering). */
  onSessionEnd?: (info: { sessionId: string; identity: I; durationMs: number; reason: SessionCloseReason }) => void;
  /** Largest client frame when the plugin registers @fastify/websocket itself. Default 1 MiB. */
  maxPayloadBytes?: number;
  /** Time and timers of the sessions (tests). */
  clock?: Clock;
}

/** Largest client frame (bytes) when the plugin registers @fastify/websocket: a 100 ms append is ~6.4 kB. */
export const DEFAULT_MAX_PAYLOAD_BYTES = 1024 * 1024;
/** A socket the session closed is destroyed if its closing handshake has not finished by then (a client that does not read). */
const CLOSE_GRACE_MS = 5_000;

/** Client frames received and not yet handled, in bytes, before the socket stops reading. */
const MAX_PENDING_BYTES = 4 * 1024 * 1024;

const KEY_PROTOCOL = 'openai-insecure-api-key.';
export const CLOSE_UNAUTHORIZED = 4401;

/**
 * `preClose` for @fastify/websocket when the app registers it itself (its own preClose, which
 * closes every client without a code, runs before the plugin's): realtime sessions end first with
 * `server_shutdown` (error event, close 1001), then the other clients are closed as by default.
 */
export function realtimePreClose(registry: RealtimeSessionRegistry): (this: FastifyInstance) => Promise<void> {
  return async function preClose(this: FastifyInstance) {
    registry.endWhere({}, 'server_shutdown');
    const server = this.websocketServer;
    for (const client of server.clients) if (client.readyState === WebSocket.OPEN) client.close();
    server.close();
  };
}

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
  const clock = options.clock ?? systemClock;
  const registry = options.registry ?? new RealtimeSessionRegistry(clock);
  // Shutting down: every session gets an error (server_shutdown) and a 1001 close, not a dropped
  // socket. Added before @fastify/websocket's own preClose (which closes every client) when the
  // plugin registers it; an app that registers it passes it `preClose: realtimePreClose(registry)`.
  app.addHook('preClose', async () => {
    registry.endWhere({}, 'server_shutdown');
  });
  if (!app.hasDecorator('websocketServer')) {
    await app.register(websocket, { options: { maxPayload: options.maxPayloadBytes ?? DEFAULT_MAX_PAYLOAD_BYTES, handleProtocols: realtimeHandleProtocols } });
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
      const session: RealtimeSession = new RealtimeSession({
        stages: options.stages,
        identity,
        clock,
        send: (event) => {
          if (socket.readyState === WebSocket.OPEN) socket.send(JSON.stringify(event));
        },
        bufferedAmount: () => socket.bufferedAmount,
        closeTransport: (code, reason) => {
          socket.close(code, reason);
          clock.setTimeout(() => socket.readyState !== WebSocket.CLOSED && socket.terminate(), CLOSE_GRACE_MS);
        },
        ...(options.limits || identity.limits ? { limits: { ...options.limits, ...identity.limits } } : {}),
        ...(options.mayStart ? { mayStart: (info) => options.mayStart!(identity, info.sessionId) } : {}),
        onStart: () => {
          registry.add(session, identity);
          options.onSessionStart?.({ sessionId, identity });
        },
        onEnd: ({ durationMs, reason }) => {
          registry.remove(sessionId);
          logger.info({ sessionId, durationMs, reason }, 'realtime session ended');
          options.onSessionEnd?.({ sessionId, identity, durationMs, reason });
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
      void session.start();
      // Frames are handled one after the other; a client sending faster than they are handled
      // (a flood of appends) is paused — TCP pushes back on it — instead of queueing without limit.
      let pendingBytes = 0;
      let paused = false;
      socket.on('message', (data, isBinary) => {
        const text = isBinary ? '{"type":"binary frame"}' : Buffer.isBuffer(data) ? data.toString('utf8') : Array.isArray(data) ? Buffer.concat(data).toString('utf8') : Buffer.from(data).toString('utf8');
        pendingBytes += text.length;
        if (!paused && pendingBytes > MAX_PENDING_BYTES) {
          paused = true;
          socket.pause();
        }
        void session.handle(text).finally(() => {
          pendingBytes -= text.length;
          if (paused && pendingBytes <= MAX_PENDING_BYTES / 4) {
            paused = false;
            socket.resume();
          }
        });
      });
      socket.on('error', (err) => logger.warn({ err }, 'realtime socket error'));
      socket.on('close', (code) => {
        logger.info({ sessionId, code }, 'realtime session closed');
        void session.close(code === 1000);
      });
    },
  });
}
