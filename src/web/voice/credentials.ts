import { api } from '../api/client.js';

/** POST /api/voice/sessions: a short-lived credential for one realtime connection. */
export type VoiceCredentials =
  | { provider: 'openai'; clientSecret: string; expiresAt: string; model: string; voice: string; callsUrl: string }
  | { provider: 'local'; clientSecret: string; expiresAt: string; model: string; voice: string; url: string };

export const VOICE_IDS = ['alloy', 'ash', 'ballad', 'coral', 'echo', 'sage', 'shimmer', 'verse'] as const;
export type VoiceId = (typeof VOICE_IDS)[number];

export interface VoiceSessionRequest {
  voice?: VoiceId;
  /** The conversation's kind: the self-hosted engine saves its transcript with it. */
  kind?: 'roleplay' | 'debrief' | 'interview' | 'kiosk' | 'coach';
  instructions?: string;
  model?: string;
  tools?: { type: 'function'; name: string; description?: string; parameters?: Record<string, unknown> }[];
}

export function fetchVoiceCredentials(request: VoiceSessionRequest): Promise<VoiceCredentials> {
  return api<VoiceCredentials>('POST', '/api/voice/sessions', request);
}

/** Whether the server can hear speech (GET /api/health → providers.voice.voiceInput). */
export async function speechInputAvailable(): Promise<boolean> {
  try {
    const health = await api<{ providers?: { voice?: { realtime?: string; voiceInput?: boolean } } }>('GET', '/api/health');
    const voice = health.providers?.voice;
    return voice?.realtime === 'openai' || voice?.voiceInput !== false;
  } catch {
    return true; // health unknown: try the microphone; a failing engine is reported on connect
  }
}
