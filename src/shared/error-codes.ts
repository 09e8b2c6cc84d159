/**
 * The stable error codes of the API, with their HTTP status. Clients (the web app included) switch
 * on `code` and show their own words for it; never rename one.
 */
export const ERROR_CODES = {
  VALIDATION_FAILED: 400,
  UNAUTHENTICATED: 401,
  NO_CREDITS: 402,
  FORBIDDEN: 403,
  /** An organization API key without the scope the route needs (`details.scope` names it). */
  MISSING_SCOPE: 403,
  NOT_FOUND: 404,
  CONFLICT: 409,
  PAYLOAD_TOO_LARGE: 413,
  RANGE_NOT_SATISFIABLE: 416,
  RATE_LIMITED: 429,
  INTERNAL: 500,
  PROVIDER_UNAVAILABLE: 503,
} as const;

export type ErrorCode = keyof typeof ERROR_CODES;

export function isErrorCode(value: unknown): value is ErrorCode {
  return typeof value === 'string' && Object.hasOwn(ERROR_CODES, value);
}

/** The JSON body of every error response. */
export interface ErrorBody {
  error: string;
  code: ErrorCode;
  message: string;
  details?: unknown;
}

/** One bad field of a VALIDATION_FAILED: its path in the request (`email`, `windows.0.endMinute`). */
export interface FieldIssue {
  field: string;
  /** For developers, in English; clients show their own words for the field. */
  message: string;
}

/** `details` of VALIDATION_FAILED answered for a request that broke its schema. */
export interface ValidationFailedDetails {
  fields: FieldIssue[];
}

/** `details` of RATE_LIMITED (also sent as the Retry-After header, in seconds). */
export interface RateLimitedDetails {
  retryAfterMs: number;
  limit?: number;
}
