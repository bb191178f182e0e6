import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { ok } from '../../envelope.js';
import { errorResponses } from '../../schemas.js';
import { HomeResponse } from './home.schemas.js';
import type { HomeService } from './home.service.js';

export const homeRoutes: FastifyPluginAsyncTypebox<{ home: HomeService }> = async (app, { home }) => {
  app.get('/home', {
    schema: {
      tags: ['home'],
      summary: 'Home screen: running session, today, streak and the 3 newest badges',
      security: [{ bearer: [] }],
      response: { 200: HomeResponse, ...errorResponses() },
    },
    handler: async (request) => ok('home screen', await home.screen(request.auth.userId, request.now)),
  });
};
