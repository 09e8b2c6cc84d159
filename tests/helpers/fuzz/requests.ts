import fc from 'fast-check';
import type { Operation } from './operations.js';
import { fuzzValueArb, type JsonSchema } from './schema-arbitrary.js';
import type { FuzzActor } from './seed.js';
import { extraKeyArb, hostileStringArb, hostileValueArb, Ref, refArb, type RefName } from './values.js';

/** How the body goes on the wire. */
export type BodyCase =
  | { kind: 'none' }
  | { kind: 'json'; value: unknown; contentType: string }
  | { kind: 'raw'; text: string; contentType: string | null }
  /** A body past the server's limit: `times` × the limit. */
  | { kind: 'huge'; times: number; contentType: string }
  | { kind: 'multipart'; mime: string; field: string; content: string; junk: boolean };

/** One generated request, symbolic (Refs unresolved) so that generation never depends on the seeded ids. */
export interface FuzzCase {
  actor: FuzzActor['name'];
  method: string;
  path: { name: string; value: unknown; raw: boolean }[];
  query: { key: string; value: unknown }[];
  rawQuery: string | null;
  body: BodyCase;
  headers: [string, string][];
}

/** Printable Latin-1: what a real HTTP parser lets through in a header value. */
const headerTextArb = fc.string({ unit: fc.integer({ min: 0x20, max: 0xff }).filter((c) => c < 0x7f || c >= 0xa0).map((c) => String.fromCharCode(c)), maxLength: 60 });
const b64 = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
const FORGED_JWT = `${b64({ alg: 'none', typ: 'JWT' })}.${b64({ sub: 'x', org: 'x', role: 'admin', exp: 4_102_444_800 })}.`;

const headerArb: fc.Arbitrary<[string, string]> = fc.oneof(
  fc.tuple(fc.constant('accept'), fc.constantFrom('text/event-stream', 'text/html', '*/*', 'application/xml', 'application/json;q=0', '')),
  fc.tuple(fc.constant('origin'), fc.constantFrom('https://evil.example', 'null', 'http://localhost:3000', 'http://localhost:3000.evil.example')),
  fc.tuple(fc.constant('range'), fc.constantFrom('bytes=0-', 'bytes=0-0', 'bytes=-1', 'bytes=5-1', 'bytes=99999999999999999999-', 'bytes=0-1,2-3', 'items=0-1', 'bytes=')),
  fc.tuple(fc.constant('x-forwarded-for'), fc.constantFrom('1.2.3.4', '::1, evil', '999.999.999.999', '')),
  fc.tuple(fc.constant('accept-language'), headerTextArb),
  fc.tuple(fc.constantFrom('x-webhook-signature', 'x-webhook-timestamp'), headerTextArb),
  fc.tuple(fc.constant('sec-websocket-protocol'), fc.constantFrom('realtime', 'openai-insecure-api-key.junk, realtime', 'openai-insecure-api-key.')),
  fc.tuple(fc.constant('upgrade'), fc.constantFrom('websocket', 'h2c')),
  fc.tuple(fc.constant('content-encoding'), fc.constantFrom('gzip', 'br', 'identity')),
  fc.tuple(fc.constant('x-http-method-override'), fc.constantFrom('DELETE', 'PUT')),
  fc.tuple(fc.constant('if-none-match'), fc.constantFrom('*', 'W/"x"')),
  fc.tuple(fc.constant('x-custom'), headerTextArb),
);

/** Credentials an anonymous caller may forge. */
const forgedAuthArb: fc.Arbitrary<[string, string]> = fc.oneof(
  fc.tuple(fc.constant('authorization'), fc.constantFrom('Bearer', 'Bearer ', 'Basic YWRtaW46YWRtaW4=', 'Bearer chk_', 'Bearer chk_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA', `Bearer ${FORGED_JWT}`, 'Bearer a.b.c', 'Bearer x y', `Bearer ${'A'.repeat(4000)}`, 'bearer   lower')),
  fc.tuple(fc.constant('authorization'), headerTextArb.map((s) => `Bearer ${s}`)),
  fc.tuple(fc.constant('cookie'), fc.constantFrom('coachhub.session_token=abc', 'coachhub.session_token=abc.def', 'coachhub.session_token=; coachhub.session_token=x', '__proto__=1', 'coachhub.session_token=%00')),
  fc.tuple(fc.constant('cookie'), headerTextArb.map((s) => `coachhub.session_token=${s}`)),
);

const MALFORMED_JSON = ['{', '{"a":', '{"a":1,}', "{'a':1}", 'NaN', '[1,2', '\u0000', '{"a":"\\ud800"}', '\uFEFF{}', '{"a":1}{"b":2}', 'null', '"string"', '1e999', '{"__proto__":{"x":1}}', `${'['.repeat(20_000)}${']'.repeat(20_000)}`, '{"a":"\\u0000"}', '[]'];
const WRONG_TYPES = ['text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', 'application/json; charset=utf-16', 'application/xml', 'APPLICATION/JSON', 'application/vnd.api+json', 'application/json; charset=latin1', 'text/event-stream'];

