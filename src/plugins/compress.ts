// Response compression (@fastify/compress): brotli or gzip as the request's Accept-Encoding asks, for
// the web client's files (@fastify/static streams) and the API's JSON, the export downloads included.
// Registered before every route: the plugin adds its onSend to each route as it is declared.
import { constants } from 'node:zlib';
import fastifyCompress from '@fastify/compress';
import type { FastifyInstance, onErrorHookHandler, onSendHookHandler } from 'fastify';

/** Smaller answers go out as they are: the envelope of an error or a 201 gains nothing from it. */
export const COMPRESS_THRESHOLD_BYTES = 1024;

/**
 * Every answer says that its encoding depends on Accept-Encoding, also when it went out uncompressed
 * (no Accept-Encoding, or under the threshold), so a shared cache never hands a stored encoding to a
 * client that did not ask for it. Lower case, as @fastify/compress looks for it, so it is not added twice.
 */
const varyAcceptEncoding: onSendHookHandler = (_request, reply, payload, done) => {
  const vary = reply.getHeader('vary');
  const values = (Array.isArray(vary) ? vary : vary === undefined ? [] : [String(vary)]).join(', ');
  if (!/(^|,)\s*accept-encoding\s*(,|$)/i.test(values)) reply.header('vary', values ? `${values}, accept-encoding` : 'accept-encoding');
  done(null, payload);
};

/**
 * A compressed stream that fails before its first compressed byte went out (zlib still held it) is
 * answered by the error handler with the ordinary error envelope. That envelope is neither in the
 * stream's encoding nor the file the download announced, so those headers go (from Fastify's reply
 * and from the raw response, where Fastify copied them when the stream started). Once bytes are out,
 * Fastify cuts the connection instead.
 */
const STREAM_HEADERS = ['content-encoding', 'content-disposition'];
const dropHeadersOfFailedStream: onErrorHookHandler = (_request, reply, _error, done) => {
  if (!reply.raw.headersSent) {
    for (const name of STREAM_HEADERS) {
      reply.removeHeader(name);
      reply.raw.removeHeader(name);
    }
  }
  done();
};

export async function registerCompression(app: FastifyInstance): Promise<void> {
  await app.register(fastifyCompress, {
    global: true,
    // zstd joins the list by itself on newer Node versions; fixed here so every deployment answers alike.
    encodings: ['br', 'gzip'],
    threshold: COMPRESS_THRESHOLD_BYTES,
    // Quality 5, not the plugin's 4: the client's script is then smaller than in gzip (27.6 against
    // 28.6 kB; 4 gave 29.3) for about 8 ms of CPU on an 86 kB file that browsers keep for a year.
    brotliOptions: { params: { [constants.BROTLI_PARAM_QUALITY]: 5, [constants.BROTLI_PARAM_MODE]: constants.BROTLI_MODE_TEXT } },
    // Request bodies stay as they are: json-body.ts answers a compressed one 415 (Content-Encoding: identity only).
    globalDecompression: false,
  });
  app.addHook('onSend', varyAcceptEncoding);
  app.addHook('onError', dropHeadersOfFailedStream);
}
