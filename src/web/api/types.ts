/**
 * The API's shapes, inferred from the server's zod schemas. Type-only imports: nothing of the
 * server reaches the bundle, but a change of contract breaks the SPA's type check.
 */
import type { z } from 'zod';
import type { ZApiKey, ZMeResponse, ZOrganization, ZUser } from '../../shared/api/accounts.js';

export type { Locale, Plan, Role } from '../../shared/accounts.js';

export type User = z.infer<typeof ZUser>;
export type Organization = z.infer<typeof ZOrganization>;
export type Me = z.infer<typeof ZMeResponse>;
export type ApiKey = z.infer<typeof ZApiKey>;

/** GET /api/config (ai: which engine answers; voice: who answers and whether speech can be heard). */
export type { PublicConfig } from '../../shared/api/system.js';
