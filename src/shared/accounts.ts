/** Who people are in an organization and what they pay for: shared by the server and the web app. */
export const ROLES = ['admin', 'coach', 'member'] as const;
export type Role = (typeof ROLES)[number];

export const PLANS = ['FREE', 'BASIC', 'PREMIUM'] as const;
export type Plan = (typeof PLANS)[number];

export const LOCALES = ['fr', 'en'] as const;
export type Locale = (typeof LOCALES)[number];

/** When nothing better is known (accounts created by an admin or the CLI, or before sign-up sent one). */
export const DEFAULT_TIME_ZONE = 'Europe/Paris';
