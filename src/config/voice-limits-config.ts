import { z } from 'zod';
import { CONVERSATION_KINDS, type ConversationKind } from '../shared/conversations.js';

const unsetIfEmpty = (value: unknown): unknown => (typeof value === 'string' && value.trim() === '' ? undefined : value);

/** Built-in time limits per conversation kind (ms): a kiosk question is short, an interview long. */
export const DEFAULT_MAX_SESSION_MS: Record<ConversationKind, number> = {
  coach: 30 * 60_000,
  roleplay: 20 * 60_000,
  debrief: 15 * 60_000,
  interview: 60 * 60_000,
  kiosk: 10 * 60_000,
};
export const DEFAULT_IDLE_TIMEOUT_MS: Record<ConversationKind, number> = {
  coach: 2 * 60_000,
  roleplay: 2 * 60_000,
  debrief: 2 * 60_000,
  interview: 3 * 60_000,
  kiosk: 60_000,
};

/**
 * A duration per conversation kind: a bare number sets every kind (`600000`), `kind=ms` pairs
 * override the built-in defaults for those kinds (`interview=3600000,kiosk=300000`).
 */
function perKindMs(defaults: Record<ConversationKind, number>, min: number, max: number) {
  const ms = z.coerce.number().int().min(min).max(max);
  return z.preprocess(
    unsetIfEmpty,
    z
      .string()
      .optional()
      .transform((raw, ctx): Record<ConversationKind, number> => {
        const result = { ...defaults };
        if (raw === undefined) return result;
        const trimmed = raw.trim();
        if (/^\d+$/.test(trimmed)) {
          const parsed = ms.safeParse(trimmed);
          if (!parsed.success) {
            ctx.addIssue({ code: 'custom', message: `must be between ${min} and ${max} ms` });
            return z.NEVER;
          }
          for (const kind of CONVERSATION_KINDS) result[kind] = parsed.data;
          return result;
        }
        for (const pair of trimmed.split(',').map((p) => p.trim()).filter(Boolean)) {
          const [kind, value] = pair.split('=').map((s) => s.trim());
          const parsed = ms.safeParse(value);
          if (!(CONVERSATION_KINDS as readonly string[]).includes(kind ?? '') || !parsed.success) {
            ctx.addIssue({ code: 'custom', message: `"${pair}": expected kind=ms with kind one of ${CONVERSATION_KINDS.join(', ')} and ms between ${min} and ${max}` });
            return z.NEVER;
          }
          result[kind as ConversationKind] = parsed.data;
        }
        return result;
      }),
  );
}

/** What the self-hosted realtime engine enforces for the app (docs/voice.md, "Limits of voice sessions"). */
export const voiceLimitsConfigSchema = z.object({
  /** Realtime sessions one user may run at once, across every instance. */
  VOICE_MAX_SESSIONS_PER_USER: z.preprocess(unsetIfEmpty, z.coerce.number().int().min(1).max(1_000).default(2)),
  /** Realtime sessions one organization may run at once, across every instance. */
  VOICE_MAX_SESSIONS_PER_ORGANIZATION: z.preprocess(unsetIfEmpty, z.coerce.number().int().min(1).max(100_000).default(50)),
  /** Error events a client may cause per minute (refused appends, refused updates…) before its session is closed. */
  VOICE_MAX_ERRORS_PER_MINUTE: z.preprocess(unsetIfEmpty, z.coerce.number().int().min(1).max(100_000).default(120)),
  /** Longest session per conversation kind (ms). */
  VOICE_MAX_SESSION_MS: perKindMs(DEFAULT_MAX_SESSION_MS, 10_000, 24 * 3_600_000),
  /** A session with nothing from the client for this long ends (ms, per conversation kind). */
  VOICE_IDLE_TIMEOUT_MS: perKindMs(DEFAULT_IDLE_TIMEOUT_MS, 5_000, 3_600_000),
});

export type VoiceLimitsConfig = z.output<typeof voiceLimitsConfigSchema>;
