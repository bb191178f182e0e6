import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { ok } from '../../envelope.js';
import { errorResponses } from '../../schemas.js';
import { SummaryQuery, SummaryResponse } from './summary.schemas.js';
import type { SummaryService } from './summary.service.js';

/** GET /summary (contract 14): behind the bearer token. */
export const summaryRoutes: FastifyPluginAsyncTypebox<{ summary: SummaryService }> = async (app, { summary }) => {
  app.get('/summary', {
    schema: {
      tags: ['progress'],
      summary: "A calendar week (from the user's week_starts_on) or month at a glance, with the period before; default this week",
      security: [{ bearer: [] }],
      querystring: SummaryQuery,
      response: { 200: SummaryResponse, ...errorResponses() },
    },
    handler: async (request) => ok('focus summary', await summary.summary(request.auth.userId, request.query, request.now)),
  });
};
