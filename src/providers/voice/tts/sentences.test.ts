import { describe, expect, it } from 'vitest';
import { SentenceChunker, splitSentences } from './sentences.js';

describe('sentences', () => {
  it('splits on sentence ends and keeps the punctuation', () => {
    expect(splitSentences('Hello there! How are you? I am fine.')).toEqual(['Hello there!', 'How are you?', 'I am fine.']);
    expect(splitSentences('Bonjour. Ça va ?')).toEqual(['Bonjour.', 'Ça va ?']);
  });

  it('does not cut after short abbreviations or numbers', () => {
    expect(splitSentences('Dr. Smith will see you at 3.30 today. Bye.')).toEqual(['Dr. Smith will see you at 3.30 today.', 'Bye.']);
  });

  it('emits sentences as streamed deltas complete them', () => {
    const chunker = new SentenceChunker();
    expect(chunker.push('Hello the')).toEqual([]);
    expect(chunker.push('re. How ')).toEqual(['Hello there.']);
    expect(chunker.push('are you?')).toEqual([]);
    expect(chunker.flush()).toEqual(['How are you?']);
    expect(chunker.flush()).toEqual([]);
  });
});
