import type { GbnfJsonSchema } from 'node-llama-cpp';

type Json = Record<string, unknown>;

const isObject = (value: unknown): value is Json => typeof value === 'object' && value !== null && !Array.isArray(value);
const SCALAR_TYPES = new Set(['string', 'number', 'integer', 'boolean', 'null']);
const STRING_FORMATS = new Set(['date-time', 'time', 'date']);

/**
 * Converts a JSON schema into the subset node-llama-cpp turns into a grammar (GbnfJsonSchema):
 * `anyOf` becomes `oneOf`, a typed `enum`/`const` keeps only its values, and keywords the grammar
 * cannot express (`minimum`, `pattern`, `$schema`…) are dropped — the caller validates anyway.
 * Unknown shapes become "any JSON value" rather than failing.
 */
export function toGbnfJsonSchema(schema: unknown): GbnfJsonSchema {
  if (!isObject(schema)) return anyValue();
  const description = typeof schema.description === 'string' ? { description: schema.description } : {};
  if (Array.isArray(schema.enum)) return { enum: schema.enum.filter(isScalar), ...description };
  if ('const' in schema && isScalar(schema.const)) return { const: schema.const, ...description };
  const alternatives = Array.isArray(schema.anyOf) ? schema.anyOf : Array.isArray(schema.oneOf) ? schema.oneOf : undefined;
  if (alternatives !== undefined) return { oneOf: alternatives.map(toGbnfJsonSchema), ...description };

  const type = schema.type;
  if (Array.isArray(type)) {
    const scalars = type.filter((t): t is 'string' => typeof t === 'string' && SCALAR_TYPES.has(t));
    if (scalars.length === type.length) return { type: scalars, ...description };
    return { oneOf: type.map((t) => toGbnfJsonSchema({ ...schema, type: t })), ...description };
  }
  switch (type) {
    case 'object': {
      const properties = isObject(schema.properties) ? schema.properties : {};
      const converted: Record<string, GbnfJsonSchema> = {};
      for (const [key, value] of Object.entries(properties)) converted[key] = toGbnfJsonSchema(value);
      const required = Array.isArray(schema.required) ? schema.required.filter((key): key is string => typeof key === 'string' && key in converted) : [];
      return {
        type: 'object',
        properties: converted,
        required,
        additionalProperties: isObject(schema.additionalProperties) ? toGbnfJsonSchema(schema.additionalProperties) : schema.additionalProperties === true,
        ...description,
      };
    }
    case 'array': {
      const result: { type: 'array'; items?: GbnfJsonSchema; minItems?: number; maxItems?: number; description?: string } = {
        type: 'array',
        items: schema.items === undefined ? anyValue() : toGbnfJsonSchema(schema.items),
        ...description,
      };
      if (typeof schema.minItems === 'number') result.minItems = schema.minItems;
      if (typeof schema.maxItems === 'number') result.maxItems = schema.maxItems;
      return result;
    }
    case 'string': {
      if (typeof schema.format === 'string' && STRING_FORMATS.has(schema.format)) {
        return { type: 'string', format: schema.format as 'date-time' | 'time' | 'date', ...description };
      }
      const result: { type: 'string'; minLength?: number; maxLength?: number; description?: string } = { type: 'string', ...description };
      if (typeof schema.minLength === 'number') result.minLength = schema.minLength;
      if (typeof schema.maxLength === 'number') result.maxLength = schema.maxLength;
      return result;
    }
    case 'number':
    case 'integer':
    case 'boolean':
    case 'null':
      return { type, ...description };
    default:
      return anyValue();
  }
}

function isScalar(value: unknown): value is string | number | boolean | null {
  return value === null || ['string', 'number', 'boolean'].includes(typeof value);
}

function anyValue(): GbnfJsonSchema {
  return {
    oneOf: [
      { type: ['string', 'number', 'boolean', 'null'] },
      { type: 'object', additionalProperties: true },
      { type: 'array', items: { type: ['string', 'number', 'boolean', 'null'] } },
    ],
  };
}
