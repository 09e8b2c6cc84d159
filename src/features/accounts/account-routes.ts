import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { actorOf } from '../../platform/auth-hook.js';
import { requireHuman, requireScope } from '../../platform/actor.js';
import { AppError } from '../../platform/errors.js';
import type { ApiKeys } from './api-keys.js';
import type { Organizations } from './organizations.js';
import {
  ZApiKey, ZCreateApiKey, ZCreateUser, ZIdParams, ZMeResponse, ZOrganization, ZUpdateMe, ZUpdateUser, ZUser,
} from '../../shared/api/accounts.js';
import type { Users } from './users.js';

interface Deps {
  users: Users;
  organizations: Organizations;
  apiKeys: ApiKeys;
}

/** The signed-in user, the organization's users (scoped) and its API keys. */
export async function accountRoutes(app: FastifyInstance, { users, organizations, apiKeys }: Deps): Promise<void> {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const tags = ['accounts'];

  r.get('/api/me', {
    schema: { tags, summary: 'Who am I: the user (null for an API key) and the organization', response: { 200: ZMeResponse } },
  }, async (request) => {
    const actor = actorOf(request);
    const org = await organizations.byId(actor.organizationId);
    if (!org) throw new AppError('NOT_FOUND', 'Organization not found.');
    const user = actor.userId ? await users.get(actor, actor.userId) : null;
    const via: 'apiKey' | 'accessToken' | 'session' = actor.kind === 'apiKey' ? 'apiKey' : request.headers.authorization ? 'accessToken' : 'session';
    return { user, organization: { id: org.id, name: org.name, slug: org.slug }, via };
  });

  r.patch('/api/me', {
    schema: { tags, summary: 'Update my name, language or time zone (IANA, e.g. Europe/Paris)', body: ZUpdateMe, response: { 200: z.object({ user: ZUser }) } },
  }, async (request) => {
    const actor = actorOf(request);
    requireHuman(actor);
    return { user: await users.update(actor, actor.userId, request.body) };
  });

  r.get('/api/organization', {
    schema: { tags, summary: 'The current organization', response: { 200: z.object({ organization: ZOrganization }) } },
  }, async (request) => {
    const org = await organizations.byId(actorOf(request).organizationId);
    if (!org) throw new AppError('NOT_FOUND', 'Organization not found.');
    return { organization: { id: org.id, name: org.name, slug: org.slug } };
  });

  r.get('/api/users', {
    schema: { tags, summary: 'Users I may see: my whole organization as an admin, else only me', response: { 200: z.object({ users: z.array(ZUser) }) } },
  }, async (request) => ({ users: await users.list(actorOf(request)) }));

  r.post('/api/users', {
    config: { roles: ['admin'] },
    schema: { tags, summary: 'Create a user in my organization (admin)', body: ZCreateUser, response: { 201: z.object({ user: ZUser }) } },
  }, async (request, reply) => {
    const actor = actorOf(request);
    // A users:write key creates members on the free plan; higher roles and plans need `admin`.
    if (request.body.role !== 'member' || request.body.plan !== 'FREE') requireScope(actor, 'admin');
    const user = await users.createWithPassword({ ...request.body, organizationId: actor.organizationId });
    return reply.status(201).send({ user });
  });

  r.get('/api/users/:id', {
    schema: { tags, summary: 'One user (mine, or any of my organization as an admin)', params: ZIdParams, response: { 200: z.object({ user: ZUser }) } },
  }, async (request) => ({ user: await users.get(actorOf(request), request.params.id) }));

  r.patch('/api/users/:id', {
    schema: { tags, summary: 'Update a user; role and plan need an admin', params: ZIdParams, body: ZUpdateUser, response: { 200: z.object({ user: ZUser }) } },
  }, async (request) => ({ user: await users.update(actorOf(request), request.params.id, request.body) }));

  r.delete('/api/users/:id', {
    config: { roles: ['admin'] },
    schema: { tags, summary: 'Delete a user of my organization (admin)', params: ZIdParams, response: { 204: z.null() } },
  }, async (request, reply) => {
    await users.remove(actorOf(request), request.params.id);
    return reply.status(204).send(null);
  });

  r.get('/api/api-keys', {
    config: { roles: ['admin'] },
    schema: { tags, summary: "My organization's API keys (admin)", response: { 200: z.object({ apiKeys: z.array(ZApiKey) }) } },
  }, async (request) => {
    const actor = actorOf(request);
    requireHuman(actor);
    return { apiKeys: await apiKeys.list(actor) };
  });

  r.post('/api/api-keys', {
    config: { roles: ['admin'] },
    schema: {
      tags,
      summary: 'Create an organization API key (admin). The key is shown only in this response.',
      body: ZCreateApiKey,
      response: { 201: z.object({ key: z.string(), apiKey: ZApiKey }) },
    },
  }, async (request, reply) => {
    const actor = actorOf(request);
    requireHuman(actor);
    const expiresAt = request.body.expiresAt ? new Date(request.body.expiresAt) : null;
    if (expiresAt && expiresAt.getTime() <= Date.now()) throw new AppError('VALIDATION_FAILED', 'Invalid expiresAt: must be in the future', { field: 'expiresAt' });
    const created = await apiKeys.create({ organizationId: actor.organizationId, name: request.body.name, scopes: request.body.scopes, createdByUserId: actor.userId, expiresAt });
    return reply.status(201).send(created);
  });

  r.delete('/api/api-keys/:id', {
    config: { roles: ['admin'] },
    schema: { tags, summary: 'Revoke an API key (admin)', params: ZIdParams, response: { 200: z.object({ apiKey: ZApiKey }) } },
  }, async (request) => {
    const actor = actorOf(request);
    requireHuman(actor);
    return { apiKey: await apiKeys.revoke(actor, request.params.id) };
  });
}
