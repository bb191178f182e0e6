// Shared TypeBox pieces: the envelope around every payload and the error body, for routes and OpenAPI.
import { type SchemaOptions, type Static, type TSchema, Type } from '@sinclair/typebox';

export const Timestamp = Type.String({
  format: 'date-time',
  description: 'RFC 3339 in UTC, whole seconds',
  examples: ['2026-02-18T08:00:00Z'],
});

/**
 * A value of `schema` or null, as one JSON Schema type list (`type: ['string', 'null']`) rather than
 * `anyOf [schema, null]`: fast-json-stringify serializes a type list with a typeof test, but an anyOf
 * with Ajv on every call. For a response field of one type (a scalar, or an object without `$id`);
 * the schema's own keywords (format, description, examples, properties) stay, `options` replace them.
 */
export function Nullable<T extends TSchema>(schema: T, options: SchemaOptions = {}) {
  if (typeof schema.type !== 'string' || schema.$id !== undefined) throw new Error('Nullable takes a schema of one type and no $id');
  // JSON round trip: the plain keywords without TypeBox's symbol keys, so the result is a new Unsafe kind.
  const keywords = JSON.parse(JSON.stringify(schema)) as Record<string, unknown>;
  return Type.Unsafe<Static<T> | null>({ ...keywords, ...options, type: [schema.type, 'null'] });
}

export const Id = Type.Integer({ minimum: 1, maximum: 2147483647 });

export const IdParams = Type.Object({ id: Id }, { additionalProperties: false });

export function Envelope<T extends TSchema>(data: T, message?: string) {
  return Type.Object({
    success: Type.Literal(true),
    message: message ? Type.String({ examples: [message] }) : Type.String(),
    data,
  });
}

export function ListEnvelope<T extends TSchema, M extends TSchema>(item: T, meta: M) {
  return Type.Object({
    success: Type.Literal(true),
    message: Type.String(),
    data: Type.Array(item),
    meta,
  });
}

export const ErrorResponse = Type.Object(
  {
    success: Type.Literal(false),
    message: Type.String(),
    error: Type.Object({
      code: Type.String(),
      details: Type.Unknown(),
    }),
  },
  { $id: 'ErrorResponse', description: 'The error envelope; error.code is one of the contract codes' },
);

const ErrorRef = Type.Ref('ErrorResponse');

/** Error responses every route documents, plus the ones a route adds. */
export function errorResponses(...statuses: number[]) {
  const out: Record<number, typeof ErrorRef> = {};
  for (const status of [400, 401, 413, 415, 429, 500, ...statuses]) out[status] = ErrorRef;
  return out;
}
