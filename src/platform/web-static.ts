import { existsSync } from 'node:fs';
import { join } from 'node:path';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance } from 'fastify';
import { AppError } from './errors.js';
import { toErrorBody } from './error-handler.js';

/**
 * Serves the built SPA (dist/web) and answers unknown non-API GETs with index.html so client
 * routes survive a reload. API 404s stay JSON. In `npm run dev` Vite serves the SPA instead.
 */
export async function registerWebStatic(app: FastifyInstance, root: string): Promise<boolean> {
  const hasBuild = existsSync(join(root, 'index.html'));
  if (hasBuild) {
    await app.register(fastifyStatic, { root, wildcard: false, index: ['index.html'], maxAge: '1h', immutable: false });
  }
  app.setNotFoundHandler((request, reply) => {
    const path = request.url.split('?')[0]!;
    const wantsPage = request.method === 'GET' && !path.startsWith('/api/') && !path.startsWith('/v1/') && (request.headers.accept ?? '').includes('text/html');
    if (hasBuild && wantsPage) return reply.header('cache-control', 'no-cache').sendFile('index.html');
    return reply.status(404).send(toErrorBody(new AppError('NOT_FOUND', `Route ${request.method} ${path} not found.`)));
  });
  return hasBuild;
}
