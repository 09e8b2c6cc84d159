import { Redis } from 'ioredis';

/**
 * The shared Redis connection (rate limits now; pub/sub and presence later). Absent without
 * REDIS_URL: every user of it has an in-process fallback.
 */
export function connectRedis(url: string): Redis {
  const client = new Redis(url, {
    lazyConnect: false,
    maxRetriesPerRequest: 2,
    enableOfflineQueue: true,
    connectTimeout: 5_000,
  });
  // Errors surface through /api/health and the failing command; don't crash the process.
  client.on('error', () => undefined);
  return client;
}