function bodyArb(op: Operation, resolve: (ref: string) => JsonSchema): fc.Arbitrary<BodyCase> {
  const none = fc.constant<BodyCase>({ kind: 'none' });
  const raw = fc.oneof(
    fc.record({ kind: fc.constant('raw' as const), text: fc.constantFrom(...MALFORMED_JSON), contentType: fc.constant('application/json') }),
    fc.record({ kind: fc.constant('raw' as const), text: fc.oneof(fc.json({ maxDepth: 2 }), fc.constantFrom('a=1&b=2', '<x/>', '')), contentType: fc.constantFrom<string | null>(null, ...WRONG_TYPES) }),
  );
  const huge = fc.record({ kind: fc.constant('huge' as const), times: fc.constantFrom(1, 4), contentType: fc.constantFrom('application/json', 'text/plain', 'multipart/form-data; boundary=fuzz') });
  const multipart = fc.record({
    kind: fc.constant('multipart' as const),
    mime: fc.constantFrom('video/webm', 'video/mp4', 'audio/webm;codecs=opus', 'text/plain', 'application/x-msdownload', 'video/webm\r\nX-Evil: 1', ''),
    field: fc.constantFrom('file', 'other', '__proto__', ''),
    content: fc.oneof(fc.constant(''), fc.string({ unit: 'binary', maxLength: 200 })),
    junk: fc.boolean(),
  });
  if (op.body) {
    const json = fc.record({ kind: fc.constant('json' as const), value: fuzzValueArb(op.body, '', resolve), contentType: fc.constantFrom('application/json', 'application/json', 'application/json', 'application/json; charset=utf-8') });
    return fc.oneof({ weight: 12, arbitrary: json }, { weight: 2, arbitrary: raw }, { weight: 1, arbitrary: huge }, { weight: 1, arbitrary: none });
  }
  if (op.multipart) return fc.oneof({ weight: 4, arbitrary: multipart }, { weight: 2, arbitrary: none }, { weight: 2, arbitrary: raw }, { weight: 1, arbitrary: huge });
  const stray = fc.record({ kind: fc.constant('json' as const), value: hostileValueArb, contentType: fc.constant('application/json') });
  return fc.oneof({ weight: 12, arbitrary: none }, { weight: 1, arbitrary: stray }, { weight: 1, arbitrary: raw }, { weight: 1, arbitrary: huge });
}

/** Path parameter values: real rows (the other organization's above all), fresh ids, hostile text. */
function pathValueArb(schema: JsonSchema, resolve: (ref: string) => JsonSchema): fc.Arbitrary<unknown> {
  if (schema.enum) return fc.oneof({ weight: 4, arbitrary: fc.constantFrom(...schema.enum) }, { weight: 1, arbitrary: hostileStringArb });
  return fc.oneof(
    { weight: 6, arbitrary: refArb },
    { weight: 1, arbitrary: fc.uuid() },
    { weight: 3, arbitrary: hostileStringArb },
    { weight: 1, arbitrary: fuzzValueArb(schema, 'id', resolve) },
  );
}

const queryValueArb = (schema: JsonSchema, name: string, resolve: (ref: string) => JsonSchema) =>
  fc.oneof({ weight: 5, arbitrary: fuzzValueArb(schema, name, resolve) }, { weight: 1, arbitrary: fc.array(fuzzValueArb(schema, name, resolve), { minLength: 2, maxLength: 3 }) });

const OTHER_METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS', 'TRACE', 'PROPFIND', 'SEARCH'];

/** Every request the fuzzer may send to one operation. */
export function caseArb(op: Operation, resolve: (ref: string) => JsonSchema, actors: FuzzActor['name'][]): fc.Arbitrary<FuzzCase> {
  const queryArb = fc
    .tuple(
      fc.tuple(...op.query.map((q) => fc.option(queryValueArb(q.schema, q.name, resolve), { freq: q.required ? 10 : 3, nil: undefined }).map((value) => ({ key: q.name, value })))),
      fc.array(fc.record({ key: fc.oneof(extraKeyArb, fc.constantFrom('__proto__[role]', 'constructor[prototype][role]', 'limit[]', 'a[b][c]')), value: hostileValueArb }), { maxLength: 2 }),
    )
    .map(([declared, extra]) => [...declared.filter((q) => q.value !== undefined), ...extra]);
  const rawQueryArb = fc.option(fc.constantFrom('%zz', '&&&', '=', 'limit=1&limit=2', 'q=%00', 'userId=%E0%A4%A', 'a=%C0%AF', '?', '#frag'), { freq: 15, nil: null });
  const anonymousAuth = fc.array(forgedAuthArb, { maxLength: 1 });
  return fc
    .record({
      actor: fc.constantFrom(...actors),
      method: fc.oneof({ weight: 19, arbitrary: fc.constant(op.method) }, { weight: 1, arbitrary: fc.constantFrom(...OTHER_METHODS) }),
      path: fc.tuple(...op.pathParams.map((p) => fc.record({ name: fc.constant(p.name), value: pathValueArb(p.schema, resolve), raw: fc.nat(4).map((n) => n === 0) }))),
      query: queryArb,
      rawQuery: rawQueryArb,
      body: bodyArb(op, resolve),
      headers: fc.array(headerArb, { maxLength: 3 }),
      forged: anonymousAuth,
    })
    .map(({ forged, ...c }) => ({ ...c, headers: c.actor === 'anonymous' ? [...forged, ...c.headers] : c.headers }));
}

