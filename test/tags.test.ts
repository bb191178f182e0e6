// Tags (contract section 11) over HTTP on every database: CRUD, order, names (case, Unicode,
// trimming, length, control characters), colours, the 100-tag cap, ownership, 400s, idempotency.
import type { LightMyRequestResponse } from 'fastify';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TAG_PALETTE } from '../src/modules/tags/tag-rules.js';
import { type TestApp, type TestUser, createTestApp, registerUser, tally } from './app.js';
import { testDatabases } from './databases.js';

const T0 = '2026-02-18T08:00:00Z';

function expectValidation(res: LightMyRequestResponse, field: string) {
  expect(res.statusCode, res.body).toBe(400);
  const body = res.json();
  expect(body).toMatchObject({ success: false, error: { code: 'validation_error' } });
  expect(body.error.details.map((d: { field: string }) => d.field)).toContain(field);
}

describe.each(testDatabases)('tags on $name', (database) => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp(database);
  });
  afterAll(async () => {
    await t.close();
  });

  const create = (user: TestUser, payload: unknown, headers: Record<string, string> = {}) =>
    user.request({ method: 'POST', url: '/api/v1/tags', payload: payload as Record<string, unknown>, headers, now: T0 });
  const list = (user: TestUser) => user.request({ method: 'GET', url: '/api/v1/tags' });
  const update = (user: TestUser, id: number | string, payload: unknown) =>
    user.request({ method: 'PATCH', url: `/api/v1/tags/${id}`, payload: payload as Record<string, unknown> });
  const remove = (user: TestUser, id: number | string) => user.request({ method: 'DELETE', url: `/api/v1/tags/${id}` });
  const names = async (user: TestUser) => ((await list(user)).json().data as Array<{ name: string }>).map((tag) => tag.name);

  async function created(user: TestUser, payload: Record<string, unknown>) {
    const res = await create(user, payload);
    expect(res.statusCode, res.body).toBe(201);
    return res.json().data as { id: number; name: string; color: string; archived: boolean; created_at: string };
  }

  describe('create, read, update, delete', () => {
    it('a created tag answers 201 "tag created" with the whole tag', async () => {
      const user = await registerUser(t.app);
      const res = await create(user, { name: 'Deep work', color: '#4f46e5' });
      expect(res.statusCode, res.body).toBe(201);
      expect(res.json()).toEqual({
        success: true,
        message: 'tag created',
        data: { id: expect.any(Number), name: 'Deep work', color: '#4F46E5', archived: false, created_at: T0 },
      });
    });

    it('the list holds every tag of the caller, archived ones included', async () => {
      const user = await registerUser(t.app);
      const a = await created(user, { name: 'Reading' });
      const b = await created(user, { name: 'Writing' });
      expect((await update(user, b.id, { archived: true })).statusCode).toBe(200);
      const res = await list(user);
      expect(res.statusCode, res.body).toBe(200);
      expect(res.json()).toEqual({
        success: true,
        message: 'tags',
        data: [
          { ...a, archived: false },
          { ...b, archived: true },
        ],
      });
    });

    it('a new user has no tags', async () => {
      const user = await registerUser(t.app);
      expect((await list(user)).json().data).toEqual([]);
    });

    it('PATCH renames, recolours, archives and unarchives, and leaves the other fields as they were', async () => {
      const user = await registerUser(t.app);
      const tag = await created(user, { name: 'Study', color: '#112233' });
      const renamed = await update(user, tag.id, { name: 'Studying' });
      expect(renamed.statusCode, renamed.body).toBe(200);
      expect(renamed.json()).toEqual({ success: true, message: 'tag updated', data: { ...tag, name: 'Studying' } });
      expect((await update(user, tag.id, { color: '#aabbcc' })).json().data).toEqual({ ...tag, name: 'Studying', color: '#AABBCC' });
      expect((await update(user, tag.id, { archived: true })).json().data.archived).toBe(true);
      const all = await update(user, tag.id, { name: 'Study', color: '#112233', archived: false });
      expect(all.json().data).toEqual(tag);
      expect((await list(user)).json().data).toEqual([tag]);
    });

    it('DELETE answers 200 with data null and the tag is gone', async () => {
      const user = await registerUser(t.app);
      const tag = await created(user, { name: 'Chores' });
      const res = await remove(user, tag.id);
      expect(res.statusCode, res.body).toBe(200);
      expect(res.json()).toEqual({ success: true, message: 'tag deleted', data: null });
      expect((await list(user)).json().data).toEqual([]);
      expect((await remove(user, tag.id)).statusCode).toBe(404);
      expect((await update(user, tag.id, { name: 'Back' })).statusCode).toBe(404);
    });

    it('deleting a tag untags the sessions that carried it and keeps the sessions', async () => {
      const user = await registerUser(t.app);
      const tag = await created(user, { name: 'Project' });
      const start = await user.request({ method: 'POST', url: '/api/v1/sessions', payload: { duration_seconds: 1500 }, now: T0 });
      expect(start.statusCode, start.body).toBe(201);
      const sessionId = start.json().data.id as number;
      // Sessions are given tags by another part of the API; here the column is set directly.
      await sql`update focus_sessions set tag_id = ${tag.id} where id = ${sessionId}`.execute(t.handle.db);
      expect((await remove(user, tag.id)).statusCode).toBe(200);
      const row = await t.handle.db.selectFrom('focus_sessions').select(['id', 'tag_id']).where('id', '=', sessionId).executeTakeFirst();
      expect(row).toEqual({ id: sessionId, tag_id: null });
    });

    it('a deleted tag frees its name and its place under the cap', async () => {
      const user = await registerUser(t.app);
      const tag = await created(user, { name: 'Again' });
      expect((await remove(user, tag.id)).statusCode).toBe(200);
      expect((await create(user, { name: 'again' })).statusCode).toBe(201);
    });
  });

  describe('order', () => {
    it('tags are listed by name regardless of letter case', async () => {
      const user = await registerUser(t.app);
      for (const name of ['gamma', 'Beta', 'alpha', 'Delta']) await created(user, { name });
      expect(await names(user)).toEqual(['alpha', 'Beta', 'Delta', 'gamma']);
    });

    it('accented names sit beside their base letter, the same on every database', async () => {
      const user = await registerUser(t.app);
      for (const name of ['zebra', 'Über', 'Écriture', 'deep', 'reading']) await created(user, { name });
      expect(await names(user)).toEqual(['deep', 'Écriture', 'reading', 'Über', 'zebra']);
    });

    it('a rename moves the tag to its new place', async () => {
      const user = await registerUser(t.app);
      const a = await created(user, { name: 'a' });
      await created(user, { name: 'b' });
      await update(user, a.id, { name: 'c' });
      expect(await names(user)).toEqual(['b', 'c']);
    });
  });

  describe('names', () => {
    it('a name already used by the caller in another letter case is 409 tag_exists', async () => {
      const user = await registerUser(t.app);
      await created(user, { name: 'Work' });
      for (const name of ['work', 'WORK', ' wOrK ']) {
        const res = await create(user, { name });
        expect(res.statusCode, res.body).toBe(409);
        expect(res.json()).toMatchObject({ success: false, error: { code: 'tag_exists', details: null } });
      }
      expect(await names(user)).toEqual(['Work']);
    });

    it('"Über" and "über" are one name (Unicode lower-casing, not ASCII only)', async () => {
      const user = await registerUser(t.app);
      await created(user, { name: 'Über' });
      expect((await create(user, { name: 'über' })).json().error.code).toBe('tag_exists');
      await created(user, { name: 'ÉCOLE' });
      expect((await create(user, { name: 'école' })).json().error.code).toBe('tag_exists');
    });

    it('a composed and a decomposed accent are one name (NFC)', async () => {
      const user = await registerUser(t.app);
      const tag = await created(user, { name: 'Cafe\u0301' });
      expect(tag.name).toBe('Café');
      expect((await create(user, { name: 'CAFÉ' })).statusCode).toBe(409);
    });

    it('another user may use the same name', async () => {
      const [a, b] = [await registerUser(t.app), await registerUser(t.app)];
      await created(a, { name: 'Shared' });
      await created(b, { name: 'shared' });
    });

    it('a rename to a name another of the caller\'s tags has (in any case) is 409 and changes nothing', async () => {
      const user = await registerUser(t.app);
      await created(user, { name: 'One' });
      const two = await created(user, { name: 'Two' });
      const res = await update(user, two.id, { name: 'ONE' });
      expect(res.statusCode, res.body).toBe(409);
      expect(res.json().error.code).toBe('tag_exists');
      expect(await names(user)).toEqual(['One', 'Two']);
    });

    it('a rename that changes only the letter case is allowed', async () => {
      const user = await registerUser(t.app);
      const tag = await created(user, { name: 'reading' });
      const res = await update(user, tag.id, { name: 'Reading' });
      expect(res.statusCode, res.body).toBe(200);
      expect(res.json().data.name).toBe('Reading');
    });

    it('concurrent creates of one name in different cases: exactly one wins, the others are 409', async () => {
      const user = await registerUser(t.app);
      const results = await Promise.all(['Race', 'race', 'RACE', 'rAcE', 'Race ', ' race'].map((name) => create(user, { name })));
      expect(tally(results.map((r) => r.statusCode))).toEqual({ 201: 1, 409: 5 });
      expect(await names(user)).toHaveLength(1);
    });

    it('a name is stored trimmed', async () => {
      const user = await registerUser(t.app);
      const tag = await created(user, { name: '  \u00a0Deep work \u3000' });
      expect(tag.name).toBe('Deep work');
      expect((await update(user, tag.id, { name: ' Deeper ' })).json().data.name).toBe('Deeper');
    });

    it('a name that is empty or only spaces is 400', async () => {
      const user = await registerUser(t.app);
      expectValidation(await create(user, { name: '' }), 'name');
      const blank = await create(user, { name: '   ' });
      expectValidation(blank, 'name');
      expect(blank.json().error.details).toEqual([{ field: 'name', message: 'must not be blank' }]);
      const tag = await created(user, { name: 'x' });
      expectValidation(await update(user, tag.id, { name: ' \u00a0 ' }), 'name');
    });

    it('40 characters are accepted and 41 refused, counted in code points (an emoji is one)', async () => {
      const user = await registerUser(t.app);
      expect((await create(user, { name: 'a'.repeat(40) })).statusCode).toBe(201);
      expect((await create(user, { name: '😀'.repeat(40) })).statusCode).toBe(201);
      const long = await create(user, { name: 'b'.repeat(41) });
      expectValidation(long, 'name');
      expect(long.json().error.details).toEqual([{ field: 'name', message: 'must have at most 40 characters' }]);
      expectValidation(await create(user, { name: '😀'.repeat(41) }), 'name');
    });

    it('the length is counted after NFC and trimming: 40 decomposed accents with spaces around fit', async () => {
      const user = await registerUser(t.app);
      const tag = await created(user, { name: `   ${'e\u0301'.repeat(40)}   ` });
      expect(tag.name).toBe('é'.repeat(40));
      expectValidation(await create(user, { name: 'e\u0301'.repeat(41) }), 'name');
    });

    it.each([
      ['NUL', 'a\u0000b'],
      ['a line feed', 'a\nb'],
      ['a tab', 'a\tb'],
      ['a carriage return', 'a\rb'],
      ['an escape', 'a\u001bb'],
      ['unit separator U+001F', 'a\u001fb'],
      ['DEL', 'a\u007fb'],
      ['a trailing line feed, refused before trimming', 'name\n'],
    ])('a name with %s is 400 validation_error and nothing is stored', async (_label, name) => {
      const user = await registerUser(t.app);
      const refused = await create(user, { name });
      expectValidation(refused, 'name');
      // said in words, not as the schema's pattern
      expect(refused.json().message).toBe('name must not contain control characters');
      const tag = await created(user, { name: 'ok' });
      expectValidation(await update(user, tag.id, { name }), 'name');
      expect(await names(user)).toEqual(['ok']);
    });

    it('a lone surrogate is 400, not stored as a replacement character', async () => {
      const user = await registerUser(t.app);
      const res = await user.request({ method: 'POST', url: '/api/v1/tags', headers: { 'content-type': 'application/json' }, payload: '{"name":"a\\ud800"}' });
      expectValidation(res, 'name');
    });

    it('characters outside the control range are kept as sent (U+0080, U+00A0 inside, emoji, CJK)', async () => {
      const user = await registerUser(t.app);
      const tag = await created(user, { name: 'a\u0080b\u00a0c 😀 集中' });
      expect(tag.name).toBe('a\u0080b\u00a0c 😀 集中');
    });
  });

  describe('colours', () => {
    it('a colour is accepted in either letter case and returned in upper case', async () => {
      const user = await registerUser(t.app);
      expect((await created(user, { name: 'lower', color: '#abcdef' })).color).toBe('#ABCDEF');
      expect((await created(user, { name: 'upper', color: '#ABCDEF' })).color).toBe('#ABCDEF');
      expect((await created(user, { name: 'mixed', color: '#aBc0eF' })).color).toBe('#ABC0EF');
    });

    it('without a colour the server picks the palette in turn', async () => {
      const user = await registerUser(t.app);
      const colors = [];
      for (let i = 0; i < TAG_PALETTE.length + 1; i++) colors.push((await created(user, { name: `t${i}` })).color);
      expect(colors).toEqual([...TAG_PALETTE, TAG_PALETTE[0]]);
    });

    it.each(['red', '#abc', '#abcdeg', 'abcdef', '#abcdef0', '#ABCDE ', ' #ABCDEF', ''])('colour %j is 400', async (color) => {
      const user = await registerUser(t.app);
      expectValidation(await create(user, { name: 'x', color }), 'color');
      const tag = await created(user, { name: 'y' });
      expectValidation(await update(user, tag.id, { color }), 'color');
    });

    it('a colour of another JSON type, or null, is 400', async () => {
      const user = await registerUser(t.app);
      expectValidation(await create(user, { name: 'x', color: 123456 }), 'color');
      expectValidation(await create(user, { name: 'x', color: null }), 'color');
    });
  });

  describe('the 100-tag cap', () => {
    it('the 101st tag is 422 limit_reached, archived tags count, and deleting one makes room', async () => {
      const user = await registerUser(t.app);
      const ids: number[] = [];
      for (let i = 0; i < 100; i++) ids.push((await created(user, { name: `tag ${i}` })).id);
      await update(user, ids[0] as number, { archived: true });
      const over = await create(user, { name: 'one too many' });
      expect(over.statusCode, over.body).toBe(422);
      expect(over.json()).toMatchObject({ success: false, error: { code: 'limit_reached', details: { limit: 100 } } });
      expect((await list(user)).json().data).toHaveLength(100);
      expect((await remove(user, ids[1] as number)).statusCode).toBe(200);
      expect((await create(user, { name: 'one too many' })).statusCode).toBe(201);
    });

    it('concurrent creates from 95 tags stop at exactly 100', async () => {
      const user = await registerUser(t.app);
      for (let i = 0; i < 95; i++) await created(user, { name: `base ${i}` });
      const results = await Promise.all(Array.from({ length: 12 }, (_, i) => create(user, { name: `rush ${i}` })));
      expect(tally(results.map((r) => r.statusCode))).toEqual({ 201: 5, 422: 7 });
      expect((await list(user)).json().data).toHaveLength(100);
    });

    it("one user's cap does not limit another's tags", async () => {
      const [a, b] = [await registerUser(t.app), await registerUser(t.app)];
      for (let i = 0; i < 100; i++) await created(a, { name: `a${i}` });
      expect((await create(b, { name: 'a0' })).statusCode).toBe(201);
    });
  });

  describe('ownership', () => {
    it("another user's tag is 404 on PATCH and DELETE and is left as it was", async () => {
      const [owner, other] = [await registerUser(t.app), await registerUser(t.app)];
      const tag = await created(owner, { name: 'Mine' });
      for (const res of [await update(other, tag.id, { name: 'Yours' }), await remove(other, tag.id)]) {
        expect(res.statusCode, res.body).toBe(404);
        expect(res.json()).toMatchObject({ success: false, error: { code: 'not_found' } });
      }
      expect((await list(owner)).json().data).toEqual([tag]);
      expect((await list(other)).json().data).toEqual([]);
    });

    it('a tag id that exists nowhere is 404', async () => {
      const user = await registerUser(t.app);
      expect((await update(user, 2147483647, { name: 'x' })).statusCode).toBe(404);
      expect((await remove(user, 2147483647)).statusCode).toBe(404);
    });

    it('every tag route needs a bearer token', async () => {
      for (const [method, url] of [
        ['GET', '/api/v1/tags'],
        ['POST', '/api/v1/tags'],
        ['PATCH', '/api/v1/tags/1'],
        ['DELETE', '/api/v1/tags/1'],
      ] as const) {
        const res = await t.app.inject({ method, url, payload: method === 'GET' || method === 'DELETE' ? undefined : { name: 'x' } });
        expect(res.statusCode, `${method} ${url}`).toBe(401);
        expect(res.json().error.code).toBe('unauthorized');
      }
    });
  });

  describe('400s', () => {
    it.each(['0', '-1', 'abc', '1.5', '1e3', '2147483648'])('a tag id %j is 400', async (id) => {
      const user = await registerUser(t.app);
      expectValidation(await update(user, id, { name: 'x' }), 'id');
      expectValidation(await remove(user, id), 'id');
    });

    it('a PATCH with no field is 400', async () => {
      const user = await registerUser(t.app);
      const tag = await created(user, { name: 'x' });
      const res = await update(user, tag.id, {});
      expect(res.statusCode, res.body).toBe(400);
      expect(res.json().error.code).toBe('validation_error');
    });

    it('a missing name, a wrong type and an unknown field are 400', async () => {
      const user = await registerUser(t.app);
      expectValidation(await create(user, {}), 'name');
      expectValidation(await create(user, { name: 42 }), 'name');
      expectValidation(await create(user, { name: 'x', archived: true }), 'archived');
      const tag = await created(user, { name: 'x' });
      expectValidation(await update(user, tag.id, { archived: 'yes' }), 'archived');
      expectValidation(await update(user, tag.id, { id: 5 }), 'id');
      expectValidation(await update(user, tag.id, { name: null }), 'name');
    });
  });

  describe('idempotency', () => {
    it('a POST retried with the same Idempotency-Key replays the first answer and creates one tag', async () => {
      const user = await registerUser(t.app);
      const headers = { 'idempotency-key': 'create-tag-1' };
      const first = await create(user, { name: 'Once' }, headers);
      const again = await create(user, { name: 'Once' }, headers);
      expect(first.statusCode, first.body).toBe(201);
      expect(again.statusCode).toBe(201);
      expect(again.headers['idempotent-replayed']).toBe('true');
      expect(again.body).toBe(first.body);
      expect(await names(user)).toEqual(['Once']);
      // without the key the same body is a new request, and the name is taken
      expect((await create(user, { name: 'Once' })).statusCode).toBe(409);
    });

    it('the same Idempotency-Key with another body is 422 idempotency_key_reused', async () => {
      const user = await registerUser(t.app);
      const headers = { 'idempotency-key': 'create-tag-2' };
      expect((await create(user, { name: 'First' }, headers)).statusCode).toBe(201);
      const res = await create(user, { name: 'Second' }, headers);
      expect(res.statusCode, res.body).toBe(422);
      expect(res.json().error.code).toBe('idempotency_key_reused');
    });
  });

  describe('OpenAPI', () => {
    it('documents every tag route with its bodies, the control-character pattern and its error statuses', async () => {
      const doc = (await t.app.inject({ method: 'GET', url: '/api/v1/openapi.json' })).json();
      const tags = doc.paths['/api/v1/tags'];
      const byId = doc.paths['/api/v1/tags/{id}'];
      expect(Object.keys(tags.get.responses)).toEqual(expect.arrayContaining(['200', '401']));
      expect(Object.keys(tags.post.responses)).toEqual(expect.arrayContaining(['201', '400', '401', '409', '422']));
      expect(Object.keys(byId.patch.responses)).toEqual(expect.arrayContaining(['200', '400', '404', '409', '422']));
      expect(Object.keys(byId.delete.responses)).toEqual(expect.arrayContaining(['200', '404']));
      const name = tags.post.requestBody.content['application/json'].schema.properties.name;
      expect(name.pattern).toBe('^[^\\u0000-\\u001F\\u007F]*$');
      expect(name.description).toMatch(/1 to 40 characters/);
    });
  });
});
