// Response serialization: Fastify's own fast-json-stringify compiler, given each response schema with
// its "X or null" unions written as type lists. fast-json-stringify picks an anyOf branch by running
// Ajv on the value (a date-time format check per timestamp, the whole object for a nullable one); a
// type list is a typeof test. The routes' schemas and the OpenAPI document keep their anyOf.
import { SerializerSelector } from '@fastify/fast-json-stringify-compiler';
import type { FastifyInstance } from 'fastify';

type Schema = Record<string, unknown>;

const isSchema = (value: unknown): value is Schema => typeof value === 'object' && value !== null && !Array.isArray(value);

const COMBINATORS = ['anyOf', 'oneOf', 'allOf', 'not', 'if', '$ref', 'const', 'enum'];

/**
 * `anyOf: [X, {type: 'null'}]` (either order) as X with `type: [X.type, 'null']`, the union's own
 * keywords (a description) kept, when X has one type and no combinator or constant of its own: for
 * such an X both say the same. Anything else is copied as it is; the input is never changed.
 */
export function nullableAsTypeList(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(nullableAsTypeList);
  if (!isSchema(schema)) return schema;
  const copy: Schema = {};
  for (const [key, value] of Object.entries(schema)) copy[key] = nullableAsTypeList(value);
  const options = copy.anyOf;
  if (!Array.isArray(options) || options.length !== 2) return copy;
  const nullAt = options.findIndex((option) => isSchema(option) && option.type === 'null' && Object.keys(option).length === 1);
  const other: unknown = options[1 - nullAt];
  if (nullAt === -1 || !isSchema(other) || typeof other.type !== 'string' || COMBINATORS.some((key) => key in other)) return copy;
  const { anyOf: _anyOf, ...own } = copy;
  return { ...other, ...own, type: [other.type, 'null'] };
}

/** At the root, before any route: every route's response serializer is compiled through it. */
export function registerSerialization(app: FastifyInstance): void {
  const buildFactory = SerializerSelector();
  let compile: ReturnType<typeof buildFactory> | undefined;
  app.setSerializerCompiler(({ schema, method, url, httpStatus }) => {
    // the shared schemas (app.addSchema, for $ref) are all added by the time the first route compiles
    compile ??= buildFactory(app.getSchemas(), {});
    return compile({ schema: nullableAsTypeList(schema), method, url, httpStatus: httpStatus ?? '' });
  });
}
