import { describe, expect, it } from 'vitest';
import type { AlertRecord } from '../../../src/model/alert-record.js';
import { alertUid, toAlertGraphBatch } from '../../../src/ingest/alertmanager/to-alert-graph-batch.js';
import { uids } from '../../../src/model/uid.js';

const rec = (over: Partial<AlertRecord>): AlertRecord => ({
  fingerprint: 'aa',
  name: 'HighLatency',
  status: 'firing',
  labels: { alertname: 'HighLatency', pod: 'p/1', namespace: 'shop' },
  annotations: {},
  startsAt: 1_000,
  endsAt: null,
  generatorURL: null,
  entity: uids.pod('p/1', 'shop'),
  ...over,
});

describe('toAlertGraphBatch', () => {
  it('folds fired, resolved and re-fired notifications of one fingerprint into one node', () => {
    const batch = toAlertGraphBatch([
      rec({}),
      rec({}),
      rec({ status: 'resolved', endsAt: 2_000 }),
      rec({ startsAt: 5_000 }),
    ]);
    const alerts = batch.nodes.filter((n) => n.label === 'Alert');
    expect(alerts).toHaveLength(1);
    expect(alerts[0].uid).toBe(alertUid('aa'));
    expect(alerts[0].props).toMatchObject({
      status: 'firing',
      occurrences: 2,
      occurrenceStarts: [1_000, 5_000],
      notifications: 4,
      firstStartsAt: 1_000,
      startsAt: 5_000,
    });
    expect(batch.edges).toEqual([{ type: 'FIRED_ON', from: alertUid('aa'), to: uids.pod('p/1', 'shop'), props: {} }]);
    const pod = batch.nodes.find((n) => n.label === 'Pod');
    expect(pod?.props.name).toBe('p/1');
  });

  it('a resolved notification for the same start wins over the firing one', () => {
    const batch = toAlertGraphBatch([rec({ status: 'resolved', endsAt: 2_000 }), rec({})]);
    expect(batch.nodes[0].props.status).toBe('resolved');
  });

  it('is deterministic: the same records give the same batch, and entity-less alerts get no edge', () => {
    const rs = [rec({}), rec({ fingerprint: 'bb', entity: null })];
    expect(toAlertGraphBatch(rs, 7)).toEqual(toAlertGraphBatch(rs, 7));
    expect(toAlertGraphBatch(rs).edges).toHaveLength(1);
    expect(toAlertGraphBatch(rs).nodes.filter((n) => n.label === 'Alert')).toHaveLength(2);
  });
});
