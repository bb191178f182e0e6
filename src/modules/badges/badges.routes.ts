import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { ok } from '../../envelope.js';
import { errorResponses } from '../../schemas.js';
import { BadgesResponse } from './badges.schemas.js';
import type { BadgesService } from './badges.service.js';

export const badgeRoutes: FastifyPluginAsyncTypebox<{ badges: BadgesService }> = async (app, { badges }) => {
  app.get('/badges', {
    schema: {
      tags: ['badges'],
      summary: 'Every badge definition with the caller’s earned_at and progress',
      security: [{ bearer: [] }],
      response: { 200: BadgesResponse, ...errorResponses() },
    },
    handler: async (request) => ok('badges', await badges.list(request.auth.userId)),
  });
};
