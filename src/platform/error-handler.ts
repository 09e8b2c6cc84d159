import type { FastifyError, FastifyInstance } from 'fastify';
import { hasZodFastifySchemaValidationErrors, isResponseSerializationError } from 'fastify-type-provider-zod';
import { isProviderError, toAppError } from '../providers/llm/provider-error.js';
import { AppError, titleOf, type ErrorBody, type ErrorCode } from './errors.js';

/** Fastify's own 4xx error codes, mapped onto ours. */
const FASTIFY_CODES: Record<string, { code: ErrorCode; message: string }> = {
  FST_ERR_CTP_INVALID_JSON_BODY: { code: 'VALIDATION_FAILED', message: 'The request body is not valid JSON.' },
  FST_ERR_CTP_EMPTY_JSON_BODY: { code: 'VALIDATION_FAILED', message: 'The request body is empty but Content-Type is application/json.' },
  FST_ERR_CTP_INVALID_MEDIA_TYPE: { code: 'VALIDATION_FAILED', message: 'Unsupported Content-Type.' },
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: { code: 'VALIDATION_FAILED', message: 'Invalid Content-Length.' },
  FST_ERR_CTP_BODY_TOO_LARGE: { code: 'PAYLOAD_TOO_LARGE', message: 'The request body is too large.' },
};

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

export function toErrorBody(err: AppError): ErrorBody {
  const body: ErrorBody = { error: err.title ?? titleOf(err.code), code: err.code, message: err.message };
  if (err.details !== undefined) body.details = err.details;
  return body;
}

/**
 * The edge: every thrown error becomes `{ error, code, message, details? }` with the status of
 * its code. Unknown errors are logged with their stack and answered with a generic 500.
 */
export function registerErrorHandler(app: FastifyInstance): void {
  app.setErrorHandler((raw: FastifyError | Error, request, reply) => {
    let err: AppError;
    const fastifyErr = raw as FastifyError;
    if (raw instanceof AppError) {
      err = raw;
    } else if (hasZodFastifySchemaValidationErrors(raw)) {
      err = validationError(raw, fastifyErr.validationContext);
    } else if (fastifyErr.code && FASTIFY_CODES[fastifyErr.code]) {
      const mapped = FASTIFY_CODES[fastifyErr.code]!;
      err = new AppError(mapped.code, mapped.message);
    } else if (isProviderError(raw)) {
      err = toAppError(raw);
      request.log.warn({ err: raw }, 'provider unavailable');
    } else if (!isResponseSerializationError(raw) && fastifyErr.statusCode && fastifyErr.statusCode >= 400 && fastifyErr.statusCode < 500) {
      const status = fastifyErr.statusCode;
      const code: ErrorCode =
        status === 401 ? 'UNAUTHENTICATED' : status === 403 ? 'FORBIDDEN' : status === 404 ? 'NOT_FOUND' : status === 409 ? 'CONFLICT' : status === 413 ? 'PAYLOAD_TOO_LARGE' : status === 429 ? 'RATE_LIMITED' : 'VALIDATION_FAILED';
      err = new AppError(code, raw.message);
    } else {
      request.log.error({ err: raw }, 'unhandled error');
      err = new AppError('INTERNAL', 'Internal server error.');
    }
    if (err.code === 'INTERNAL' && raw !== err) {
      // Never leak internals: the body carries only the generic message.
      err = new AppError('INTERNAL', 'Internal server error.');
    }
    const headers = (err.details as { retryAfterMs?: number } | undefined)?.retryAfterMs;
    if (err.code === 'RATE_LIMITED' && headers !== undefined) void reply.header('retry-after', Math.ceil(headers / 1000));
    // A 416 names the file's size (RFC 9110 §14.4), so the client can ask for a range that exists.
    const size = (err.details as { size?: unknown } | undefined)?.size;
    if (err.code === 'RANGE_NOT_SATISFIABLE' && typeof size === 'number') void reply.header('content-range', `bytes */${size}`);
    return reply.status(err.status).send(toErrorBody(err));
  });

}
