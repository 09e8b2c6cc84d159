import type { FieldError } from './types.js';

/** An error answered by the API (`{ error, code, message, details? }`) or a network failure. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    /** The API's stable code (VALIDATION_FAILED, UNAUTHENTICATED…), or NETWORK when unreachable. */
    readonly code: string,
    message: string,
    readonly fieldErrors: FieldError[] = [],
  ) {
    super(message);
    this.name = 'ApiError';
  }

  get isNetwork(): boolean {
    return this.code === 'NETWORK';
  }
}

type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

function fieldErrorsOf(details: unknown): FieldError[] {
  if (!details || typeof details !== 'object') return [];
  const { fields, field, reason } = details as { fields?: unknown; field?: unknown; reason?: unknown };
  if (Array.isArray(fields)) {
    return fields.filter(
      (f): f is FieldError => !!f && typeof (f as FieldError).field === 'string' && typeof (f as FieldError).message === 'string',
    );
  }
  if (typeof field === 'string') return [{ field, message: typeof reason === 'string' ? reason : '' }];
  return [];
}

async function toApiError(response: Response): Promise<ApiError> {
  type ErrorBody = { code?: unknown; message?: unknown; details?: unknown };
  const body = (await response.json().catch(() => null)) as ErrorBody | null; // null: not JSON (a proxy error page)
  const code = typeof body?.code === 'string' ? body.code : `HTTP_${response.status}`;
  const message = typeof body?.message === 'string' ? body.message : response.statusText || `HTTP ${response.status}`;
  return new ApiError(response.status, code, message, fieldErrorsOf(body?.details));
}

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
    if (err instanceof DOMException && err.name === 'AbortError') throw err;
    throw new ApiError(0, 'NETWORK', 'Network error');
  }
  if (!response.ok) throw await toApiError(response);
  if (response.status === 204) return undefined as T;
  return (await response.json()) as T;
}
