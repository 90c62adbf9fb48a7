/**
 * The read-only incident web UI: `GET /incidents`, `GET /incidents/:id`, `GET /graph?around=&hops=`,
 * and `POST /incidents/:id/feedback` (the suspects' buttons, through the same FeedbackSink as Slack).
 * Access: open when neither a token nor a secret is configured; else a bearer token (as ingest) or a
 * link signed with the secret (HMAC of path and expiry, see src/model/incident-page-url.ts).
 */
import { timingSafeEqual } from 'node:crypto';
import Fastify, { type FastifyInstance, type FastifyReply } from 'fastify';
import type { GraphStore } from '../../src/graph/graph-store.js';
import type { IncidentStore } from '../../src/incidents/incident-store.js';
import { withSignature, verifySignedPath } from '../../src/model/incident-page-url.js';
import type { NodeRecord } from '../../src/model/graph.js';
import type { FeedbackSink } from '../../src/ports/feedback-sink.js';
import type { MetricSource } from '../../src/ports/metric-source.js';
import { DRAWN_EDGES, drawnSubgraph, loadIncidentView, nameOf } from './load-incident-view.js';
import { incidentGraphSvg, renderIncidentPage, type Linker } from './render-incident-page.js';
import { svgToPng } from './rasterise.js';
import { renderGraphPage, renderIncidentList, renderProblem } from './render-pages.js';

/** What the web UI reads and where feedback goes. */
export interface WebPorts {
  graph: GraphStore;
  incidents: IncidentStore;
  metrics: MetricSource;
  feedback: FeedbackSink;
  /** ms since epoch (tests pass a fixed clock). */
  now?: () => number;
}

/** Who may look: the ingest bearer token and/or the link-signing secret; neither = open. */
export interface WebAccess {
  token?: string;
  secret?: string;
  /** Lifetime of the links the pages print when opened with the bearer token, seconds. */
  linkTtlS?: number;
}

export const DEFAULTS = { linkTtlS: 7 * 86_400, graphMaxNodes: 80, maxHops: 3 };

declare module 'fastify' {
  interface FastifyRequest {
    /** Signs a site path for the links this response prints (identity when access is open). */
    webLink: Linker;
  }
}

/** A Fastify instance serving only the web UI (not started; call `listen()`). */
export async function buildWebServer(ports: WebPorts, access: WebAccess = {}): Promise<FastifyInstance> {
  const app = Fastify({ logger: false }) as unknown as FastifyInstance;
  await registerWebRoutes(app, ports, access);
  return app;
}

