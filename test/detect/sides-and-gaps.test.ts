import { describe, expect, it } from 'vitest';
import { createEwma } from '../../src/detect/ewma.js';
import { createRobustZ } from '../../src/detect/robust-z.js';
import { isSliMetric } from '../../src/model/metric-semantics.js';
import { sideOf } from '../../src/detect/sli.js';
import { createSpot } from '../../src/detect/spot.js';
import { runStreaming, sidedScore, type StreamingDetector } from '../../src/detect/streaming.js';

/** Feeds `xs`, calling gap() before index `gapAt`; returns the alarms. */
function feed(d: StreamingDetector, xs: number[], gapAt = -1): number[] {
  return xs.map((x, i) => {
    if (i === gapAt) d.gap();
    return d.step(x).alarm ? 1 : 0;
  });
}

const wiggle = (n: number, level: number, amp = 0.1) =>
  Array.from({ length: n }, (_, i) => level + amp * Math.sin(i * 1.3) + amp * 0.5 * Math.cos(i * 0.7));

describe('SLI direction', () => {
  it('knows which way an SLI goes bad', () => {
    expect(sideOf('latency_p99')).toBe('upper');
    expect(sideOf('error_rate')).toBe('upper');
    expect(sideOf('availability_Average')).toBe('lower');
    expect(sideOf('requests_Sum')).toBe('both');
    expect(isSliMetric('cpu_usage')).toBe(false);
    // The same reading of names as root-cause analysis: a disk's latency and memory failures are state.
    expect(sideOf('ResponseTime')).toBe('upper');
    expect(sideOf('PodSuccessRate(%)')).toBe('lower');
    expect(isSliMetric('disk_read_latency')).toBe(false);
    expect(isSliMetric('memory_failures_total')).toBe(false);
    // Free memory is no availability; unhealthy hosts and failing health checks go bad upwards; uptime is no SLI.
    expect(isSliMetric('node_memory_MemAvailable_bytes')).toBe(false);
    expect(sideOf('envoy_cluster_health_check_failure')).toBe('upper');
    expect(sideOf('UnHealthyHostCount')).toBe('upper');
    expect(sideOf('unhealthy_targets')).toBe('upper');
    expect(sideOf('HealthyHostCount')).toBe('lower');
    expect(isSliMetric('process_uptime_seconds')).toBe(false);
    expect(sideOf('HTTPCode_Target_5XX_Count')).toBe('upper');
    expect(sideOf('SuccessfulRequestLatency')).toBe('upper');
    expect(isSliMetric('AvailableMemory')).toBe(false);
    expect(isSliMetric('go_gc_duration_seconds')).toBe(false);
    expect([sidedScore(-3, 'upper'), sidedScore(-3, 'lower'), sidedScore(-3, 'both')]).toEqual([-3, 3, 3]);
  });

  it('one-sided detectors ignore the harmless direction', () => {
    const xs = [...wiggle(80, 10), 5, 5, 5];
    for (const make of [
      (side: 'upper' | 'lower') => createRobustZ({ side }),
      (side: 'upper' | 'lower') => createEwma({ side }),
      (side: 'upper' | 'lower') => createSpot({ side, nInit: 40, q: 1e-3 }),
    ]) {
      expect(runStreaming(make('upper'), xs).alarms.slice(80)).toEqual(Uint8Array.from([0, 0, 0]));
      expect(runStreaming(make('lower'), xs).alarms[80]).toBe(1);
    }
  });
});

describe('a gap in the stream re-anchors the level and keeps the noise scale', () => {
  // A normal day at level 10, then a segment from another day at level 7 that rises by 1 after two points.
  const day = wiggle(200, 10);
  const segment = [7, 7.02, 8, 8.05, 8.02];

  it('DSPOT judges the new segment against its own first point', () => {
    const withGap = feed(createSpot({ side: 'upper', nInit: 100, q: 1e-3, depth: 10 }), [...day, ...segment], 200);
    expect(withGap.slice(200)).toEqual([0, 0, 1, 1, 1]);
    // Without the gap the drop to 7 hides the rise (the drift window still holds the old level).
    const without = feed(createSpot({ side: 'upper', nInit: 100, q: 1e-3, depth: 10 }), [...day, ...segment]);
    expect(without.slice(200)).toEqual([0, 0, 0, 0, 0]);
  });

  it('robust z uses the points since the gap as the level and the old scale', () => {
    const r = feed(createRobustZ({ side: 'upper' }), [...day, ...segment], 200);
    expect(r.slice(200)).toEqual([0, 0, 1, 1, 1]);
  });

  it('EWMA re-anchors its mean on the first point after the gap', () => {
    const d = createEwma({ side: 'upper' });
    for (const x of day) d.step(x);
    d.gap();
    expect(d.step(7).score).toBe(0);
    expect(d.step(7.02).alarm).toBe(false);
    expect(d.step(8).alarm).toBe(true);
  });

  it('SPOT keeps absolute thresholds across a gap', () => {
    const s = feed(createSpot({ side: 'upper', nInit: 100, q: 1e-3 }), [...day, 12, 12], 200);
    expect(s.slice(200)).toEqual([1, 1]);
  });
});
