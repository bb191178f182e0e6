// The web client's API types are generated from the server's OpenAPI document: a stale copy fails here.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { API_SCHEMA_PATH, generateApiSchema } from '../../scripts/api-generate.js';

describe('web client API types', () => {
  it('match the OpenAPI document the server serves today (run `npm run api:generate` when this fails)', async () => {
    const checkedIn = readFileSync(API_SCHEMA_PATH, 'utf8');
    const fresh = await generateApiSchema();
    expect(checkedIn === fresh, 'web/src/api/schema.d.ts is stale: run `npm run api:generate` and commit it').toBe(true);
  });
});
