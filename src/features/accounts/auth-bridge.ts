import type { FastifyReply, FastifyRequest } from 'fastify';
import { AppError, type ErrorCode } from '../../platform/errors.js';
import { CLIENT_IP_HEADER, type Auth } from './auth.js';

/**
 * Copies Node request headers into a WHATWG Headers (what better-auth reads). The client address
 * better-auth sees (CLIENT_IP_HEADER) is always the one Fastify resolved (`request.ip`, which
 * honours TRUST_PROXY), never a client's own X-Forwarded-For, whose first entry anyone can write.
 */
export function toHeaders(request: FastifyRequest): Headers {
  const headers = new Headers();
  headers.set(CLIENT_IP_HEADER, request.ip);
  for (const [name, value] of Object.entries(request.headers)) {
    if (value === undefined || name === CLIENT_IP_HEADER || name === 'x-forwarded-for') continue;
    if (Array.isArray(value)) value.forEach((v) => headers.append(name, v));
    else headers.set(name, String(value));
  }
  return headers;
}

/** Runs a request through better-auth's own router. */
export async function callAuth(auth: Auth, publicUrl: string, request: FastifyRequest, body?: unknown): Promise<Response> {
  const headers = toHeaders(request);
  const init: RequestInit = { method: request.method, headers };
  const payload = body ?? request.body;
  if (request.method !== 'GET' && request.method !== 'HEAD' && payload !== undefined) {
    headers.set('content-type', 'application/json');
    headers.delete('content-length');
    init.body = JSON.stringify(payload);
  }
  return auth.handler(new Request(new URL(request.url, publicUrl), init));
}

/** Maps a better-auth error status/code onto our codes. */
export function authErrorToAppError(status: number, body: { code?: string; message?: string; field?: unknown } | null): AppError {
  const upstream = body?.code ?? '';
  let code: ErrorCode = 'VALIDATION_FAILED';
  if (status === 401) code = 'UNAUTHENTICATED';
  else if (status === 403) code = 'FORBIDDEN';
  else if (status === 404) code = 'NOT_FOUND';
  else if (status === 429) code = 'RATE_LIMITED';
  else if (upstream.includes('ALREADY_EXISTS')) code = 'CONFLICT';
  else if (status >= 500) code = 'INTERNAL';
  const message = code === 'UNAUTHENTICATED' ? 'Invalid email or password.' : (body?.message ?? 'Request refused.');
  // A failed sign-in never says whether the email or the password was wrong.
  if (code === 'UNAUTHENTICATED') return new AppError(code, message);
  const field = typeof body?.field === 'string' ? body.field : /PASSWORD/.test(upstream) ? 'password' : /EMAIL/.test(upstream) ? 'email' : undefined;
  return new AppError(code, message, field ? { field, reason: upstream } : upstream ? { reason: upstream } : undefined);
}

/** Throws our error for a failed better-auth response; otherwise returns its JSON. */
export async function authJson<T>(response: Response): Promise<T> {
  const text = await response.text();
  const body = text ? (JSON.parse(text) as unknown) : null;
  if (!response.ok) throw authErrorToAppError(response.status, body as { code?: string; message?: string } | null);
  return body as T;
}

/** Copies status, cookies and other headers of a better-auth response to the reply. */
export function relayHeaders(response: Response, reply: FastifyReply): void {
  const cookies = response.headers.getSetCookie();
  if (cookies.length) void reply.header('set-cookie', cookies);
  response.headers.forEach((value, name) => {
    if (name === 'set-cookie' || name === 'content-length' || name === 'content-encoding' || name === 'transfer-encoding') return;
    void reply.header(name, value);
  });
}
