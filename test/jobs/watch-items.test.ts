import { describe, expect, it } from 'vitest';
import { AlertFlowState } from '../../src/flow/alert-flow-state.js';
import type { AlertRecord } from '../../src/model/alert-record.js';
import { uids } from '../../src/model/uid.js';
import { NOW, T0, flowGraph, flowProcess } from './flow-fixture.js';

const MIN = 60_000;
const alert = (
  fp: string,
  name: string,
  service: string,
  severity: string,
  startsAt: number,
  endsAt: number | null = null,
): AlertRecord => ({
  fingerprint: fp,
  name,
  status: endsAt === null ? 'firing' : 'resolved',
  labels: { alertname: name, service, severity },
  annotations: {},
  startsAt,
  endsAt,
  generatorURL: null,
  entity: uids.service(service),
});

async function harness() {
  const graph = await flowGraph();
  const clock = { now: NOW };
  const { runner, incidents, state } = flowProcess(graph, new AlertFlowState(), () => clock.now);
  const tick = async (at: number) => {
    clock.now = at;
    await runner.enqueue('compress', { tick: true }, { jobId: `tick-${at}` });
    await runner.drained();
  };
  const send = async (alerts: AlertRecord[], receivedAt: number) => {
    await runner.enqueue('compress', { alerts, receivedAt });
    await runner.drained();
  };
  return { runner, graph, incidents, send, state, tick };
}

describe('watch items and chronic alerts in the incident flow', () => {
  it('a lone warning opens no incident; a second related alert posts one holding both, opened at the first', async () => {
    const { runner, graph, incidents, send } = await harness();
    try {
      await send([alert('fp-cert', 'CertificateExpiringSoon', 'payment', 'warning', T0)], T0);
      expect(await incidents.list()).toEqual([]);
      expect((await graph.findNodes({ label: 'Alert' })).map((n) => n.props.fingerprint)).toContain('fp-cert');

      await send([alert('fp-err', 'HighErrorRate', 'payment', 'warning', T0 + 2 * MIN)], T0 + 2 * MIN);
      const [inc] = await incidents.list();
      expect(inc).toMatchObject({ number: 1, openedAt: T0, status: 'open' });
      expect([...inc.alertFingerprints].sort()).toEqual(['fp-cert', 'fp-err']);
    } finally {
      await runner.close({ timeoutMs: 2_000 });
    }
  });

  it('a lone warning that keeps firing becomes an incident on the minute tick, dated from its start', async () => {
    const { runner, incidents, send, tick } = await harness();
    try {
      await send([alert('fp-slow', 'HighRequestLatency', 'payment', 'warning', T0)], T0);
      await tick(T0 + 19 * MIN);
      expect(await incidents.list()).toEqual([]);
      await tick(T0 + 21 * MIN);
      const [inc] = await incidents.list();
      expect(inc).toMatchObject({
        number: 1,
        openedAt: T0,
        status: 'open',
        alertFingerprints: ['fp-slow'],
        severity: 'warning',
      });
      await tick(T0 + 22 * MIN);
      expect(await incidents.list()).toHaveLength(1);
    } finally {
      await runner.close({ timeoutMs: 2_000 });
    }
  });

  it('a promotion whose post failed is posted when the tick job is retried, once', async () => {
    const { runner, incidents, send, tick } = await harness();
    try {
      await send([alert('fp-slow2', 'HighRequestLatency', 'payment', 'warning', T0)], T0);
      const open = incidents.open.bind(incidents);
      let failures = 1;
      incidents.open = async (init) => {
        if (failures-- > 0) throw new Error('graph unavailable');
        return open(init);
      };
      await tick(T0 + 21 * MIN);
      expect(failures).toBe(-1); // the first attempt failed, the retry went through
      await tick(T0 + 22 * MIN);
      expect((await incidents.list()).map((i) => i.alertFingerprints)).toEqual([['fp-slow2']]);
    } finally {
      await runner.close({ timeoutMs: 2_000 });
    }
  });

  it('a lone critical alert is an incident; when it comes back alone hours later, that incident reopens', async () => {
    const { runner, incidents, send } = await harness();
    try {
      await send([alert('fp-crash', 'KubePodCrashLooping', 'checkout', 'critical', T0)], T0);
      await send([alert('fp-crash', 'KubePodCrashLooping', 'checkout', 'critical', T0, T0 + 5 * MIN)], T0 + 6 * MIN);
      expect(await incidents.get(1)).toMatchObject({ status: 'resolved' });

      const back = T0 + 3 * 60 * MIN;
      await send([alert('fp-crash', 'KubePodCrashLooping', 'checkout', 'critical', back)], back);
      const all = await incidents.list();
      expect(all.map((i) => i.number)).toEqual([1]);
      expect(all[0]).toMatchObject({ status: 'open', reopenedAt: back, alertFingerprints: ['fp-crash'] });
    } finally {
      await runner.close({ timeoutMs: 2_000 });
    }
  });

  it('a day later the compressor has forgotten the quiet group; the alert firing again is a new incident', async () => {
    const { runner, incidents, send, state } = await harness();
    try {
      await send([alert('fp-oom', 'KubePodCrashLooping', 'payment', 'critical', T0)], T0);
      await send([alert('fp-oom', 'KubePodCrashLooping', 'payment', 'critical', T0, T0 + 5 * MIN)], T0 + 6 * MIN);
      const dayLater = T0 + 25 * 60 * MIN;
      await send([alert('fp-other', 'HighErrorRate', 'frontend', 'critical', dayLater)], dayLater);
      await send(
        [alert('fp-other', 'HighErrorRate', 'frontend', 'critical', dayLater, dayLater + 2 * MIN)],
        dayLater + 2 * MIN,
      );
      expect(state.compressor.alert('fp-oom')).toBeUndefined();
      expect([...state.incidentOfGroup.values()]).toEqual([2]);

      await send(
        [alert('fp-oom', 'KubePodCrashLooping', 'payment', 'critical', dayLater + 30 * MIN)],
        dayLater + 30 * MIN,
      );
      expect((await incidents.list()).map((i) => [i.number, i.status, i.alertFingerprints])).toEqual([
        [3, 'open', ['fp-oom']],
        [2, 'resolved', ['fp-other']],
        [1, 'resolved', ['fp-oom']],
      ]);
    } finally {
      await runner.close({ timeoutMs: 2_000 });
    }
  });
});
