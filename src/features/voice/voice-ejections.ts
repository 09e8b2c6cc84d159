/**
 * "End the voice sessions of …" across instances: a user who signed out everywhere or was
 * deleted, an API key revoked. Published on Redis pub/sub when REDIS_URL is set (every instance
 * hears it), else delivered in this process only. Each instance ends its own matching sessions.
 */
import type { Redis } from 'ioredis';

export type EjectionTarget = { userId: string } | { apiKeyId: string };

export interface Ejection {
  target: EjectionTarget;
  /** Why (the error event's message names it). */
  cause: 'signed_out' | 'user_deleted' | 'api_key_revoked';
}

export interface VoiceEjections {
  readonly kind: 'redis' | 'memory';
  publish(ejection: Ejection): Promise<void>;
  onEjection(handler: (ejection: Ejection) => void): void;
  close(): Promise<void>;
}

export function createMemoryEjections(): VoiceEjections {
  const handlers: ((e: Ejection) => void)[] = [];
  return {
    kind: 'memory',
    async publish(ejection) {
      for (const h of handlers) h(ejection);
    },
    onEjection(handler) {
      handlers.push(handler);
    },
    async close() {},
  };
}

export function createRedisEjections(redis: Redis, prefix: string): VoiceEjections {
  const channel = `${prefix}voice:ejections`;
  const subscriber = redis.duplicate();
  subscriber.on('error', () => undefined);
  const handlers: ((e: Ejection) => void)[] = [];
  const ready = subscriber.subscribe(channel);
  ready.catch(() => undefined);
  subscriber.on('message', (_channel: string, raw: string) => {
    let parsed: Ejection;
    try {
      parsed = JSON.parse(raw) as Ejection;
    } catch {
      return;
    }
    for (const h of handlers) h(parsed);
  });
  return {
    kind: 'redis',
    async publish(ejection) {
      await ready;
      await redis.publish(channel, JSON.stringify(ejection));
    },
    onEjection(handler) {
      handlers.push(handler);
    },
    async close() {
      subscriber.disconnect();
    },
  };
}
