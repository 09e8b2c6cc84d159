import { describe, expect, it } from 'vitest';
import { locateQuote, verifyEvidence } from './evidence.js';
import type { EvaluationTurn } from './transcript.js';

describe('quotes are exact substrings of the turn they name', () => {
  const text = "Je comprends.  C’est une question\nlégitime : quel est votre budget ?";

  it('finds a quote despite case, accents, typographic apostrophes, whitespace and wrapping quotes, and returns the original text', () => {
    expect(locateQuote(text, "c'est une question légitime")).toBe('C’est une question\nlégitime');
    expect(locateQuote(text, '« QUEL EST VOTRE BUDGET »')).toBe('quel est votre budget');
    expect(locateQuote(text, '"Je comprends.  C\'est une..."')).toBe('Je comprends.  C’est une');
    expect(locateQuote(text, 'quel est votre budget ?')).toBe('quel est votre budget ?');
    expect(locateQuote(text, 'cest une question')).toBeUndefined();
  });

  it('never invents: a paraphrase, a quote spanning an ellipsis, or a too short quote is not found', () => {
    expect(locateQuote(text, 'I understand, what is your budget')).toBeUndefined();
    expect(locateQuote(text, 'Je comprends … votre budget')).toBeUndefined();
    expect(locateQuote(text, 'Je')).toBeUndefined();
    expect(locateQuote(text, '…')).toBeUndefined();
  });

  it('keeps verified claims once, drops (and counts) the others, and caps the list', () => {
    const turns = new Map<string, EvaluationTurn>([
      ['u1', { itemId: 'u1', speaker: 'user', text, startMs: 1200, endMs: 5000 }],
      ['a1', { itemId: 'a1', speaker: 'assistant', text: 'Trop cher.', startMs: 0, endMs: 1000 }],
    ]);
    const { evidence, dropped } = verifyEvidence(
      [
        { itemId: 'u1', quote: 'votre budget' },
        { itemId: 'u1', quote: 'VOTRE BUDGET' },
        { itemId: 'a1', quote: 'votre budget' }, // wrong turn
        { itemId: 'ghost', quote: 'Trop cher' }, // no such turn
        { itemId: 'a1', quote: 'trop cher' },
        { itemId: 'u1', quote: 'Je comprends' },
      ],
      turns,
      2,
    );
    expect(evidence).toEqual([
      { itemId: 'u1', speaker: 'user', quote: 'votre budget', startMs: 1200 },
      { itemId: 'a1', speaker: 'assistant', quote: 'Trop cher', startMs: 0 },
    ]);
    expect(dropped).toBe(2);
  });
});
