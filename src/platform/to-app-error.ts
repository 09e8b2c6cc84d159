import type { FastifyError } from 'fastify';
import { hasZodFastifySchemaValidationErrors, isResponseSerializationError } from 'fastify-type-provider-zod';
import { AppError, isConvertibleError, type ErrorCode } from './errors.js';

/** Fastify's own 4xx error codes, mapped onto ours. */
const FASTIFY_CODES: Record<string, { code: ErrorCode; message: string }> = {
  FST_ERR_CTP_INVALID_JSON_BODY: { code: 'VALIDATION_FAILED', message: 'The request body is not valid JSON.' },
  FST_ERR_CTP_EMPTY_JSON_BODY: { code: 'VALIDATION_FAILED', message: 'The request body is empty but Content-Type is application/json.' },
  FST_ERR_CTP_INVALID_MEDIA_TYPE: { code: 'VALIDATION_FAILED', message: 'Unsupported Content-Type.' },
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: { code: 'VALIDATION_FAILED', message: 'Invalid Content-Length.' },
  FST_ERR_CTP_BODY_TOO_LARGE: { code: 'PAYLOAD_TOO_LARGE', message: 'The request body is too large.' },
  // Raised by the router before any route runs (answered through Fastify's frameworkErrors option).
  FST_ERR_BAD_URL: { code: 'VALIDATION_FAILED', message: 'Invalid path: it is not valid percent-encoded UTF-8.' },
  FST_ERR_MAX_PARAM_LENGTH: { code: 'VALIDATION_FAILED', message: 'Invalid path: a path parameter is too long.' },
};

/**
 * Whether a database error (or one it wraps: drizzle puts the driver's error in `cause`) is a
 * unique violation (SQLSTATE 23505): a row that already exists, typically two requests racing.
 */
export function isUniqueViolation(raw: unknown): boolean {
  for (let err = raw, depth = 0; err instanceof Error && depth < 5; err = err.cause, depth++) {
    if ((err as { code?: unknown }).code === '23505') return true;
  }
  return false;
}

const STATUS_CODES: Record<number, ErrorCode> = { 401: 'UNAUTHENTICATED', 403: 'FORBIDDEN', 404: 'NOT_FOUND', 409: 'CONFLICT', 413: 'PAYLOAD_TOO_LARGE', 429: 'RATE_LIMITED' };

/** Turns zod issues into "field: message" pairs; the message names the first bad field. */
function validationError(err: { validation: { instancePath?: string; message?: string; params?: unknown }[] }, context?: string): AppError {
  const fields = err.validation.map((v) => {
    const path = (v.instancePath ?? '').replace(/^\//, '').replaceAll('/', '.');
    const missing = (v.params as { issue?: { path?: unknown[] } } | undefined)?.issue?.path;
    const field = path || (Array.isArray(missing) ? missing.join('.') : '') || context || 'body';
    return { field, message: v.message ?? 'is invalid' };
  });
  const first = fields[0]!;
  return new AppError('VALIDATION_FAILED', `Invalid ${first.field}: ${first.message}`, { fields });
}

/**
 * What to answer for any thrown value — the ONE mapping, used by the error handler and by streams
 * that report errors in-band (SSE). `kind` says how to log it: `expected` (a client error),
 * `upstream` (a provider failed: warn), `unexpected` (a bug: error, with the stack). An
 * unexpected error is always the generic INTERNAL, so internals never leak.
 */
export function toAppError(raw: unknown): { error: AppError; kind: 'expected' | 'upstream' | 'unexpected' } {
  if (raw instanceof AppError) return { error: raw.code === 'INTERNAL' ? internal() : raw, kind: raw.code === 'INTERNAL' ? 'unexpected' : 'expected' };
  if (isConvertibleError(raw)) return { error: raw.toAppError(), kind: 'upstream' };
  // Two requests racing to create the same thing: the second is a conflict, not a server error.
  if (isUniqueViolation(raw)) return { error: new AppError('CONFLICT', 'This already exists (created at the same time by another request).', { reason: 'UNIQUE_VIOLATION' }), kind: 'expected' };
  if (hasZodFastifySchemaValidationErrors(raw)) return { error: validationError(raw, (raw as FastifyError).validationContext), kind: 'expected' };
  const fastifyErr = raw as Partial<FastifyError>;
  const mapped = fastifyErr.code ? FASTIFY_CODES[fastifyErr.code] : undefined;
  if (mapped) return { error: new AppError(mapped.code, mapped.message), kind: 'expected' };
  const status = fastifyErr.statusCode;
  if (raw instanceof Error && !isResponseSerializationError(raw) && status !== undefined && status >= 400 && status < 500) {
    return { error: new AppError(STATUS_CODES[status] ?? 'VALIDATION_FAILED', raw.message), kind: 'expected' };
  }
  return { error: internal(), kind: 'unexpected' };
}

const internal = () => new AppError('INTERNAL', 'Internal server error.');
