import type { FastifyInstance } from 'fastify';
import { AppError } from './errors.js';

/** Nesting past which a value is not searched further (zod refuses such bodies on its own). */
const MAX_DEPTH = 64;

/** The path (zod style: `windows.0.timeZone`) of the first string holding a NUL character, if any. */
export function findNul(value: unknown, path: string[] = []): string | null {
  if (typeof value === 'string') return value.includes('\u0000') ? path.join('.') || 'body' : null;
  if (path.length >= MAX_DEPTH || value === null || typeof value !== 'object') return null;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const found = findNul(value[i], [...path, String(i)]);
      if (found !== null) return found;
    }
    return null;
  }
  for (const [key, v] of Object.entries(value)) {
    const found = key.includes('\u0000') ? [...path, key.replaceAll('\u0000', '\\0')].join('.') : findNul(v, [...path, key]);
    if (found !== null) return found;
  }
  return null;
}

/**
 * PostgreSQL text cannot hold U+0000: a NUL in an id, a query or a body string would reach the
 * database as an encoding error (a 500). Every route refuses it up front with a 400 naming the field.
 */
export function registerNulCheck(app: FastifyInstance): void {
  app.addHook('preValidation', async (request) => {
    for (const part of [request.params, request.query, request.body]) {
      const field = findNul(part);
      if (field !== null) throw new AppError('VALIDATION_FAILED', `Invalid ${field}: must not contain NUL characters`, { field });
    }
  });
}
