import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { ok } from '../../envelope.js';
import { errorResponses } from '../../schemas.js';
import { StreakResponse } from './streaks.schemas.js';
import type { StreaksService } from './streaks.service.js';

export const streakRoutes: FastifyPluginAsyncTypebox<{ streaks: StreaksService }> = async (app, { streaks }) => {
  app.get('/streaks', {
    schema: {
      tags: ['streaks'],
      summary: 'Current and longest streak; current reads 0 once a day was missed',
      security: [{ bearer: [] }],
      response: { 200: StreakResponse, ...errorResponses() },
    },
    handler: async (request) => ok('focus streak', await streaks.current(request.auth.userId, request.now)),
  });
};
