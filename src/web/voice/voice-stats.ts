/**
 * Measurements of the voice client, on the performance.now() clock, readable from the page as
 * `window.__voiceStats` (the browser e2e measures voice-to-voice latency and checks that reply
 * audio was really played). Played audio is counted by the playback queue itself.
 */
export interface VoiceStats {
  /** When the microphone was opened (getUserMedia resolved: the device starts then). */
  micOpens: number[];
  /** When microphone capture started (first chunk minus its duration). */
  captureStarts: number[];
  /** When the server said the user stopped speaking. */
  speechStops: number[];
  /** When reply audio started playing. */
  audioStarts: number[];
  /** ms of reply audio played so far (the current client's playback queue). */
  playedMs: () => number;
}

export const voiceStats: VoiceStats = { micOpens: [], captureStarts: [], speechStops: [], audioStarts: [], playedMs: () => 0 };

declare global {
  interface Window {
    __voiceStats?: VoiceStats;
  }
}
if (typeof window !== 'undefined') window.__voiceStats = voiceStats;
