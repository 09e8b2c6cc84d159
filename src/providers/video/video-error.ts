import { AppError } from '../../platform/errors.js';

/** A video vendor call failed: answered as 503 without the vendor's message. */
export function videoUnavailable(provider: string, kind: string, cause?: unknown): AppError {
  return new AppError('PROVIDER_UNAVAILABLE', 'The video provider is unavailable, please try again later.', { provider, kind }, { cause });
}
