import { AppError } from '../../platform/errors.js';
import type { ProviderName } from './types.js';

/** Why a provider call failed; also used as `errorCode` in usage records. */
export type ProviderErrorKind =
  | 'timeout'
  | 'connection'
  | 'rate_limited'
  | 'server'
  | 'auth'
  | 'bad_request'
  | 'not_found'
  | 'model_load'
  | 'unknown';

export interface ProviderErrorOptions {
  provider: ProviderName;
  kind: ProviderErrorKind;
  retryable: boolean;
  status?: number;
  /** Server-requested delay before retrying (from `retry-after` / `retry-after-ms`). */
  retryAfterMs?: number;
  cause?: unknown;
}

/**
 * A provider failed. `status` is the upstream HTTP status when there was one. Not an AppError on
 * purpose: the edge maps it with `toAppError` to 503 PROVIDER_UNAVAILABLE (an upstream 429 must
 * not become our own 429, and upstream messages must not leak).
 */
export class ProviderError extends Error {
  readonly provider: ProviderName;
  readonly kind: ProviderErrorKind;
  readonly retryable: boolean;
  readonly status: number | undefined;
  readonly retryAfterMs: number | undefined;

  constructor(message: string, options: ProviderErrorOptions) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'ProviderError';
    this.provider = options.provider;
    this.kind = options.kind;
    this.retryable = options.retryable;
    this.status = options.status;
    this.retryAfterMs = options.retryAfterMs;
  }
}

/** The AppError to answer with at the HTTP edge (503, safe details only). */
export function toAppError(error: ProviderError): AppError {
  return new AppError(
    'PROVIDER_UNAVAILABLE',
    'The AI provider is unavailable, please try again later.',
    { provider: error.provider, kind: error.kind, retryable: error.retryable },
    { cause: error },
  );
}

export function isProviderError(value: unknown): value is ProviderError {
  return value instanceof ProviderError;
}

/** True for the error thrown when an AbortSignal fires (DOMException or Node's AbortError). */
export function isAbortError(value: unknown): boolean {
  return value instanceof Error && value.name === 'AbortError';
}

/** The reason to throw when a caller's signal aborted: its own reason, or a standard AbortError. */
export function abortReason(signal: AbortSignal): Error {
  const reason: unknown = signal.reason;
  if (reason instanceof Error) return reason;
  return new DOMException('The operation was aborted', 'AbortError');
}
