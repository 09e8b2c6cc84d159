import type {} from '@fastify/websocket';
import type { FastifyInstance } from 'fastify';
import { AppError } from '../../../platform/errors.js';
import type { SignalingHub } from './signaling-hub.js';

export const SIGNALING_PATH = '/api/video/signal';

/**
 * The built-in rooms' WebSocket. Public at the HTTP level: the room token sent in the first
 * frame is the credential (browsers cannot set headers on a WebSocket, and a token in the URL
 * would end up in access logs). A plain HTTP request gets our error body, naming the header.
 */
export async function signalingRoutes(app: FastifyInstance, hub: SignalingHub): Promise<void> {
  app.route({
    method: 'GET',
    url: SIGNALING_PATH,
    config: { auth: 'public' },
    schema: { tags: ['coaching sessions'], summary: 'Built-in video signaling (WebSocket; see docs/coaching-sessions.md)', hide: true },
    handler: async () => {
      throw new AppError('VALIDATION_FAILED', 'Invalid upgrade: connect with a WebSocket (Upgrade: websocket).', { field: 'upgrade' });
    },
    wsHandler: (socket) => {
      hub.handle(socket);
    },
  });
}
