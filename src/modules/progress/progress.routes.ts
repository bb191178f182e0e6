import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { ok } from '../../envelope.js';
import { errorResponses } from '../../schemas.js';
import { ProgressQuery, ProgressResponse, StatsResponse } from './progress.schemas.js';
import type { ProgressService } from './progress.service.js';

const security = [{ bearer: [] }];

export const progressRoutes: FastifyPluginAsyncTypebox<{ progress: ProgressService }> = async (app, { progress }) => {
  app.get('/progress', {
    schema: {
      tags: ['progress'],
      summary: 'Daily progress per local day, zero-filled; default the 7 days ending today',
      security,
      querystring: ProgressQuery,
      response: { 200: ProgressResponse, ...errorResponses() },
    },
    handler: async (request) => ok('daily progress', await progress.days(request.auth.userId, request.query, request.now)),
  });

  app.get('/stats', {
    schema: {
      tags: ['progress'],
      summary: 'Lifetime totals and today',
      security,
      response: { 200: StatsResponse, ...errorResponses() },
    },
    handler: async (request) => ok('focus stats', await progress.stats(request.auth.userId, request.now)),
  });
};
