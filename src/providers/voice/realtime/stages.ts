/**
 * What the realtime engine needs from the speech stages and the LLM, injected by the caller (app.ts
 * or tests). VAD and STT are the stage interfaces; TTS is a structural type that the TTS stage
 * (`providers/voice/tts/types.ts`, TtsEngine) satisfies, so both branches merge without edits.
 */
import type { AgentHint, LlmService } from '../../llm/index.js';
import type { SttEngine } from '../stt/types.js';
import type { VadEngine } from '../vad/types.js';

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
  /** Session defaults chosen server-side (persona, voice…); the client may override instructions and voice. */
  defaults?: RealtimeDefaults;
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
