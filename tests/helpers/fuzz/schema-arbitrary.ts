import fc from 'fast-check';
import { extraKeyArb, hostileStringArb, hostileValueArb, Ref, refArb } from './values.js';

/** The subset of JSON Schema (2020-12, as zod 4 writes it into the OpenAPI document) the fuzzer reads. */
export interface JsonSchema {
  type?: string | string[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  additionalProperties?: boolean | JsonSchema;
  items?: JsonSchema;
  minItems?: number;
  maxItems?: number;
  enum?: unknown[];
  const?: unknown;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  allOf?: JsonSchema[];
  minLength?: number;
  maxLength?: number;
  pattern?: string;
  format?: string;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  exclusiveMaximum?: number;
  default?: unknown;
  $ref?: string;
}

const TIME_ZONES = ['Europe/Paris', 'UTC', 'America/New_York', 'europe/paris', 'Asia/Kolkata', 'Etc/GMT+14', '+02:00', 'Mars/Olympus', 'Europe/../../etc'];
const DAY = 86_400_000;
/** A fixed instant: generation must not depend on the clock (only the values resolved at send time may). */
const BASE_MS = Date.UTC(2030, 0, 1);

/** Names say more than types: `coachId` is an id, `email` an address, `timeZone` a zone. */
function hinted(name: string): fc.Arbitrary<unknown> | undefined {
  // Stored as given: another organization's id there would be read back by its writer (no leak).
  if (name === 'itemId') return undefined;
  if (name === 'id' || /Id$/.test(name)) return fc.oneof({ weight: 4, arbitrary: refArb }, { weight: 1, arbitrary: fc.uuid() }, { weight: 1, arbitrary: hostileStringArb });
  if (/email/i.test(name)) {
    return fc.oneof(
      fc.emailAddress(),
      fc.constant(new Ref('victim.email')),
      fc.constant(new Ref('victim.coachEmail')),
      fc.constantFrom('ADMIN@EXAMPLE.TEST ', 'a@b', '@', 'x@y.z\u0000', 'ﬃ@example.test', 'user+tag@example.test'),
    );
  }
  if (name === 'timeZone') return fc.constantFrom(...TIME_ZONES);
  if (/Url$/.test(name)) return fc.constantFrom('https://discord.gg/abc', 'https://discord.com/invite/x', 'http://discord.gg/x', 'https://evil.example/', 'https://discord.gg.evil.example/', null);
  if (/password/i.test(name)) return fc.oneof(fc.string({ minLength: 8, maxLength: 20 }), fc.constantFrom('password1', 'short'));
  if (name === 'cursor') {
    // Opaque to clients, but base64 of "<instant>|<id>": forged instants that one parser takes and another refuses.
    const instants = ['0', '2024', '2024-13-45', '-000001-01-01', '275760-09-13', '+010000-01-01T00:00:00.000Z', 'Tue, 01 Jan 2030', '2030-01-01T00:00:00.000Z', ''];
    return fc.oneof(
      fc.base64String({ maxLength: 40 }),
      fc.tuple(fc.constantFrom(...instants), fc.oneof(fc.string({ maxLength: 8 }), refArb)).map(([instant, id]) => (id instanceof Ref ? id : Buffer.from(`${instant}|${id}`).toString('base64url'))),
    );
  }
  // A search for the other organization's words (never a stored field: what an actor stores, it may read back).
  if (name === 'q') return fc.oneof(fc.string({ maxLength: 30 }), fc.constant(new Ref('victim.chatTitle')), fc.constant(new Ref('victim.name')));
  return undefined;
}

function stringArb(schema: JsonSchema): fc.Arbitrary<string> {
  if (schema.format === 'date-time') {
    return fc.integer({ min: -400, max: 400 }).chain((days) =>
      fc.constantFrom(0, 10, 13.5, 23).map((hour) => new Date(BASE_MS + days * DAY + hour * 3_600_000).toISOString()),
    );
  }
  if (schema.format === 'uri') return fc.webUrl();
  if (schema.format === 'email') return fc.emailAddress();
  const min = schema.minLength ?? 0;
  const max = Math.max(min, Math.min(schema.maxLength ?? 40, 40));
  if (schema.pattern) {
    try {
      return fc.stringMatching(new RegExp(schema.pattern)).filter((s) => s.length >= min && s.length <= (schema.maxLength ?? Infinity));
    } catch {
      // fall through to a plain string
    }
  }
  return fc.string({ minLength: min, maxLength: max, unit: fc.oneof({ weight: 5, arbitrary: fc.string({ minLength: 1, maxLength: 1 }) }, { weight: 1, arbitrary: fc.constantFrom('é', 'ß', '中', '😀', '\u202E', '\u200B') }) });
}

function numberArb(schema: JsonSchema, integer: boolean): fc.Arbitrary<number> {
  const min = schema.minimum ?? (schema.exclusiveMinimum !== undefined ? schema.exclusiveMinimum + (integer ? 1 : 1e-9) : -1_000_000);
  const max = schema.maximum ?? (schema.exclusiveMaximum !== undefined ? schema.exclusiveMaximum - (integer ? 1 : 1e-9) : 1_000_000);
  if (integer) return fc.integer({ min: Math.ceil(min), max: Math.floor(max) });
  return fc.double({ min, max, noNaN: true, noDefaultInfinity: true });
}

/**
 * A value the schema accepts (or nearly: patterns and formats are followed, names hint at ids),
 * `name` being the property it is for. `resolve` follows `$ref`s of the document.
 */
export function validArb(schema: JsonSchema, name = '', resolve: (ref: string) => JsonSchema = () => ({}), depth = 0): fc.Arbitrary<unknown> {
  if (schema.$ref) return validArb(resolve(schema.$ref), name, resolve, depth + 1);
  if (depth > 8) return fc.constant(null);
  if (schema.const !== undefined) return fc.constant(schema.const);
  if (schema.enum) return fc.constantFrom(...schema.enum);
  const alternatives = schema.anyOf ?? schema.oneOf;
  if (alternatives?.length) return fc.oneof(...alternatives.map((s) => validArb(s, name, resolve, depth + 1)));
  if (schema.allOf?.length) return validArb(Object.assign({}, ...schema.allOf) as JsonSchema, name, resolve, depth + 1);
  const type = Array.isArray(schema.type) ? schema.type[0] : schema.type;
  const hint = type === 'string' || type === undefined ? hinted(name) : undefined;
  if (hint && type === 'string') return hint;
  switch (type) {
    case 'string':
      return stringArb(schema);
    case 'integer':
      return numberArb(schema, true);
    case 'number':
      return numberArb(schema, false);
    case 'boolean':
      return fc.boolean();
    case 'null':
      return fc.constant(null);
    case 'array': {
      const minLength = schema.minItems ?? 0;
      const maxLength = Math.max(minLength, Math.min(schema.maxItems ?? 4, 4));
      return fc.array(validArb(schema.items ?? {}, name, resolve, depth + 1), { minLength, maxLength });
    }
    case 'object': {
      const props = schema.properties ?? {};
      const required = new Set(schema.required ?? []);
      const record: Record<string, fc.Arbitrary<unknown>> = {};
      for (const [key, sub] of Object.entries(props)) record[key] = validArb(sub, key, resolve, depth + 1);
      const requiredKeys = Object.keys(props).filter((k) => required.has(k));
      const shaped = fc.record(record, { requiredKeys });
      if (!Object.keys(props).length && schema.additionalProperties !== false) {
        return fc.dictionary(fc.string({ maxLength: 12 }), fc.jsonValue({ maxDepth: 2 }), { maxKeys: 4 });
      }
      return shaped;
    }
    default:
      return hint ?? fc.jsonValue({ maxDepth: 2 });
  }
}

/** One change that should make a valid value invalid (or at least unusual). */
type Mutation =
  | { kind: 'drop'; index: number }
  | { kind: 'extra'; key: string; value: unknown }
  | { kind: 'replace'; index: number; value: unknown }
  | { kind: 'wrap' }
  | { kind: 'whole'; value: unknown };

const mutationArb: fc.Arbitrary<Mutation> = fc.oneof(
  { weight: 2, arbitrary: fc.nat(20).map((index) => ({ kind: 'drop' as const, index })) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('extra' as const), key: extraKeyArb, value: hostileValueArb }) },
  { weight: 5, arbitrary: fc.record({ kind: fc.constant('replace' as const), index: fc.nat(20), value: hostileValueArb }) },
  { weight: 1, arbitrary: fc.constant({ kind: 'wrap' as const }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('whole' as const), value: hostileValueArb }) },
);

