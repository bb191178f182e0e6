import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { ok } from '../../envelope.js';
import { IdParams, errorResponses } from '../../schemas.js';
import { CreateTagBody, TagDeletedResponse, TagListResponse, TagResponse, UpdateTagBody } from './tags.schemas.js';
import type { TagsService } from './tags.service.js';

const security = [{ bearer: [] }];

/** GET, POST /tags and PATCH, DELETE /tags/:id (contract section 11): behind the bearer token. */
export const tagRoutes: FastifyPluginAsyncTypebox<{ tags: TagsService }> = async (app, { tags }) => {
  app.get('/tags', {
    schema: {
      tags: ['tags'],
      summary: "The caller's tags, archived ones included, by name regardless of case",
      security,
      response: { 200: TagListResponse, ...errorResponses() },
    },
    handler: async (request) => ok('tags', await tags.list(request.auth.userId)),
  });

  app.post('/tags', {
    schema: {
      tags: ['tags'],
      summary: 'Create a tag (name unique regardless of case; at most 100 per user)',
      security,
      body: CreateTagBody,
      response: { 201: TagResponse, ...errorResponses(409, 422) },
    },
    handler: async (request, reply) => reply.code(201).send(ok('tag created', await tags.create(request.auth.userId, request.body, request.now))),
  });

  app.patch('/tags/:id', {
    schema: {
      tags: ['tags'],
      summary: 'Rename, recolour, archive or unarchive a tag',
      security,
      params: IdParams,
      body: UpdateTagBody,
      response: { 200: TagResponse, ...errorResponses(404, 409, 422) },
    },
    handler: async (request) => ok('tag updated', await tags.update(request.auth.userId, request.params.id, request.body)),
  });

  app.delete('/tags/:id', {
    schema: {
      tags: ['tags'],
      summary: 'Delete a tag; its sessions become untagged and keep their time',
      security,
      params: IdParams,
      response: { 200: TagDeletedResponse, ...errorResponses(404, 409, 422) },
    },
    handler: async (request) => {
      await tags.remove(request.auth.userId, request.params.id);
      return ok('tag deleted', null);
    },
  });
};
