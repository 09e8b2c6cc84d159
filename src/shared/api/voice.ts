import { z } from 'zod';
import { PLANS } from '../accounts.js';
import { CONVERSATION_KINDS } from '../conversations.js';
import { VOICE_IDS } from '../voices.js';

export const ZTurnDetection = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('semantic_vad'), eagerness: z.enum(['low', 'medium', 'high', 'auto']).optional() }),
  z.strictObject({
    type: z.literal('server_vad'),
    threshold: z.number().min(0.01).max(0.99).optional(),
    prefixPaddingMs: z.number().int().min(0).max(5_000).optional(),
    silenceDurationMs: z.number().int().min(100).max(10_000).optional(),
  }),
]);
export type TurnDetection = z.infer<typeof ZTurnDetection>;

export const ZVoiceTool = z.strictObject({
  type: z.literal('function').default('function'),
  name: z.string().regex(/^[a-zA-Z0-9_-]{1,64}$/, 'must be 1–64 letters, digits, _ or -'),
  description: z.string().max(1_024).optional(),
  /** JSON schema of the arguments. */
  parameters: z.record(z.string(), z.unknown()).optional(),
});
export type VoiceTool = z.infer<typeof ZVoiceTool>;

export const ZCreateVoiceSession = z.strictObject({
  model: z.string().min(1).max(100).optional(),
  instructions: z.string().max(20_000).optional(),
  voice: z.enum(VOICE_IDS).optional(),
  turnDetection: ZTurnDetection.optional(),
  tools: z.array(ZVoiceTool).max(64).optional(),
  /** What the conversation is: the self-hosted engine saves its transcript with this kind (default coach). */
  kind: z.enum(CONVERSATION_KINDS).optional(),
  /**
   * Whose conversation it is. Organization API keys must say (a member of their organization);
   * admins may name a member of theirs; others may only name themselves.
   */
  userId: z.string().min(1).max(100).optional(),
});
export type CreateVoiceSession = z.infer<typeof ZCreateVoiceSession>;

const common = {
  /** The short-lived credential the browser uses to start the session (never the OpenAI API key). */
  clientSecret: z.string(),
  /** Until when the credential can START a session. */
  expiresAt: z.iso.datetime(),
  model: z.string(),
  voice: z.enum(VOICE_IDS),
};

export const ZVoiceSessionCredentials = z.discriminatedUnion('provider', [
  z.object({ provider: z.literal('openai'), ...common, callsUrl: z.url().describe('POST the WebRTC SDP offer here with the client secret as Bearer') }),
  z.object({ provider: z.literal('local'), ...common, url: z.string().describe('WebSocket URL of the self-hosted engine (OpenAI Realtime protocol)') }),
]);
export type VoiceSessionCredentials = z.infer<typeof ZVoiceSessionCredentials>;

// ----- voice minutes (docs/voice.md#voice-minutes)

/** Why a metered session ended: the realtime engine's end reasons, or the client closed it. */
export const VOICE_END_REASONS = [
  'client_closed',
  'session_expired',
  'idle_timeout',
  'credential_revoked',
  'quota_exhausted',
  'slow_consumer',
  'session_refused',
  'too_many_errors',
  'server_shutdown',
] as const;
export type VoiceEndReason = (typeof VOICE_END_REASONS)[number];

export const ZVoiceUsageQuery = z.strictObject({
  userId: z.string().min(1, 'is required').max(100, 'must be at most 100 characters').optional()
    .describe('The member: yourself (default), or a member of your organization for admins and API keys'),
});

/** A member's voice minutes this month. Seconds throughout; `null` allowance = unlimited plan. */
export const ZVoiceMinutes = z.object({
  plan: z.enum(PLANS),
  period: z.string().describe('Calendar month (UTC), e.g. 2026-11'),
  allowanceSeconds: z.number().int().nullable().describe('The plan’s monthly allowance; null = unlimited'),
  usedSeconds: z.number().int().describe('Ended sessions, plus what running sessions hold'),
  remainingSeconds: z.number().int().nullable().describe('null = unlimited'),
  status: z.enum(['ACTIVE', 'NO_CREDITS']).describe('NO_CREDITS: the month is used up (minting answers 402)'),
});
export type VoiceMinutes = z.infer<typeof ZVoiceMinutes>;

export const ZVoiceUsageSession = z.object({
  sessionId: z.string(),
  kind: z.enum(CONVERSATION_KINDS),
  startedAt: z.string(),
  endedAt: z.string().nullable().describe('null while the session runs'),
  /** Seconds counted (null while it runs). */
  seconds: z.number().int().nullable(),
  endReason: z.enum(VOICE_END_REASONS).nullable(),
});
export type VoiceUsageSession = z.infer<typeof ZVoiceUsageSession>;

export const ZVoiceUsageResponse = z.object({
  userId: z.string(),
  minutes: ZVoiceMinutes,
  /** This month's sessions, newest first (at most 50). */
  sessions: z.array(ZVoiceUsageSession),
});
export type VoiceUsageResponse = z.infer<typeof ZVoiceUsageResponse>;
