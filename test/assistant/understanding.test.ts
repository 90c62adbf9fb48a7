import { describe, expect, it } from 'vitest';
import { ConversationMemory } from '../../src/assistant/conversation.js';
import { formatMetricMove, formatMetricValue, sig } from '../../src/assistant/format.js';
import { editDistance, fuzzyMatches } from '../../src/assistant/fuzzy.js';
import { IT, parseIntent } from '../../src/assistant/intents.js';
import { resolveEntity } from '../../src/assistant/resolve-entity.js';
import { describeWindow, extractTimeWindow } from '../../src/assistant/time-phrases.js';
import { boutiqueGraph, NOW } from './fixture.js';

describe('editDistance (optimal string alignment)', () => {
  const cases: Array<[string, string, number]> = [
    ['', '', 0],
    ['cart', 'cart', 0],
    ['cartsevice', 'cartservice', 1], // a dropped letter
    ['cartsrevice', 'cartservice', 1], // two letters swapped
    ['kitten', 'sitting', 3],
    ['', 'abc', 3],
  ];
  it.each(cases)('%s ~ %s = %i', (a, b, d) => {
    expect(editDistance(a, b)).toBe(d);
    expect(editDistance(b, a)).toBe(d);
  });
});

describe('fuzzyMatches', () => {
  const names = ['cartservice', 'checkoutservice', 'checkoutservice-cgcj4-2vg86', 'redis-cart', 'frontend'];
  it('ranks exact, then prefix, then word, then typo', () => {
    expect(fuzzyMatches('cart', names).map((m) => [m.name, m.kind])).toEqual([
      ['cartservice', 'prefix'],
      ['redis-cart', 'word'],
    ]);
    expect(fuzzyMatches('checkout', names)[0]).toMatchObject({ name: 'checkoutservice', kind: 'prefix' });
    expect(fuzzyMatches('frontnd', names)[0]).toMatchObject({ name: 'frontend', kind: 'typo' });
    expect(fuzzyMatches('FRONTEND', names)[0]).toMatchObject({ name: 'frontend', kind: 'exact' });
  });
  it('suggests nothing for a name far from every known one', () => {
    expect(fuzzyMatches('zzzz', names)).toEqual([]);
  });
});

describe('resolveEntity', () => {
  it('takes the closest name when it is clear, says so, and refuses with suggestions when it is not', async () => {
    const { graph } = await boutiqueGraph();
    expect((await resolveEntity(graph, 'paymentservice')).match).toBe('exact');
    const typo = await resolveEntity(graph, 'paymentservce');
    expect([typo.node.props.name, typo.match]).toEqual(['paymentservice', 'typo']);
    const prefix = await resolveEntity(graph, 'checkout');
    expect([prefix.node.label, prefix.node.props.name]).toEqual(['Service', 'checkoutservice']);
    await expect(resolveEntity(graph, 'paymentservce', { strict: true })).rejects.toThrow(
      /Did you mean `paymentservice`/,
    );
    await expect(resolveEntity(graph, 'nothing-like-it')).rejects.toThrow(/I know no service/);
  });
});

describe('time phrases (chrono-node for dates and times, durations by hand)', () => {
  const at = (h: number, m = 0, day = 6) => Date.UTC(2025, 4, day, h, m);
  const cases: Array<[string, number, number, string]> = [
    ['what changed in the last hour', NOW - 3_600_000, NOW, 'what changed'],
    ['errors in cart logs over the past 30 minutes', NOW - 1_800_000, NOW, 'errors in cart logs'],
    ['what changed since 2h', NOW - 7_200_000, NOW, 'what changed'],
    ['what changed since 10:30', at(10, 30), NOW, 'what changed'],
    ['what fired between 10:00 and 11:00', at(10), at(11), 'what fired'],
    ['what changed yesterday', at(0, 0, 5), at(0), 'what changed'],
    ['what changed since yesterday', at(0, 0, 5), NOW, 'what changed'],
    ['what changed since 2025-05-06T09:15:00Z', at(9, 15), NOW, 'what changed'],
  ];
  it.each(cases)('%s', (text, from, to, rest) => {
    const r = extractTimeWindow(text, NOW);
    expect(r.window).toMatchObject({ from, to });
    expect(r.rest).toBe(rest);
  });
  it('a time later than now today means yesterday; "now" names no window; no phrase, no window', () => {
    expect(extractTimeWindow('since 23:00', NOW).window?.from).toBe(at(23, 0, 5));
    expect(extractTimeWindow('top anomalies now', NOW)).toEqual({ rest: 'top anomalies' });
    expect(extractTimeWindow('incident 12', NOW)).toEqual({ rest: 'incident 12' });
  });
  it('describes windows for people', () => {
    expect(describeWindow({ from: NOW - 3_600_000, to: NOW }, NOW)).toBe('the last 60 min');
    expect(describeWindow({ from: at(10), to: at(11) }, NOW)).toBe('2025-05-06 10:00 UTC – 11:00 UTC');
  });
});