// ---------------------------------------------------------------- building the request

/** Replaces Refs by the real values (deep), keeping own `__proto__` keys as plain keys. */
export function resolveRefs(value: unknown, lookup: (name: RefName) => string): unknown {
  if (value instanceof Ref) return lookup(value.name as RefName);
  if (Array.isArray(value)) return value.map((v) => resolveRefs(v, lookup));
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) Object.defineProperty(out, k, { value: resolveRefs(v, lookup), enumerable: true, writable: true, configurable: true });
    return out;
  }
  return value;
}

/** Percent-encodes a path or query component (lone surrogates become U+FFFD first, as a browser would send them). */
function encodeSegment(value: string): string {
  try {
    return encodeURIComponent(value);
  } catch {
    return encodeURIComponent(Buffer.from(value, 'utf8').toString('utf8'));
  }
}

const asText = (value: unknown): string => (typeof value === 'string' ? value : value === undefined ? '' : JSON.stringify(value) ?? String(value));

export interface BuiltRequest {
  method: string;
  url: string;
  headers: Record<string, string>;
  payload?: string | Buffer;
  /** Everything the caller sent, decoded: what the answer may echo without leaking. */
  sentText: string;
}

function multipartBody(b: Extract<BodyCase, { kind: 'multipart' }>): { payload: Buffer; contentType: string } {
  const boundary = 'fuzzboundary7f3a';
  const part = `--${boundary}\r\nContent-Disposition: form-data; name="${b.field}"; filename="rec.webm"\r\nContent-Type: ${b.mime}\r\n\r\n${b.content}\r\n`;
  const tail = b.junk ? `--${boundary}\r\nContent-Disposition: form-data; name="x"\r\n\r\nx` : `--${boundary}--\r\n`;
  return { payload: Buffer.from(part + tail, 'utf8'), contentType: `multipart/form-data; boundary=${boundary}` };
}

/** The concrete request of a case for an actor. */
export function buildRequest(op: Operation, c: FuzzCase, actor: FuzzActor, refs: Record<string, string>, bodyLimit: number): BuiltRequest {
  const lookup = (name: RefName) => (name === 'self' ? (actor.userId ?? 'self') : refs[name]!);
  let path = op.path;
  const sent: string[] = [];
  for (const p of c.path) {
    const value = asText(resolveRefs(p.value, lookup));
    sent.push(value);
    const rawOk = p.raw && /^[\x21-\x7e]*$/.test(value) && !/[?#]/.test(value);
    path = path.replace(`{${p.name}}`, rawOk ? value : encodeSegment(value));
  }
  const pairs = c.query.flatMap(({ key, value }) => {
    const v = resolveRefs(value, lookup);
    return (Array.isArray(v) ? v : [v]).map((item) => `${encodeSegment(key)}=${encodeSegment(asText(item))}`);
  });
  for (const q of c.query) sent.push(q.key, asText(resolveRefs(q.value, lookup)));
  if (c.rawQuery) pairs.push(c.rawQuery);
  const url = pairs.length ? `${path}?${pairs.join('&')}` : path;

  const headers: Record<string, string> = { ...actor.headers };
  for (const [name, value] of c.headers) headers[name] = value;
  let payload: string | Buffer | undefined;
  const b = c.body;
  if (b.kind === 'json') {
    const text = JSON.stringify(resolveRefs(b.value, lookup));
    if (text !== undefined) {
      payload = text;
      headers['content-type'] = b.contentType;
    }
  } else if (b.kind === 'raw') {
    payload = b.text;
    if (b.contentType) headers['content-type'] = b.contentType;
  } else if (b.kind === 'huge') {
    const filler = 'x'.repeat(b.times * bodyLimit + 1);
    payload = b.contentType === 'application/json' ? JSON.stringify({ message: filler }) : filler;
    headers['content-type'] = b.contentType;
  } else if (b.kind === 'multipart') {
    const m = multipartBody(b);
    payload = m.payload;
    headers['content-type'] = m.contentType;
  }
  if (payload !== undefined && b.kind !== 'huge') sent.push(typeof payload === 'string' ? payload : payload.toString('utf8'));
  sent.push(...Object.values(headers));
  return { method: c.method, url, headers, ...(payload !== undefined ? { payload } : {}), sentText: sent.join('\n') };
}
