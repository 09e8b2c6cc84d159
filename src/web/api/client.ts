import { ERROR_CODES, isErrorCode, type ErrorCode, type FieldIssue } from '../../shared/error-codes.js';

/** A code the UI has words for: the API's stable codes, and NETWORK when the server cannot be reached. */
export type ClientErrorCode = ErrorCode | 'NETWORK';

const CODE_OF_STATUS = new Map<number, ErrorCode>(Object.entries(ERROR_CODES).map(([code, status]) => [status, code as ErrorCode]));

/** The code of a response without a usable body (a proxy's error page): from its status. */
function codeOfStatus(status: number): ErrorCode {
  return CODE_OF_STATUS.get(status) ?? (status >= 500 ? 'INTERNAL' : 'VALIDATION_FAILED');
}

/**
 * An error answered by the API (`{ error, code, message, details? }`) or a network failure.
 * Screens show it through its `code` (api/error-text.ts), never its `message`: that is the
 * server's text, in whatever language the server wrote it, kept for developers only.
 */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: ClientErrorCode,
    serverMessage = '',
    readonly details: unknown = undefined,
  ) {
    super(serverMessage || code);
    this.name = 'ApiError';
  }

  get isNetwork(): boolean {
    return this.code === 'NETWORK';
  }

  /** The bad fields named by `details.fields` (or better-auth's `details.field`). */
  get fieldErrors(): FieldIssue[] {
    const details = this.details;
    if (!details || typeof details !== 'object') return [];
    const { fields, field, reason } = details as { fields?: unknown; field?: unknown; reason?: unknown };
    if (Array.isArray(fields)) {
      return fields.filter((f): f is FieldIssue => !!f && typeof (f as FieldIssue).field === 'string' && typeof (f as FieldIssue).message === 'string');
    }
    if (typeof field === 'string') return [{ field, message: typeof reason === 'string' ? reason : '' }];
    return [];
  }

  /** How long to wait before trying again (RATE_LIMITED): `details.retryAfterMs`. */
  get retryAfterMs(): number | undefined {
    const value = (this.details as { retryAfterMs?: unknown } | null | undefined)?.retryAfterMs;
    return typeof value === 'number' && value >= 0 ? value : undefined;
  }

  static network(cause?: unknown): ApiError {
    return new ApiError(0, 'NETWORK', cause instanceof Error ? cause.message : 'Network error');
  }
}

/** Any thrown value as an ApiError (an unexpected one reads as INTERNAL). */
export function asApiError(err: unknown): ApiError {
  if (err instanceof ApiError) return err;
  return new ApiError(0, 'INTERNAL', err instanceof Error ? err.message : String(err));
}

export function isAbortError(err: unknown): boolean {
  return err instanceof DOMException && err.name === 'AbortError';
}

/** Reads an error response: its JSON body when there is one, else its status (and Retry-After). */
export async function toApiError(response: Response): Promise<ApiError> {
  type Body = { code?: unknown; message?: unknown; details?: unknown };
  const body = (await response.json().catch(() => null)) as Body | null; // null: not JSON (a proxy error page)
  const code = isErrorCode(body?.code) ? body.code : codeOfStatus(response.status);
  const message = typeof body?.message === 'string' ? body.message : response.statusText || `HTTP ${response.status}`;
  let details = body?.details;
  const retryAfter = Number(response.headers.get('retry-after'));
  if (code === 'RATE_LIMITED' && details === undefined && Number.isFinite(retryAfter) && retryAfter > 0) details = { retryAfterMs: retryAfter * 1000 };
  return new ApiError(response.status, code, message, details);
}

type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/**
 * Calls the same-origin API with the session cookie. Writes always send JSON (`{}` when there
 * is no payload); DELETE without a payload sends no body at all.
 */
export async function api<T>(method: Method, path: string, body?: unknown, signal?: AbortSignal): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json' };
  const init: RequestInit = { method, headers, credentials: 'same-origin' };
  if (signal) init.signal = signal;
  if (method === 'POST' || method === 'PATCH' || body !== undefined) {
    headers['content-type'] = 'application/json';
    init.body = JSON.stringify(body ?? {});
  }
  let response: Response;
  try {
    response = await fetch(path, init);
  } catch (err) {
    if (isAbortError(err)) throw err;
    throw ApiError.network(err);
  }
  if (!response.ok) throw await toApiError(response);
  if (response.status === 204) return undefined as T;
  return (await response.json()) as T;
}
