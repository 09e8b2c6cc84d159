import { parseArgs } from 'node:util';
import { z } from 'zod';
import type { AppContext } from '../app.js';
import { API_KEY_SCOPES, DEFAULT_API_KEY_SCOPES, LOCALES, PLANS, ROLES } from '../shared/accounts.js';
import { AppError } from '../platform/errors.js';
import { canonicalTimeZone, isTimeZone } from '../shared/time-zone.js';

export const CLI_HELP = `Coach Hub operator CLI — npm run cli -- <command> [options]

  org:create     --name <name> --slug <slug>
  org:list
  user:create    --org <slug> --email <email> --password <pw> --name <name> [--role admin|coach|member] [--plan FREE|BASIC|PREMIUM] [--locale fr|en] [--time-zone <IANA zone>]
  user:list      --org <slug>
  apikey:create  --org <slug> --name <name> [--scopes ${API_KEY_SCOPES.join(',')}] [--expires <ISO date>]
                 (prints the key once; without --scopes the key gets ${DEFAULT_API_KEY_SCOPES.join(',')} only)
  apikey:list    --org <slug>
  apikey:revoke  --id <id>
`;

const options = {
  name: { type: 'string' },
  slug: { type: 'string' },
  org: { type: 'string' },
  email: { type: 'string' },
  password: { type: 'string' },
  role: { type: 'string' },
  plan: { type: 'string' },
  locale: { type: 'string' },
  'time-zone': { type: 'string' },
  id: { type: 'string' },
  expires: { type: 'string' },
  scopes: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

const required = (name: string) => z.string({ error: `--${name} is required` }).min(1, `--${name} is required`);

/** Runs one CLI command; prints through `out`. Errors are AppErrors with a readable message. */
export async function runCli(argv: string[], ctx: AppContext, out: (line: string) => void): Promise<void> {
  const { positionals, values } = parseArgs({ args: argv, options, allowPositionals: true, strict: true });
  const command = positionals[0];
  const parse = <T extends z.ZodRawShape>(shape: T) => {
    const result = z.object(shape).safeParse(values);
    if (!result.success) throw new AppError('VALIDATION_FAILED', result.error.issues.map((i) => i.message).join('; '));
    return result.data;
  };
  const orgBySlug = async (slug: string) => {
    const org = await ctx.services.organizations.bySlug(slug);
    if (!org) throw new AppError('NOT_FOUND', `No organization with the slug "${slug}".`);
    return org;
  };
  const asOrg = (organizationId: string) => ({ kind: 'apiKey' as const, organizationId, userId: null, role: 'admin' as const });

  switch (command) {
    case 'org:create': {
      const v = parse({ name: required('name'), slug: required('slug').regex(/^[a-z0-9-]+$/, '--slug: lowercase letters, digits and dashes') });
      const org = await ctx.services.organizations.create(v);
      out(`Organization created: ${org.name} (slug ${org.slug}, id ${org.id})`);
      return;
    }
    case 'org:list': {
      for (const org of await ctx.services.organizations.list()) out(`${org.slug}\t${org.name}\t${org.id}`);
      return;
    }
    case 'user:create': {
      const v = parse({
        org: required('org'),
        email: required('email').pipe(z.email('--email must be a valid email')),
        password: required('password').min(8, '--password must have at least 8 characters'),
        name: required('name'),
        role: z.enum(ROLES, { error: `--role must be one of ${ROLES.join(', ')}` }).default('member'),
        plan: z.enum(PLANS, { error: `--plan must be one of ${PLANS.join(', ')}` }).default('FREE'),
        locale: z.enum(LOCALES, { error: `--locale must be one of ${LOCALES.join(', ')}` }).default('fr'),
        'time-zone': z.string().refine(isTimeZone, '--time-zone must be an IANA time zone such as Europe/Paris').transform(canonicalTimeZone).optional(),
      });
      const org = await orgBySlug(v.org);
      const { 'time-zone': timeZone, ...rest } = v;
      const user = await ctx.services.users.createWithPassword({ ...rest, ...(timeZone ? { timeZone } : {}), organizationId: org.id });
      out(`User created: ${user.email} (${user.role}, ${user.plan}) in ${org.slug}, id ${user.id}`);
      return;
    }
    case 'user:list': {
      const v = parse({ org: required('org') });
      const org = await orgBySlug(v.org);
      for (const u of await ctx.services.users.list(asOrg(org.id))) out(`${u.email}\t${u.role}\t${u.plan}\t${u.id}`);
      return;
    }
    case 'apikey:create': {
      const v = parse({
        org: required('org'),
        name: required('name'),
        scopes: z
          .string()
          .transform((list) => list.split(',').map((s) => s.trim()).filter(Boolean))
          .pipe(z.array(z.enum(API_KEY_SCOPES, { error: `--scopes: each must be one of ${API_KEY_SCOPES.join(', ')}` })))
          .optional(),
        expires: z.iso.datetime({ offset: true, error: '--expires must be an ISO date-time' }).optional(),
      });
      const org = await orgBySlug(v.org);
      const { key, apiKey } = await ctx.services.apiKeys.create({ organizationId: org.id, name: v.name, scopes: v.scopes, expiresAt: v.expires ? new Date(v.expires) : null });
      out(`API key created for ${org.slug}: ${apiKey.name} (id ${apiKey.id}), scopes ${apiKey.scopes.join(', ')}`);
      out(`Key (shown once, store it now): ${key}`);
      return;
    }
    case 'apikey:list': {
      const v = parse({ org: required('org') });
      const org = await orgBySlug(v.org);
      for (const k of await ctx.services.apiKeys.listForOrganization(org.id)) {
        out(`${k.id}\t${k.name}\t${k.prefix}…\t${k.scopes.join(',')}\t${k.revokedAt ? 'revoked' : 'active'}`);
      }
      return;
    }
    case 'apikey:revoke': {
      const v = parse({ id: required('id') });
      const k = await ctx.services.apiKeys.revoke(null, v.id);
      out(`API key ${k.id} (${k.name}) revoked.`);
      return;
    }
    default:
      out(CLI_HELP);
      if (command !== undefined && !values.help) throw new AppError('VALIDATION_FAILED', `Unknown command "${command}".`);
  }
}
