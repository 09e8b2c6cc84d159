import { AppError, type ConvertibleError } from '../../platform/errors.js';
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
 * purpose: the edge maps it with its `toAppError()` to 503 PROVIDER_UNAVAILABLE (an upstream 429 must
 * not become our own 429, and upstream messages must not leak).
 */
export class ProviderError extends Error implements ConvertibleError {
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

  /** The answer at the HTTP edge: 503 with safe details only (platform/to-app-error.ts). */
  toAppError(): AppError {
    return new AppError(
      'PROVIDER_UNAVAILABLE',
      'The AI provider is unavailable, please try again later.',
      { provider: this.provider, kind: this.kind, retryable: this.retryable },
      { cause: this },
    );
  }
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
