import { describe, expect, it } from 'vitest';
import { SentenceSplitter, splitSentences } from './sentence-splitter.js';

const split = (deltas: string[], max?: number, firstClauseMinWords = 99) => {
  const s = new SentenceSplitter(max, firstClauseMinWords);
  return [...deltas.flatMap((d) => s.push(d)), ...s.flush()];
};

describe('sentence splitter', () => {
  it('emits each sentence as soon as it ends, however the text is streamed', () => {
    const text = 'Hello there! Dr. Smith opens at 6.30 tomorrow. Is that fine? Oui: parfait…\n- Yoga — 18:00';
    const expected = ['Hello there!', 'Dr. Smith opens at 6.30 tomorrow.', 'Is that fine?', 'Oui:', 'parfait…', '- Yoga — 18:00'];
    expect(split([text])).toEqual(expected);
    expect(split(text.split(''))).toEqual(expected);
    expect(split(text.split(' ').map((w, i) => (i ? ' ' : '') + w))).toEqual(expected);
    const s = new SentenceSplitter();
    expect(s.push('First one. Sec')).toEqual(['First one.']);
    expect(s.push('ond')).toEqual([]);
  });

  it('cuts the first sentence of a reply at its first comma, only the first one', () => {
    const text = 'I can help with opening hours, the class schedule, or equipment. Sure, anything else, really.';
    const expected = ['I can help with opening hours,', 'the class schedule, or equipment.', 'Sure, anything else, really.'];
    expect(split([text], undefined, 2)).toEqual(expected);
    expect(split(text.split(''), undefined, 2)).toEqual(expected);
    // Too short a clause, or a number ("1,500"), is not cut.
    expect(split(['Hello, how are you? Fine.'], undefined, 2)).toEqual(['Hello, how are you?', 'Fine.']);
    expect(split(['It costs 1,500 euros a year, all included.'], undefined, 2)).toEqual(['It costs 1,500 euros a year,', 'all included.']);
    // The default cuts after two words.
    expect(new SentenceSplitter().push('Hello coach, nice to see you. ')).toEqual(['Hello coach,', 'nice to see you.']);
  });

  it('cuts very long runs without punctuation at a space', () => {
    const long = Array.from({ length: 40 }, (_, i) => `word${i}`).join(' ');
    const parts = split([long], 60);
    expect(parts.length).toBeGreaterThan(3);
    for (const p of parts) expect(p.length).toBeLessThanOrEqual(60);
    expect(parts.join(' ')).toBe(long);
  });

  it('keeps closing quotes with their sentence and short pieces with the next one', () => {
    expect(split(['He said "stop." Then he left. Done!'])).toEqual(['He said "stop."', 'Then he left.', 'Done!']);
    expect(split(['1. Warm up. 2. Row for ten minutes.'])).toEqual(['1. Warm up.', '2. Row for ten minutes.']);
    expect(split(['What?! No way.'])).toEqual(['What?!', 'No way.']);
  });
});

describe('splitSentences (whole texts, for the TTS stages)', () => {
  it('splits on sentence ends and keeps the punctuation, with no first-clause cut', () => {
    expect(splitSentences('Hello there! How are you? I am fine.')).toEqual(['Hello there!', 'How are you?', 'I am fine.']);
    expect(splitSentences('Bonjour. Ça va ?')).toEqual(['Bonjour.', 'Ça va ?']);
    expect(splitSentences('Hello, and welcome to your session. What now?')).toEqual(['Hello, and welcome to your session.', 'What now?']);
  });

  it('does not cut after short abbreviations or numbers', () => {
    expect(splitSentences('Dr. Smith will see you at 3.30 today. Bye.')).toEqual(['Dr. Smith will see you at 3.30 today.', 'Bye.']);
  });
});
