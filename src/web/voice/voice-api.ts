import type { z } from 'zod';
import type { ZCreateVoiceSession, ZVoiceSessionCredentials } from '../../shared/api/voice.js';
import type { ConversationKind } from '../../shared/conversations.js';
import type { PublicConfig } from '../../shared/api/system.js';
import { api } from '../api/client.js';

/** POST /api/voice/sessions: a short-lived credential for one realtime connection. */
export type VoiceCredentials = z.infer<typeof ZVoiceSessionCredentials>;
/** Who answers: OpenAI Realtime (WebRTC) or the self-hosted engine (WebSocket). */
export type VoiceProvider = VoiceCredentials['provider'];
/** What a screen asks for (the request body, as the server's schema takes it). */
export type VoiceSessionRequest = z.input<typeof ZCreateVoiceSession>;

/** The voice feature's API paths, written once. */
export const voiceUrls = {
  sessions: '/api/voice/sessions',
  config: '/api/config',
  conversations: '/api/conversations',
  conversationItems: (id: string) => `/api/conversations/${encodeURIComponent(id)}/items`,
  conversationEnd: (id: string) => `/api/conversations/${encodeURIComponent(id)}/end`,
} as const;

export function fetchVoiceCredentials(request: VoiceSessionRequest): Promise<VoiceCredentials> {
  return api<VoiceCredentials>('POST', voiceUrls.sessions, request);
}

/** With OpenAI the browser files the transcript: it opens the conversation first. */
export async function createConversation(body: { kind: ConversationKind; title?: string; provider: 'openai'; model: string }): Promise<string> {
  const { conversation } = await api<{ conversation: { id: string } }>('POST', voiceUrls.conversations, body);
  return conversation.id;
}

/**
 * Whether the server can hear speech (GET /api/config → voice.speechInput; /api/health shows its
 * details to admins only).
 */
export async function speechInputAvailable(): Promise<boolean> {
  try {
    const config = await api<Pick<PublicConfig, 'voice'>>('GET', voiceUrls.config);
    return config.voice.provider === 'openai' || config.voice.speechInput;
  } catch {
    return true; // unknown: try the microphone; a failing engine is reported on connect
  }
}
