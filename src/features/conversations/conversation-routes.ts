import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { CONVERSATION_KINDS } from '../../shared/conversations.js';
import { requireHuman } from '../../platform/actor.js';
import { actorOf } from '../../platform/auth-hook.js';
import { conversationView, type ConversationStore } from './conversation-store.js';

const ZConversation = z.object({
  id: z.string(),
  userId: z.string(),
  kind: z.enum(CONVERSATION_KINDS),
  status: z.enum(['active', 'completed', 'interrupted']),
  title: z.string(),
  provider: z.string().nullable(),
  model: z.string().nullable(),
  startedAt: z.string(),
  endedAt: z.string().nullable(),
});
const ZItem = z.object({
  itemId: z.string().min(1).max(128),
  role: z.enum(['user', 'assistant', 'system', 'tool']),
  type: z.enum(['message', 'function_call', 'function_call_output']).default('message'),
  text: z.string().max(100_000),
  startMs: z.number().int().min(0),
  endMs: z.number().int().min(0),
  status: z.enum(['completed', 'incomplete']).default('completed'),
});
const ZIdParams = z.object({ id: z.string().min(1).max(64) });

/**
 * Transcripts over HTTP. The local voice engine saves items server-side; with OpenAI Realtime
 * the browser posts each completed item here (idempotent by item id) and ends the conversation
 * — with `interrupted` from a page-hide beacon when the tab closes mid-conversation.
 */
export async function conversationRoutes(app: FastifyInstance, { store }: { store: ConversationStore }): Promise<void> {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const tags = ['conversations'];

  r.get('/api/conversations', {
    schema: {
      tags,
      summary: 'My conversations (an admin: the organization’s), newest first, cursor-paginated',
      querystring: z.object({ kind: z.enum(CONVERSATION_KINDS).optional(), limit: z.coerce.number().int().min(1).max(100).default(20), cursor: z.string().max(200).optional() }),
      response: { 200: z.object({ conversations: z.array(ZConversation), nextCursor: z.string().nullable() }) },
    },
  }, async (request) => store.list(actorOf(request), request.query));

  r.post('/api/conversations', {
    schema: {
      tags,
      summary: 'Start a conversation (before connecting to a realtime provider)',
      body: z.object({ kind: z.enum(CONVERSATION_KINDS), title: z.string().trim().min(1).max(200).optional(), provider: z.string().max(40).optional(), model: z.string().max(100).optional() }),
      response: { 201: z.object({ conversation: ZConversation }) },
    },
  }, async (request, reply) => {
    const actor = actorOf(request);
    requireHuman(actor);
    const { kind, title, provider, model } = request.body;
    const row = await store.start({
      organizationId: actor.organizationId,
      userId: actor.userId,
      kind,
      title: title ?? kind,
      ...(provider ? { provider } : {}),
      ...(model ? { model } : {}),
    });
    return reply.status(201).send({ conversation: conversationView(row) });
  });

  r.get('/api/conversations/:id', {
    schema: { tags, summary: 'A conversation and its transcript, ordered by when each turn started', params: ZIdParams, response: { 200: z.object({ conversation: ZConversation, items: z.array(ZItem) }) } },
  }, async (request) => store.transcript(actorOf(request), request.params.id));

  r.post('/api/conversations/:id/items', {
    schema: {
      tags,
      summary: 'Save one completed turn (idempotent by itemId)',
      params: ZIdParams,
      body: ZItem,
      response: { 201: z.object({ saved: z.literal(true) }), 200: z.object({ saved: z.literal(false) }) },
    },
  }, async (request, reply) => {
    const conversation = await store.getVisible(actorOf(request), request.params.id);
    const created = await store.saveItem(conversation.id, request.body);
    return created ? reply.status(201).send({ saved: true }) : reply.status(200).send({ saved: false });
  });

  r.post('/api/conversations/:id/end', {
    schema: {
      tags,
      summary: 'End a conversation: completed, or interrupted (tab closed, connection lost)',
      params: ZIdParams,
      body: z.object({ status: z.enum(['completed', 'interrupted']) }),
      response: { 200: z.object({ conversation: ZConversation }) },
    },
  }, async (request) => {
    const conversation = await store.getVisible(actorOf(request), request.params.id);
    return { conversation: conversationView(await store.end(conversation.id, request.body.status)) };
  });
}
