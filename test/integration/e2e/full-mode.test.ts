import { RCA_MODEL_UID } from '../../../src/incidents/rca-model.js';
import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { rm } from 'node:fs/promises';
import { resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { composeRuntime, ROLES, type Runtime } from '../../../app/compose.js';
import { loadConfig } from '../../../src/config.js';
import { IngestClient } from '../../../app/demo/ingest-client.js';
import { shortName } from '../../../app/demo/demo-notifier.js';
import { slicePayloads } from '../../../app/demo/sim-payloads.js';
import type { Incident } from '../../../src/incidents/incident.js';
import { createLogger } from '../../../src/logger.js';
import { fingerprint, kubernetesManifests, simulate, type SimRun } from '../../../src/sim/index.js';
import { eventBody, postSigned, SlackStandIn } from '../../helpers/slack-standin.js';
import { ALERTMANAGER_URL, NEO4J_URI, REDIS_URL } from '../../helpers/services.js';
import { inNamespace, SdkReplayer } from './sim-telemetry.js';

const sh = promisify(execFile);
const SERVICES = resolve('scripts/services.sh');
const SECRET = 'e2e-signing-secret';
const CHANNEL = 'CINCIDENTS';
// Alertmanager (scripts/services.sh) delivers its webhooks here.
const INGEST_PORT = 18080;
const LEARN_MIN = 60;
const FAULT_MIN = 15;

async function waitFor<T>(
  what: string,
  probe: () => Promise<T | undefined>,
  timeoutMs = 90_000,
  state?: () => Promise<unknown>,
): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe();
    if (v !== undefined) return v;
    if (Date.now() > until)
      throw new Error(`timed out waiting for ${what}${state ? `; state: ${JSON.stringify(await state())}` : ''}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

/** Posts alerts to the real Alertmanager's API, as Prometheus does; it routes them to rootgraph's webhook. */
async function postToAlertmanager(
  alerts: Array<{ labels: Record<string, string>; annotations: Record<string, string>; startsAt: number }>,
): Promise<void> {
  const res = await fetch(`${ALERTMANAGER_URL}/api/v2/alerts`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(
      alerts.map((a) => ({
        labels: a.labels,
        annotations: a.annotations,
        startsAt: new Date(a.startsAt).toISOString(),
        generatorURL: 'http://prometheus.example/graph',
      })),
    ),
  });
  if (!res.ok) throw new Error(`Alertmanager refused alerts: ${res.status} ${await res.text()}`);
}

describe('full mode end to end: Neo4j, Redis/BullMQ, Alertmanager, OpenTelemetry SDK, Slack', () => {
  const ns = `e2e-${randomUUID().slice(0, 8)}`;
  const standIn = new SlackStandIn();
  let runtime: Runtime;
  let run: SimRun;
  let client: IngestClient;
  let sdk: SdkReplayer;
  const durationS = (LEARN_MIN + FAULT_MIN) * 60;
  const start = Math.floor((Date.now() - durationS * 1000) / 30_000) * 30_000;

  beforeAll(async () => {
    // A fresh Alertmanager: alerts other suites left in it would be re-delivered into this run.
    await sh('bash', [SERVICES, 'down', 'alertmanager']);
    await rm(resolve(process.env.ROOTGRAPH_VAR ?? 'var', 'alertmanager/data'), { recursive: true, force: true });
    await sh('bash', [SERVICES, 'up', 'alertmanager']);
    await standIn.start();
    const config = loadConfig({
      NEO4J_URI,
      REDIS_URL,
      ROOTGRAPH_QUEUE_PREFIX: `e2e${randomUUID().slice(0, 8)}`,
      SLACK_BOT_TOKEN: 'xoxb-e2e',
      SLACK_SIGNING_SECRET: SECRET,
      SLACK_API_URL: standIn.apiUrl,
      ROOTGRAPH_SLACK_PORT: '0',
      ROOTGRAPH_SLACK_CHANNEL: CHANNEL,
      ROOTGRAPH_PORT: String(INGEST_PORT),
      // This run's own uids: earlier runs of the same simulated system (same pods and machines) in the shared Neo4j stay apart.
      ROOTGRAPH_CLUSTER: ns,
      LOG_LEVEL: 'warn',
      ROOTGRAPH_SHUTDOWN_GRACE_MS: '5000',
    });
    runtime = await composeRuntime(config, ROLES, { logger: createLogger('warn'), schedule: false });
    // RCA weights learnt from other suites' feedback live in the shared Neo4j: rank as a fresh install does.
    await runtime.graph.deleteNodes([RCA_MODEL_UID]);
    client = new IngestClient(runtime.addresses.ingest as string);
    sdk = new SdkReplayer(runtime.addresses.ingest as string, ns);
    run = simulate({
      system: 'online-boutique',
      seed: 11,
      start,
      durationS,
      stepS: 30,
      traceRatePerS: 1,
      faults: [{ type: 'cpu-hog', target: 'cartservice', startS: LEARN_MIN * 60, durationS: FAULT_MIN * 60 }],
    });
  });

  afterAll(async () => {
    await sdk?.shutdown();
    await runtime?.close();
    await standIn.stop();
  });

  it('a fault becomes one incident card with the right root cause first, and a ✅ reaction is stored as feedback', async () => {
    // The system as Kubernetes describes it, and an hour of normal telemetry.
    await client.post(`/v1/k8s?source=${ns}.yaml`, kubernetesManifests(inNamespace(run, ns)), 'application/yaml');
    await client.post('/v1/metrics', slicePayloads(run, 0, LEARN_MIN * 60).metrics);
    await sdk.sendTraces(run.traces({ fromS: (LEARN_MIN - 10) * 60, toS: LEARN_MIN * 60 }));
    await sdk.sendLogs(run.logs({ fromS: (LEARN_MIN - 10) * 60, toS: LEARN_MIN * 60 }));
    await runtime.ingest?.ingest.flush();

    // The fault: its telemetry arrives, Prometheus-style alerts go through the real Alertmanager.
    const faultAt = Date.now();
    await client.post('/v1/metrics', slicePayloads(run, LEARN_MIN * 60, durationS).metrics);
    await sdk.sendTraces(run.traces({ fromS: LEARN_MIN * 60, toS: durationS }));
    await sdk.sendLogs(run.logs({ fromS: LEARN_MIN * 60, toS: durationS }));
    // The storm's onset: the fault's alerts that began in its first five minutes and still fire now.
    const onsetUntil = start + (LEARN_MIN + 5) * 60_000;
    const firing = run.alerts
      .filter((a) => a.incident === 0 && a.endsAt === null && a.startsAt <= onsetUntil)
      .map((a) => ({ ...a, labels: { ...a.labels, namespace: ns } }));
    expect(firing.length).toBeGreaterThanOrEqual(3);
    await postToAlertmanager(firing);
    const expected = new Set(firing.map((a) => fingerprint(a.labels)));

    const truth = run.truth.faults[0];
    const right = new Set([truth.service, ...truth.pods]);
    const incident = await waitFor(
      'a diagnosed incident whose card is published',
      async () => {
        const open = await runtime.incidents.listOpen();
        const mine = open.filter((i) => i.entities.some((e) => e.includes(`/${ns}/`)));
        const settled = mine.every(
          (i) => i.card && (i.publishedRevision ?? 0) >= i.revision && (i.diagnosedRevision ?? 0) >= i.revision,
        );
        const grouped = new Set(mine.flatMap((i) => i.alertFingerprints));
        const all = [...expected].every((fp) => grouped.has(fp));
        return settled && all && mine.length > 0
          ? mine.sort((a, b) => b.alertFingerprints.length - a.alertFingerprints.length)[0]
          : undefined;
      },
      90_000,
      async () => ({
        incidents: (await runtime.incidents.list())
          .filter((i) => i.entities.some((e) => e.includes(`/${ns}/`)))
          .map((i) => ({
            n: i.number,
            status: i.status,
            fps: i.alertFingerprints.length,
            rev: i.revision,
            diagnosed: i.diagnosedRevision,
            published: i.publishedRevision,
            card: i.card,
          })),
        expected: [...expected],
        grouped: (await runtime.incidents.list())
          .filter((i) => i.entities.some((e) => e.includes(`/${ns}/`)))
          .flatMap((i) => i.alertFingerprints),
        alertNodes: (await runtime.graph.findNodes({ label: 'Alert' }))
          .filter((n) => JSON.stringify(n.props).includes(ns))
          .map((n) => [n.props.fingerprint, n.props.alertname ?? n.props.name, n.props.status]),
        failedJobs: (await runtime.runner.failed()).map((j) => [j.queue, j.id, j.failedReason]),
        slackCalls: standIn.calls.map((c) => c.method),
      }),
    );
    const faultToCardMs = Date.now() - faultAt;
    console.log(
      `full mode: fault to diagnosed card ${faultToCardMs} ms (telemetry replay + Alertmanager + BullMQ + RCA + Slack)`,
    );

    const cards = standIn
      .of('chat.postMessage')
      .filter((c) => c.body.channel === CHANNEL && c.body.thread_ts === undefined);
    expect(cards).toHaveLength(1);
    expect(incident.card?.channel).toBe(CHANNEL);
    const top = incident.suspects.slice(0, 3).map((x) => `${x.entity} ${x.score}`);
    expect(right.has(shortName(incident.suspects[0].entity)), `top suspects: ${top.join(', ')}`).toBe(true);
    const lastCard = [...standIn.calls]
      .reverse()
      .find(
        (c) =>
          (c.method === 'chat.update' || c.method === 'chat.postMessage') &&
          c.body.channel === CHANNEL &&
          c.body.thread_ts === undefined,
      );
    expect(JSON.stringify(lastCard?.body.blocks)).toContain(shortName(incident.suspects[0].entity));

    // ✅ on the card: feedback on its top candidate, stored in Neo4j through the feedback queue.
    const events = `http://127.0.0.1:${runtime.addresses.slack}/slack/events`;
    const reaction = eventBody({
      type: 'reaction_added',
      user: 'UONCALL',
      reaction: 'white_check_mark',
      item_user: 'UBOT',
      item: { type: 'message', channel: incident.card?.channel, ts: incident.card?.ts },
      event_ts: String(Date.now() / 1000),
    });
    const res = await postSigned(events, reaction, { secret: SECRET, contentType: 'application/json' });
    expect(res.status).toBe(200);
    const feedback = await waitFor(
      'the Feedback node',
      async () => {
        const found = await runtime.graph.findNodes({
          label: 'Feedback',
          where: { incident: incident.number, by: 'UONCALL' },
        });
        return found.length > 0 ? found : undefined;
      },
      30_000,
    );
    expect(feedback[0].props).toMatchObject({
      verdict: 'root-cause',
      entity: incident.suspects[0].entity,
      source: 'reaction',
    });
    const reloaded = (await runtime.incidents.get(incident.number)) as Incident;
    expect(reloaded.number).toBe(incident.number);
  });
});
