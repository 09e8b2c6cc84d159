import { expect, it } from 'vitest';
import { connectRedis } from '../../../platform/redis.js';
import { createRedisBackplane } from './redis-backplane.js';

const url = process.env.REDIS_URL;

it.skipIf(!url)('closing right after creation leaves no unhandled rejection (subscription cut short)', async () => {
  const unhandled: unknown[] = [];
  const onUnhandled = (reason: unknown) => unhandled.push(reason);
  process.on('unhandledRejection', onUnhandled);
  try {
    for (let i = 0; i < 5; i++) {
      const redis = connectRedis(url!);
      const backplane = createRedisBackplane(redis, `test-${process.pid}-${i}:`);
      await backplane.close();
      redis.disconnect();
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  } finally {
    process.off('unhandledRejection', onUnhandled);
  }
  expect(unhandled).toEqual([]);
});
