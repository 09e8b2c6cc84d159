import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { actorOf } from '../../platform/auth-hook.js';
import { toErrorBody } from '../../platform/error-handler.js';
import { perMinute } from '../../platform/rate-limit.js';
import { actingUserId } from '../../platform/scope.js';
import { toAppError } from '../../platform/to-app-error.js';
import type { Users } from '../accounts/users.js';
import type { ChatSessions } from './chat-sessions.js';
import type { CreditLedger } from './credit-ledger.js';
import {
  ZCreateSession, ZHistoryQuery, ZHistoryResponse, ZListSessionsQuery, ZListSessionsResponse, ZRenameSession, ZSendRequest,
  ZSendResponse, ZSessionParams, ZSessionResponse, ZSessionWithMessagesResponse, ZStatsQuery, ZStatsResponse,
} from '../../shared/api/chat.js';
import type { SendMessage } from './send-message.js';

interface Deps {
  users: Users;
  sessions: ChatSessions;
  credits: CreditLedger;
  sendMessage: SendMessage;
  aiPerMinute: number;
}

/** True when the client asked for Server-Sent Events. */
const wantsStream = (request: FastifyRequest) => (request.headers.accept ?? '').includes('text/event-stream');

/** Aborts when the client goes away before the response is finished. */
function abortOnDisconnect(reply: FastifyReply): AbortController {
  const controller = new AbortController();
  reply.raw.on('close', () => {
    if (!reply.raw.writableFinished) controller.abort();
  });
  return controller;
}


/** Chat coach API (docs/chat.md): sessions, send (JSON or SSE), history, stats. */
export async function chatRoutes(app: FastifyInstance, deps: Deps): Promise<void> {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const tags = ['chat'];
  const { users, sessions, credits, sendMessage } = deps;
  const actingFor = (request: FastifyRequest, userId: string | undefined) => actingUserId(actorOf(request), userId, users.isInOrganization);

  r.get('/api/chat/sessions', {
    schema: { tags, summary: 'My chat sessions, newest first (search with q, page with cursor)', querystring: ZListSessionsQuery, response: { 200: ZListSessionsResponse } },
  }, async (request) => {
    const userId = await actingFor(request, request.query.userId);
    return sessions.list(userId, { limit: request.query.limit, cursor: request.query.cursor, search: request.query.q });
  });

  r.post('/api/chat/sessions', {
    schema: { tags, summary: 'Start an empty chat session', body: ZCreateSession, response: { 201: ZSessionResponse } },
  }, async (request, reply) => {
    const actor = actorOf(request);
    const userId = await actingFor(request, request.body.userId);
    const { locale } = await users.get(actor, userId);
    const session = await sessions.create({ organizationId: actor.organizationId, userId, title: request.body.title, locale });
    return reply.status(201).send({ session });
  });

  r.get('/api/chat/sessions/:sessionId', {
    schema: { tags, summary: 'A chat session with all its messages', params: ZSessionParams, response: { 200: ZSessionWithMessagesResponse } },
  }, async (request) => {
    const { session, messages } = await sessions.get(actorOf(request), request.params.sessionId);
    return { session: { ...session, messages } };
  });

  r.patch('/api/chat/sessions/:sessionId', {
    schema: { tags, summary: 'Rename a chat session', params: ZSessionParams, body: ZRenameSession, response: { 200: ZSessionResponse } },
  }, async (request) => ({ session: await sessions.rename(actorOf(request), request.params.sessionId, request.body.title) }));

  r.delete('/api/chat/sessions/:sessionId', {
    schema: { tags, summary: 'Delete a chat session and its messages', params: ZSessionParams, response: { 204: z.null() } },
  }, async (request, reply) => {
    await sessions.remove(actorOf(request), request.params.sessionId);
    return reply.status(204).send(null);
  });

  r.post('/api/chat/send', {
    config: { rateLimit: perMinute(deps.aiPerMinute) },
    schema: {
      tags,
      summary: 'Send a message to the coach (one credit per reply). With Accept: text/event-stream the reply streams as SSE: `delta` events, then `done` (or `error`).',
      body: ZSendRequest,
      response: { 200: ZSendResponse },
    },
  }, async (request, reply) => {
    const actor = actorOf(request);
    const userId = await actingFor(request, request.body.userId);
    // Every check (session, credits) happens here, so errors are plain JSON even for SSE clients.
    const prepared = await sendMessage.prepare({
      organizationId: actor.organizationId,
      userId,
      sessionId: request.body.sessionId,
      message: request.body.message,
    });
    const controller = abortOnDisconnect(reply);
    if (!wantsStream(request)) {
      try {
        return await prepared.run({ signal: controller.signal });
      } catch (err) {
        // The client went away: nobody to answer (the partial reply is saved, nothing charged).
        if (!controller.signal.aborted) throw err;
        request.log.info('chat send: client disconnected before the reply was complete');
        reply.hijack();
        return;
      }
    }

    reply.hijack();
    const res = reply.raw;
    res.writeHead(200, {
      ...(reply.getHeaders() as Record<string, string>),
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache, no-transform',
      connection: 'keep-alive',
      'x-accel-buffering': 'no',
    });
    const send = (event: string, data: unknown) => {
      if (!res.writableEnded && !res.destroyed) res.write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
    };
    try {
      const result = await prepared.run({ signal: controller.signal, onDelta: (delta) => send('delta', { delta }) });
      send('done', result);
    } catch (err) {
      if (!controller.signal.aborted) {
        const { error, kind } = toAppError(err);
        if (kind === 'unexpected') request.log.error({ err }, 'chat stream failed');
        send('error', toErrorBody(error));
      }
    } finally {
      if (!res.writableEnded) res.end();
    }
  });

  r.get('/api/chat/history', {
    schema: { tags, summary: 'My conversations with previews and totals (cursor pagination)', querystring: ZHistoryQuery, response: { 200: ZHistoryResponse } },
  }, async (request) => {
    const userId = await actingFor(request, request.query.userId);
    return sessions.history(userId, { limit: request.query.limit, cursor: request.query.cursor });
  });

  r.get('/api/user/stats', {
    schema: { tags, summary: 'My chat totals, plan and remaining credits', querystring: ZStatsQuery, response: { 200: ZStatsResponse } },
  }, async (request) => {
    const userId = await actingFor(request, request.query.userId);
    const [totals, state] = await Promise.all([sessions.totals(userId), credits.state(userId)]);
    const canSend = state.remaining === null || state.remaining - state.reserved > 0;
    return {
      stats: {
        totalChats: totals.totalSessions,
        totalMessages: totals.totalMessages,
        remainingCredits: state.remaining,
        plan: state.plan,
        status: canSend ? ('ACTIVE' as const) : ('NO_CREDITS' as const),
      },
    };
  });
}
