/** The eight voices of the OpenAI Realtime API; the self-hosted engine has a local voice for each. */
export const VOICE_IDS = ['alloy', 'ash', 'ballad', 'coral', 'echo', 'sage', 'shimmer', 'verse'] as const;
export type VoiceId = (typeof VOICE_IDS)[number];
