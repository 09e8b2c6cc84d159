import type { JsonSchema } from './schema-arbitrary.js';

/** One route of the API as the fuzzer sees it: where its inputs go and what their schemas are. */
export interface Operation {
  method: string;
  /** OpenAPI template, e.g. /api/users/{id}. */
  path: string;
  pathParams: { name: string; schema: JsonSchema }[];
  query: { name: string; schema: JsonSchema; required: boolean }[];
  /** The JSON body's schema, when the route takes one. */
  body?: JsonSchema;
  /** May take multipart/form-data (a file upload): writes without a JSON body. */
  multipart?: boolean;
  /** Not in the document: better-auth's relayed routes, WebSocket endpoints, the docs UI. */
  hidden?: boolean;
}

interface OpenApiDocument {
  paths: Record<string, Record<string, {
    parameters?: { in: string; name: string; required?: boolean; schema?: JsonSchema }[];
    requestBody?: { content: Record<string, { schema?: JsonSchema }> };
  }>>;
  components?: { schemas?: Record<string, JsonSchema> };
}

const str: JsonSchema = { type: 'string' };
const url: JsonSchema = { type: 'string', format: 'uri' };
const obj = (properties: Record<string, JsonSchema>, required: string[] = []): JsonSchema => ({ type: 'object', properties, required });

/**
 * better-auth's routes relayed under /api/auth/* (undocumented), with the bodies and queries they
 * read (hand-written: better-auth publishes no schema here), and the catch-all with names that are none.
 */
const AUTH_RELAY: { method: 'GET' | 'POST'; path: string; body?: JsonSchema; query?: Record<string, JsonSchema> }[] = [
  { method: 'POST', path: 'update-user', body: obj({ name: str, image: { anyOf: [str, { type: 'null' }] }, locale: { type: 'string', enum: ['fr', 'en', 'xx'] }, timeZone: str }) },
  { method: 'POST', path: 'change-password', body: obj({ currentPassword: str, newPassword: str, revokeOtherSessions: { type: 'boolean' } }, ['currentPassword', 'newPassword']) },
  { method: 'POST', path: 'change-email', body: obj({ newEmail: str, callbackURL: url }, ['newEmail']) },
  { method: 'POST', path: 'delete-user', body: obj({ password: str, token: str, callbackURL: url }) },
  { method: 'POST', path: 'revoke-session', body: obj({ token: str }, ['token']) },
  { method: 'POST', path: 'revoke-sessions', body: obj({}) },
  { method: 'POST', path: 'revoke-other-sessions', body: obj({}) },
  { method: 'POST', path: 'request-password-reset', body: obj({ email: str, redirectTo: url }, ['email']) },
  { method: 'POST', path: 'reset-password', body: obj({ newPassword: str, token: str }, ['newPassword']) },
  { method: 'POST', path: 'sign-in/social', body: obj({ provider: { type: 'string', enum: ['github', 'google', 'x'] }, callbackURL: url }, ['provider']) },
  { method: 'POST', path: 'send-verification-email', body: obj({ email: str, callbackURL: url }, ['email']) },
  { method: 'POST', path: 'update-session', body: obj({ organizationId: str, role: str }) },
  { method: 'GET', path: 'get-session', query: { disableCookieCache: { type: 'boolean' } } },
  { method: 'GET', path: 'list-sessions' },
  { method: 'GET', path: 'list-accounts' },
  { method: 'GET', path: 'verify-email', query: { token: str, callbackURL: url } },
  { method: 'GET', path: 'reset-password/{token}', query: { callbackURL: url } },
  { method: 'GET', path: 'ok' },
  { method: 'GET', path: 'error', query: { error: str } },
];
const AUTH_CATCH_ALL = ['sign-up/email', 'sign-in/email', 'token', 'callback/github', 'nope', '', '..', 'get-session/../../users'];

const lower = (m: string) => m.toLowerCase();

/** Every operation of the OpenAPI document, plus the hidden routes the document leaves out. */
export function operationsOf(doc: OpenApiDocument): { operations: Operation[]; resolve: (ref: string) => JsonSchema } {
  const resolve = (ref: string): JsonSchema => doc.components?.schemas?.[ref.replace('#/components/schemas/', '')] ?? {};
  const operations: Operation[] = [];
  for (const [path, methods] of Object.entries(doc.paths)) {
    for (const [method, op] of Object.entries(methods)) {
      if (!['get', 'post', 'put', 'patch', 'delete'].includes(lower(method))) continue;
      const params = op.parameters ?? [];
      const json = op.requestBody?.content['application/json']?.schema;
      operations.push({
        method: method.toUpperCase(),
        path,
        pathParams: params.filter((p) => p.in === 'path').map((p) => ({ name: p.name, schema: p.schema ?? { type: 'string' } })),
        query: params.filter((p) => p.in === 'query').map((p) => ({ name: p.name, schema: p.schema ?? { type: 'string' }, required: Boolean(p.required) })),
        ...(json ? { body: json } : {}),
        // Uploads declare no JSON body (the document cannot describe the multipart stream): every body-less write gets multipart too.
        ...(!json && ['post', 'put', 'patch'].includes(lower(method)) ? { multipart: true } : {}),
      });
    }
  }
  for (const r of AUTH_RELAY) {
    const pathParams = r.path.includes('{token}') ? [{ name: 'token', schema: str }] : [];
    operations.push({
      method: r.method,
      path: `/api/auth/${r.path}`,
      pathParams,
      query: Object.entries(r.query ?? {}).map(([name, schema]) => ({ name, schema, required: false })),
      ...(r.body ? { body: r.body } : {}),
      hidden: true,
    });
  }
  const rest = { name: 'rest', schema: { type: 'string', enum: AUTH_CATCH_ALL } as JsonSchema };
  operations.push(
    { method: 'GET', path: '/api/auth/{rest}', pathParams: [rest], query: [{ name: 'callbackURL', schema: url, required: false }], hidden: true },
    { method: 'POST', path: '/api/auth/{rest}', pathParams: [rest], query: [], body: obj({ email: str, password: str, name: str, organizationId: str, role: str }), hidden: true },
    { method: 'GET', path: '/api/video/signal', pathParams: [], query: [{ name: 'token', schema: str, required: false }], hidden: true },
    { method: 'GET', path: '/api/openapi.json', pathParams: [], query: [], hidden: true },
    { method: 'GET', path: '/api/docs/{rest}', pathParams: [{ name: 'rest', schema: { type: 'string', enum: ['', 'json', 'yaml', 'static/index.html', 'static/swagger-initializer.js', 'static/../../package.json', 'nope'] } }], query: [], hidden: true },
  );
  return { operations, resolve };
}

/** `METHOD /path` of an operation, as printed in findings and the summary. */
export const operationKey = (op: Pick<Operation, 'method' | 'path'>) => `${op.method} ${op.path}`;