/** Every path (list of keys) to a value inside `value`, the root excluded. */
function paths(value: unknown, prefix: (string | number)[] = [], out: (string | number)[][] = []): (string | number)[][] {
  if (out.length > 200 || prefix.length > 6) return out;
  const entries: [string | number, unknown][] = Array.isArray(value) ? value.map((v, i) => [i, v]) : value && typeof value === 'object' && !(value instanceof Ref) ? Object.entries(value) : [];
  for (const [key, v] of entries) {
    out.push([...prefix, key]);
    paths(v, [...prefix, key], out);
  }
  return out;
}

function clone(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(clone);
  if (value && typeof value === 'object' && !(value instanceof Ref)) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) Object.defineProperty(out, k, { value: clone(v), enumerable: true, writable: true, configurable: true });
    return out;
  }
  return value;
}

/** Applies a mutation (own properties only: `__proto__` stays a plain key, as JSON.parse would make it). */
export function mutate(value: unknown, m: Mutation): unknown {
  if (m.kind === 'wrap') return [value];
  if (m.kind === 'whole') return m.value;
  const copy = clone(value);
  if (m.kind === 'extra') {
    if (copy && typeof copy === 'object' && !Array.isArray(copy)) {
      Object.defineProperty(copy, m.key, { value: m.value, enumerable: true, writable: true, configurable: true });
      return copy;
    }
    return { [m.key]: m.value, value: copy };
  }
  const all = paths(copy);
  if (!all.length) return m.kind === 'drop' ? undefined : m.value;
  const path = all[m.index % all.length]!;
  let parent = copy as Record<string | number, unknown>;
  for (const key of path.slice(0, -1)) parent = parent[key] as Record<string | number, unknown>;
  const last = path[path.length - 1]!;
  if (m.kind === 'drop') {
    if (Array.isArray(parent)) parent.splice(Number(last), 1);
    else delete parent[last];
  } else {
    Object.defineProperty(parent, last, { value: m.value, enumerable: true, writable: true, configurable: true });
  }
  return copy;
}

/** Valid values, the same with one to three mutations, and values of no shape at all. */
export function fuzzValueArb(schema: JsonSchema, name = '', resolve?: (ref: string) => JsonSchema): fc.Arbitrary<unknown> {
  const valid = validArb(schema, name, resolve);
  return fc.oneof(
    { weight: 4, arbitrary: valid },
    { weight: 5, arbitrary: fc.tuple(valid, fc.array(mutationArb, { minLength: 1, maxLength: 3 })).map(([v, ms]) => ms.reduce(mutate, v)) },
    { weight: 1, arbitrary: hostileValueArb },
  );
}
