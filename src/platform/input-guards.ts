import type { FastifyInstance } from 'fastify';
import { AppError } from './errors.js';

/** Nesting no request needs: past it, a body is refused before anything walks it recursively. */
export const MAX_DEPTH = 64;

/**
 * The first thing in a parsed request part that no route can take, as a field path (zod style:
 * `windows.0.timeZone`) and a message: a string holding a NUL character, or nesting past MAX_DEPTH.
 */
export function findUnfit(value: unknown, path: string[] = []): { field: string; message: string } | null {
  if (typeof value === 'string') return value.includes('\u0000') ? { field: path.join('.') || 'body', message: 'must not contain NUL characters' } : null;
  if (value === null || typeof value !== 'object') return null;
  if (path.length >= MAX_DEPTH) return { field: path.length && !/^\d+$/.test(path[0]!) ? path[0]! : 'body', message: `must not be nested more than ${MAX_DEPTH} levels deep` };
  const entries: [string, unknown][] = Array.isArray(value) ? value.map((v, i) => [String(i), v]) : Object.entries(value);
  for (const [key, v] of entries) {
    if (key.includes('\u0000')) return { field: [...path, key.replaceAll('\u0000', '\\0')].join('.'), message: 'must not contain NUL characters' };
    const found = findUnfit(v, [...path, key]);
    if (found) return found;
  }
  return null;
}

/**
 * Input no route can take, refused up front with a 400 naming the field:
 * - a NUL character: PostgreSQL text cannot hold one (it reached the database as a 500);
 * - nesting past MAX_DEPTH: JSON.parse takes 20,000 nested arrays, JSON.stringify (relaying a
 *   body to better-auth, say) then overflows the stack (a 500).
 */
export function registerInputGuards(app: FastifyInstance): void {
  app.addHook('preValidation', async (request) => {
    for (const part of [request.params, request.query, request.body]) {
      const unfit = findUnfit(part);
      if (unfit) throw new AppError('VALIDATION_FAILED', `Invalid ${unfit.field}: ${unfit.message}`, { field: unfit.field });
    }
  });
}
