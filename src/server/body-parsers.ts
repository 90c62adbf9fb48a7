import { createGunzip, createInflate } from 'node:zlib';
import type { Readable } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import { INPUT_LIMITS } from '../ingest/input-limits.js';

/**
 * Teaches the app the bodies ingest receives: protobuf as bytes, YAML/text as strings, JSON as
 * usual; `Content-Encoding: gzip|deflate` (OTLP exporters' compression option) is decoded before
 * parsing, and the body limit applies to the decoded size, so a gzip bomb is refused too. Prometheus
 * remote-write's snappy body is passed through to its route.
 */
export function registerBodyParsers(app: FastifyInstance): void {
  // Our own JSON parser: a depth limit (deep bodies are refused with a 400, not a stack overflow), and
  // `__proto__` / `constructor` keys stay ordinary keys (JSON.parse makes them own properties), so one
  // odd label cannot sink a whole webhook.
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (_req, body, done) => {
    try {
      const parsed = parseJsonBody(body as string);
      if (typeof parsed === 'object' && parsed !== null) jsonText.set(parsed, body as string);
      done(null, parsed);
    } catch (err) {
      done(err as Error, undefined);
    }
  });
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

/** The text each parsed JSON body came from (the durable intake keeps the text, not the objects). */
const jsonText = new WeakMap<object, string>();

/** The JSON text `body` was parsed from, when it came through this app's JSON parser. */
export const jsonTextOf = (body: unknown): string | undefined =>
  typeof body === 'object' && body !== null ? jsonText.get(body) : undefined;

/** JSON.parse after checking that nesting stays within INPUT_LIMITS.maxJsonDepth; errors are 400s. */
export function parseJsonBody(text: string): unknown {
  if (text.trim() === '') throw Object.assign(new Error('empty JSON body'), { statusCode: 400, code: 'INPUT_INVALID' });
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 92)
        i++; // backslash: skip the escaped character
      else if (c === 34) inString = false;
    } else if (c === 34) inString = true;
    else if (c === 91 || c === 123) {
      if (++depth > INPUT_LIMITS.maxJsonDepth)
        throw Object.assign(new Error(`JSON nested deeper than ${INPUT_LIMITS.maxJsonDepth} levels at offset ${i}`), {
          statusCode: 400,
          code: 'INPUT_INVALID',
        });
    } else if (c === 93 || c === 125) depth--;
  }
  try {
    return JSON.parse(text);
  } catch (err) {
    throw Object.assign(new Error(`Body is not valid JSON: ${(err as Error).message}`), {
      statusCode: 400,
      code: 'INPUT_INVALID',
    });
  }
}
