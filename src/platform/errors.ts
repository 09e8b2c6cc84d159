/**
 * The one error type of Coach Hub. Services throw `AppError(code, message, details)`;
 * the HTTP edge (platform/error-handler.ts) maps the code to a status with `httpStatusOf`.
 * Codes are stable API (src/shared/error-codes.ts): clients switch on them, so never rename one.
 */
import { ERROR_CODES, type ErrorCode } from '../shared/error-codes.js';

export { ERROR_CODES, type ErrorBody, type ErrorCode } from '../shared/error-codes.js';

/** Short, human titles used as the `error` field of error bodies. */
const TITLES: Record<ErrorCode, string> = {
  VALIDATION_FAILED: 'Bad Request',
  UNAUTHENTICATED: 'Unauthorized',
  NO_CREDITS: 'Payment Required',
  FORBIDDEN: 'Forbidden',
  MISSING_SCOPE: 'Forbidden',
  NOT_FOUND: 'Not Found',
  CONFLICT: 'Conflict',
  PAYLOAD_TOO_LARGE: 'Payload Too Large',
  RANGE_NOT_SATISFIABLE: 'Range Not Satisfiable',
  RATE_LIMITED: 'Too Many Requests',
  INTERNAL: 'Internal Server Error',
  PROVIDER_UNAVAILABLE: 'Service Unavailable',
};

export class AppError extends Error {
  readonly code: ErrorCode;
  readonly details: unknown;
  /** Overrides the `error` title of the body (e.g. a localised "Crédits insuffisants"). */
  readonly title: string | undefined;

  constructor(code: ErrorCode, message: string, details?: unknown, options?: { cause?: unknown; title?: string }) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'AppError';
    this.code = code;
    this.details = details;
    this.title = options?.title;
  }

  get status(): number {
    return ERROR_CODES[this.code];
  }
}

export function httpStatusOf(code: ErrorCode): number {
  return ERROR_CODES[code];
}

export function titleOf(code: ErrorCode): string {
  return TITLES[code];
}

export function isAppError(value: unknown): value is AppError {
  return value instanceof AppError;
}

/**
 * An error from a lower layer (an LLM provider, say) that knows which AppError answers it at the
 * edge: the error handler and the SSE path both call `toAppError()` instead of knowing each type.
 */
export interface ConvertibleError extends Error {
  toAppError(): AppError;
}

export function isConvertibleError(value: unknown): value is ConvertibleError {
  return value instanceof Error && typeof (value as Partial<ConvertibleError>).toAppError === 'function';
}