describe('parseIntent: the grammar of on-call questions', () => {
  const cases: Array<[string, Record<string, unknown>]> = [
    ['why', { kind: 'why' }],
    ['why incident 3', { kind: 'why', incident: 3 }],
    ['and its pods?', { kind: 'members' }],
    ['what changed there?', { kind: 'changes', entity: IT }],
    ['what changed', { kind: 'changes' }],
    ['is it down?', { kind: 'health', entity: IT }],
    ['is the checkout flow healthy?', { kind: 'health', entity: 'checkout' }],
    ['show errors in cartservice logs', { kind: 'logs', entity: 'cartservice', errorsOnly: true }],
    ['show me logs for cartservice', { kind: 'logs', entity: 'cartservice', errorsOnly: false }],
    ['what is firing', { kind: 'firing' }],
    ['memory of currencyservice', { kind: 'metric', metric: 'memory_usage', entity: 'currencyservice' }],
    ['frontend p90 latency', { kind: 'metric', metric: 'latency_p90', entity: 'frontend' }],
    ['who owns checkout', { kind: 'owner', entity: 'checkout' }],
    ['ack', { kind: 'lifecycle', action: 'acknowledge' }],
    ["i'm on it", { kind: 'lifecycle', action: 'acknowledge' }],
    [
      'assign incident 2 to <@U0ABCDEF1>',
      { kind: 'lifecycle', action: 'assign', incident: 2, assignee: '<@U0ABCDEF1>' },
    ],
    [
      'resolve incident 2: rolled back v1.2',
      { kind: 'lifecycle', action: 'resolve', incident: 2, note: 'rolled back v1.2' },
    ],
    ['reopen 2', { kind: 'lifecycle', action: 'reopen', incident: 2 }],
    ['paymentservice is the root cause', { kind: 'feedback', verdict: 'root-cause', entity: 'paymentservice' }],
  ];
  it.each(cases)('%s', (text, want) => expect(parseIntent(text, NOW)).toEqual(want));
});

describe('numbers for people', () => {
  it('formats values with their units', () => {
    expect(formatMetricValue('error_rate', 0.6987)).toBe('69.9 %');
    expect(formatMetricValue('latency_p99', 0.771)).toBe('0.771 ms');
    expect(formatMetricValue('latency_p99', 2300)).toBe('2.3 s');
    expect(formatMetricValue('memory_usage', 65.7576)).toBe('65.8 MiB');
    expect(formatMetricValue('network_receive', 100_000)).toBe('97.7 KiB/s');
    expect(formatMetricValue('http_request_duration_seconds', 0.25)).toBe('250 ms');
    expect(sig(1316.4)).toBe('1,316');
    // Units exports write in brackets (Nezha), and a replica's column, read as people would say them.
    expect(formatMetricMove({ metric: 'PodServerLatencyP90(s)', z: 21.7, normal: 0.0252, peak: 0.0556 })).toBe(
      'pod server latency p90 25.2 ms → 55.6 ms (21.7σ above normal)',
    );
    expect(formatMetricValue('CpuUsageRate(%)', 5.12)).toBe('5.12 %');
    expect(formatMetricValue('MemoryUsage(Mi)', 2048)).toBe('2 GiB');
    expect(formatMetricMove({ metric: 'fs_usage_bytes@gtx8c', z: -48.9, normal: 10_033_200, peak: 5_107_710 })).toBe(
      'fs usage bytes (replica gtx8c) 9.57 MiB → 4.87 MiB (48.9σ below normal)',
    );
    expect(formatMetricValue('PodWorkload(Ops)', 12.5)).toBe('12.5');
    expect(formatMetricMove({ metric: 'cpu_usage', z: -7.77, normal: 0.0585, peak: 0.0219 })).toBe(
      'CPU 0.0585 cores → 0.0219 cores (7.77σ below normal)',
    );
    // A fall in load its caller's fewer calls explain says so (call-volume.ts).
    expect(formatMetricMove({ metric: 'request_rate', z: -9, normal: 4, peak: 2, lessCalledBy: 'checkout' })).toMatch(
      /\(9σ below normal; checkout calls it less\)$/,
    );
    expect(formatMetricMove({ metric: 'request_rate', z: Number.NaN, lessCalledBy: 'checkout' })).toMatch(
      /\(checkout calls it less\)$/,
    );
  });

  it('gives an offline case’s metric a unit only where its name says it (its latency may be in seconds)', () => {
    const o = { namedUnitsOnly: true };
    expect(formatMetricMove({ metric: 'latency_p50', z: 11.5, normal: 0.191, peak: 0.436 }, o)).toBe(
      'p50 latency 0.191 → 0.436 (11.5σ above normal)',
    );
    expect(formatMetricMove({ metric: 'http_request_duration_seconds', z: 4, normal: 0.2, peak: 1.5 }, o)).toBe(
      'http request duration seconds 200 ms → 1.5 s (4σ above normal)',
    );
  });
});

describe('ConversationMemory', () => {
  it('remembers per conversation, merges updates, forgets after the TTL and beyond its size', () => {
    let now = 0;
    const m = new ConversationMemory(() => now, { ttlMs: 1_000, maxConversations: 2 });
    m.remember('a', { incident: 1 });
    m.remember('a', { entity: 'Service:x' });
    expect(m.get('a')).toMatchObject({ incident: 1, entity: 'Service:x' });
    m.remember('b', { incident: 2 });
    m.remember('c', { incident: 3 });
    expect(m.get('a').incident).toBeUndefined(); // the oldest conversation was dropped
    now = 5_000;
    expect(m.get('c').incident).toBeUndefined(); // expired
  });
});
