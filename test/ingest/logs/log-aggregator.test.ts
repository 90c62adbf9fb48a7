// LogAggregator: counts per template and window, merged clusters folded into their survivor, and a
// snapshot that continues exactly where the aggregator stopped (property-based).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MemoryGraphStore } from '../../../src/graph/memory/memory-graph-store.js';
import { LogAggregator } from '../../../src/ingest/logs/log-aggregator.js';
import { LogIngestor } from '../../../src/ingest/logs/log-ingestor.js';
import type { LogRecordIn } from '../../../src/ingest/otel/parse-otlp-logs.js';
import { logTemplateUid } from '../../../src/logs/to-graph.js';

const T0 = Date.UTC(2026, 0, 5, 9);

function line(message: string, i: number, over: Partial<LogRecordIn> = {}): LogRecordIn {
  return {
    service: 'auth',
    namespace: 'shop',
    pod: 'auth-1',
    machine: null,
    timeMs: T0 + i * 1000,
    level: 'INFO',
    message,
    ...over,
  };
}

const USERS = ['alice', 'bob', 'carol', 'dave', 'erin', 'frank'];

describe('LogAggregator', () => {
  it('folds templates the miner merges into the survivor: counts moved, the old node marked', async () => {
    // Until five users are seen the user name keeps events apart; the fifth merges them into one.
    const lines = USERS.map((u, i) => line(`session opened for user ${u}`, i));
    const graph = await MemoryGraphStore.open();
    const ingestor = new LogIngestor(graph, { cluster: 'c1' });
    for (const l of lines) await ingestor.ingest([l]);
    const nodes = await graph.findNodes({ label: 'LogTemplate' });
    const live = nodes.filter((n) => n.props.mergedInto === undefined);
    const merged = nodes.filter((n) => n.props.mergedInto !== undefined);
    expect(live).toHaveLength(1);
    expect(live[0].props.count).toBe(USERS.length);
    expect(live[0].props.template).toBe('session opened for user <*>');
    expect(merged.length).toBeGreaterThan(0);
    for (const n of merged) {
      expect(n.props.mergedInto).toBe(live[0].uid);
      expect(n.props.count).toBe(0);
      expect(n.props.counts).toEqual([]);
    }
    const total = nodes.reduce((s, n) => s + (n.props.count as number), 0);
    expect(total).toBe(USERS.length);
    await graph.close();
  });

  it('keeps counting into the survivor after a merge, and a replay changes nothing', () => {
    const agg = new LogAggregator();
    const lines = [...USERS, ...USERS].map((u, i) => line(`session opened for user ${u}`, i));
    expect(agg.add(lines).accepted).toBe(12);
    const batch = agg.drain();
    // A live template's node clears `mergedInto` (null): its text's node may have been retired before.
    const live = batch?.nodes.filter((n) => n.label === 'LogTemplate' && n.props.mergedInto == null);
    expect(live?.map((n) => n.props.count)).toEqual([12]);
    expect(agg.add(lines)).toEqual({ accepted: 0, duplicates: 12, late: 0, acceptedLines: [] });
    expect(agg.drain()).toBeNull();
  });
});

/** Lines of a few events with variables; repeats (replays) and out-of-order times included. */
const lineArb = fc
  .record({
    event: fc.integer({ min: 0, max: 5 }),
    user: fc.constantFrom(...USERS, 'u1', 'svc-7'),
    n: fc.integer({ min: 0, max: 999 }),
    service: fc.constantFrom('auth', 'cart'),
    dt: fc.integer({ min: -5_000, max: 90_000 }),
    level: fc.constantFrom('INFO', 'ERROR', 'WARN'),
  })
  .map((r) => {
    const msg = [
      `session opened for user ${r.user}`,
      `session closed for user ${r.user} after ${r.n} s`,
      `disk ${r.n % 4} failed: input/output error`,
      `request ${r.n} served in ${r.n % 17} ms`,
      `cache ${r.user} ${r.n % 3 ? 'hit' : 'miss'}`,
      `VM ${['Paused', 'Started', 'Resumed', 'Stopped'][r.n % 4]} (Lifecycle Event)`,
    ][r.event];
    return { msg, service: r.service, dt: r.dt, level: r.level };
  });

function toLines(seq: Array<{ msg: string; service: string; dt: number; level: string }>): LogRecordIn[] {
  let t = T0;
  return seq.map((s) => {
    t += s.dt;
    return line(s.msg, 0, { service: s.service, timeMs: t, level: s.level });
  });
}

describe('LogAggregator snapshot and restore', () => {
  it('continues exactly: all lines in one vs. the first k, JSON round trip, then the rest', () => {
    fc.assert(
      fc.property(
        fc.array(lineArb, { minLength: 1, maxLength: 120 }),
        fc.nat(),
        fc.boolean(),
        (seq, kRaw, drainAtK) => {
          const lines = toLines(seq);
          // Replays: a few lines sent twice.
          const all = [...lines, ...lines.slice(0, Math.min(5, lines.length))];
          const k = kRaw % (all.length + 1);
          const opts = { cluster: 'prop', retainWindows: 3 };
          const a = new LogAggregator(opts);
          const b = new LogAggregator(opts);
          const aFirst = a.add(all.slice(0, k));
          const bFirst = b.add(all.slice(0, k));
          expect(bFirst).toEqual(aFirst);
          if (drainAtK) expect(b.drain()).toEqual(a.drain());
          const c = LogAggregator.restore(JSON.parse(JSON.stringify(b.snapshot())), { cluster: 'prop' });
          expect(c.add(all.slice(k))).toEqual(a.add(all.slice(k)));
          expect(c.drain()).toEqual(a.drain());
          expect(c.snapshot()).toEqual(a.snapshot());
        },
      ),
      { numRuns: 150, seed: 1623 },
    );
  });

  it("moves a template of an older version's state (uid by miner id) to its text's uid on its next line", () => {
    const agg = new LogAggregator({ cluster: 'c1' });
    agg.add([line('disk 3 failed: input/output error', 0)]);
    agg.drain();
    const s = agg.snapshot();
    const oldUid = 'LogTemplate:c1/shop/auth/1';
    const { written: _, ...old } = { ...s.templates[0], uid: oldUid };
    const restored = LogAggregator.restore({ ...s, templates: [old] });
    restored.add([line('disk 4 failed: input/output error', 1)]);
    const nodes = restored.drain()?.nodes.filter((n) => n.label === 'LogTemplate') ?? [];
    const text = 'disk <*> failed: input/output error';
    const now = logTemplateUid('auth', text, { namespace: 'shop', cluster: 'c1' });
    expect(nodes.map((n) => [n.uid, n.props.mergedInto, n.props.count])).toEqual([
      [oldUid, now, 0],
      [now, null, 2],
    ]);
  });

  it('refuses malformed state and a different window length, naming the field', () => {
    expect(() => LogAggregator.restore({ version: 1 })).toThrow(/log aggregator state › options/);
    const s = new LogAggregator({ windowMs: 60_000 }).snapshot();
    expect(() => LogAggregator.restore(s, { windowMs: 10_000 })).toThrow(/options\.windowMs/);
    expect(() => LogAggregator.restore({ ...s, dirty: ['nope'] })).toThrow(/dirty\.0/);
  });
});
