import type { RouteScope } from '../../platform/auth-hook.js';

/**
 * The scope an organization API key needs for each private route, by the route's pattern: the ONE
 * table (docs/api-keys.md lists it). A route under no prefix here needs `admin`, so a new route is
 * closed to narrower keys until someone classifies it. People are not scoped (their role is).
 */
const RULES: { prefix: string; scope: RouteScope; methods?: string[] }[] = [
  // Who am I, my organization and its users: every key (integrations need user ids to act for them).
  { prefix: '/api/me', scope: 'any' },
  { prefix: '/api/organization', scope: 'any' },
  { prefix: '/api/users', scope: 'any', methods: ['GET', 'HEAD'] },
  { prefix: '/api/users', scope: 'users:write' },
  { prefix: '/api/voice/', scope: 'voice' },
  { prefix: '/api/conversations', scope: 'voice' },
  { prefix: '/api/evaluations', scope: 'voice' },
  { prefix: '/api/chat/', scope: 'chat' },
  { prefix: '/api/user/stats', scope: 'chat' },
  { prefix: '/api/announcements', scope: 'bookings' },
  { prefix: '/api/coaches/', scope: 'bookings' },
  { prefix: '/api/reservations', scope: 'bookings' },
  { prefix: '/api/recordings/', scope: 'bookings' },
  { prefix: '/api/packs', scope: 'bookings' },
];

const matches = (url: string, prefix: string) => (prefix.endsWith('/') ? url.startsWith(prefix) : url === prefix || url.startsWith(`${prefix}/`));

export function apiKeyScopeOf(method: string, routeUrl: string): RouteScope {
  const rule = RULES.find((r) => matches(routeUrl, r.prefix) && (!r.methods || r.methods.includes(method)));
  return rule?.scope ?? 'admin';
}
