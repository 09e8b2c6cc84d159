import { z } from 'zod';

/**
 * IANA time zone names (Europe/Paris, America/New_York, UTC), as the runtime's Intl (ICU)
 * knows them. Raw UTC offsets ("+02:00"), which newer runtimes also accept, are refused:
 * an offset does not follow daylight saving time.
 */
export function isTimeZone(value: string): boolean {
  if (!value || /^[+-]/.test(value)) return false;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: value });
    return true;
  } catch {
    return false;
  }
}

/** The canonical spelling of a valid zone ("europe/paris" → "Europe/Paris"). */
export function canonicalTimeZone(value: string): string {
  return new Intl.DateTimeFormat('en-US', { timeZone: value }).resolvedOptions().timeZone;
}

export const ZTimeZone = z
  .string()
  .trim()
  .max(64)
  .refine(isTimeZone, 'must be an IANA time zone such as Europe/Paris')
  .transform(canonicalTimeZone)
  .describe('IANA time zone, e.g. Europe/Paris');
