import { createGunzip, createInflate } from 'node:zlib';
import type { Readable } from 'node:stream';
import type { FastifyInstance } from 'fastify';

/**
 * Teaches the app the bodies ingest receives: protobuf as bytes, YAML/text as strings, JSON as
 * usual; `Content-Encoding: gzip|deflate` (OTLP exporters' compression option) is decoded before
 * parsing, and the body limit applies to the decoded size, so a gzip bomb is refused too. Prometheus
 * remote-write's snappy body is passed through to its route.
 */
export function registerBodyParsers(app: FastifyInstance): void {
  app.addContentTypeParser(
    ['application/x-protobuf', 'application/protobuf'],
    { parseAs: 'buffer' },
    (_req, body, done) => done(null, body),
  );
  app.addContentTypeParser(
    ['application/yaml', 'application/x-yaml', 'text/yaml', 'text/plain'],
    { parseAs: 'string' },
    (_req, body, done) => done(null, body),
  );
  app.addHook('preParsing', async (req, _reply, payload) => {
    const enc = String(req.headers['content-encoding'] ?? 'identity').toLowerCase();
    if (enc === 'identity') return payload;
    // Remote-write's snappy is block-compressed, not a stream: its route decompresses the whole body.
    if (enc === 'snappy' && req.url.split('?')[0] === '/api/v1/write') return payload;
    if (enc !== 'gzip' && enc !== 'deflate') {
      throw Object.assign(new Error(`unsupported Content-Encoding "${enc}" (use gzip, deflate or none)`), {
        statusCode: 415,
        code: 'INPUT_INVALID',
      });
    }
    const out = (enc === 'gzip' ? createGunzip() : createInflate()) as unknown as Readable & {
      receivedEncodedLength: number;
    };
    out.receivedEncodedLength = 0;
    // Fastify compares Content-Length with the bytes read from the wire, not with the inflated size.
    payload.on('data', (chunk: Buffer) => {
      out.receivedEncodedLength += chunk.length;
    });
    payload.pipe(out as unknown as NodeJS.WritableStream);
    return out;
  });
}
