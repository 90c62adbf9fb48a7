import { describe, expect, it } from 'vitest';
import { simulate, type SimOptions, type Span } from '../../src/sim/index.js';

const START = Date.UTC(2024, 2, 5, 8);
const base: SimOptions = {
  system: 'online-boutique',
  seed: 5,
  start: START,
  durationS: 2 * 3_600,
  stepS: 30,
  faults: [{ type: 'network-delay', target: 'productcatalogservice', startS: 3_600, durationS: 3_600 }],
  traceRatePerS: 0.5,
  clientSpans: true,
};

function spansOf(opts: SimOptions, fromS: number, toS: number): Span[] {
  return [...simulate(opts).traces({ fromS, toS })].flatMap((t) => t.spans);
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1];

// A caller's wait after a call: from the callee span's end to the caller's next span start, or its end.
function waitAfter(spans: Span[], callee: string): number[] {
  const byId = new Map(spans.map((s) => [s.spanId, s]));
  const kids = new Map<string, Span[]>();
  for (const s of spans) if (s.parentSpanId) kids.set(s.parentSpanId, [...(kids.get(s.parentSpanId) ?? []), s]);
  return spans
    .filter((s) => s.service === callee && byId.has(s.parentSpanId))
    .map((s) => {
      const p = byId.get(s.parentSpanId)!;
      const end = s.startNs + s.durationNs;
      const next = (kids.get(p.spanId) ?? []).filter((k) => k.startNs >= end).map((k) => k.startNs);
      return Math.min(p.startNs + p.durationNs, ...next) - end;
    });
}

describe('simulated traces with client spans (OTel style)', () => {
  const before = spansOf(base, 0, 3_600);
  const during = spansOf(base, 3_600, 7_200);

  it("every call is a client span of the caller's service around exactly one server span of the callee", () => {
    const byId = new Map(before.map((s) => [s.spanId, s]));
    const children = new Map<string, Span[]>();
    for (const s of before)
      if (s.parentSpanId) children.set(s.parentSpanId, [...(children.get(s.parentSpanId) ?? []), s]);
    const clients = before.filter((s) => s.kind === 'client');
    expect(clients.length).toBeGreaterThan(100);
    for (const c of clients) {
      expect(byId.get(c.parentSpanId)?.service).toBe(c.service);
      const kids = children.get(c.spanId) ?? [];
      expect(kids).toHaveLength(1);
      expect(kids[0].service).not.toBe(c.service);
      expect(c.durationNs).toBeGreaterThanOrEqual(kids[0].durationNs);
    }
    // No server span is a direct child of another service's server span any more.
    for (const s of before)
      if (s.kind !== 'client' && s.parentSpanId) expect(byId.get(s.parentSpanId)?.kind).toBe('client');
  });

  it("a pod's network delay lies on the wire of its calls, not in its own span", () => {
    const wire = (spans: Span[], callee: string) => {
      const byParent = new Map(spans.filter((s) => s.parentSpanId).map((s) => [s.parentSpanId, s]));
      return spans
        .filter((s) => s.kind === 'client' && byParent.get(s.spanId)?.service === callee)
        .map((s) => s.durationNs - (byParent.get(s.spanId)?.durationNs ?? 0));
    };
    const own = (spans: Span[], svc: string) =>
      spans.filter((s) => s.service === svc && s.kind !== 'client').map((s) => s.durationNs);
    expect(median(wire(during, 'productcatalogservice'))).toBeGreaterThan(
      median(wire(before, 'productcatalogservice')) + 10e6,
    );
    expect(median(wire(during, 'cartservice'))).toBeLessThan(median(wire(before, 'cartservice')) + 2e6);
    expect(median(own(during, 'productcatalogservice'))).toBeLessThan(
      1.5 * median(own(before, 'productcatalogservice')),
    );
  });

  it('without the option, traces are as before: no client spans', () => {
    expect(spansOf({ ...base, clientSpans: false }, 0, 600).some((s) => s.kind === 'client')).toBe(false);
  });

  it("without client spans a pod's network delay still lies outside its own span: in its callers' wait for it", () => {
    const serverOnly = { ...base, clientSpans: false };
    const own = (spans: Span[], svc: string) => spans.filter((s) => s.service === svc).map((s) => s.durationNs);
    const before = spansOf(serverOnly, 0, 3_600);
    const during = spansOf(serverOnly, 3_600, 7_200);
    expect(median(own(during, 'productcatalogservice'))).toBeLessThan(
      1.5 * median(own(before, 'productcatalogservice')),
    );
    expect(median(waitAfter(during, 'productcatalogservice'))).toBeGreaterThan(
      median(waitAfter(before, 'productcatalogservice')) + 100e6,
    );
    expect(median(waitAfter(during, 'cartservice'))).toBeLessThan(median(waitAfter(before, 'cartservice')) + 2e6);
  });

  it("packet loss on a pod stalls some of what it sends: its callers' waits, not its own spans", () => {
    const lossy: SimOptions = {
      ...base,
      clientSpans: false,
      faults: [{ type: 'packet-loss', target: 'productcatalogservice', startS: 3_600, durationS: 3_600 }],
    };
    const before = spansOf(lossy, 0, 3_600);
    const during = spansOf(lossy, 3_600, 7_200);
    const stalled = (spans: Span[]) => {
      const waits = waitAfter(spans, 'productcatalogservice');
      return waits.filter((w) => w > 200e6).length / waits.length;
    };
    const slowOwn = (spans: Span[]) => {
      const own = spans.filter((s) => s.service === 'productcatalogservice').map((s) => s.durationNs);
      return own.filter((d) => d > 200e6).length / own.length;
    };
    expect(stalled(before)).toBeLessThan(0.01);
    expect(stalled(during)).toBeGreaterThan(0.1);
    expect(slowOwn(during)).toBeLessThan(0.01);
    // With client spans the stalls lie on the wire: the callers' client spans outlast the server span.
    const traced = spansOf({ ...lossy, clientSpans: true }, 3_600, 7_200);
    const server = new Map(traced.filter((x) => x.kind !== 'client').map((x) => [x.parentSpanId, x]));
    const wires = traced
      .filter((x) => x.kind === 'client' && server.get(x.spanId)?.service === 'productcatalogservice')
      .map((x) => x.durationNs - server.get(x.spanId)!.durationNs);
    expect(wires.filter((w) => w > 200e6).length / wires.length).toBeGreaterThan(0.1);
    expect(slowOwn(traced.filter((x) => x.kind !== 'client'))).toBeLessThan(0.01);
  });
});
