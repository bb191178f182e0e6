import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { ok, okList } from '../../envelope.js';
import { AppError } from '../../errors.js';
import { IdParams, errorResponses } from '../../schemas.js';
import {
  ActiveSessionResponse,
  EndBody,
  EndResponse,
  HistoryQuery,
  HistoryResponse,
  PauseBody,
  RelabelBody,
  ResumeBody,
  type ResumeInput,
  SessionResponse,
  StartBody,
} from './sessions.schemas.js';
import type { SessionsService } from './sessions.service.js';

const security = [{ bearer: [] }];

export const sessionRoutes: FastifyPluginAsyncTypebox<{ sessions: SessionsService }> = async (app, { sessions }) => {
  app.post('/sessions', {
    schema: {
      tags: ['sessions'],
      summary: 'Start a focus session ("Lock-in")',
      security,
      body: StartBody,
      response: { 201: SessionResponse, ...errorResponses(404, 409, 422) },
    },
    handler: async (request, reply) => {
      const session = await sessions.start(request.auth.userId, request.body, request.now);
      return reply.code(201).send(ok('focus session started', session));
    },
  });

  app.get('/sessions/active', {
    schema: {
      tags: ['sessions'],
      summary: 'The running (active or paused) session, or null',
      security,
      response: { 200: ActiveSessionResponse, ...errorResponses() },
    },
    handler: async (request) => {
      const session = await sessions.active(request.auth.userId);
      return ok(session ? 'focus session found' : 'no focus session running', session);
    },
  });

  app.patch('/sessions/:id/pause', {
    schema: {
      tags: ['sessions'],
      summary: 'Pause a session, saving elapsed_seconds',
      security,
      params: IdParams,
      body: PauseBody,
      response: { 200: SessionResponse, ...errorResponses(404, 409, 422) },
    },
    handler: async (request) =>
      ok('focus session paused', await sessions.pause(request.auth.userId, request.params.id, request.body, request.now)),
  });

  // Resume takes no body, an empty body or {}, with or without a JSON content type: its own context
  // gets a parser that reads any content type and lets only those through.
  await app.register(async (resume) => {
    resume.removeAllContentTypeParsers();
    resume.addContentTypeParser('*', { parseAs: 'string' }, (_request, body, done) => {
      const text = String(body).trim();
      if (text === '') return done(null, undefined);
      let parsed: unknown;
      try {
        parsed = JSON.parse(text);
      } catch {
        return done(new AppError('invalid_json', 'the request body is not valid JSON'), undefined);
      }
      return done(null, parsed);
    });
    resume.withTypeProvider().patch('/sessions/:id/resume', {
      schema: {
        tags: ['sessions'],
        summary: 'Resume a paused session (no body needed)',
        security,
        params: IdParams,
        body: ResumeBody,
        response: { 200: SessionResponse, ...errorResponses(404, 409, 422) },
      },
      preValidation: async (request) => {
        if (request.body === undefined) request.body = null;
      },
      handler: async (request) =>
        ok('focus session resumed', await sessions.resume(request.auth.userId, (request.params as { id: number }).id, request.body as ResumeInput, request.now)),
    });
  });

  app.patch('/sessions/:id/end', {
    schema: {
      tags: ['sessions'],
      summary: 'End a session as completed or abandoned; completed applies progress, streak and badges',
      security,
      params: IdParams,
      body: EndBody,
      response: { 200: EndResponse, ...errorResponses(404, 409, 422) },
    },
    handler: async (request) => {
      const result = await sessions.end(request.auth.userId, request.params.id, request.body, request.now);
      return ok(request.body.status === 'completed' ? 'focus session completed' : 'focus session abandoned', result);
    },
  });

  app.patch('/sessions/:id', {
    schema: {
      tags: ['sessions'],
      summary: "Relabel a session in any status: its tag and note; no time, progress, streak or badge changes",
      security,
      params: IdParams,
      body: RelabelBody,
      response: { 200: SessionResponse, ...errorResponses(404, 422) },
    },
    handler: async (request) => ok('focus session updated', await sessions.relabel(request.auth.userId, request.params.id, request.body, request.now)),
  });

  app.get('/sessions', {
    schema: {
      tags: ['sessions'],
      summary: 'Session history, newest first, keyset-paginated',
      security,
      querystring: HistoryQuery,
      response: { 200: HistoryResponse, ...errorResponses(404) },
    },
    handler: async (request) => {
      const { data, meta } = await sessions.history(request.auth.userId, request.query);
      return okList('focus sessions', data, meta);
    },
  });
};
