import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DemoNotifier } from '../../../app/demo/demo-notifier.js';
import { IngestClient } from '../../../app/demo/ingest-client.js';
import { alertDeliveries, slicePayloads } from '../../../app/demo/sim-payloads.js';
import { DEMO, feed, simulateDemo } from '../../../app/demo/run-demo.js';
import { composeRuntime, ROLES, type Runtime } from '../../../app/compose.js';
import { loadConfig } from '../../../src/config.js';
import type { Incident } from '../../../src/incidents/incident.js';
import { createLogger } from '../../../src/logger.js';
import { kubernetesManifests, type FaultType } from '../../../src/sim/index.js';

/**
 * The demo's loop (app/demo/run-demo.ts) on the embedded default with the runtime left running, so a
 * browser can open the incident page it serves: Online Boutique through the real ingest endpoints,
 * in-process jobs, one injected fault, the incident with the most alerts. The caller closes the runtime.
 */
export async function demoIncident(opts: {
  seed: number;
  fault: FaultType;
  target: string;
  token: string;
}): Promise<{ runtime: Runtime; incident: Incident }> {
  const { run, start, faultAtS } = simulateDemo(opts);
  const config = loadConfig({
    ROOTGRAPH_DATA_DIR: await mkdtemp(join(tmpdir(), 'rg-web-')),
    ROOTGRAPH_PORT: '0',
    ROOTGRAPH_INGEST_TOKEN: opts.token,
    LOG_LEVEL: 'warn',
  });
  const notifier = new DemoNotifier(() => {});
  const runtime = await composeRuntime(config, ROLES, { logger: createLogger('silent'), notifier, schedule: false });
  try {
    const client = new IngestClient(runtime.addresses.ingest as string, opts.token);
    await client.post('/v1/k8s?source=online-boutique.yaml', kubernetesManifests(run.topology), 'application/yaml');
    const deliveries = alertDeliveries(run);
    let next = 0;
    for (let m = 0; m < DEMO.learnMinutes + DEMO.faultMinutes; m++) {
      await feed(client, slicePayloads(run, m * 60, (m + 1) * 60));
      for (; next < deliveries.length && deliveries[next].at < start + (m + 1) * 60_000; next++)
        await client.post('/v1/alerts/alertmanager', deliveries[next].payload);
      if (m >= DEMO.learnMinutes) await runtime.runner.drained();
    }
    await runtime.ingest?.ingest.flush();
    await runtime.runner.drained();
    const faultStartMs = start + faultAtS * 1000;
    const incident = [...notifier.latest.values()]
      .filter((i) => i.updatedAt >= faultStartMs)
      .sort((a, b) => b.alertFingerprints.length - a.alertFingerprints.length)[0];
    if (!incident) throw new Error('the demo loop opened no incident');
    return { runtime, incident: (await runtime.incidents.get(incident.number)) ?? incident };
  } catch (err) {
    await runtime.close();
    throw err;
  }
}
