/**
 * What a credential binds. The app puts a policy into each identity (`authenticate` →
 * `identity.policy`); the session starts with the policy's values and `session.update` may change
 * only what the policy allows: a voice from `voices`, VAD numbers within `vad` bounds. Any other
 * change is refused with an `error` (code `forbidden_field`, or `value_not_allowed` for a value
 * outside the allowed list or bounds; `param` names the field) and nothing of that update applies.
 * Sending a fixed field with the value it already has is not a change. Without a policy the client
 * may change the session as OpenAI allows (the engine's behaviour for tests and trusted clients).
 */
import type { TurnDetection } from '../../../shared/realtime-protocol.js';
import type { SessionState } from './session-config.js';
import type { RealtimePolicy } from './stages.js';

export type { RealtimePolicy } from './stages.js';

export interface PolicyRefusal {
  code: 'forbidden_field' | 'value_not_allowed';
  param: string;
  message: string;
}

const TD = 'session.audio.input.turn_detection';

const same = (a: unknown, b: unknown): boolean => JSON.stringify(a ?? null) === JSON.stringify(b ?? null);

const fixed = (param: string): PolicyRefusal => ({ code: 'forbidden_field', param, message: `${param} is set by the session's credential and cannot be changed.` });
const outside = (param: string, allowed: string): PolicyRefusal => ({ code: 'value_not_allowed', param, message: `${param} must be ${allowed}.` });

/**
 * Checks the session `next` (the current one with an update applied) against `policy`: the first
 * change that is not allowed, or undefined when every change is.
 */
export function refuseSessionChange(policy: RealtimePolicy, current: SessionState, next: SessionState): PolicyRefusal | undefined {
  if (next.model !== current.model) return fixed('session.model');
  if (next.instructions !== current.instructions) return fixed('session.instructions');
  if (!same(next.tools, current.tools)) return fixed('session.tools');
  if (!same(next.toolChoice, current.toolChoice)) return fixed('session.tool_choice');
  if (next.maxOutputTokens !== current.maxOutputTokens) return fixed('session.max_output_tokens');
  if (next.language !== current.language) return fixed('session.audio.input.transcription.language');
  if (next.voice !== current.voice) {
    const voices = policy.voices ?? [current.voice];
    if (!voices.includes(next.voice)) return outside('session.audio.output.voice', `one of ${voices.join(', ')}`);
  }
  return refuseTurnDetectionChange(policy, current.turnDetection, next.turnDetection);
}

function refuseTurnDetectionChange(policy: RealtimePolicy, current: TurnDetection, next: TurnDetection): PolicyRefusal | undefined {
  if (current === null || next === null) return current === next ? undefined : fixed(`${TD}.type`);
  if (current.type !== next.type) return fixed(`${TD}.type`);
  const bounded = { threshold: policy.vad?.threshold, prefix_padding_ms: policy.vad?.prefixPaddingMs, silence_duration_ms: policy.vad?.silenceDurationMs } as const;
  const keys = new Set([...Object.keys(current), ...Object.keys(next)]) as Set<keyof typeof current | keyof typeof next>;
  for (const key of keys) {
    const before = (current as Record<string, unknown>)[key];
    const after = (next as Record<string, unknown>)[key];
    if (same(before, after)) continue;
    const bounds = key in bounded ? bounded[key as keyof typeof bounded] : undefined;
    if (!bounds) return fixed(`${TD}.${key}`);
    if (typeof after !== 'number' || after < bounds.min || after > bounds.max) return outside(`${TD}.${key}`, `between ${bounds.min} and ${bounds.max}`);
  }
  return undefined;
}

/** `conversation.item.create` of a message with `role`: refused under a policy for system, and for assistant unless allowed. */
export function refuseItemRole(policy: RealtimePolicy | undefined, role: 'user' | 'system' | 'assistant'): PolicyRefusal | undefined {
  if (!policy || role === 'user') return undefined;
  if (role === 'system') return outside('item.role', 'user: the instructions are set by the session\'s credential');
  if (!policy.allowAssistantItems) return outside('item.role', 'user: assistant messages are not allowed in this session');
  return undefined;
}

/** `response.create` with its own instructions: refused under a policy (unless they are the session's). */
export function refuseResponseInstructions(policy: RealtimePolicy | undefined, state: SessionState, instructions: string | undefined): PolicyRefusal | undefined {
  if (!policy || instructions === undefined || instructions === state.instructions) return undefined;
  return fixed('response.instructions');
}
