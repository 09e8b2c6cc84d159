/** The session configuration: OpenAI defaults, the server's defaults, and `session.update` merged in. */
import type { AgentHint, ToolChoice, ToolDefinition } from '../../llm/index.js';
import type { VadOptions } from '../vad/types.js';
import { DEFAULT_BARGE_IN, type BargeInOptions } from './barge-in.js';
import { VOICES, type SessionObject, type SessionUpdate, type TurnDetection } from '../../../shared/realtime-protocol.js';
import type { RealtimeDefaults, RealtimePolicy } from './stages.js';

export const DEFAULT_TURN_DETECTION: NonNullable<TurnDetection> = {
  type: 'server_vad',
  threshold: 0.5,
  prefix_padding_ms: 300,
  silence_duration_ms: 500,
  create_response: true,
  interrupt_response: true,
};

/** semantic_vad is served by the same VAD with a longer silence (by eagerness): no semantic model runs. */
const SEMANTIC_SILENCE_MS = { low: 1200, medium: 800, auto: 800, high: 500 } as const;

export interface SessionState {
  id: string;
  model: string;
  instructions: string;
  voice: (typeof VOICES)[number];
  language: 'en' | 'fr' | undefined;
  agent: AgentHint | undefined;
  feature: string;
  turnDetection: TurnDetection;
  tools: ToolDefinition[];
  toolChoice: ToolChoice;
  maxOutputTokens: number | undefined;
  bargeIn: BargeInOptions;
}

/** The session as it starts: OpenAI's defaults, then the server's `defaults`, then the credential's `policy`. */
export function initialSession(id: string, model: string, defaults: RealtimeDefaults = {}, bargeIn: Partial<BargeInOptions> = {}, policy?: RealtimePolicy): SessionState {
  const voice = policy?.voice ?? ((VOICES as readonly string[]).includes(defaults.voice ?? '') ? (defaults.voice as SessionState['voice']) : 'alloy');
  return {
    id,
    model: policy?.model ?? model,
    instructions: policy?.instructions ?? defaults.instructions ?? '',
    voice,
    language: policy?.language ?? defaults.language,
    agent: policy?.agent ?? defaults.agent,
    feature: defaults.feature ?? 'realtime',
    turnDetection: policy?.turnDetection !== undefined ? turnDetectionOf(policy.turnDetection) : { ...DEFAULT_TURN_DETECTION },
    tools: policy?.tools ? policy.tools.map(toolOf) : [],
    toolChoice: policy?.toolChoice ?? 'auto',
    maxOutputTokens: undefined,
    bargeIn: { ...DEFAULT_BARGE_IN, ...bargeIn },
  };
}

const toolOf = (t: { name: string; description?: string | undefined; parameters?: Record<string, unknown> | undefined }): ToolDefinition => ({
  name: t.name,
  ...(t.description ? { description: t.description } : {}),
  ...(t.parameters ? { parameters: t.parameters } : {}),
});

/** A turn detection as the session keeps it: server_vad with OpenAI's defaults for what is not said. */
function turnDetectionOf(input: TurnDetection): TurnDetection {
  if (input === null) return null;
  return { ...(input.type === 'server_vad' ? DEFAULT_TURN_DETECTION : {}), ...input };
}

/** `update` applied to a copy of `state` (the session checks the copy against its policy before applying). */
export function withSessionUpdate(state: SessionState, update: SessionUpdate): SessionState {
  const next = structuredClone(state);
  applySessionUpdate(next, update);
  return next;
}

export function applySessionUpdate(state: SessionState, update: SessionUpdate): void {
  if (update.model !== undefined) state.model = update.model;
  if (update.instructions !== undefined) state.instructions = update.instructions;
  if (update.max_output_tokens !== undefined) state.maxOutputTokens = update.max_output_tokens === 'inf' ? undefined : update.max_output_tokens;
  if (update.tools !== undefined) state.tools = update.tools.map(toolOf);
  if (update.tool_choice !== undefined) state.toolChoice = typeof update.tool_choice === 'string' ? update.tool_choice : { name: update.tool_choice.name };
  const input = update.audio?.input;
  if (input?.turn_detection !== undefined) state.turnDetection = turnDetectionOf(input.turn_detection);
  if (input?.transcription?.language) state.language = input.transcription.language;
  if (update.audio?.output?.voice) state.voice = update.audio.output.voice;
}

/** VAD options for the current turn detection (null when the client commits by hand). */
export function vadOptions(turnDetection: TurnDetection): Partial<VadOptions> | null {
  if (!turnDetection) return null;
  if (turnDetection.type === 'semantic_vad') return { silenceDurationMs: SEMANTIC_SILENCE_MS[turnDetection.eagerness ?? 'auto'] };
  return {
    ...(turnDetection.threshold !== undefined ? { threshold: turnDetection.threshold } : {}),
    ...(turnDetection.prefix_padding_ms !== undefined ? { prefixPaddingMs: turnDetection.prefix_padding_ms } : {}),
    ...(turnDetection.silence_duration_ms !== undefined ? { silenceDurationMs: turnDetection.silence_duration_ms } : {}),
  };
}

export function sessionObject(state: SessionState, sttName: string): SessionObject {
  return {
    type: 'realtime',
    object: 'realtime.session',
    id: state.id,
    model: state.model,
    instructions: state.instructions,
    output_modalities: ['audio'],
    max_output_tokens: state.maxOutputTokens ?? 'inf',
    tool_choice: typeof state.toolChoice === 'string' ? state.toolChoice : { type: 'function', name: state.toolChoice.name },
    tools: state.tools.map((t) => ({ type: 'function' as const, name: t.name, ...(t.description ? { description: t.description } : {}), parameters: t.parameters ?? {} })),
    audio: {
      input: {
        format: { type: 'audio/pcm', rate: 24_000 },
        turn_detection: state.turnDetection,
        transcription: { model: sttName, ...(state.language ? { language: state.language } : {}) },
      },
      output: { format: { type: 'audio/pcm', rate: 24_000 }, voice: state.voice, speed: 1 },
    },
  };
}
