/**
 * The informer against a local HTTP server that speaks the API server's list/watch protocol (a stand-in,
 * as the Slack tests use one): resume from the last resourceVersion after a dropped stream, relist on
 * 410 Gone (reporting what vanished), back off while the server is away.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { KubeConfig } from '@kubernetes/client-node';
import { afterEach, describe, expect, it } from 'vitest';
import { startKindInformer, type KindInformer, type WatchEvent } from '../../../src/ingest/k8s-watch/kind-informer.js';
import { WATCH_KINDS } from '../../../src/ingest/k8s-watch/watch-kinds.js';

const CM = WATCH_KINDS.find((k) => k.kind === 'ConfigMap')!;

interface Obj {
  metadata: { name: string; namespace: string; resourceVersion: string };
}

/** A tiny list/watch server: objects with resourceVersions, a change log, watches it can drop. */
class FakeApi {
  rv = 1;
  objects = new Map<string, Obj>();
  log: Array<{ type: string; object: Obj }> = [];
  /** Watches asking for a resourceVersion below this get 410 Gone. */
  compactedBelow = 0;
  watchQueries: string[] = [];
  private streams = new Set<http.ServerResponse>();
  server = http.createServer((req, res) => this.handle(req, res));

  put(name: string, type = 'ADDED') {
    const o = { metadata: { name, namespace: 'ns', resourceVersion: String(++this.rv) } };
    this.objects.set(name, o);
    this.emit(type, o);
  }
  del(name: string) {
    const o = this.objects.get(name)!;
    this.objects.delete(name);
    this.emit('DELETED', { metadata: { ...o.metadata, resourceVersion: String(++this.rv) } });
  }
  private emit(type: string, object: Obj) {
    this.log.push({ type, object });
    for (const s of this.streams) s.write(`${JSON.stringify({ type, object })}\n`);
  }
  dropWatches() {
    for (const s of this.streams) s.destroy();
    this.streams.clear();
  }
  private handle(req: http.IncomingMessage, res: http.ServerResponse) {
    const url = new URL(req.url ?? '/', 'http://x');
    res.setHeader('Content-Type', 'application/json');
    if (url.searchParams.get('watch') !== 'true') {
      res.end(JSON.stringify({ metadata: { resourceVersion: String(this.rv) }, items: [...this.objects.values()] }));
      return;
    }
    const from = Number(url.searchParams.get('resourceVersion'));
    this.watchQueries.push(String(from));
    if (from < this.compactedBelow) {
      res.end(`${JSON.stringify({ type: 'ERROR', object: { kind: 'Status', code: 410, reason: 'Expired' } })}\n`);
      return;
    }
    res.writeHead(200);
    for (const e of this.log) if (Number(e.object.metadata.resourceVersion) > from) res.write(`${JSON.stringify(e)}\n`);
    this.streams.add(res);
    res.on('close', () => this.streams.delete(res));
  }
  async listen(port = 0): Promise<number> {
    await new Promise<void>((r) => this.server.listen(port, '127.0.0.1', r));
    return (this.server.address() as AddressInfo).port;
  }
  async close() {
    this.dropWatches();
    this.server.closeAllConnections();
    await new Promise((r) => this.server.close(r));
  }
}

const kubeconfig = (port: number) => {
  const kc = new KubeConfig();
  kc.loadFromOptions({
    clusters: [{ name: 'c', server: `http://127.0.0.1:${port}`, skipTLSVerify: true }],
    users: [{ name: 'u', token: 't' }],
    contexts: [{ name: 'x', cluster: 'c', user: 'u' }],
    currentContext: 'x',
  });
  return kc;
};

async function until(what: string, ok: () => boolean, ms = 10_000) {
  const end = Date.now() + ms;
  while (!ok()) {
    if (Date.now() > end) throw new Error(`timed out: ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

let informer: KindInformer | undefined;
let api: FakeApi | undefined;
afterEach(async () => {
  await informer?.stop();
  await api?.close();
});

describe('startKindInformer (list + watch protocol)', () => {
  it('lists, watches, resumes from the last resourceVersion after a dropped stream without replaying', async () => {
    api = new FakeApi();
    api.put('a');
    const port = await api.listen();
    const events: WatchEvent[] = [];
    informer = startKindInformer({
      kc: kubeconfig(port),
      kind: CM,
      onEvent: (e) => events.push(e),
      backoff: { initialMs: 50, maxMs: 200 },
    });
    await informer.synced;
    await until('the watch', () => api!.watchQueries.length === 1);
    api.put('b');
    await until('b', () => events.length === 2);
    api.dropWatches();
    await until('a second watch', () => api!.watchQueries.length === 2);
    expect(api.watchQueries[1]).toBe(api.objects.get('b')!.metadata.resourceVersion);
    api.del('a');
    await until('a deleted', () => events.length === 3);
    expect(events.map((e) => `${e.type} ${e.object.metadata?.name}`)).toEqual(['upsert a', 'upsert b', 'delete a']);
    expect(events[0].object.kind).toBe('ConfigMap');
  });

  it('410 Gone: relists, and what vanished meanwhile is reported deleted', async () => {
    api = new FakeApi();
    api.put('a');
    api.put('b');
    const port = await api.listen();
    const events: WatchEvent[] = [];
    const lists: number[] = [];
    informer = startKindInformer({
      kc: kubeconfig(port),
      kind: CM,
      onEvent: (e) => events.push(e),
      onList: (_k, items) => lists.push(items.length),
      backoff: { initialMs: 50, maxMs: 200 },
    });
    await informer.synced;
    await until('the watch', () => api!.watchQueries.length === 1);
    // While the stream is down, b goes and the history is compacted.
    api.dropWatches();
    api.objects.delete('b');
    api.rv += 10;
    api.log = [];
    api.compactedBelow = api.rv;
    await until('a relist', () => lists.length === 2, 10_000);
    await until('b deleted', () => events.some((e) => e.type === 'delete'));
    expect(events.filter((e) => e.type === 'delete').map((e) => e.object.metadata?.name)).toEqual(['b']);
  });

  it('backs off while the server is away and resumes when it is back', async () => {
    api = new FakeApi();
    api.put('a');
    const port = await api.listen();
    const events: WatchEvent[] = [];
    const errors: number[] = [];
    informer = startKindInformer({
      kc: kubeconfig(port),
      kind: CM,
      onEvent: (e) => events.push(e),
      onError: (_k, _e, retry) => errors.push(retry),
      backoff: { initialMs: 50, maxMs: 400 },
    });
    await informer.synced;
    const log = api.log;
    const objects = api.objects;
    const rv = api.rv;
    await api.close();
    await until('a few retries', () => errors.length >= 3);
    expect(errors[1]).toBeGreaterThan(errors[0]);
    api = new FakeApi();
    Object.assign(api, { log, objects, rv });
    await api.listen(port);
    api.put('c');
    await until('c', () => events.some((e) => e.object.metadata?.name === 'c'), 10_000);
    expect(events.filter((e) => e.object.metadata?.name === 'a')).toHaveLength(1);
  });
});
