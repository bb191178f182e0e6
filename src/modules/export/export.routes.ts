import { Readable } from 'node:stream';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyReply } from 'fastify';
import { errorResponses } from '../../schemas.js';
import { CsvExportResponse, JsonExportResponse } from './export.schemas.js';
import type { ExportDownload, ExportService } from './export.service.js';

const security = [{ bearer: [] }];

/**
 * A download: the reply pulls the next chunk only once the previous one is on its way (one chunk
 * buffered), and Fastify destroys the connection when the stream fails after the first byte.
 */
function sendDownload(reply: FastifyReply, contentType: string, download: ExportDownload): FastifyReply {
  return reply
    .type(contentType)
    .header('content-disposition', `attachment; filename="${download.fileName}"`)
    .send(Readable.from(download.chunks, { highWaterMark: 1 }));
}

// No HEAD routes: Fastify answers a HEAD at once and then drains the stream, which here would read the
// whole history from the database for nobody, with no client to slow it down.
export const exportRoutes: FastifyPluginAsyncTypebox<{ exports: ExportService }> = async (app, { exports }) => {
  app.get('/users/me/export', {
    exposeHeadRoute: false,
    schema: {
      tags: ['users'],
      summary: "Download all of the user's data as JSON (a file, not an envelope)",
      security,
      response: { 200: JsonExportResponse, ...errorResponses() },
    },
    handler: async (request, reply) => sendDownload(reply, 'application/json; charset=utf-8', await exports.json(request.auth.userId, request.now)),
  });

  // A static path: Fastify's router prefers it to PATCH /sessions/:id's parameter, and GET has no /sessions/:id.
  app.get('/sessions/export.csv', {
    exposeHeadRoute: false,
    schema: {
      tags: ['sessions'],
      summary: 'Download every session as CSV',
      security,
      response: { 200: CsvExportResponse, ...errorResponses() },
    },
    handler: async (request, reply) => sendDownload(reply, 'text/csv; charset=utf-8', await exports.csv(request.auth.userId, request.now)),
  });
};
