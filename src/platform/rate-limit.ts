import rateLimit from '@fastify/rate-limit';
import LocalStore from '@fastify/rate-limit/store/LocalStore.js';
import RedisStore from '@fastify/rate-limit/store/RedisStore.js';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { AppError } from './errors.js';

export interface RateLimitOptions {
  globalPerMinute: number;
  redis: Redis | null;
  keyPrefix: string;
  logger?: Logger;
}

type Counted = { current: number; ttl: number };
type Callback = (error: Error | null, result?: Counted) => void;
/** The store interface of @fastify/rate-limit (its LocalStore and RedisStore implement it). */
interface Store {
  incr(key: string, callback: Callback, timeWindow: number, max: number): void;
  read(key: string, callback: Callback, timeWindow: number, max: number): void;
  child(routeOptions: unknown): Store;
}

/** Where rate limits are counted right now, for /api/health. */
export interface RateLimitState {
  /** `redis`: shared by every instance; `memory`: this instance only. */
  store: 'redis' | 'memory';
  /** Redis is configured but unreachable: limits are counted per instance until it answers again. */
  fallback: boolean;
}

/**
 * Counts in Redis while it answers, and in this instance's memory (the library's own LocalStore)
 * while it does not: a Redis outage makes limits per-instance, never off. A command is not even
 * tried while the connection is down (ioredis would queue it and retry), so the fallback is immediate.
 */
class FallbackStore implements Store {
  constructor(
    private readonly redis: Store,
    private readonly local: Store,
    private readonly health: { redis: Redis; onFailure(err: Error): void; onSuccess(): void },
  ) {}

  private run(method: 'incr' | 'read', key: string, callback: Callback, timeWindow: number, max: number): void {
    if (this.health.redis.status !== 'ready') {
      this.health.onFailure(new Error(`redis ${this.health.redis.status}`));
      this.local[method](key, callback, timeWindow, max);
      return;
    }
    this.redis[method](key, (err, result) => {
      if (err) {
        this.health.onFailure(err);
        this.local[method](key, callback, timeWindow, max);
        return;
      }
      this.health.onSuccess();
      callback(null, result);
    }, timeWindow, max);
  }

  incr(key: string, callback: Callback, timeWindow: number, max: number): void {
    this.run('incr', key, callback, timeWindow, max);
  }

  read(key: string, callback: Callback, timeWindow: number, max: number): void {
    this.run('read', key, callback, timeWindow, max);
  }

  child(routeOptions: unknown): Store {
    return new FallbackStore(this.redis.child(routeOptions), this.local.child(routeOptions), this.health);
  }
}

/**
 * One limiter for the app, shared across instances through Redis when configured (falling back
 * to per-instance counting while Redis is down). Routes set stricter limits with
 * `config: { rateLimit: perMinute(n) }`. Returns the limiter's current state for /api/health.
 */
export async function registerRateLimit(app: FastifyInstance, options: RateLimitOptions): Promise<() => RateLimitState> {
  const redis = options.redis;
  let fallback = false;
  const health = redis
    ? {
        redis,
        onFailure: (err: Error) => {
          if (!fallback) options.logger?.warn({ err: err.message }, 'Redis unreachable: rate limits are counted per instance until it answers');
          fallback = true;
        },
        onSuccess: () => {
          if (fallback) options.logger?.info('Redis answers again: rate limits are shared again');
          fallback = false;
        },
      }
    : null;
  await app.register(rateLimit, {
    global: true,
    max: options.globalPerMinute,
    timeWindow: 60_000,
    ...(health ? { store: fallbackStoreClass(health, `${options.keyPrefix}rl:`) } : {}),
    // The stores never fail (Redis errors fall back to memory): an error here is a bug, not an outage.
    skipOnError: false,
    errorResponseBuilder: (_request, context) => rateLimited(context.ttl, context.max),
  });
  return () => ({ store: redis && !fallback ? 'redis' : 'memory', fallback });
}

/** The store constructor @fastify/rate-limit calls with its options (`store: Class`). */
function fallbackStoreClass(health: ConstructorParameters<typeof FallbackStore>[2], nameSpace: string): never {
  return class {
    constructor(params: { continueExceeding: boolean; exponentialBackoff: boolean }) {
      const shared = new RedisStore(params.continueExceeding, params.exponentialBackoff, health.redis, nameSpace) as Store;
      const local = new LocalStore(params.continueExceeding, params.exponentialBackoff) as Store;
      return new FallbackStore(shared, local, health);
    }
  } as never;
}

function rateLimited(ttlMs: number, max: number): AppError {
  return new AppError('RATE_LIMITED', `Too many requests. Try again in ${Math.ceil(ttlMs / 1000)} s.`, { retryAfterMs: ttlMs, limit: max });
}

export const perMinute = (max: number) => ({ max, timeWindow: 60_000 });

/**
 * A limit on failures counted under a key of the caller's choosing (e.g. one account), in the
 * same store as the other limits: `check` refuses (429) once `max` failures were counted in the
 * window, `fail` counts one. Keys are hashed by the caller when they hold personal data.
 */
export function failureLimit(app: FastifyInstance, options: { name: string; max: number; windowMs: number; key: (request: FastifyRequest) => string | null }) {
  const limiter = app.createRateLimit({ max: options.max, timeWindow: options.windowMs, keyGenerator: (request) => `${options.name}:${options.key(request) ?? ''}` });
  return {
    async check(request: FastifyRequest): Promise<void> {
      if (options.key(request) === null) return;
      const state = await limiter(request, { increment: false });
      if (!state.isAllowed && state.remaining === 0) throw rateLimited(state.ttl, state.max);
    },
    async fail(request: FastifyRequest): Promise<void> {
      if (options.key(request) === null) return;
      await limiter(request);
    },
  };
}
