import { describe, expect, it } from 'vitest';
import { MemoryGraphStore } from '../../src/graph/memory/memory-graph-store.js';
import { runCompressJob } from '../../src/flow/compress-job.js';
import { AlertFlowState } from '../../src/flow/alert-flow-state.js';
import { IncidentStore } from '../../src/incidents/incident-store.js';
import type { AlertRecord } from '../../src/model/alert-record.js';
import { uids } from '../../src/model/uid.js';

const MIN = 60_000;
const T0 = 1_700_000_000_000;
const crash = (fp: string, service: string, startsAt: number, endsAt: number | null = null): AlertRecord => ({
  fingerprint: fp,
  name: 'KubePodCrashLooping',
  status: endsAt === null ? 'firing' : 'resolved',
  labels: { alertname: 'KubePodCrashLooping', service, severity: 'critical' },
  annotations: {},
  startsAt,
  endsAt,
  generatorURL: null,
  entity: uids.service(service),
});

describe('corrections when the compressor group and the stored incident differ', () => {
  it('splitting off every alert of the live group moves the group, and later alerts follow it', async () => {
    const clock = { now: T0 };
    const graph = await MemoryGraphStore.open({ now: () => clock.now });
    const incidents = new IncidentStore(graph, () => clock.now);
    const ports = { graph, incidents, state: new AlertFlowState(), now: () => clock.now };
    // Yesterday: #1, resolved; its compressor group is forgotten a day later.
    await runCompressJob({ alerts: [crash('y1', 'payment', T0)], receivedAt: T0 }, ports);
    await runCompressJob({ alerts: [crash('y1', 'payment', T0, T0 + 5 * MIN)], receivedAt: T0 + 6 * MIN }, ports);
    const day = T0 + 26 * 60 * MIN;
    clock.now = day;
    await runCompressJob(
      { alerts: [crash('t1', 'checkout', day), crash('t2', 'checkout', day)], receivedAt: day },
      ports,
    );
    // Someone merges today's #2 into #1, then undoes it by splitting today's alerts off #1.
    await runCompressJob({ correction: { kind: 'merge', into: 1, from: 2, by: 'u', at: day + MIN } }, ports);
    await runCompressJob(
      { correction: { kind: 'split', incident: 1, fingerprints: ['t1', 't2'], by: 'u', at: day + 2 * MIN } },
      ports,
    );
    expect((await incidents.get(1))?.alertFingerprints).toEqual(['y1']);
    expect((await incidents.get(3))?.alertFingerprints).toEqual(['t1', 't2']);
    // A third alert of today's group lands on the split-off incident.
    await runCompressJob({ alerts: [crash('t3', 'checkout', day + 3 * MIN)], receivedAt: day + 3 * MIN }, ports);
    expect((await incidents.get(3))?.alertFingerprints).toEqual(['t1', 't2', 't3']);
    expect((await incidents.get(1))?.alertFingerprints).toEqual(['y1']);
  });
});
