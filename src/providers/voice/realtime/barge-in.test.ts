/** The barge-in rules as functions; barge-in and backchannels in a session are in user-turn.test.ts (and real-engine.test.ts). */
import { describe, expect, it } from 'vitest';
import { isBackchannel, playedMs, textPlayedUntil } from './barge-in.js';

describe('barge-in rules', () => {
  it('recognises backchannels in English and French, not real turns', () => {
    for (const t of ['ok', 'Okay.', 'yeah', 'yes', 'Oui.', "d'accord", 'D’accord !', 'mm', 'uh-huh', 'mm hmm', 'okay okay', '']) expect(isBackchannel(t), t).toBe(true);
    for (const t of ['stop', 'wait a second', 'yes but how much is it', 'no', 'okay so what about Sunday']) expect(isBackchannel(t), t).toBe(false);
  });

  it('keeps the text actually played: whole sentences, then words in proportion', () => {
    const spans = [
      { text: 'Hello there.', startMs: 0, endMs: 1000 },
      { text: 'We open at six in the morning.', startMs: 1000, endMs: 3000 },
    ];
    expect(textPlayedUntil(spans, 0)).toBe('');
    expect(textPlayedUntil(spans, 1000)).toBe('Hello there.');
    expect(textPlayedUntil(spans, 2000)).toBe('Hello there. We open at');
    expect(textPlayedUntil(spans, 5000)).toBe('Hello there. We open at six in the morning.');
    // Played = min(audio sent, wall-clock since the first delta).
    expect(playedMs(3000, 1000, 1500)).toBe(500);
    expect(playedMs(3000, 1000, 9000)).toBe(3000);
    expect(playedMs(3000, undefined, 9000)).toBe(0);
  });
});
