import { Type } from '@sinclair/typebox';
import Fastify from 'fastify';
import { describe, expect, it } from 'vitest';
import { SessionResponse } from '../modules/sessions/sessions.schemas.js';
import { nullableAsTypeList, registerSerialization } from './serialization.js';

const Timestamp = Type.String({ format: 'date-time' });

describe('nullableAsTypeList', () => {
  it('writes "X or null" as X with a type list, keeping the union\'s own keywords', () => {
    const schema = Type.Union([Timestamp, Type.Null()], { description: 'when' });
    expect(nullableAsTypeList(schema)).toEqual({ type: ['string', 'null'], format: 'date-time', description: 'when' });
    expect(nullableAsTypeList(Type.Union([Type.Null(), Type.Integer()]))).toEqual({ type: ['integer', 'null'] });
  });

  it('does so inside objects and arrays, nullable objects included, and leaves the input as it was', () => {
    const tag = Type.Object({ id: Type.Integer(), name: Type.String() });
    const schema = Type.Array(Type.Object({ ended_at: Type.Union([Timestamp, Type.Null()]), tag: Type.Union([tag, Type.Null()]) }));
    const before = JSON.stringify(schema);
    const out = nullableAsTypeList(schema) as { items: { properties: Record<string, unknown> } };
    expect(out.items.properties.ended_at).toEqual({ type: ['string', 'null'], format: 'date-time' });
    expect(out.items.properties.tag).toEqual({ ...structuredClone(tag), type: ['object', 'null'] });
    expect(JSON.stringify(schema)).toBe(before);
  });

  it('leaves every other union alone: a $ref, a constant, more than two options, no null', () => {
    for (const schema of [
      Type.Union([Type.Ref('ErrorResponse'), Type.Null()]),
      Type.Union([Type.Literal('a'), Type.Null()]),
      Type.Union([Type.String(), Type.Integer(), Type.Null()]),
      Type.Union([Type.String(), Type.Integer()]),
      Type.Union([Type.Union([Type.String(), Type.Integer()]), Type.Null()]),
    ]) {
      expect(nullableAsTypeList(schema)).toEqual(structuredClone(schema));
    }
  });
});

describe('registerSerialization', () => {
  const running = {
    id: 7,
    user_id: 1,
    duration_seconds: 1500,
    elapsed_seconds: 0,
    status: 'active',
    started_at: '2026-03-02T06:00:00Z',
    ended_at: null,
    resumed_at: '2026-03-02T06:00:00Z',
    planned_end_at: '2026-03-02T06:25:00Z',
    tag: { id: 3, name: 'Deep "work"', color: '#4F46E5' },
    note: 'é\n',
  };
  const ended = { ...running, status: 'completed', ended_at: '2026-03-02T06:30:00Z', resumed_at: null, planned_end_at: null, tag: null, note: null };

  it('serializes a session exactly as JSON.stringify, with and without its nullable fields', async () => {
    const app = Fastify();
    registerSerialization(app);
    app.get('/:which', { schema: { response: { 200: SessionResponse } } }, async (request) => ({
      success: true,
      message: 'm',
      data: (request.params as { which: string }).which === 'running' ? running : ended,
    }));
    for (const data of [running, ended]) {
      const res = await app.inject({ url: data === running ? '/running' : '/ended' });
      expect(res.statusCode).toBe(200);
      expect(res.body).toBe(JSON.stringify({ success: true, message: 'm', data }));
    }
    await app.close();
  });

  it('resolves $refs to shared schemas added after it', async () => {
    const app = Fastify();
    registerSerialization(app);
    app.addSchema({ $id: 'Shared', type: 'object', properties: { ok: { type: 'boolean' } } });
    app.get('/', { schema: { response: { 200: Type.Ref('Shared') } } }, async () => ({ ok: true, dropped: 1 }));
    expect((await app.inject({ url: '/' })).body).toBe('{"ok":true}');
    await app.close();
  });
});
