// Strict bodies, typed query strings: two Ajv instances, chosen by the part of the request.
import Ajv from 'ajv';
import addFormats from 'ajv-formats';
import type { FastifyInstance } from 'fastify';

function build(coerceTypes: boolean) {
  // removeAdditional: false + additionalProperties: false in the schemas = unknown fields rejected.
  const ajv = new Ajv.default({ coerceTypes, removeAdditional: false, useDefaults: true, allErrors: false, strict: false });
  addFormats.default(ajv);
  return ajv;
}

export function registerValidation(app: FastifyInstance): void {
  const strict = build(false); // bodies: "1500" is not 1500
  const parsed = build(true); // query strings and path params arrive as text and are parsed to their types
  app.setValidatorCompiler(({ schema, httpPart }) => {
    const ajv = httpPart === 'body' ? strict : parsed;
    return ajv.compile(schema);
  });
}
