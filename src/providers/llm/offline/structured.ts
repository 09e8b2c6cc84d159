import type { JsonResponseFormat } from '../types.js';

type Json = Record<string, unknown>;
const isObject = (value: unknown): value is Json => typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * The offline engine's answer to a structured-output request. It has no model, so it answers what
 * the caller computed with its own heuristics (`offlineAnswer`), or else the smallest value that
 * matches the schema — valid JSON of the right shape and empty content, never made-up content.
 */
export function structuredReply(format: JsonResponseFormat): string {
  return JSON.stringify(format.offlineAnswer !== undefined ? format.offlineAnswer : minimalJsonValue(format.schema));
}

/** The smallest value matching a JSON schema: required properties only, minimum lengths, first enum value. */
export function minimalJsonValue(schema: unknown, depth = 0): unknown {
  if (!isObject(schema) || depth > 32) return null;
  if (Array.isArray(schema.enum)) return schema.enum[0] ?? null;
  if ('const' in schema) return schema.const;
  const alternatives = Array.isArray(schema.anyOf) ? schema.anyOf : Array.isArray(schema.oneOf) ? schema.oneOf : undefined;
  if (alternatives !== undefined) {
    // Prefer null when it is allowed: the emptiest answer.
    const nullable = alternatives.find((alternative) => isObject(alternative) && alternative.type === 'null');
    return nullable !== undefined ? null : minimalJsonValue(alternatives[0], depth + 1);
  }
  const type = Array.isArray(schema.type) ? (schema.type.includes('null') ? 'null' : schema.type[0]) : schema.type;
  switch (type) {
    case 'object': {
      const properties = isObject(schema.properties) ? schema.properties : {};
      const required = Array.isArray(schema.required) ? schema.required.filter((key): key is string => typeof key === 'string') : [];
      return Object.fromEntries(required.map((key) => [key, minimalJsonValue(properties[key], depth + 1)]));
    }
    case 'array': {
      const count = typeof schema.minItems === 'number' ? Math.min(schema.minItems, 100) : 0;
      return Array.from({ length: count }, () => minimalJsonValue(schema.items, depth + 1));
    }
    case 'string':
      return typeof schema.minLength === 'number' ? '-'.repeat(Math.min(schema.minLength, 1000)) : '';
    case 'number':
    case 'integer':
      return typeof schema.minimum === 'number' ? schema.minimum : 0;
    case 'boolean':
      return false;
    default:
      return null;
  }
}
