import { AppError } from '../../platform/errors.js';

/** Why the storage failed, for logs and the 503's details (never the vendor's message). */
export type StorageFailure = 'auth' | 'config' | 'connection' | 'rate_limited' | 'server' | 'disk';

/** The file storage (disk or bucket) failed: answered as 503, the request may be retried. */
export function storageUnavailable(storage: 'disk' | 's3', kind: StorageFailure, cause?: unknown): AppError {
  return new AppError('PROVIDER_UNAVAILABLE', 'The file storage is unavailable, please try again later.', { storage, kind }, { cause });
}

/** A stored file that is not there (deleted by a bucket lifecycle rule, or by hand). */
export function storedFileMissing(cause?: unknown): AppError {
  return new AppError('NOT_FOUND', 'The stored file is missing.', undefined, { cause });
}
