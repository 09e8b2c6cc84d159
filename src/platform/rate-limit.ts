import rateLimit from '@fastify/rate-limit';
import type { FastifyInstance } from 'fastify';
import type { Redis } from 'ioredis';
import { AppError } from './errors.js';

export interface RateLimitOptions {
  globalPerMinute: number;
  redis: Redis | null;
  keyPrefix: string;
}

/**
 * One limiter for the app, shared across instances through Redis when configured. Routes set
 * stricter limits with `config: { rateLimit: authLimit(n) }` (auth) or aiLimit (AI endpoints).
 */
export async function registerRateLimit(app: FastifyInstance, options: RateLimitOptions): Promise<void> {
  await app.register(rateLimit, {
    global: true,
    max: options.globalPerMinute,
    timeWindow: 60_000,
    ...(options.redis ? { redis: options.redis, nameSpace: `${options.keyPrefix}rl:` } : {}),
    // Redis down must not take the API down: requests pass, the error is logged.
    skipOnError: true,
    errorResponseBuilder: (_request, context) =>
      new AppError('RATE_LIMITED', `Too many requests. Try again in ${Math.ceil(context.ttl / 1000)} s.`, { retryAfterMs: context.ttl, limit: context.max }),
  });
}

export const perMinute = (max: number) => ({ max, timeWindow: 60_000 });
