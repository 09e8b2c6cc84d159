import fc from 'fast-check';

/**
 * Building blocks of the API fuzz test (tests/api/fuzz.test.ts): references to seeded rows,
 * and hostile values that belong in no field.
 */

/**
 * A placeholder for a real row's id (or a seeded string), chosen by the generator and resolved
 * when the request is built: generation stays deterministic while the ids are random UUIDs.
 */
export class Ref {
  constructor(readonly name: string) {}
  toString(): string {
    return `<${this.name}>`;
  }
  [fc.toStringMethod](): string {
    return this.toString();
  }
}

/** What a Ref may name: filled by the seed (tests/helpers/fuzz/seed.ts). `self` is the actor's own user id. */
export const REF_NAMES = [
  'victim.org',
  'victim.admin',
  'victim.member',
  'victim.coach',
  'victim.chatSession',
  'victim.chatMessage',
  'victim.conversation',
  'victim.announcement',
  'victim.reservation',
  'victim.recording',
  'victim.apiKey',
  'victim.email',
  'victim.coachEmail',
  'victim.name',
  'victim.chatTitle',
  'victim.roomName',
  'attacker.org',
  'attacker.spare',
  'attacker.coach',
  'attacker.chatSession',
  'attacker.conversation',
  'attacker.announcement',
  'attacker.reservation',
  'attacker.recording',
  'attacker.apiKey',
  'self',
] as const;
export type RefName = (typeof REF_NAMES)[number];

/** Refs to rows (ids); the seeded strings (email, name, title) are only used where they are not stored. */
const ID_REFS = REF_NAMES.filter((n) => !['victim.email', 'victim.coachEmail', 'victim.name', 'victim.chatTitle'].includes(n));
export const refArb: fc.Arbitrary<Ref> = fc.constantFrom(...ID_REFS).map((n) => new Ref(n));

/** JSON that JSON.parse gives back with own `__proto__` / `constructor` keys (an object literal would set the prototype). */
const pollution = [
  '{"__proto__":{"role":"admin","polluted":true}}',
  '{"constructor":{"prototype":{"role":"admin","polluted":true}}}',
  '{"__proto__":{"organizationId":"x"},"prototype":{"polluted":true}}',
].map((text) => JSON.parse(text) as Record<string, unknown>);

const deep = (depth: number, leaf: unknown): unknown => {
  let value: unknown = leaf;
  for (let i = 0; i < depth; i++) value = { a: value };
  return value;
};

/** Strings no field should choke on. */
export const hostileStringArb: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom(
    '',
    ' ',
    '\t\n\r',
    '\u0000',
    'a\u0000b',
    '\u202Eevil\u202C',
    '\u200B\u200C\u200D\uFEFF',
    '\uD800',
    'x\uDC00y',
    '\uD83D',
    '👩‍👩‍👧‍👦🏳️‍🌈',
    'e\u0301\u0301\u0301\u0301',
    'שלום עולם',
    '𝕳𝖊𝖑𝖑𝖔',
    '../../../../etc/passwd',
    '..\\..\\windows\\win.ini',
    '..%2F..%2Fetc%2Fpasswd',
    '%2e%2e%2f',
    "' OR '1'='1",
    "1'; DROP TABLE \"user\"; --",
    '" OR ""="',
    "\\'; SELECT pg_sleep(1); --",
    '$1',
    '%',
    '_',
    '\\',
    '${jndi:ldap://x}',
    '{{7*7}}',
    '<script>alert(1)</script>',
    '__proto__',
    'constructor',
    'prototype',
    'NaN',
    'Infinity',
    '-1',
    '1e309',
    '0x1F',
    'null',
    'undefined',
    'true',
    '[]',
    '{}',
    '0',
    '2024-02-30T25:61:00Z',
    '+275760-09-13T00:00:00.000Z',
    '0000-00-00T00:00:00Z',
    '9999-12-31T23:59:59.999+23:59',
    'javascript:alert(1)',
    'https://discord.gg/\u0000',
    'admin',
    'chk_',
    'Bearer x',
  ),
  fc.constantFrom(1_000, 10_000, 70_000).chain((n) => fc.constantFrom('a', 'é', '😀', '\u0000', '%').map((c) => c.repeat(n))),
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.string({ unit: 'grapheme', maxLength: 40 }),
);

/** Numbers that are valid JSON but rarely a valid value. */
export const hostileNumberArb: fc.Arbitrary<number> = fc.oneof(
  fc.constantFrom(-1, 0, -0, 0.5, 1e-10, 1e308, -1e308, Number.MAX_SAFE_INTEGER + 2, 2 ** 31, -(2 ** 31) - 1, 2 ** 63, 59_999, 86_400_000 * 365 * 10_000),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.integer(),
);

/** Any JSON value of the wrong kind: null, booleans, arrays for objects, prototype-polluting objects, deep nesting. */
export const hostileValueArb: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 3, arbitrary: hostileStringArb },
  { weight: 2, arbitrary: hostileNumberArb },
  { weight: 1, arbitrary: fc.constantFrom<unknown>(null, true, false, [], {}, [[[]]], [null], [{}], ...pollution) },
  { weight: 1, arbitrary: fc.constantFrom(deep(50, 1), deep(3_000, 'x'), Array.from({ length: 5_000 }, (_, i) => i)) },
  { weight: 1, arbitrary: refArb },
  { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 3 }) },
);

/** Extra keys a body should not honour. */
export const extraKeyArb: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom('__proto__', 'constructor', 'prototype', 'organizationId', 'role', 'plan', 'userId', 'id', 'isAdmin', 'coachId', 'createdAt', ''),
  fc.string({ maxLength: 20 }),
);
