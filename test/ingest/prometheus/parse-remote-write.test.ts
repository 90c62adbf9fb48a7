import { compressSync } from 'snappy';
import { describe, expect, it } from 'vitest';
import { InputError } from '../../../src/errors.js';
import { decodeRemoteWrite, parseRemoteWrite } from '../../../src/ingest/prometheus/parse-remote-write.js';
import { uids } from '../../../src/model/uid.js';
import { remoteWriteBody } from '../helpers/remote-write-body.js';

const series = (labels: Record<string, string>, samples: Array<[number, number]>) => ({
  labels: Object.entries(labels).map(([name, value]) => ({ name, value })),
  samples: samples.map(([timestamp, value]) => ({ value, timestamp })),
});
const encode = remoteWriteBody;

describe('Prometheus remote-write', () => {
  it('decodes series onto the entities their labels name; counters are cumulative sums, buckets skipped, nameless series rejected', () => {
    const body = encode([
      series({ __name__: 'container_cpu_usage_seconds_total', namespace: 'shop', pod: 'cart-1', container: 'server' }, [
        [1_700_000_000_000, 12.5],
      ]),
      series({ __name__: 'node_load1', job: 'node', instance: '10.0.0.5:9100', node: 'worker-1' }, [
        [1_700_000_000_000, 0.7],
      ]),
      series({ __name__: 'http_duration_bucket', job: 'api', le: '0.5' }, [[1_700_000_000_000, 3]]),
      series({ __name__: 'orphan' }, [[1_700_000_000_000, 1]]),
      series({ namespace: 'x' }, [[1_700_000_000_000, 1]]),
    ]);
    const parsed = parseRemoteWrite(decodeRemoteWrite(body));
    expect(parsed.skipped).toBe(1);
    expect(parsed.rejected.map((r) => r.where)).toEqual(['timeseries[3] orphan', 'timeseries[4].labels']);
    const [cpu, load] = parsed.accepted;
    expect(cpu).toMatchObject({
      kind: 'sum',
      monotonic: true,
      cumulative: true,
      name: 'container_cpu_usage_seconds_total',
      labels: '{container=server}',
      t: 1_700_000_000,
      value: 12.5,
    });
    expect(cpu.entity.entity.uid).toBe(uids.pod('cart-1', 'shop'));
    expect(load).toMatchObject({ kind: 'gauge', labels: '' });
    // A node label with no pod names the node itself (node_exporter), not the scrape job.
    expect(load.entity.entity.uid).toBe(uids.machine('worker-1'));
  });

  it('answers what is wrong with a body that is not snappy or not a WriteRequest', () => {
    expect(() => decodeRemoteWrite(Buffer.from('plain text'))).toThrow(InputError);
    expect(() => decodeRemoteWrite(compressSync(Buffer.from([0xff, 0xff, 0xff])))).toThrow(/WriteRequest/);
  });
});
