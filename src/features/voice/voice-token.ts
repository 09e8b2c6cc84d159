import { createHash, hkdfSync, randomUUID } from 'node:crypto';
import { errors as joseErrors, jwtVerify, SignJWT } from 'jose';
import { CONVERSATION_KINDS } from '../../shared/conversations.js';
import { AppError } from '../../platform/errors.js';
import type { ConversationKind } from '../../shared/conversations.js';
import type { TurnDetection } from '../../shared/api/voice.js';

const ISSUER = 'coach-hub';
/** Only the realtime engine accepts these tokens (never the REST API, and vice versa). */
export const VOICE_TOKEN_AUDIENCE = 'coach-hub-realtime';

/** What a local voice credential carries; the engine trusts these, not the client's session.update. */
export interface VoiceTokenClaims {
  userId: string | null;
  organizationId: string;
  apiKeyId?: string;
  model: string;
  voice: string;
  /** sha256 (base64url) of the instructions, so the engine can check the ones it is sent. */
  instructionsHash: string | null;
  turnDetection: TurnDetection;
  /** The kind of conversation the engine saves the transcript as. */
  kind: ConversationKind;
  tokenId: string;
  expiresAtMs: number;
}

/** HS256 key for voice tokens: derived from AUTH_SECRET with its own HKDF label. */
function voiceKey(secret: string): Uint8Array {
  return new Uint8Array(hkdfSync('sha256', secret, 'coach-hub', 'voice-session-token-v1', 32));
}

export function hashInstructions(instructions: string | undefined): string | null {
  return instructions === undefined ? null : createHash('sha256').update(instructions).digest('base64url');
}

export async function mintVoiceToken(
  secret: string,
  input: Omit<VoiceTokenClaims, 'tokenId' | 'expiresAtMs'>,
  options: { ttlMs: number; nowMs?: number },
): Promise<{ token: string; expiresAtMs: number; tokenId: string }> {
  const iat = Math.floor((options.nowMs ?? Date.now()) / 1000);
  const exp = iat + Math.ceil(options.ttlMs / 1000);
  const tokenId = randomUUID();
  const token = await new SignJWT({
    org: input.organizationId,
    ...(input.apiKeyId ? { key: input.apiKeyId } : {}),
    model: input.model,
    voice: input.voice,
    ih: input.instructionsHash,
    td: input.turnDetection,
    kind: input.kind,
  })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setIssuer(ISSUER)
    .setAudience(VOICE_TOKEN_AUDIENCE)
    .setSubject(input.userId ?? `org:${input.organizationId}`)
    .setJti(tokenId)
    .setIssuedAt(iat)
    .setExpirationTime(exp)
    .sign(voiceKey(secret));
  return { token, expiresAtMs: exp * 1000, tokenId };
}

/**
 * Checks a local voice credential (signature, issuer, audience, expiry) and returns its claims.
 * Throws AppError UNAUTHENTICATED with a reason the engine can log.
 */
export async function verifyVoiceToken(secret: string, token: string, options: { nowMs?: number } = {}): Promise<VoiceTokenClaims> {
  try {
    const { payload } = await jwtVerify(token, voiceKey(secret), {
      issuer: ISSUER,
      audience: VOICE_TOKEN_AUDIENCE,
      algorithms: ['HS256'],
      requiredClaims: ['exp', 'jti', 'sub'],
      ...(options.nowMs !== undefined ? { currentDate: new Date(options.nowMs) } : {}),
    });
    const sub = payload.sub!;
    return {
      userId: sub.startsWith('org:') ? null : sub,
      organizationId: String(payload.org),
      ...(typeof payload.key === 'string' ? { apiKeyId: payload.key } : {}),
      model: String(payload.model),
      voice: String(payload.voice),
      instructionsHash: typeof payload.ih === 'string' ? payload.ih : null,
      turnDetection: payload.td as TurnDetection,
      // Tokens minted before the claim existed were voice-coach sessions.
      kind: (CONVERSATION_KINDS as readonly unknown[]).includes(payload.kind) ? (payload.kind as ConversationKind) : 'coach',
      tokenId: payload.jti!,
      expiresAtMs: payload.exp! * 1000,
    };
  } catch (err) {
    const reason = err instanceof joseErrors.JWTExpired ? 'expired' : err instanceof joseErrors.JWTClaimValidationFailed ? `invalid ${err.claim}` : 'invalid signature or format';
    throw new AppError('UNAUTHENTICATED', `Voice credential rejected: ${reason}.`, { reason }, { cause: err });
  }
}