/** Registers the web UI's routes and its access check on `app`. */
export async function registerWebRoutes(app: FastifyInstance, ports: WebPorts, access: WebAccess = {}): Promise<void> {
  const now = ports.now ?? Date.now;
  app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string' }, (_req, body, done) => {
    done(null, Object.fromEntries(new URLSearchParams(String(body))));
  });
  app.decorateRequest('webLink', null as unknown as Linker);
  app.addHook('onRequest', async (req, reply) => {
    const nowS = Math.floor(now() / 1000);
    const signed = access.secret !== undefined && verifySignedPath(req.url, access.secret, nowS);
    const bearer = access.token !== undefined && tokenMatches(req.headers.authorization, access.token);
    if ((access.token !== undefined || access.secret !== undefined) && !signed && !bearer) {
      return reply
        .status(401)
        .header('www-authenticate', 'Bearer')
        .type('text/plain; charset=utf-8')
        .send(
          'Not allowed: open the page through a signed link (from the Slack card or the chat) or send "Authorization: Bearer $ROOTGRAPH_INGEST_TOKEN".',
        );
    }
    const secret = access.secret;
    const expiresAtS = signed
      ? Number(new URLSearchParams(req.url.split('?', 2)[1]).get('exp'))
      : nowS + (access.linkTtlS ?? DEFAULTS.linkTtlS);
    req.webLink = secret ? (path) => withSignature(path, { secret, expiresAtS }) : (path) => path;
  });

  app.get('/', async (req, reply) => reply.redirect(req.webLink('/incidents')));
  app.get('/incidents', async (req, reply) =>
    html(reply, renderIncidentList(await ports.incidents.list(200), req.webLink)),
  );

  app.get<{ Params: { id: string }; Querystring: { fb?: string } }>('/incidents/:id', async (req, reply) => {
    const n = incidentNumber(req.params.id);
    const view = n === undefined ? undefined : await loadIncidentView({ ...ports, now }, n);
    if (!view)
      return html(
        reply.status(404),
        renderProblem('No such incident', `There is no incident ${req.params.id}.`, req.webLink),
      );
    return html(reply, renderIncidentPage(view, req.webLink, req.query.fb));
  });

  app.get<{ Params: { id: string } }>('/incidents/:id/graph.png', async (req, reply) => {
    const n = incidentNumber(req.params.id);
    // The picture needs no sparklines: skip the metric read.
    const view = n === undefined ? undefined : await loadIncidentView({ ...ports, now }, n, { metricsPerSuspect: 0 });
    if (!view)
      return reply.status(404).type('text/plain; charset=utf-8').send(`There is no incident ${req.params.id}.`);
    return reply
      .type('image/png')
      .header('cache-control', 'no-store')
      .send(svgToPng(incidentGraphSvg(view)));
  });

  app.post<{ Params: { id: string }; Body: Record<string, string> | undefined }>(
    '/incidents/:id/feedback',
    async (req, reply) => {
      const n = incidentNumber(req.params.id);
      const incident = n === undefined ? undefined : await ports.incidents.get(n);
      const entity = req.body?.entity ?? '';
      const verdict = req.body?.verdict;
      if (
        !incident ||
        !incident.suspects.some((s) => s.entity === entity) ||
        (verdict !== 'root-cause' && verdict !== 'not-root-cause')
      )
        return html(
          reply.status(400),
          renderProblem('Feedback not recorded', "Pick one of the incident's suspects and a verdict.", req.webLink),
        );
      const r = await ports.feedback.submit({
        incident: incident.number,
        entity,
        verdict,
        by: 'web',
        source: 'button',
        at: now(),
      });
      const back = `/incidents/${incident.number}?fb=${encodeURIComponent(r.message)}`;
      return reply.status(303).header('location', req.webLink(back)).send();
    },
  );

  app.get<{ Querystring: { around?: string; hops?: string } }>('/graph', async (req, reply) => {
    const root = await resolveEntity(ports.graph, req.query.around ?? '');
    if (!root)
      return html(
        reply.status(404),
        renderProblem('Unknown entity', `Nothing in the graph is called "${req.query.around ?? ''}".`, req.webLink),
      );
    const hops = Math.max(1, Math.min(DEFAULTS.maxHops, Number(req.query.hops ?? 2) || 2));
    const sub = await ports.graph.neighbourhood([root.uid], {
      hops,
      edges: DRAWN_EDGES,
      maxNodes: DEFAULTS.graphMaxNodes * 2,
    });
    const { nodes, edges } = drawnSubgraph(sub, [root.uid], [], DEFAULTS.graphMaxNodes);
    const drawn = nodes.map((n) => ({
      uid: n.uid,
      kind: n.label,
      name: nameOf(n),
      ...(n.uid === root.uid ? { entry: true } : {}),
    }));
    const rootNode = { uid: root.uid, kind: root.label, name: nameOf(root) };
    return html(reply, renderGraphPage(rootNode, hops, drawn, edges, req.webLink));
  });
}

function html(reply: FastifyReply, body: string): FastifyReply {
  return reply.type('text/html; charset=utf-8').header('cache-control', 'no-store').send(body);
}

function incidentNumber(id: string): number | undefined {
  const n = Number(id.replace(/^#/, ''));
  return Number.isInteger(n) && n > 0 ? n : undefined;
}

// A uid, or the name of a service, workload, pod or machine.
async function resolveEntity(graph: GraphStore, around: string): Promise<NodeRecord | undefined> {
  if (!around) return undefined;
  if (around.includes(':')) {
    const byUid = await graph.getNode(around);
    if (byUid) return byUid;
  }
  for (const label of ['Service', 'Deployment', 'StatefulSet', 'Pod', 'Machine'] as const) {
    const [found] = await graph.findNodes({ label, where: { name: around }, limit: 1 });
    if (found) return found;
  }
  return undefined;
}

function tokenMatches(header: string | undefined, token: string): boolean {
  const m = /^Bearer\s+(.+)$/i.exec(header ?? '');
  if (!m) return false;
  const [a, b] = [Buffer.from(m[1].trim()), Buffer.from(token)];
  return a.length === b.length && timingSafeEqual(a, b);
}
