import type { VoiceProvider } from './voice-api.js';

/** The typed event stream every voice screen consumes (whatever the transport). */

export type VoiceState =
  | 'idle'
  | 'connecting'
  /** Waiting for the user (microphone open, or text input ready). */
  | 'listening'
  /** The user is speaking (server VAD). */
  | 'userSpeaking'
  /** The user's turn ended; the reply is being prepared. */
  | 'thinking'
  /** The assistant's reply is playing. */
  | 'speaking'
  | 'reconnecting'
  | 'ended'
  | 'failed';

/** Why the screen shows text input instead of the microphone. */
export type TextFallbackReason = 'micDenied' | 'noMic' | 'speechUnavailable' | 'chosen';

export type VoiceErrorCode =
  /** The browser refused the microphone (NotAllowedError). Not fatal: text input. */
  | 'MIC_DENIED'
  /** Credential endpoint failed (POST /api/voice/sessions). */
  | 'TOKEN_FAILED'
  /** The month's voice minutes are used up (402 NO_CREDITS, or `quota_exhausted` during a session). Fatal. */
  | 'NO_MINUTES'
  /** The session was ended because its credential was revoked (signed out everywhere, user deleted, API key revoked). Fatal. */
  | 'SESSION_REVOKED'
  /** Too many voice sessions at once for this user or organization (`too_many_sessions`). Fatal. */
  | 'TOO_MANY_SESSIONS'
  /** The connection dropped; the client reconnects when it can. */
  | 'CONNECTION_LOST'
  /** Could not (re)connect: gave up. */
  | 'CONNECTION_FAILED'
  /** The realtime server reported an error event. */
  | 'SERVER_ERROR';

export interface VoiceError {
  code: VoiceErrorCode;
  /** Technical detail for logs (the UI shows a translated message by code). */
  detail: string;
  fatal: boolean;
}

export type VoiceClientEvent =
  | { type: 'state'; state: VoiceState }
  | { type: 'input'; mode: 'voice' | 'text'; reason?: TextFallbackReason }
  | { type: 'session'; provider: VoiceProvider; conversationId: string | null; model: string }
  | { type: 'user.transcript'; itemId: string; text: string }
  | { type: 'assistant.delta'; itemId: string; delta: string }
  | { type: 'assistant.done'; itemId: string; text: string }
  | { type: 'function.call'; itemId: string; callId: string; name: string; arguments: string }
  /** Reply audio starts playing at `atMs` (performance.now() clock). */
  | { type: 'audio.start'; itemId: string; atMs: number }
  /** Reply audio was cut (barge-in, cancel) after `playedMs` ms of the item. */
  | { type: 'audio.interrupted'; itemId: string; playedMs: number }
  | { type: 'error'; error: VoiceError };

export type VoiceClientListener = (event: VoiceClientEvent) => void;
