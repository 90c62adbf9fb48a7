import { describe, expect, it } from 'vitest';
import { describeTraceShift } from '../../src/model/trace-shift-words.js';
import { callPatternShift } from '../../src/rca/call-pattern.js';
import type { SpanIn } from '../../src/rca/microrank.js';
import { childLists } from '../../src/rca/reply-gaps.js';
import { seededRng } from '../../src/rca/rng.js';
import { indexSpans } from '../../src/rca/span-index.js';
import { clientSpanFlags, DEFAULTS, scoreTraceShift } from '../../src/rca/trace-shift.js';

const START = 200e9;

/** What one request does: the calls its root (fe/home) makes, in order, and which of them fail. */
interface Request {
  calls: Array<{ entity: string; operation: string; fails?: boolean; status?: string; failsBelow?: boolean }>;
  rootFails?: boolean;
  /** Wrap each call in a client span of fe's (OTel style). */
  clientSpans?: boolean;
}

/** One trace a second for 400 s (the incident starts at 200 s); `request(i)` says what trace i does. */
function traces(request: (i: number) => Request): SpanIn[] {
  const out: SpanIn[] = [];
  for (let i = 0; i < 400; i++) {
    const r = request(i);
    const at = i * 1e9;
    const span = (id: string, parent: string | null, entity: string, operation: string, status: string) =>
      out.push({
        traceId: `t${i}`,
        spanId: id,
        parentSpanId: parent,
        entity,
        operation,
        startNs: at,
        durationNs: 5e6,
        status,
      });
    span('root', null, 'fe', 'home', r.rootFails ? '500' : 'ok');
    r.calls.forEach((c, k) => {
      const status = c.status ?? (c.fails ? 'error' : 'ok');
      // A callee that swallowed its own callee's failure: it answers ok, the span below it failed.
      if (c.failsBelow) span(`g${k}`, `c${k}`, 'db', 'query', 'error');
      if (!r.clientSpans) return span(`c${k}`, 'root', c.entity, c.operation, status);
      span(`client${k}`, 'root', 'fe', `call ${c.entity}`, status);
      span(`c${k}`, `client${k}`, c.entity, c.operation, status);
    });
  }
  return out;
}

const after = (i: number) => i >= 200;
const cart = { entity: 'cart', operation: 'get' };
const pay = { entity: 'pay', operation: 'charge' };
const reco = { entity: 'reco', operation: 'list' };

function shiftOf(spans: SpanIn[]) {
  const ix = indexSpans(spans);
  const r = callPatternShift(ix, childLists(ix), clientSpanFlags(ix), START, DEFAULTS);
  const byName = (op: number) => `${ix.entityNames[ix.operationEntity[op]]}/${ix.operationNames[op]}`;
  return new Map(r.pairs.map((p) => [`${byName(p.operation)} → ${byName(p.child)}`, p]));
}

