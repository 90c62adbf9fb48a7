/**
 * The thin client adapter of the cluster watch: authenticated GETs against the API server with the
 * credentials of a `KubeConfig` (@kubernetes/client-node), and a `Watch` that can ask for metadata
 * only. Everything else (what to watch, how to map it) is plain data elsewhere.
 */
import http from 'node:http';
import https from 'node:https';
import { createInterface } from 'node:readline';
import { KubeConfig, Watch } from '@kubernetes/client-node';

/** `Accept` for a list or watch that returns only metadata (used for Secrets: values never cross the wire). */
export const METADATA_ONLY = 'application/json;as=PartialObjectMetadataList;g=meta.k8s.io;v=v1,application/json';
const METADATA_ONLY_WATCH = 'application/json;as=PartialObjectMetadata;g=meta.k8s.io;v=v1,application/json';

/** An HTTP error from the API server; `statusCode` 410 means the resourceVersion is gone (relist). */
export class KubeHttpError extends Error {
  constructor(
    readonly statusCode: number,
    message: string,
  ) {
    super(message);
  }
}

async function request(
  kc: KubeConfig,
  path: string,
  opts: { accept?: string; query?: Record<string, string>; timeoutMs?: number },
): Promise<{ res: http.IncomingMessage; req: http.ClientRequest }> {
  const cluster = kc.getCurrentCluster();
  if (!cluster) throw new Error('the kubeconfig has no current cluster');
  const url = new URL(cluster.server.replace(/\/$/, '') + path);
  for (const [k, v] of Object.entries(opts.query ?? {})) if (v !== '') url.searchParams.set(k, v);
  const options: https.RequestOptions = { method: 'GET', headers: { Accept: opts.accept ?? 'application/json' } };
  await kc.applyToHTTPSOptions(options);
  const lib = url.protocol === 'https:' ? https : http;
  return new Promise((resolve, reject) => {
    const req = lib.request(url, options, (res) => {
      // A dropped connection errors the response ("aborted"); the reader also sees its end, so never crash.
      res.on('error', () => undefined);
      resolve({ res, req });
    });
    req.on('error', reject);
    if (opts.timeoutMs) req.setTimeout(opts.timeoutMs, () => req.destroy(new Error(`GET ${path} timed out`)));
    req.end();
  });
}

async function readBody(res: http.IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of res) chunks.push(c as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

/** GETs a JSON document (a list). Throws KubeHttpError on a non-2xx answer. */
export async function getJson<T>(
  kc: KubeConfig,
  path: string,
  opts: { accept?: string; query?: Record<string, string> } = {},
): Promise<T> {
  const { res } = await request(kc, path, { ...opts, timeoutMs: 60_000 });
  const body = await readBody(res);
  if ((res.statusCode ?? 500) >= 300)
    throw new KubeHttpError(res.statusCode ?? 500, `GET ${path}: ${body.slice(0, 300)}`);
  return JSON.parse(body) as T;
}

/**
 * A client-node `Watch` over node's http(s): streams `{type, object}` lines, asks for bookmarks, and can
 * ask for metadata only. `done` is called once, with null when the server ends the stream.
 */
export class KubeWatch extends Watch {
  constructor(
    private readonly kc: KubeConfig,
    private readonly metadataOnly = false,
  ) {
    super(kc);
  }

  override async watch(
    path: string,
    queryParams: Record<string, string | number | boolean | undefined>,
    callback: (phase: string, apiObj: unknown, watchObj?: unknown) => void,
    done: (err: unknown) => void,
  ): Promise<AbortController> {
    const controller = new AbortController();
    let finished = false;
    const finish = (err: unknown) => {
      if (finished) return;
      finished = true;
      controller.abort();
      done(err);
    };
    const query: Record<string, string> = { watch: 'true', allowWatchBookmarks: 'true' };
    for (const [k, v] of Object.entries(queryParams)) if (v !== undefined) query[k] = String(v);
    try {
      const { res, req } = await request(this.kc, path, {
        query,
        ...(this.metadataOnly ? { accept: METADATA_ONLY_WATCH } : {}),
      });
      controller.signal.addEventListener('abort', () => req.destroy());
      if ((res.statusCode ?? 500) !== 200) {
        const body = await readBody(res);
        finish(new KubeHttpError(res.statusCode ?? 500, `watch ${path}: ${body.slice(0, 300)}`));
        return controller;
      }
      res.on('error', finish);
      res.on('close', () => finish(null));
      const lines = createInterface({ input: res });
      lines.on('error', finish); // readline re-emits the response's errors
      lines.on('line', (line) => {
        if (!line.trim()) return;
        try {
          const ev = JSON.parse(line) as { type: string; object: unknown };
          callback(ev.type, ev.object, ev);
        } catch {
          // a torn line at a disconnect: the next watch resumes from the last resourceVersion
        }
      });
    } catch (err) {
      finish(err);
    }
    return controller;
  }
}

/** A KubeConfig from a file, else in-cluster service-account credentials, else undefined. */
export function loadKubeConfig(opts: { kubeconfig?: string; inCluster?: boolean }): KubeConfig | undefined {
  const kc = new KubeConfig();
  if (opts.kubeconfig) {
    kc.loadFromFile(opts.kubeconfig);
    return kc;
  }
  if (opts.inCluster) {
    kc.loadFromCluster();
    return kc;
  }
  return undefined;
}
