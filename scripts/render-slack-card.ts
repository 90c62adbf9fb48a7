// Renders the demo's incident card (Block Kit JSON) to HTML and a PNG with headless Chromium, for README.
// Usage: node --import tsx scripts/render-slack-card.ts [--seed N] [--fault F] [--target S] [--out docs]
//
// The card is built as the Slack notifier builds it: the demo's incident, and the card context read from
// the graph the demo left (grouped alerts, recent changes, owners, links). The links use example URL
// templates (what ROOTGRAPH_METRICS_URL, _TRACES_URL, _LOGS_URL, _ALERTMANAGER_URL and _RUNBOOK_URL
// would hold). The demo applies no manifest change, so before rendering the script applies one through the
// Kubernetes ingest, as `kubectl apply` would be recorded: the faulty service's Deployment gets a team label
// and a remedy (twice the memory limit for a leak, else a hotfix image), which the card shows as its owner
// and a recent change.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { stringify } from 'yaml';
import { toIncidentBlocks } from '../bots/slack/render/incident-blocks.js';
import { limitViolations } from '../bots/slack/render/limits.js';
import { runDemo } from '../app/demo/run-demo.js';
import { loadCardContext } from '../src/assistant/card-context.js';
import { MemoryGraphStore } from '../src/graph/memory/memory-graph-store.js';
import { IncidentStore } from '../src/incidents/incident-store.js';
import { ingestK8sManifests } from '../src/ingest/k8s/ingest-k8s.js';
import { manifestObjects, topologyFor, type FaultType } from '../src/sim/index.js';
import { blocksToHtml } from './block-kit-html.js';

const { values } = parseArgs({
  options: {
    seed: { type: 'string', default: '3' },
    fault: { type: 'string', default: 'cpu-hog' },
    target: { type: 'string', default: 'cartservice' },
    out: { type: 'string', default: 'docs' },
  },
});
const LINKS = {
  metrics:
    'https://grafana.example.com/d/rootgraph/service?var-service={service}&var-metric={metric}&from={from}&to={to}',
  traces: 'http://jaeger.example.com:16686/search?service={service}&start={fromUs}&end={toUs}',
  logs: 'https://kibana.example.com/app/discover#/?_g=(time:(from:%27{fromIso}%27,to:%27{toIso}%27))&_a=(query:(query:%27service:{service}%27))',
  alertmanager: 'http://alertmanager.example.com:9093',
  runbook: 'https://runbooks.example.com/alerts/{alertname}',
};

const seed = Number(values.seed);
const dataDir = mkdtempSync(join(tmpdir(), 'rg-card-'));
const result = await runDemo({
  seed,
  fault: values.fault as FaultType,
  target: values.target,
  chat: false,
  dataDir,
  out: () => {},
  progress: () => {},
});
if (!result.incident) throw new Error('the demo opened no incident');

const graph = await MemoryGraphStore.open({ dataDir });
const deployment = manifestObjects(topologyFor({ system: 'online-boutique', seed })).find(
  (d) => d.kind === 'Deployment' && (d.metadata as { name: string }).name === result.truth,
) as {
  metadata: { labels?: Record<string, string> };
  spec: {
    template: { spec: { containers: Array<{ image?: string; resources?: { limits?: Record<string, string> } }> } };
  };
};
deployment.metadata.labels = { ...deployment.metadata.labels, team: 'checkout-squad' };
deployment.spec.template.spec.containers = deployment.spec.template.spec.containers.map((c) =>
  values.fault === 'memory-leak'
    ? { ...c, resources: { ...c.resources, limits: { ...c.resources?.limits, memory: '256Mi' } } }
    : { ...c, image: `${c.image?.replace(/:[^:/]+$/, '')}:v0.10.2-hotfix` },
);
await ingestK8sManifests(graph, stringify(deployment), { source: 'fix.yaml', at: Date.now() });

const incident = (await new IncidentStore(graph).get(result.incident.number))!;
const context = await loadCardContext({ graph, links: LINKS, ownerLabels: ['team', 'owner'] }, incident);
const blocks = toIncidentBlocks(incident, { corrections: true, otherOpen: [], context });
const bad = limitViolations(blocks);
if (bad.length > 0) throw new Error(`the card breaks Slack's limits: ${bad.join('; ')}`);
await graph.close();

const out = resolve(values.out as string);
writeFileSync(join(out, 'slack-card.blocks.json'), `${JSON.stringify({ blocks }, null, 2)}\n`);
writeFileSync(join(out, 'slack-card.html'), blocksToHtml(blocks, { channel: '#incidents', app: 'rootgraph' }));
execFileSync(
  'chromium',
  [
    '--headless',
    '--no-sandbox',
    '--disable-gpu',
    '--disable-quic',
    '--no-first-run',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    `--user-data-dir=${mkdtempSync(join(tmpdir(), 'rg-chrome-'))}`,
    '--hide-scrollbars',
    '--window-size=900,960',
    `--screenshot=${join(out, 'slack-card.png')}`,
    `file://${join(out, 'slack-card.html')}`,
  ],
  { stdio: 'ignore' },
);
console.log(`wrote ${join(out, 'slack-card.png')} (diagnosis ${result.correct ? 'correct' : 'wrong'}: ${result.top})`);