describe('call pattern shift (share of an operation’s spans calling each child operation)', () => {
  it('an operation that stops making a call in a share of its spans is the one that changed', () => {
    // An early return: from the start, every third request skips pay.
    const pairs = shiftOf(traces((i) => ({ calls: after(i) && i % 3 === 0 ? [cart] : [cart, pay] })));
    const p = pairs.get('fe/home → pay/charge')!;
    expect(p.normal).toBe(1);
    expect(p.window).toBeCloseTo(2 / 3, 2);
    expect(p.z).toBeGreaterThan(5);
    expect(pairs.get('fe/home → cart/get')!.z).toBeLessThan(1);
  });

  it('a call made in a steady share of spans does not move (binomial noise stays below the margin)', () => {
    for (const seed of [1, 2, 3, 4, 5]) {
      const rng = seededRng(seed);
      const pairs = shiftOf(traces(() => ({ calls: rng() < 0.5 ? [cart, pay] : [cart] })));
      expect(pairs.get('fe/home → pay/charge')!.z).toBeLessThan(3);
    }
  });

  it('a new call is a change too', () => {
    const pairs = shiftOf(traces((i) => ({ calls: after(i) && i % 2 === 0 ? [cart, reco] : [cart] })));
    expect(pairs.get('fe/home → reco/list')!.z).toBeGreaterThan(5);
  });

  it('a caller that stops after a failed call is not blamed for the calls it then skips', () => {
    // From the start cart fails every other request, and fe gives up before calling pay.
    const pairs = shiftOf(
      traces((i) => {
        const cartFails = after(i) && i % 2 === 0;
        return { calls: cartFails ? [{ ...cart, fails: true }] : [cart, pay], rootFails: cartFails };
      }),
    );
    expect(pairs.get('fe/home → pay/charge')!.z).toBeLessThan(1);
    expect(pairs.get('fe/home → cart/get')!.z).toBeLessThan(1);
  });

  it('a callee called in some spans that starts failing does not bias its own pair (its failed calls still count)', () => {
    const pairs = shiftOf(
      traces((i) => ({ calls: i % 2 === 0 ? [cart, { ...pay, fails: after(i) && i % 4 === 0 }] : [cart] })),
    );
    expect(pairs.get('fe/home → pay/charge')!.z).toBeLessThan(1);
  });

  it('a callee that stopped recording spans (down) is not read as its caller no longer calling it', () => {
    const pairs = shiftOf(traces((i) => ({ calls: after(i) ? [cart] : [cart, reco] })));
    expect(pairs.get('fe/home → reco/list')!.z).toBe(0);
  });

  it('with client spans, the skipped call is the caller’s own client span, and still its change', () => {
    const pairs = shiftOf(
      traces((i) => ({ calls: after(i) && i % 3 === 0 ? [cart] : [cart, pay], clientSpans: true })),
    );
    expect(pairs.get('fe/home → fe/call pay')!.z).toBeGreaterThan(5);
    // A client span's child is the callee's span: never judged as a pattern of the client span.
    expect([...pairs.keys()].some((k) => k.startsWith('fe/call'))).toBe(false);
  });

  it('a live read whose newest callee spans have not arrived yet does not read as a change', () => {
    // The last 25 s hold fe's spans without pay's: its exporter has not sent them yet.
    const spans = traces(() => ({ calls: [cart, pay] })).filter((s) => !(s.entity === 'pay' && s.startNs >= 375e9));
    expect(shiftOf(spans).get('fe/home → pay/charge')!.z).toBeLessThan(1);
  });

  it('a callee answering 429 (failed as its caller sees it) is a failed call, and so is a failure below it', () => {
    for (const gone of [{ status: '429' }, { failsBelow: true }]) {
      const pairs = shiftOf(traces((i) => ({ calls: after(i) && i % 3 === 0 ? [{ ...cart, ...gone }] : [cart, pay] })));
      expect(pairs.get('fe/home → pay/charge')!.z).toBeLessThan(1);
    }
  });

  it('a span with two failed calls is left out of every pair', () => {
    const pairs = shiftOf(
      traces((i) => ({
        calls:
          after(i) && i % 3 === 0
            ? [
                { ...cart, fails: true },
                { ...pay, fails: true },
              ]
            : [cart, pay, reco],
      })),
    );
    expect(pairs.get('fe/home → reco/list')!.z).toBeLessThan(1);
  });

  it('a caller that gave up on a call still running is not blamed for the calls it then skips', () => {
    const spans = traces((i) => ({ calls: after(i) && i % 3 === 0 ? [cart] : [cart, pay] }));
    for (const s of spans)
      if (s.entity === 'cart' && s.startNs >= START && (s.startNs / 1e9) % 3 === 0) s.durationNs = 9e6;
    expect(shiftOf(spans).get('fe/home → pay/charge')!.z).toBeLessThan(1);
  });

  it('a message consumed after the request ended is not a call gone wrong: the request’s other calls are still judged', () => {
    // Every request publishes to mail, whose consumer starts after fe/home ended and runs on for 50 ms;
    // from the start fe/home skips pay on every other request.
    const mail = { entity: 'mail', operation: 'consume' };
    const spans = traces((i) => ({ calls: after(i) && i % 2 === 0 ? [cart, mail] : [cart, pay, mail] }));
    for (const s of spans) if (s.entity === 'mail') Object.assign(s, { startNs: s.startNs + 10e6, durationNs: 50e6 });
    expect(shiftOf(spans).get('fe/home → pay/charge')!.z).toBeGreaterThan(5);
  });

  it('a few percent of a callee’s spans lost on the way is not a change', () => {
    // Its exporter drops one span in twelve from the start.
    const spans = traces(() => ({ calls: [cart, pay] })).filter(
      (s) => !(s.entity === 'pay' && s.startNs >= START && (s.startNs / 1e9) % 12 === 0),
    );
    expect(shiftOf(spans).get('fe/home → pay/charge')!.z).toBe(0);
  });

  it('a callee that stopped passing the trace context on (its spans became roots) is still called', () => {
    const spans = traces(() => ({ calls: [cart, pay] }));
    for (const s of spans)
      if (s.entity === 'pay' && s.startNs >= START && (s.startNs / 1e9) % 2 === 0) s.parentSpanId = null;
    expect(shiftOf(spans).get('fe/home → pay/charge')!.z).toBe(0);
  });

  it('a step of its own service that disappears entirely is the operation’s change', () => {
    const own = { entity: 'fe', operation: 'validate' };
    const pairs = shiftOf(traces((i) => ({ calls: after(i) ? [cart] : [own, cart] })));
    expect(pairs.get('fe/home → fe/validate')!.z).toBeGreaterThan(5);
  });

  it('the settle margin is read from the 99th percentile of span ends, not one span with a skewed clock', () => {
    const spans = traces(() => ({ calls: [cart, pay] })).filter((s) => !(s.entity === 'pay' && s.startNs >= 375e9));
    spans.push({ ...spans[0], traceId: 'skewed', startNs: 9_000e9 });
    expect(shiftOf(spans).get('fe/home → pay/charge')!.z).toBeLessThan(1);
  });

  it('a span repeated in the export counts once', () => {
    const spans = traces((i) => ({ calls: after(i) && i % 3 === 0 ? [cart] : [cart, pay] }));
    const repeated = shiftOf([...spans, ...spans.filter((s) => s.parentSpanId === null)]);
    expect(repeated.get('fe/home → pay/charge')).toEqual(shiftOf(spans).get('fe/home → pay/charge'));
  });

  it('a call made twice in a span is one call', () => {
    const once = shiftOf(traces((i) => ({ calls: after(i) && i % 3 === 0 ? [cart] : [cart, pay] })));
    const twice = shiftOf(traces((i) => ({ calls: after(i) && i % 3 === 0 ? [cart] : [cart, pay, pay] })));
    expect(twice.get('fe/home → pay/charge')).toEqual(once.get('fe/home → pay/charge'));
  });

  it('trace shift blames the changed operation and says what changed', () => {
    const r = scoreTraceShift(
      traces((i) => ({ calls: after(i) && i % 3 === 0 ? [cart] : [cart, pay] })),
      START,
    );
    const fe = r.entities.get('fe')!;
    expect(fe.score).toBeGreaterThan(5);
    expect(fe.op.calls).toEqual({ child: 'pay/charge', normal: 1, window: expect.closeTo(2 / 3, 2) });
    expect(r.entities.get('pay')?.score ?? 0).toBeLessThan(1);
    expect(describeTraceShift(fe.op)).toMatch(/^home calls pay\/charge in 6\d% of its spans \(was 100%\) \(z \d/);
    const off = scoreTraceShift(
      traces((i) => ({ calls: after(i) && i % 3 === 0 ? [cart] : [cart, pay] })),
      START,
      {
        callPatterns: false,
      },
    );
    expect(off.entities.get('fe')!.score).toBeLessThan(1);
  });
});

describe('callees the traces call less (call-drops.ts)', () => {
  const skipsPay = (clientSpans: boolean) => (i: number) => ({
    calls: after(i) && i % 3 === 0 ? [cart] : [cart, pay],
    clientSpans,
  });

  it('names the caller and the callee it calls less, with or without client spans', () => {
    for (const clientSpans of [false, true]) {
      const drops = scoreTraceShift(traces(skipsPay(clientSpans)), START).callDrops;
      expect(drops).toEqual([
        {
          caller: 'fe',
          callee: 'pay',
          operation: 'home',
          z: expect.any(Number),
          normal: 1,
          window: expect.closeTo(2 / 3, 2),
        },
      ]);
      expect(drops[0].z).toBeGreaterThan(5);
    }
  });

  it('lists nothing when the calls held, or when a callee was called more', () => {
    expect(
      scoreTraceShift(
        traces(() => ({ calls: [cart, pay] })),
        START,
      ).callDrops,
    ).toEqual([]);
    const more = traces((i) => ({ calls: after(i) || i % 3 !== 0 ? [cart, pay] : [cart] }));
    expect(scoreTraceShift(more, START).callDrops).toEqual([]);
  });

  it('does not count calls that failed: a caller stopping after a failure is the failure’s', () => {
    const failing = traces((i) => ({ calls: after(i) && i % 3 === 0 ? [{ ...cart, fails: true }] : [cart, pay] }));
    expect(scoreTraceShift(failing, START).callDrops).toEqual([]);
  });
});
