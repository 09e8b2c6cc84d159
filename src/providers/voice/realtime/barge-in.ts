/**
 * Turn-taking rules while the assistant is speaking.
 *
 * - Speech that lasts longer than `bargeInMinMs` interrupts the reply (LLM and TTS are aborted,
 *   the assistant item keeps only what was played).
 * - A short utterance (it stopped before `bargeInMinMs`) is transcribed first: a backchannel
 *   ("ok", "yeah", "d'accord", "mm"…) is ignored and starts no turn; anything else interrupts.
 */
export interface BargeInOptions {
  /** Speech longer than this interrupts the reply. Default 700 ms. */
  bargeInMinMs: number;
}

export const DEFAULT_BARGE_IN: BargeInOptions = { bargeInMinMs: 700 };

const BACKCHANNELS = new Set([
  'ok', 'okay', 'o k', 'k', 'yeah', 'yes', 'yep', 'yup', 'ya', 'oui', 'ouais', "d'accord", 'daccord', 'd accord', 'mm', 'mmm', 'hmm', 'mhm',
  'mm hmm', 'uh huh', 'uh-huh', 'right', 'sure', 'ah', 'oh', 'uh', 'um', 'okay okay', 'ok ok', 'yeah yeah', 'yes yes', 'oui oui', 'all right', 'alright',
]);

/** True when a transcript is only a backchannel (or empty: noise the recogniser could not read). */
export function isBackchannel(transcript: string): boolean {
  const words = transcript
    .toLowerCase()
    .replace(/[’`]/g, "'")
    .replace(/[^\p{L}'\s-]/gu, ' ')
    .split(/\s+/)
    .filter(Boolean);
  if (words.length === 0) return true;
  if (words.length > 3) return false;
  const phrase = words.join(' ');
  return BACKCHANNELS.has(phrase) || words.every((w) => BACKCHANNELS.has(w));
}

/** What was actually heard of a reply: ms of audio played so far, given sent audio and wall-clock. */
export function playedMs(audioSentMs: number, firstDeltaAtMs: number | undefined, nowMs: number): number {
  if (firstDeltaAtMs === undefined) return 0;
  return Math.max(0, Math.min(audioSentMs, nowMs - firstDeltaAtMs));
}

/** One synthesised sentence and where its audio sits in the item's audio. */
export interface SpokenSpan {
  text: string;
  startMs: number;
  endMs: number;
}

/**
 * The transcript up to `atMs` of audio: whole sentences that finished playing, plus the words of
 * the sentence being played in proportion to its elapsed time.
 */
export function textPlayedUntil(spans: readonly SpokenSpan[], atMs: number): string {
  const parts: string[] = [];
  for (const span of spans) {
    if (span.endMs <= atMs) {
      parts.push(span.text);
      continue;
    }
    if (span.startMs < atMs) {
      const words = span.text.split(/\s+/);
      const share = (atMs - span.startMs) / Math.max(1, span.endMs - span.startMs);
      const count = Math.floor(words.length * share);
      if (count > 0) parts.push(words.slice(0, count).join(' '));
    }
    break;
  }
  return parts.join(' ');
}
