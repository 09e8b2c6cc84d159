import { expect, it } from 'vitest';
import { streamChunks } from './text.js';

it('streams a few words per chunk, losing no character', () => {
  const text = 'Bravo pour ce premier pas.  Que ressentez-vous\nen y repensant ? ';
  const chunks = streamChunks(text);
  expect(chunks.join('')).toBe(text);
  expect(chunks).toEqual(['Bravo pour ce premier', ' pas.  Que ressentez-vous\nen', ' y repensant ? ']);
  expect(streamChunks('un deux trois', 1)).toEqual(['un', ' deux', ' trois']);
  expect(streamChunks('')).toEqual([]);
});
