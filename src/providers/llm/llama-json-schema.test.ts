import { describe, expect, it } from 'vitest';
import { toGbnfJsonSchema } from './llama-json-schema.js';

describe('JSON schema → node-llama-cpp grammar schema', () => {
  it('keeps what a grammar can express and drops the rest', () => {
    const schema = {
      $schema: 'https://json-schema.org/draft/2020-12/schema',
      type: 'object',
      properties: {
        id: { type: 'string', enum: ['a', 'b'] },
        level: { anyOf: [{ type: 'number', enum: [0, 1, 2] }, { type: 'null' }] },
        score: { type: 'integer', minimum: 0, maximum: 100 },
        quotes: { type: 'array', items: { type: 'string', pattern: '^x', maxLength: 50 }, maxItems: 3 },
        either: { type: ['string', 'null'] },
        mixed: { type: ['object', 'null'], properties: { x: { type: 'boolean' } }, required: ['x', 'missing'] },
        when: { type: 'string', format: 'date' },
      },
      required: ['id', 'level', 'score', 'quotes'],
      additionalProperties: false,
    };
    expect(toGbnfJsonSchema(schema)).toEqual({
      type: 'object',
      properties: {
        id: { enum: ['a', 'b'] },
        level: { oneOf: [{ enum: [0, 1, 2] }, { type: 'null' }] },
        score: { type: 'integer' },
        quotes: { type: 'array', items: { type: 'string', maxLength: 50 }, maxItems: 3 },
        either: { type: ['string', 'null'] },
        mixed: {
          oneOf: [
            { type: 'object', properties: { x: { type: 'boolean' } }, required: ['x'], additionalProperties: false },
            { type: 'null' },
          ],
        },
        when: { type: 'string', format: 'date' },
      },
      required: ['id', 'level', 'score', 'quotes'],
      additionalProperties: false,
    });
  });

  it('turns what it does not understand into "any JSON value" instead of failing', () => {
    expect(toGbnfJsonSchema({ not: { type: 'string' } })).toHaveProperty('oneOf');
    expect(toGbnfJsonSchema('nonsense')).toHaveProperty('oneOf');
  });
});
