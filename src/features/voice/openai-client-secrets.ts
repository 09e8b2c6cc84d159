import { AppError } from '../../platform/errors.js';
import type { TurnDetection, VoiceTool } from '../../shared/api/voice.js';

export const OPENAI_DEFAULT_BASE_URL = 'https://api.openai.com/v1';

export interface OpenAiRealtimeSessionInput {
  model: string;
  voice: string;
  instructions?: string;
  turnDetection: TurnDetection;
  tools?: VoiceTool[];
  transcriptionModel: string;
  ttlMs: number;
}

/** Our camelCase turn detection → the GA Realtime `audio.input.turn_detection` object. */
export function toOpenAiTurnDetection(td: TurnDetection): Record<string, unknown> {
  if (td.type === 'semantic_vad') return { type: 'semantic_vad', ...(td.eagerness ? { eagerness: td.eagerness } : {}) };
  return {
    type: 'server_vad',
    ...(td.threshold !== undefined ? { threshold: td.threshold } : {}),
    ...(td.prefixPaddingMs !== undefined ? { prefix_padding_ms: td.prefixPaddingMs } : {}),
    ...(td.silenceDurationMs !== undefined ? { silence_duration_ms: td.silenceDurationMs } : {}),
  };
}

/** The body of `POST /realtime/client_secrets` (GA Realtime API). */
export function clientSecretRequestBody(input: OpenAiRealtimeSessionInput): Record<string, unknown> {
  return {
    // OpenAI counts in seconds (10–7200) from the secret's creation.
    expires_after: { anchor: 'created_at', seconds: Math.min(7_200, Math.max(10, Math.round(input.ttlMs / 1000))) },
    session: {
      type: 'realtime',
      model: input.model,
      ...(input.instructions !== undefined ? { instructions: input.instructions } : {}),
      audio: {
        input: { transcription: { model: input.transcriptionModel }, turn_detection: toOpenAiTurnDetection(input.turnDetection) },
        output: { voice: input.voice },
      },
      ...(input.tools?.length ? { tools: input.tools.map((t) => ({ type: 'function', name: t.name, description: t.description, parameters: t.parameters ?? { type: 'object', properties: {} } })) } : {}),
    },
  };
}

/**
 * Mints an OpenAI Realtime client secret (`ek_…`) server-side with our API key; the browser gets
 * only the ephemeral secret and uses it for the WebRTC call (`POST {base}/realtime/calls`).
 */
export async function createOpenAiClientSecret(
  options: { apiKey: string; baseUrl?: string; timeoutMs?: number },
  input: OpenAiRealtimeSessionInput,
): Promise<{ value: string; expiresAtMs: number; callsUrl: string }> {
  const base = (options.baseUrl ?? OPENAI_DEFAULT_BASE_URL).replace(/\/$/, '');
  let response: Response;
  try {
    response = await fetch(`${base}/realtime/client_secrets`, {
      method: 'POST',
      headers: { authorization: `Bearer ${options.apiKey}`, 'content-type': 'application/json' },
      body: JSON.stringify(clientSecretRequestBody(input)),
      signal: AbortSignal.timeout(options.timeoutMs ?? 15_000),
    });
  } catch (err) {
    throw new AppError('PROVIDER_UNAVAILABLE', 'OpenAI Realtime could not be reached.', undefined, { cause: err });
  }
  const text = await response.text();
  if (!response.ok) {
    // OpenAI's message (e.g. an unknown model) helps the operator; it never contains our key.
    let message = `HTTP ${response.status}`;
    try {
      message = (JSON.parse(text) as { error?: { message?: string } }).error?.message ?? message;
    } catch {
      // not JSON
    }
    throw new AppError('PROVIDER_UNAVAILABLE', `OpenAI Realtime refused the session: ${message.slice(0, 200)}`, { upstreamStatus: response.status });
  }
  const body = JSON.parse(text) as { value?: unknown; expires_at?: unknown };
  if (typeof body.value !== 'string' || typeof body.expires_at !== 'number') {
    throw new AppError('PROVIDER_UNAVAILABLE', 'OpenAI Realtime answered without a client secret.');
  }
  return { value: body.value, expiresAtMs: body.expires_at * 1000, callsUrl: `${base}/realtime/calls` };
}
