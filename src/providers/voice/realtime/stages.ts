/**
 * What the realtime engine needs from the speech stages and the LLM, injected by the caller (app.ts
 * or tests). VAD and STT are the stage interfaces; TTS is a structural type that the TTS stage
 * (`providers/voice/tts/types.ts`, TtsEngine) satisfies, so both branches merge without edits.
 */
import type { AgentHint, LlmService, ToolChoice, ToolDefinition } from '../../llm/index.js';
import type { SttEngine } from '../stt/types.js';
import type { VadEngine } from '../vad/types.js';
import type { TurnDetection, VOICES } from '../../../shared/realtime-protocol.js';
import type { RealtimeLimits } from './session-limits.js';

export interface RealtimeTtsOptions {
  voice: string;
  language?: 'en' | 'fr';
  signal?: AbortSignal;
}

/** Text → PCM16 24 kHz mono chunks, cancellable (the TTS stage's `TtsEngine` fits this). */
export interface RealtimeTts {
  readonly name: string;
  synthesize(text: string, options: RealtimeTtsOptions): AsyncIterable<{ pcm: Buffer }>;
  /** Engines with warm processes: start them before the first reply, stop them at shutdown. */
  warmUp?(): void;
  close?(): Promise<void>;
}

export interface RealtimeStages {
  vad: VadEngine;
  stt: SttEngine;
  tts: RealtimeTts;
  llm: LlmService;
}

/** Who is connected, as returned by the injected `authenticate(token)`. */
export interface RealtimeIdentity {
  userId: string;
  organizationId: string;
  /** The credential the session was opened with (one-time use, revocation: the session registry finds sessions by it). */
  credentialId?: string;
  /** Session defaults chosen server-side (persona, voice…); without a policy the client may change them. */
  defaults?: RealtimeDefaults;
  /** What the credential binds: the session runs with it, and the client may change only what it allows (session-policy.ts). */
  policy?: RealtimePolicy;
  /** This session's limits (e.g. per conversation kind), over the plugin's `limits`. */
  limits?: Partial<RealtimeLimits>;
}

export type Voice = (typeof VOICES)[number];

export interface Bounds {
  min: number;
  max: number;
}

/**
 * What a credential binds (checked by session-policy.ts). The session starts with these values;
 * `session.update` may change only a voice from `voices` and the VAD numbers within `vad`;
 * system items, and assistant items unless allowed, are refused, as are `response.instructions`.
 */
export interface RealtimePolicy {
  /** The session's values, fixed for its life (absent: the engine's default, or `identity.defaults`). */
  instructions?: string;
  model?: string;
  /** Client-side function tools. */
  tools?: readonly ToolDefinition[];
  toolChoice?: ToolChoice;
  /** The starting turn detection (null: the client commits by hand); its type is fixed. */
  turnDetection?: TurnDetection;
  /** The conversation kind as the LLM's agent hint (persona, interviewer, kiosk…). */
  agent?: AgentHint;
  language?: 'en' | 'fr';
  /** The starting voice. */
  voice?: Voice;
  /** Voices `session.update` may choose. Default: only the starting voice. */
  voices?: readonly Voice[];
  /** server_vad settings `session.update` may change, each within its bounds. Default: none. */
  vad?: { threshold?: Bounds; silenceDurationMs?: Bounds; prefixPaddingMs?: Bounds };
  /** `conversation.item.create` with role assistant (words put in the persona's mouth). Default false. */
  allowAssistantItems?: boolean;
}

export interface RealtimeDefaults {
  instructions?: string;
  voice?: string;
  agent?: AgentHint;
  language?: 'en' | 'fr';
  /** LLM feature name recorded by usage metering (default "realtime"). */
  feature?: string;
}

export type Authenticate<I extends RealtimeIdentity = RealtimeIdentity> = (token: string) => Promise<I | null>;

/** The logger calls the engine makes (pino and Fastify's logger both fit). */
export interface RealtimeLogger {
  debug(fields: object, message: string): void;
  info(fields: object, message: string): void;
  warn(fields: object, message: string): void;
}
