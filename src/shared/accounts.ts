/** Who people are in an organization and what they pay for: shared by the server and the web app. */
export const ROLES = ['admin', 'coach', 'member'] as const;
export type Role = (typeof ROLES)[number];

export const PLANS = ['FREE', 'BASIC', 'PREMIUM'] as const;
export type Plan = (typeof PLANS)[number];

export const LOCALES = ['fr', 'en'] as const;
export type Locale = (typeof LOCALES)[number];

/** When nothing better is known (accounts created by an admin or the CLI, or before sign-up sent one). */
export const DEFAULT_TIME_ZONE = 'Europe/Paris';

/**
 * What an organization API key may do. `admin` is everything (what keys could do before scopes);
 * the others open one area each: `voice` (voice credentials, transcripts and their debriefs),
 * `chat` (chat sessions, messages, stats), `bookings` (offers, availability, reservations,
 * recordings, packs), `users:write` (create, update and delete members — roles above member and
 * plans need `admin`). Every key may read who it is (`GET /api/me`), its organization and its users.
 */
export const API_KEY_SCOPES = ['voice', 'chat', 'bookings', 'users:write', 'admin'] as const;
export type ApiKeyScope = (typeof API_KEY_SCOPES)[number];

/**
 * A key created without scopes gets only `voice`: the narrowest scope an integration uses on its own
 * (an embedded roleplay or kiosk mints voice credentials for its users and reads their debriefs).
 */
export const DEFAULT_API_KEY_SCOPES: readonly ApiKeyScope[] = ['voice'];
