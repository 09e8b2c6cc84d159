import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { titleOf, type AppError, type ErrorBody } from './errors.js';
import { toAppError } from './to-app-error.js';

export function toErrorBody(err: AppError): ErrorBody {
  const body: ErrorBody = { error: err.title ?? titleOf(err.code), code: err.code, message: err.message };
  if (err.details !== undefined) body.details = err.details;
  return body;
}

/**
 * The edge: every thrown error becomes `{ error, code, message, details? }` with the status of
 * its code (platform/to-app-error.ts). Unknown errors are logged with their stack and answered
 * with a generic 500.
 */
export function registerErrorHandler(app: FastifyInstance): void {
  app.setErrorHandler((raw: Error, request, reply) => {
    const { error: err, kind } = toAppError(raw);
    if (kind === 'unexpected') request.log.error({ err: raw }, 'unhandled error');
    else if (kind === 'upstream') request.log.warn({ err: raw }, 'provider unavailable');
    const retryAfterMs = (err.details as { retryAfterMs?: number } | undefined)?.retryAfterMs;
    if (err.code === 'RATE_LIMITED' && retryAfterMs !== undefined) void reply.header('retry-after', Math.ceil(retryAfterMs / 1000));
    // A 416 names the file's size (RFC 9110 §14.4), so the client can ask for a range that exists.
    const size = (err.details as { size?: unknown } | undefined)?.size;
    if (err.code === 'RANGE_NOT_SATISFIABLE' && typeof size === 'number') void reply.header('content-range', `bytes */${size}`);
    return reply.status(err.status).send(toErrorBody(err));
  });
}

/**
 * Fastify's `frameworkErrors` option: what the router rejects before any route or error handler
 * runs (a malformed percent-encoding, a path parameter over maxParamLength) gets the same body,
 * without echoing the URL back.
 */
export function answerFrameworkError(raw: FastifyError, request: FastifyRequest, reply: FastifyReply): void {
  const { error: err, kind } = toAppError(raw);
  if (kind === 'unexpected') request.log.error({ err: raw }, 'router error');
  void reply.status(err.status).send(toErrorBody(err));
}
