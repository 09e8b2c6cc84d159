import type { Redis } from 'ioredis';
import type { Backplane, JoinResult, Member, RoomEvent } from './backplane.js';

// Atomic "join unless full": KEYS[1] room hash; ARGV user, member JSON, max, expiry (ms epoch).
const JOIN = `
local previous = redis.call('HGET', KEYS[1], ARGV[1])
if not previous and redis.call('HLEN', KEYS[1]) >= tonumber(ARGV[3]) then return -1 end
redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
redis.call('PEXPIREAT', KEYS[1], ARGV[4])
if previous then return previous end
return 0`;

// Compare-and-delete: only the connection that holds the place frees it.
const LEAVE = `
local current = redis.call('HGET', KEYS[1], ARGV[1])
if not current then return 0 end
if cjson.decode(current).connId ~= ARGV[2] then return 0 end
redis.call('HDEL', KEYS[1], ARGV[1])
return 1`;

/**
 * Presence in one Redis hash per room (expiring with the room, plus a minute) and fan-out on
 * one pub/sub channel, so peers connected to different instances find and reach each other.
 */
export function createRedisBackplane(redis: Redis, prefix: string): Backplane {
  const channel = `${prefix}video:events`;
  const key = (room: string) => `${prefix}video:room:${room}`;
  const subscriber = redis.duplicate();
  subscriber.on('error', () => undefined);
  const handlers: ((room: string, event: RoomEvent) => void)[] = [];
  const ready = subscriber.subscribe(channel);
  // An app closed before the subscription completes rejects it ("Connection is closed"): only
  // publish() needs it, and awaits it; never leave the rejection unhandled.
  ready.catch(() => undefined);
  subscriber.on('message', (_channel: string, raw: string) => {
    let parsed: { room: string; event: RoomEvent };
    try {
      parsed = JSON.parse(raw) as { room: string; event: RoomEvent };
    } catch {
      return;
    }
    for (const h of handlers) h(parsed.room, parsed.event);
  });

  return {
    kind: 'redis',
    async join(room, member, max, expiresAtMs): Promise<JoinResult> {
      const result = (await redis.eval(JOIN, 1, key(room), member.userId, JSON.stringify(member), String(max), String(expiresAtMs + 60_000))) as number | string;
      if (result === -1) return { ok: false };
      return { ok: true, replaced: typeof result === 'string' ? (JSON.parse(result) as Member) : null };
    },
    async leave(room, userId, connId) {
      return (await redis.eval(LEAVE, 1, key(room), userId, connId)) === 1;
    },
    async members(room) {
      const all = await redis.hvals(key(room));
      return all.map((m) => JSON.parse(m) as Member);
    },
    async publish(room, event) {
      await ready;
      await redis.publish(channel, JSON.stringify({ room, event }));
    },
    onEvent(handler) {
      handlers.push(handler);
    },
    async close() {
      subscriber.disconnect();
    },
  };
}
