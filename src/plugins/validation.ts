// Strict bodies, typed query strings: two Ajv instances, chosen by the part of the request.
import Ajv from 'ajv';
import addFormats from 'ajv-formats';
import type { FastifyInstance, FastifySchemaValidationError } from 'fastify';

function build(coerceTypes: boolean) {
  // removeAdditional: false + additionalProperties: false in the schemas = unknown fields rejected.
  const ajv = new Ajv.default({ coerceTypes, removeAdditional: false, useDefaults: true, allErrors: false, strict: false });
  addFormats.default(ajv);
  return ajv;
}

type Validate = ((data: unknown) => boolean) & { errors?: FastifySchemaValidationError[] | null };

const DECIMAL_INTEGER = /^-?\d+$/;

/**
 * Ajv's coercion turns any string JavaScript reads as a number into one ("1e3" → 1000, "0x10" → 16,
 * " 5" → 5). A path or query integer must be written in plain decimal digits: check that first.
 */
function decimalIntegersOnly(schema: unknown, validate: Validate): Validate {
  const properties = (schema as { properties?: Record<string, { type?: unknown }> }).properties ?? {};
  const integers = Object.keys(properties).filter((name) => properties[name]?.type === 'integer');
  if (integers.length === 0) return validate;
  const wrapped: Validate = (data) => {
    for (const name of integers) {
      const value = (data as Record<string, unknown> | null)?.[name];
      if (typeof value === 'string' && !DECIMAL_INTEGER.test(value)) {
        wrapped.errors = [{ instancePath: `/${name}`, schemaPath: '', keyword: 'type', params: { type: 'integer' }, message: 'must be integer' }];
        return false;
      }
    }
    const valid = validate(data);
    wrapped.errors = validate.errors;
    return valid;
  };
  return wrapped;
}

export function registerValidation(app: FastifyInstance): void {
  const strict = build(false); // bodies: "1500" is not 1500
  const parsed = build(true); // query strings and path params arrive as text and are parsed to their types
  app.setValidatorCompiler(({ schema, httpPart }) => {
    if (httpPart === 'body') return strict.compile(schema);
    return decimalIntegersOnly(schema, parsed.compile(schema) as Validate);
  });
}
